//! What a handler takes from a request, and the plain answers it gives.
//!
//! - [`JsonBody<T>`]: a public endpoint's body, typed.
//! - [`SignedIn<T>`]: a signed-in endpoint's key credentials and body. The body is read
//!   whole before the credentials are checked (a handler that answers without reading the
//!   body makes hyper close the connection, which a client reusing it sees as a reset), and
//!   the credentials are checked before the body is parsed, so a request without a valid key
//!   gets its 401 whatever its body holds.
//!
//! A body is read up to [`BODY_LIMIT`] (413 past it), must say `Content-Type:
//! application/json` when it is not empty (415 otherwise: a cross-site form post cannot),
//! and a blank one counts as JSON `null`, which only bodies that may be absent accept.

use std::convert::Infallible;
use std::net::IpAddr;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};

use crate::auth;
use crate::body::{read_limited, BODY_LIMIT};
use crate::db::{self, User};
use crate::error::ApiError;
use crate::limits;
use crate::state::{AppState, ClientAddr};

/// The client's IP, which rate limits count against (`None` for a request that did not come
/// over a connection, as in a unit test).
pub struct ClientIp(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Infallible> {
        Ok(Self(parts.extensions.get::<ClientAddr>().map(|c| c.0.ip())))
    }
}

/// A public endpoint's JSON body, typed.
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &AppState) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let bytes = read_limited(body).await.ok_or_else(too_large)?;
        Ok(Self(parse(&parts.headers, &bytes)?))
    }
}

/// A request with valid `email:api_key` Basic credentials and a typed JSON body (`()` for
/// none).
pub struct SignedIn<T = ()> {
    credentials: Credentials,
    /// The request body.
    pub body: T,
    /// The client's IP, which password attempts are counted against.
    pub client: Option<IpAddr>,
}

impl<T: DeserializeOwned> FromRequest<AppState> for SignedIn<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let bytes = read_limited(body).await.ok_or_else(too_large)?;
        let (email, key) =
            auth::basic_credentials(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        let credentials = Credentials { email, key };
        credentials.user(&state.db().lock())?;
        Ok(Self {
            credentials,
            body: parse(&parts.headers, &bytes)?,
            client: parts.extensions.get::<ClientAddr>().map(|c| c.0.ip()),
        })
    }
}

impl<T> SignedIn<T> {
    /// The account, read again under the caller's lock so that a handler acts on its state
    /// at that moment (a key revoked meanwhile answers 401).
    pub fn user(&self, conn: &rusqlite::Connection) -> Result<User, ApiError> {
        self.credentials.user(conn)
    }

    /// The account, after the one current-password check (see
    /// [`limits::check_current_password`]).
    pub async fn user_with_password(
        &self,
        state: &AppState,
        password: &str,
    ) -> Result<User, ApiError> {
        let user = self.user(&state.db().lock())?;
        limits::check_current_password(state, &user, password, self.client).await?;
        Ok(user)
    }
}

/// The two halves of key credentials as sent.
struct Credentials {
    email: String,
    key: String,
}

impl Credentials {
    /// The account they belong to, tried as sent and then percent-decoded: deploy tools such
    /// as the GitHub Action encode them.
    fn user(&self, conn: &rusqlite::Connection) -> Result<User, ApiError> {
        if let Some(user) = db::user_by_api_key(conn, &self.email, &self.key)? {
            return Ok(user);
        }
        let decoded = auth::percent_decode(&self.email).zip(auth::percent_decode(&self.key));
        match decoded {
            Some((email, key)) if email != self.email || key != self.key => {
                db::user_by_api_key(conn, &email, &key)?.ok_or_else(ApiError::unauthorized)
            }
            _ => Err(ApiError::unauthorized()),
        }
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("Request body too large (limit {BODY_LIMIT} bytes)."),
    )
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

/// Parses a body read whole: blank is JSON `null`; anything else must be labelled JSON and
/// be a JSON object.
fn parse<T: DeserializeOwned>(headers: &HeaderMap, bytes: &[u8]) -> Result<T, ApiError> {
    let not_object = || ApiError::bad_request("Request body must be a JSON object.");
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return serde_json::from_value(Value::Null).map_err(|_| not_object());
    }
    if !is_json(headers) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Request body must be sent with Content-Type: application/json.",
        ));
    }
    let invalid =
        |e: serde_json::Error| ApiError::bad_request(format!("Request body is not valid: {e}."));
    let value: Value = serde_json::from_slice(bytes).map_err(invalid)?;
    if !value.is_object() {
        return Err(not_object());
    }
    serde_json::from_value(value).map_err(invalid)
}

/// A text field read the lenient way the API reads it: a string as it is, any other value
/// (number, `null`, ...) as `""`, which then fails the field's own check with its own 422.
/// Use with `#[serde(default, deserialize_with = "text")]`.
pub fn text<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::String(text) => text,
        _ => String::new(),
    })
}

/// Like [`text`], for a field whose presence matters (sign-up tells its step by the fields
/// present): present with any value is `Some`. Use with
/// `#[serde(default, deserialize_with = "some_text")]`.
pub fn some_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    text(d).map(Some)
}

/// The value of one query parameter, decoded.
pub fn query_param(query: Option<&str>, name: &str) -> Option<String> {
    auth::parse_query(query?)
        .into_iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// 200 `{"data": data}`.
pub fn ok(data: Value) -> Response {
    Json(json!({ "data": data })).into_response()
}

/// 200 `{"data": {}}`.
pub fn empty_ok() -> Response {
    ok(json!({}))
}

/// A 302 to a console route. The page it leaves had a token in its URL, so no referrer.
pub fn redirect(location: &str) -> Response {
    let mut response = StatusCode::FOUND.into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(location) {
        headers.insert(header::LOCATION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Body {
        #[serde(default, deserialize_with = "text")]
        name: String,
        #[serde(default, deserialize_with = "some_text")]
        step: Option<String>,
    }

    fn json_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("Application/JSON; charset=utf-8"),
        );
        headers
    }

    #[test]
    fn bodies() {
        let json = json_headers();
        assert_eq!(parse::<Body>(&json, br#"{"name":"x"}"#).unwrap().name, "x");
        assert_eq!(parse::<Body>(&json, b"{}").unwrap().name, "");
        assert_eq!(parse::<Option<Body>>(&json, b" ").unwrap(), None);
        parse::<()>(&HeaderMap::new(), b"").unwrap();
        assert_eq!(
            parse::<Body>(&json, b"").unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            parse::<Body>(&json, b"{").unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        let unlabelled = parse::<Body>(&HeaderMap::new(), br#"{"name":"x"}"#).unwrap_err();
        assert_eq!(unlabelled.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn query_params() {
        assert_eq!(
            query_param(Some("a=1&token=x%20y"), "token").as_deref(),
            Some("x y")
        );
        assert_eq!(query_param(Some("a=1"), "token"), None);
        assert_eq!(query_param(None, "token"), None);
    }
}
