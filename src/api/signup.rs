//! Signing up (A4): one `POST /api/signup` per step, all but the first carrying the `uuid`.

use gloo_net::http::Method;
use web_sys::AbortSignal;

use super::client::{send_for_status, send_with_status, Credential, FromJson};
use super::json::Json;
use super::ApiError;

/// One step's body; only the fields of that step are sent.
#[derive(Default)]
pub(crate) struct Step<'a> {
    pub email: Option<&'a str>,
    pub oauth: Option<&'a str>,
    pub uuid: Option<&'a str>,
    pub confirmation_code: Option<&'a str>,
    pub explanation: Option<&'a str>,
    pub password: Option<&'a str>,
    pub promo_code: Option<&'a str>,
    pub stripe_token: Option<&'a str>,
    pub tier: Option<&'a str>,
}

impl Step<'_> {
    fn to_json(&self) -> Json {
        Json::obj(&[
            ("email", self.email),
            ("oauth", self.oauth),
            ("uuid", self.uuid),
            ("confirmation_code", self.confirmation_code),
            ("explanation", self.explanation),
            ("password", self.password),
            ("promo_code", self.promo_code),
            ("stripe_token", self.stripe_token),
            ("tier", self.tier),
        ])
    }
}

/// Whatever a step answers; each step fills the fields it has, the rest stay empty.
#[derive(Default, Clone, Debug, PartialEq)]
pub struct StepData {
    /// The sign-up session (step 1).
    pub uuid: String,
    /// Promo text (promo step).
    pub promo: String,
    /// The new account's email (last step, Google poll).
    pub email: String,
    /// The new account's API key (last step).
    pub key: String,
    /// Google session to poll (Google start).
    pub session: String,
    /// Google consent page (Google start).
    pub url: String,
    /// The Google sign-up needs a manual review first.
    pub vpn_detected: bool,
}

impl FromJson for StepData {
    fn from_json(j: &Json) -> Option<Self> {
        Some(StepData {
            uuid: j.str("uuid"),
            promo: j.str("promo"),
            email: j.str("email"),
            key: j.str("key"),
            session: j.str("session"),
            url: j.str("url"),
            vpn_detected: j.flag("vpn_detected"),
        })
    }
}

/// Sends one step. `review` is true for a 202 (manual review: VPN or proxy detected).
pub(crate) async fn step(
    body: &Step<'_>,
    signal: &AbortSignal,
) -> Result<(StepData, bool), ApiError> {
    let (status, data) = send_with_status::<StepData>(
        Method::POST,
        "/api/signup",
        Credential::None,
        Some(&body.to_json()),
        signal,
    )
    .await?;
    Ok((data.unwrap_or_default(), status == 202))
}

/// Sends a step whose answer carries nothing we need.
pub(crate) async fn step_for_status(body: &Step<'_>, signal: &AbortSignal) -> Result<(), ApiError> {
    send_for_status(
        Method::POST,
        "/api/signup",
        Credential::None,
        Some(&body.to_json()),
        signal,
    )
    .await
}
