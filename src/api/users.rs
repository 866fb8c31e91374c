//! The signed-in user's account: `GET /api/users` (A5).

use super::{Answer, Api, FromJson};
use crate::json::Json;

/// The account as A5 describes it; missing fields take defaults, unknown ones are ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct User {
    /// Sign-in email.
    pub email: String,
    /// `FREE` or `STANDARD`.
    pub tier: String,
    /// Prepaid credit in cents.
    pub credit_cents: i64,
    /// Whether MFA is on.
    pub mfa_enabled: bool,
    /// The address a pending email change would switch to **[ours]**.
    pub next_email: Option<String>,
}

impl FromJson for User {
    fn from_json(j: &Json) -> Option<Self> {
        Some(User {
            email: j.string("email").unwrap_or_default(),
            tier: j.string("tier").unwrap_or_default(),
            credit_cents: j.int("credit_cents").unwrap_or(0),
            mfa_enabled: j.flag("mfa_enabled"),
            next_email: j.string("next_email").filter(|e| !e.is_empty()),
        })
    }
}

/// Loads the signed-in user's account.
pub fn get(api: Api) -> Answer<User> {
    api.get("/api/users")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_missing_and_extra_fields() {
        let read = |s: &str| User::from_json(&Json::parse(s).unwrap()).unwrap();
        let u =
            read(r#"{"email":"a@b.co","tier":"FREE","credit_cents":5,"mfa_enabled":true,"new":1}"#);
        assert_eq!(
            u,
            User {
                email: "a@b.co".into(),
                tier: "FREE".into(),
                credit_cents: 5,
                mfa_enabled: true,
                next_email: None
            }
        );
        let u = read("{}");
        assert_eq!(u, User::default());
        // Every field the console reads, so that a misspelled name fails here.
        let u = read(
            r#"{"email":"a@b.co","tier":"STANDARD","credit_cents":"2500","mfa_enabled":false,
                "next_email":"new@b.co"}"#,
        );
        assert_eq!((u.tier.as_str(), u.credit_cents), ("STANDARD", 2500));
        assert_eq!(u.next_email.as_deref(), Some("new@b.co"));
    }
}
