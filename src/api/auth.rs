//! Signing in: `GET /api/login` (A1).

use super::client::{data, FromJson};
use super::{Answer, Public};
use crate::json::Json;
use crate::url::encode_component;

/// The account's API key, the one thing a sign-in answers.
pub struct ApiKey(pub String);

impl FromJson for ApiKey {
    fn from_json(j: &Json) -> Option<Self> {
        j.string("key").filter(|k| !k.is_empty()).map(ApiKey)
    }
}

/// Exchanges email + password (+ MFA or recovery code) for the account's API key.
///
/// `Err(ApiError::MfaRequired)` means a code is needed, or that the one sent was wrong.
pub fn login(
    public: Public,
    email: &str,
    password: &str,
    mfa_token: Option<&str>,
) -> Answer<ApiKey> {
    let path = match mfa_token {
        Some(code) => ["/api/login?mfa_token=", &encode_component(code)].concat(),
        None => "/api/login".to_string(),
    };
    public.get_with_password(&path, email, password, data)
}
