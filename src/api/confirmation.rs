//! Email confirmation: resend the confirmation link (A9).

use gloo_net::http::Method;
use web_sys::AbortSignal;

use super::client::{send_for_status, Credential};
use super::json::Json;
use super::ApiError;

/// Asks for a new confirmation email; the answer is the same whether or not one is sent.
pub async fn resend(email: &str, signal: &AbortSignal) -> Result<(), ApiError> {
    let body = Json::obj(&[("email", Some(email))]);
    send_for_status(
        Method::PUT,
        "/api/users/reconfirm_email",
        Credential::None,
        Some(&body),
        signal,
    )
    .await
}
