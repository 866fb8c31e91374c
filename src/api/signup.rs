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
            uuid: j.string("uuid").unwrap_or_default(),
            promo: j.string("promo").unwrap_or_default(),
            email: j.string("email").unwrap_or_default(),
            key: j.string("key").unwrap_or_default(),
            session: j.string("session").unwrap_or_default(),
            url: j.string("url").unwrap_or_default(),
            vpn_detected: j.flag("vpn_detected"),
            review: false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> StepData {
        StepData::from_json(&Json::parse(text).unwrap()).unwrap()
    }

    #[test]
    fn reads_each_steps_answer_as_the_contract_gives_it() {
        assert_eq!(read(r#"{"uuid":"u-1"}"#).uuid, "u-1");
        assert_eq!(read(r#"{"promo":"$10 credit"}"#).promo, "$10 credit");
        let done = read(r#"{"email":"a@b.co","key":"k-1"}"#);
        assert_eq!((done.email.as_str(), done.key.as_str()), ("a@b.co", "k-1"));
        let google = read(
            r#"{"session":"s-1","url":"https://accounts.example/o","uuid":"u-2",
                "vpn_detected":true}"#,
        );
        assert_eq!(
            (
                google.session.as_str(),
                google.url.as_str(),
                google.uuid.as_str()
            ),
            ("s-1", "https://accounts.example/o", "u-2")
        );
        assert!(google.vpn_detected && !google.review);
        assert_eq!(read("{}"), StepData::default());
    }

    #[test]
    fn a_later_step_carries_the_uuid_and_its_one_field() {
        assert_eq!(
            body(None, "email", "a@b.co").to_text(),
            r#"{"email":"a@b.co"}"#
        );
        assert_eq!(
            body(Some("u-1"), "confirmation_code", "123456").to_text(),
            r#"{"uuid":"u-1","confirmation_code":"123456"}"#
        );
    }
}
