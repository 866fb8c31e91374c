//! The one error type of the fetch layer; its `message` is what the user reads.

use crate::json::Json;
use crate::messages::t;

/// Which credential a request carried; a 401 means different things for each.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuthKind {
    /// No credential (public endpoints).
    None,
    /// Email and password (`GET /api/login`).
    Password,
    /// Email and API key (every signed-in call).
    Key,
}

/// Everything a call to the API can end in, other than success.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ApiError {
    /// No HTTP response: offline, DNS, refused or dropped connection.
    Network,
    /// The request was aborted because its page was left; never shown.
    Aborted,
    /// 401 on sign-in: wrong email or password.
    BadCredentials,
    /// 401 on a signed-in call: the API key no longer works.
    SessionExpired,
    /// A bare 303 from `GET /api/login`: an MFA code is needed, or the one sent was wrong.
    MfaRequired,
    /// 4xx with `{"errors":{field:[..]}}`; the `""` key holds form-level messages.
    Fields(Vec<(String, Vec<String>)>),
    /// 404.
    NotFound,
    /// 429, with the seconds from `Retry-After` when given.
    RateLimited(Option<u32>),
    /// 5xx.
    Server(u16),
    /// A success status whose body is not the JSON we expect.
    Malformed,
    /// Any other status.
    Unexpected(u16),
}

