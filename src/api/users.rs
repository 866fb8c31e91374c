//! The signed-in user's account: `GET /api/users` (A5).

use serde::Deserialize;
use web_sys::AbortSignal;

use super::{Api, ApiError};

/// The account as A5 describes it; missing fields take defaults, unknown ones are ignored.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct User {
    /// Sign-in email.
    pub email: String,
    /// `FREE` or `STANDARD`.
    pub tier: String,
    /// Prepaid credit in cents.
    pub credit_cents: i64,
    /// Whether MFA is on.
    pub mfa_enabled: bool,
}

/// Loads the signed-in user's account.
pub async fn get(api: Api, signal: &AbortSignal) -> Result<User, ApiError> {
    api.get("/api/users", signal).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerates_missing_and_extra_fields() {
        let u: User = serde_json::from_str(
            r#"{"email":"a@b.co","tier":"FREE","credit_cents":5,"mfa_enabled":true,"new":1}"#,
        )
        .unwrap();
        assert_eq!(
            u,
            User {
                email: "a@b.co".into(),
                tier: "FREE".into(),
                credit_cents: 5,
                mfa_enabled: true
            }
        );
        let u: User = serde_json::from_str("{}").unwrap();
        assert_eq!(u, User::default());
    }
}
