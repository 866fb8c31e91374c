//! The one JSON error shape every simulator endpoint answers with.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error answered as `{"errors":{field:[message]}}`, the shape the contract fixes for `/api/*`.
#[derive(Debug, Clone)]
pub struct ApiError {
    /// HTTP status to answer with.
    pub status: StatusCode,
    /// Field the message belongs to; `""` holds form-level messages.
    pub field: String,
    /// Human-readable message.
    pub message: String,
    /// Seconds for a `Retry-After` header, when the client should wait.
    pub retry_after: Option<u64>,
}

impl ApiError {
    /// A form-level error (field `""`).
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self::field(status, "", message)
    }

    /// An error attached to one request field.
    pub fn field(status: StatusCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            status,
            field: field.into(),
            message: message.into(),
            retry_after: None,
        }
    }

    /// Adds a `Retry-After` header (seconds).
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }

    /// 404 for any path the simulator does not know.
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "Not found.")
    }

    /// 400 for a request body the simulator cannot use.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 422 about one field (`""` for the whole form).
    pub fn unprocessable(field: &str, message: &str) -> Self {
        Self::field(StatusCode::UNPROCESSABLE_ENTITY, field, message)
    }

    /// 401 for missing, wrong or revoked key credentials: to the console and the CLI it
    /// means "your key is dead", and the console signs out on it.
    pub fn unauthorized() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, NO_ACCESS)
    }

    /// 429 with the seconds until the next attempt is admitted.
    pub fn too_many(retry_after_secs: u64) -> Self {
        Self::new(StatusCode::TOO_MANY_REQUESTS, TOO_MANY).with_retry_after(retry_after_secs.max(1))
    }
}

/// Message of every 401 for key credentials.
pub const NO_ACCESS: &str = "Sorry, you do not have access to that account.";
/// Message of a 429 from a rate limit.
pub const TOO_MANY: &str = "Too many attempts. Please try again later.";

/// A database failure is the simulator's fault: a JSON 500 naming it, so `?` works in
/// every handler.
impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Simulator database error: {e}"),
        )
    }
}

/// Builds the JSON error body `{"errors":{field:[message]}}`.
pub fn error_body(field: &str, message: &str) -> serde_json::Value {
    json!({ "errors": { field: [message] } })
}

/// Default message for a status code, used by status faults and generic failures.
pub fn default_message(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "Bad request.",
        401 => NO_ACCESS,
        403 => "Forbidden.",
        404 => "Not found.",
        405 => "Method not allowed.",
        409 => "Conflict.",
        413 => "Request body too large.",
        422 => "Unprocessable request.",
        429 => TOO_MANY,
        502 => "Bad gateway.",
        503 => "Service unavailable.",
        504 => "Gateway timeout.",
        s if s >= 500 => "Internal server error.",
        _ => "Request failed.",
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            axum::Json(error_body(&self.field, &self.message)),
        )
            .into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}
