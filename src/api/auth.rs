//! Signing in: `GET /api/login` (A1).

use gloo_net::http::Method;
use web_sys::AbortSignal;

use super::client::{send, Credential, FromJson};
use super::json::Json;
use super::ApiError;
use crate::url::encode_component;

struct LoginData {
    key: String,
}

impl FromJson for LoginData {
    fn from_json(j: &Json) -> Option<Self> {
        Some(LoginData { key: j.str("key") }).filter(|d| !d.key.is_empty())
    }
}

/// Exchanges email + password (+ MFA or recovery code) for the account's API key.
///
/// `Err(ApiError::MfaRequired)` means a code is needed, or that the one sent was wrong.
pub async fn login(
    email: &str,
    password: &str,
    mfa_token: Option<&str>,
    signal: &AbortSignal,
) -> Result<String, ApiError> {
    let path = match mfa_token {
        Some(code) => format!("/api/login?mfa_token={}", encode_component(code)),
        None => "/api/login".to_string(),
    };
    let credential = Credential::Password { email, password };
    let data: LoginData = send(Method::GET, &path, credential, None, signal).await?;
    Ok(data.key)
}
