//! The public `/api/*` endpoints about signing in: A1 login and A5 user. The email flows
//! (A7, A8, A9, confirm) are in [`crate::recovery`].

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::account;
use crate::auth;
use crate::db;
use crate::error::ApiError;
use crate::state::{now_unix, AppState};
use crate::totp;

/// Message for a bad email or password (A1 401).
pub const LOGIN_FAILED: &str = "Sorry, we could not authenticate you.";
/// Message for a bad or missing API key (A5 401).
pub const NO_ACCESS: &str = "Sorry, you do not have access to that account.";
/// Message for too many failed logins (A1 429).
pub const TOO_MANY: &str = "Too many attempts. Please try again later.";

fn db_error(e: rusqlite::Error) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("Simulator database error: {e}"),
    )
}

/// 303 with no `Location`: the CLI's signal for "MFA code needed or wrong". A Location header
/// would make HTTP clients follow it (python-requests does), so there must be none.
fn mfa_required(message: &str) -> Response {
    ApiError::field(StatusCode::SEE_OTHER, "mfa_token", message).into_response()
}

/// A1 `GET /api/login[?mfa_token=]` with percent-encoded Basic credentials.
pub async fn login(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some((email, password)) = auth::login_credentials(&headers) else {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, LOGIN_FAILED));
    };
    let mfa_token = query
        .as_deref()
        .map(auth::parse_query)
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "mfa_token")
        .map(|(_, value)| value.trim().to_string())
        .filter(|value| !value.is_empty());

    // Rate-limit windows follow the simulator's clock; TOTP follows the real one, because
    // the codes come from apps that read the real time.
    let now = state.now();
    let wall = now_unix();
    let limit = state.config().login_limit;
    let window = state.config().login_window_secs as i64;
    let conn = state.db().lock();

    // A failure at `at` counts while `now - at < window`, so the oldest frees at `at + window`.
    let (failures, oldest) =
        db::recent_failures(&conn, &email, now - window + 1).map_err(db_error)?;
    if failures >= limit {
        let retry_after = (oldest.unwrap_or(now) + window - now).max(1) as u64;
        return Err(
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, TOO_MANY).with_retry_after(retry_after)
        );
    }
    let fail = |conn: &rusqlite::Connection| db::record_failure(conn, &email, now, window);

    let user = db::user_by_email(&conn, &email).map_err(db_error)?;
    let user = match user {
        Some(user) if auth::verify_password(&password, &user.password_hash) => user,
        found => {
            if found.is_none() {
                // Hash anyway so response time does not reveal which emails exist.
                auth::verify_password(&password, &auth::hash_password("timing"));
            }
            fail(&conn).map_err(db_error)?;
            return Err(ApiError::new(StatusCode::UNAUTHORIZED, LOGIN_FAILED));
        }
    };

    if user.mfa_enabled {
        let Some(token) = mfa_token else {
            return Ok(mfa_required("Enter the code from your authenticator app."));
        };
        let accepted =
            if token.len() == totp::DIGITS as usize && token.bytes().all(|b| b.is_ascii_digit()) {
                let key = user
                    .totp_secret
                    .as_deref()
                    .and_then(totp::base32_decode)
                    .unwrap_or_default();
                let last = user.totp_last_step.map(|s| s.max(0) as u64);
                match totp::verify(&key, &token, wall as u64, last) {
                    Some(step) => {
                        db::set_totp_last_step(&conn, user.id, step as i64).map_err(db_error)?;
                        true
                    }
                    None => false,
                }
            } else {
                db::use_recovery_code(&conn, user.id, &token, now).map_err(db_error)?
            };
        if !accepted {
            fail(&conn).map_err(db_error)?;
            return Ok(mfa_required("That code was not accepted."));
        }
    }

    db::clear_failures(&conn, &email).map_err(db_error)?;
    let key = db::ensure_api_key(&conn, user.id, now).map_err(db_error)?;
    Ok(Json(json!({ "data": { "key": key } })).into_response())
}

/// A5 `GET /api/users` with raw `email:api_key` Basic credentials. While an email change is
/// pending, `next_email` holds the address it would switch to **[ours]**; otherwise the key
/// is absent.
pub async fn users(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = account::signed_in(&conn, &headers)?;
    let mut data = json!({
        "email": user.email,
        "tier": user.tier,
        "credit_cents": user.credit_cents,
        "mfa_enabled": user.mfa_enabled,
    });
    if let Some(next) =
        account::pending_next_email(&conn, user.id, state.now()).map_err(db_error)?
    {
        data["next_email"] = next.into();
    }
    Ok(Json(json!({ "data": data })).into_response())
}
