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
            email: j.str("email"),
            tier: j.str("tier"),
            credit_cents: j.int("credit_cents").unwrap_or(0),
            mfa_enabled: j.flag("mfa_enabled"),
            next_email: Some(j.str("next_email")).filter(|e| !e.is_empty()),
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
    }
}
