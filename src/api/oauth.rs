//! Google sign-in: start a session (A2), then poll it (A3) while the user consents.

use gloo_net::http::Method;
use web_sys::AbortSignal;

use super::client::{send, send_with_status, Credential};
use super::signup::StepData;
use super::ApiError;

/// Starts a Google sign-in; the answer holds the consent `url` and the `session` to poll.
pub async fn start(signal: &AbortSignal) -> Result<StepData, ApiError> {
    send(
        Method::POST,
        "/api/oauth/google",
        Credential::None,
        None,
        signal,
    )
    .await
}

/// One poll: `None` while the user has not finished (204), else the account's data.
pub async fn poll(session: &str, signal: &AbortSignal) -> Result<Option<StepData>, ApiError> {
    let path = format!(
        "/api/oauth/google/{}",
        crate::url::encode_component(session)
    );
    let (_, data) = send_with_status(Method::GET, &path, Credential::None, None, signal).await?;
    Ok(data)
}
