//! The public `/api/*` endpoints about signing in: A1 login and A5 user. The email flows
//! (A7, A8, A9, confirm) are in [`crate::recovery`].

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::account;
use crate::auth;
use crate::db::{self, User};
use crate::error::ApiError;
use crate::limits::{password_matches, Attempt};
use crate::request::{ok, query_param, ClientIp, SignedIn};
use crate::state::{now_unix, AppState};
use crate::totp;

/// Message for a bad email or password (A1 401).
pub const LOGIN_FAILED: &str = "Sorry, we could not authenticate you.";

/// 303 with no `Location`: the CLI's signal for "MFA code needed or wrong". A Location header
/// would make HTTP clients follow it (python-requests does), so there must be none.
fn mfa_required(message: &str) -> Response {
    ApiError::field(StatusCode::SEE_OTHER, "mfa_token", message).into_response()
}

/// A1 `GET /api/login[?mfa_token=]` with percent-encoded Basic credentials. The attempt is
/// counted (per address and per client IP, see [`crate::limits`]) before the password is
/// checked, and taken back when it signs in.
pub async fn login(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    ClientIp(client): ClientIp,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some((email, password)) = auth::login_credentials(&headers) else {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, LOGIN_FAILED));
    };
    let mfa_token = query_param(query.as_deref(), "mfa_token")
        .map(|value| value.trim().to_string())
        .filter(|value| !value.is_empty());
    let (attempt, user) = {
        let conn = state.db().lock();
        let attempt = Attempt::begin(&conn, state.config(), &email, client, state.now())?;
        (attempt, db::user_by_email(&conn, &email)?)
    };
    let hash = user.as_ref().map(|user| user.password_hash.clone());
    let (true, Some(user)) = (password_matches(&password, hash).await, user) else {
        return Err(ApiError::new(StatusCode::UNAUTHORIZED, LOGIN_FAILED));
    };
    let conn = state.db().lock();
    if user.mfa_enabled {
        let Some(token) = mfa_token else {
            // Asking for the code is not a failure.
            attempt.succeeded(&conn)?;
            return Ok(mfa_required("Enter the code from your authenticator app."));
        };
        if !second_factor_accepted(&conn, &user, &token, state.now())? {
            return Ok(mfa_required("That code was not accepted."));
        }
    }
    attempt.signed_in(&conn)?;
    let key = db::ensure_api_key(&conn, user.id, state.now())?;
    Ok(ok(json!({ "key": key })))
}

/// Whether `token` is the account's current TOTP code (not used before) or one of its unused
/// recovery codes, spending it if so. TOTP follows the real clock, because the codes come
/// from apps that read the real time; everything else follows the simulator's.
fn second_factor_accepted(
    conn: &rusqlite::Connection,
    user: &User,
    token: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    if token.len() == totp::DIGITS as usize && token.bytes().all(|b| b.is_ascii_digit()) {
        let key = user
            .totp_secret
            .as_deref()
            .and_then(totp::base32_decode)
            .unwrap_or_default();
        let last = user.totp_last_step.map(|s| s.max(0) as u64);
        match totp::verify(&key, token, now_unix() as u64, last) {
            Some(step) => {
                db::set_totp_last_step(conn, user.id, step as i64)?;
                Ok(true)
            }
            None => Ok(false),
        }
    } else {
        db::use_recovery_code(conn, user.id, token, now)
    }
}

/// A5 `GET /api/users` with raw `email:api_key` Basic credentials. While an email change is
/// pending, `next_email` holds the address it would switch to **[ours]**; otherwise the key
/// is absent.
pub async fn users(State(state): State<AppState>, request: SignedIn) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let mut data = json!({
        "email": user.email,
        "tier": user.tier,
        "credit_cents": user.credit_cents,
        "mfa_enabled": user.mfa_enabled,
    });
    if let Some(next) = account::pending_next_email(&conn, user.id, state.now())? {
        data["next_email"] = next.into();
    }
    Ok(ok(data))
}