/// `{"errors":{field:[messages]}}`; any other shape is no field errors. A field whose
/// messages are not all strings is skipped.
fn field_errors(body: &str) -> Vec<(String, Vec<String>)> {
    // A few fields at most: a list is lighter in wasm than a map, and as quick.
    let mut map = Vec::new();
    let Some(json) = Json::parse(body) else {
        return map;
    };
    for (field, messages) in json.get("errors").map(Json::fields).unwrap_or_default() {
        let texts: Option<Vec<String>> = messages
            .items()
            .iter()
            .map(|m| match m {
                Json::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect();
        if let Some(texts) = texts.filter(|t| !t.is_empty()) {
            map.push((field.clone(), texts));
        }
    }
    map
}

impl ApiError {
    /// Maps a non-success response to an error. `body` may be empty, plain text or JSON.
    pub fn from_response(
        status: u16,
        retry_after: Option<&str>,
        body: &str,
        auth: AuthKind,
    ) -> ApiError {
        match status {
            303 if auth == AuthKind::Password => ApiError::MfaRequired,
            401 => match auth {
                AuthKind::Password => ApiError::BadCredentials,
                AuthKind::Key => ApiError::SessionExpired,
                // No session to end: a public endpoint refused us.
                AuthKind::None => ApiError::Unexpected(401),
            },
            404 => ApiError::NotFound,
            429 => ApiError::RateLimited(retry_after.and_then(parse_retry_after)),
            500..=599 => ApiError::Server(status),
            400..=499 => {
                let errors = field_errors(body);
                if errors.is_empty() {
                    ApiError::Unexpected(status)
                } else {
                    ApiError::Fields(errors)
                }
            }
            _ => ApiError::Unexpected(status),
        }
    }

    /// Messages the API attached to one field, joined into a sentence list.
    pub fn field(&self, name: &str) -> Option<String> {
        match self {
            ApiError::Fields(map) => map
                .iter()
                .find(|(k, v)| k == name && !v.is_empty())
                .map(|(_, v)| join(v)),
            _ => None,
        }
    }
}

fn join(messages: &[String]) -> String {
    messages
        .iter()
        .map(|m| {
            let m = m.trim();
            if m.ends_with(['.', '!', '?']) {
                m.to_string()
            } else {
                [m, "."].concat()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `Retry-After` is seconds or an HTTP date; we use seconds and cap absurd values.
fn parse_retry_after(v: &str) -> Option<u32> {
    v.trim().parse::<u32>().ok().map(|s| s.clamp(1, 24 * 3600))
}

impl ApiError {
    /// What the user reads. A method of its own rather than `Display`: `to_string` through
    /// `core::fmt` cost more wasm than this match.
    pub fn message(&self) -> String {
        let m = t();
        let fixed = match self {
            ApiError::Network => m.err_network,
            ApiError::Aborted => m.err_aborted,
            ApiError::BadCredentials => m.err_bad_credentials,
            ApiError::SessionExpired => m.err_session_expired,
            ApiError::MfaRequired => m.err_mfa_required,
            ApiError::Fields(_) => return self.field("").unwrap_or_else(|| m.err_fields.into()),
            ApiError::NotFound => m.err_not_found,
            ApiError::RateLimited(Some(secs)) => return m.err_rate_limited_for(*secs),
            ApiError::RateLimited(None) => m.err_rate_limited,
            ApiError::Server(status) => return m.err_server(*status),
            ApiError::Malformed => m.err_malformed,
            ApiError::Unexpected(status) => return m.err_unexpected(*status),
        };
        fixed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(status: u16, body: &str, auth: AuthKind) -> ApiError {
        ApiError::from_response(status, None, body, auth)
    }

    #[test]
    fn statuses_map_to_errors() {
        assert_eq!(map(303, "", AuthKind::Password), ApiError::MfaRequired);
        assert_eq!(map(303, "", AuthKind::Key), ApiError::Unexpected(303));
        assert_eq!(map(401, "", AuthKind::Password), ApiError::BadCredentials);
        assert_eq!(map(401, "{}", AuthKind::Key), ApiError::SessionExpired);
        assert_eq!(map(401, "", AuthKind::None), ApiError::Unexpected(401));
        assert_eq!(map(404, "<html>", AuthKind::Key), ApiError::NotFound);
        assert_eq!(map(500, "oops", AuthKind::Key), ApiError::Server(500));
        assert_eq!(map(503, "", AuthKind::Key), ApiError::Server(503));
        assert_eq!(
            map(418, "not json", AuthKind::Key),
            ApiError::Unexpected(418)
        );
        assert_eq!(
            map(422, r#"{"errors":{}}"#, AuthKind::Key),
            ApiError::Unexpected(422)
        );
        assert_eq!(map(302, "", AuthKind::Key), ApiError::Unexpected(302));
    }

    #[test]
    fn retry_after_is_read_in_seconds() {
        let e = |v| ApiError::from_response(429, v, "", AuthKind::Password);
        assert_eq!(e(Some("30")), ApiError::RateLimited(Some(30)));
        assert_eq!(e(Some(" 7 ")), ApiError::RateLimited(Some(7)));
        assert_eq!(e(Some("0")), ApiError::RateLimited(Some(1)));
        assert_eq!(e(Some("99999999")), ApiError::RateLimited(Some(86400)));
        assert_eq!(
            e(Some("Wed, 21 Oct 2015 07:28:00 GMT")),
            ApiError::RateLimited(None)
        );
        assert_eq!(e(None), ApiError::RateLimited(None));
        assert_eq!(
            e(Some("30")).message(),
            "Too many attempts. Try again in 30 seconds."
        );
    }

    #[test]
    fn field_errors_are_read_and_joined() {
        let e = map(
            422,
            r#"{"errors":{"":["Your card was declined"],"password":["is too short","needs a digit."],"email":["is taken"]}}"#,
            AuthKind::Key,
        );
        assert_eq!(
            e.field("password").as_deref(),
            Some("is too short. needs a digit.")
        );
        assert_eq!(e.field("email").as_deref(), Some("is taken."));
        assert_eq!(e.field("nope"), None);
        assert_eq!(e.message(), "Your card was declined.");
        // An odd shape is not guessed at: the user gets the honest generic sentence.
        assert_eq!(
            map(422, r#"{"errors":{"email":"is taken"}}"#, AuthKind::None),
            ApiError::Unexpected(422)
        );
        let only_fields = map(400, r#"{"errors":{"token":["expired"]}}"#, AuthKind::Key);
        assert_eq!(
            only_fields.message(),
            "Please correct the highlighted fields."
        );
    }

    #[test]
    fn every_error_has_a_sentence() {
        let all = [
            ApiError::Network,
            ApiError::Aborted,
            ApiError::BadCredentials,
            ApiError::SessionExpired,
            ApiError::MfaRequired,
            ApiError::Fields(Vec::new()),
            ApiError::NotFound,
            ApiError::RateLimited(Some(2)),
            ApiError::RateLimited(None),
            ApiError::Server(500),
            ApiError::Malformed,
            ApiError::Unexpected(418),
        ];
        for e in all {
            let text = e.message();
            assert!(text.ends_with('.'), "{e:?}: {text}");
            assert!(text.len() > 10, "{e:?}: {text}");
        }
        assert_eq!(
            ApiError::Network.message(),
            "Can't reach Gigalixir. Check your connection and try again."
        );
        assert_eq!(
            ApiError::Server(500).message(),
            "Gigalixir had a problem (error 500). Please try again in a moment."
        );
        assert_eq!(
            ApiError::BadCredentials.message(),
            "Wrong email or password."
        );
    }
}
