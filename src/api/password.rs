//! Forgotten passwords: request a reset email (A7) and set a new password from its token (A8).

use gloo_net::http::Method;
use web_sys::AbortSignal;

use super::client::{send_for_status, Credential};
use super::json::Json;
use super::ApiError;

/// Asks for a reset email; the answer is the same whether or not the account exists.
pub async fn request_reset(email: &str, signal: &AbortSignal) -> Result<(), ApiError> {
    let body = Json::obj(&[("email", Some(email))]);
    send_for_status(
        Method::PUT,
        "/api/users/reset_password",
        Credential::None,
        Some(&body),
        signal,
    )
    .await
}

/// Sets a new password with the emailed token; `errors.token` says why a token was refused.
pub async fn reset(token: &str, password: &str, signal: &AbortSignal) -> Result<(), ApiError> {
    let body = Json::obj(&[("token", Some(token)), ("password", Some(password))]);
    send_for_status(
        Method::POST,
        "/api/users/reset_password",
        Credential::None,
        Some(&body),
        signal,
    )
    .await
}
