//! Email confirmation: resend the confirmation link (A9).

use gloo_net::http::Method;

use super::{nothing, Answer, Public};
use crate::json::Json;

/// Asks for a new confirmation email; the answer is the same whether or not one is sent.
pub fn resend(public: Public, email: &str) -> Answer<()> {
    let body = Json::obj(&[("email", Some(email))]);
    public.request(
        Method::PUT,
        "/api/users/reconfirm_email",
        Some(&body),
        nothing,
    )
}
