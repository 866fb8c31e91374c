//! Google sign-in: start a session (A2), then poll it (A3) while the user consents.

use gloo_net::http::Method;

use super::client::{data, decode, Raw};
use super::signup::StepData;
use super::{Answer, ApiError, Public};

/// Starts a Google sign-in; the answer holds the consent `url` and the `session` to poll.
pub fn start(public: Public) -> Answer<StepData> {
    public.request(Method::POST, "/api/oauth/google", None, data)
}

/// One poll: `None` while the user has not finished (204), else the account's data.
pub fn poll(public: Public, session: &str) -> Answer<Option<StepData>> {
    let path = ["/api/oauth/google/", &crate::url::encode_component(session)].concat();
    public.request(Method::GET, &path, None, finished)
}

fn finished(raw: Raw) -> Result<Option<StepData>, ApiError> {
    Ok(decode(raw)?.1)
}
