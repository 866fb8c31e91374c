//! Forgotten passwords: request a reset email (A7) and set a new password from its token (A8).

use gloo_net::http::Method;

use super::{nothing, Answer, Public};
use crate::json::Json;

/// Asks for a reset email; the answer is the same whether or not the account exists.
pub fn request_reset(public: Public, email: &str) -> Answer<()> {
    let body = Json::obj(&[("email", Some(email))]);
    public.request(
        Method::PUT,
        "/api/users/reset_password",
        Some(&body),
        nothing,
    )
}

/// Sets a new password with the emailed token; `errors.token` says why a token was refused.
pub fn reset(public: Public, token: &str, password: &str) -> Answer<()> {
    let body = Json::obj(&[("token", Some(token)), ("password", Some(password))]);
    public.request(
        Method::POST,
        "/api/users/reset_password",
        Some(&body),
        nothing,
    )
}
