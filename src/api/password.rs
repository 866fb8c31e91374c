//! Forgotten passwords: request a reset email (A7) and set a new password from its token (A8).

use gloo_net::http::Method;
use serde::Serialize;
use web_sys::AbortSignal;

use super::client::{send_for_status, Credential};
use super::ApiError;

#[derive(Serialize)]
struct EmailBody<'a> {
    email: &'a str,
}

#[derive(Serialize)]
struct ResetBody<'a> {
    token: &'a str,
    password: &'a str,
}

/// Asks for a reset email; the answer is the same whether or not the account exists.
pub async fn request_reset(email: &str, signal: &AbortSignal) -> Result<(), ApiError> {
    let body = EmailBody { email };
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
    let body = ResetBody { token, password };
    send_for_status(
        Method::POST,
        "/api/users/reset_password",
        Credential::None,
        Some(&body),
        signal,
    )
    .await
}
