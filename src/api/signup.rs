//! Signing up (A4): one `POST /api/signup` per step, all but the first carrying the `uuid`.
//! Each step sends one field besides it.

use gloo_net::http::Method;

use super::client::{decode, nothing, FromJson, Raw};
use super::{Answer, ApiError, Public};
use crate::json::Json;

/// One step's body: the sign-up's `uuid` (none on the first step) and the step's field.
fn body(uuid: Option<&str>, field: &str, value: &str) -> Json {
    Json::obj(&[("uuid", uuid), (field, Some(value))])
}

/// Sends a step whose answer carries nothing we need (the code, the password, the note,
/// the card).
pub fn step(public: Public, uuid: &str, field: &str, value: &str) -> Answer<()> {
    let body = body(Some(uuid).filter(|u| !u.is_empty()), field, value);
    public.request(Method::POST, "/api/signup", Some(&body), nothing)
}

/// Sends a step and reads its answer: the first step (`uuid` empty), a promo or the plan.
pub fn step_data(public: Public, uuid: &str, field: &str, value: &str) -> Answer<StepData> {
    let body = body(Some(uuid).filter(|u| !u.is_empty()), field, value);
    public.request(Method::POST, "/api/signup", Some(&body), step_answer)
}

/// A 202 means a person reviews the sign-up first (VPN or proxy detected).
fn step_answer(raw: Raw) -> Result<StepData, ApiError> {
    let (status, data) = decode::<StepData>(raw)?;
    Ok(StepData {
        review: status == 202,
        ..data.unwrap_or_default()
    })
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
    /// The step was answered 202: a person reviews the sign-up first.
    pub review: bool,
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
            review: false,
        })
    }
}
