//! MFA management for a signed-in user (raw `email:api_key` Basic auth): A13 start, A14
//! verify, A15 turn off and A16 new recovery codes.
//!
//! Activation is two calls: A13 makes a *pending* secret (MFA stays off), and A14 turns MFA
//! on once a code from that secret checks out. Turning MFA on revokes every API key of the
//! account, as the real service's "this logs you out, so re-login" implies.

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde_json::{json, Map, Value};

use crate::account::{body_bytes, signed_in};
use crate::auth;
use crate::db::{self, User};
use crate::error::ApiError;
use crate::recovery::db_error;
use crate::state::{now_unix, AppState};
use crate::totp;

/// Issuer shown by authenticator apps, in the label and the `issuer` parameter.
pub const ISSUER: &str = "Gigalixir";
/// A13 422 (form-level) when MFA is on already; A14 answers it too.
pub const ALREADY_ON: &str = "Two-factor authentication is already on.";
/// A14 success message.
pub const TURNED_ON: &str = "Two-factor authentication is on.";
/// A15 success message, and the A16 422 (form-level) when MFA is off.
pub const TURNED_OFF: &str = "Two-factor authentication is off.";
/// A14 422 (form-level) when there is no pending secret to check the code against.
pub const START_FIRST: &str = "Start activation first.";
/// A14 422 message on `mfa_token` for a wrong code, and on `current_password` (A15, A16)
/// for a wrong password.
pub const INCORRECT: &str = "is incorrect";
/// A14 422 message on `mfa_token` when it is missing or empty.
pub const BLANK: &str = "can't be blank";
/// A14 429 message once a pending secret has had too many wrong codes.
pub const TOO_MANY_CODES: &str =
    "Too many wrong codes. Try again later, or start activation again.";
/// Wrong A14 codes allowed per pending secret before verification locks [ours].
pub const MAX_WRONG_CODES: i64 = 5;
/// How long a locked pending secret refuses codes, in simulated seconds [ours].
pub const LOCK_SECS: i64 = 300;

/// RFC 3986 unreserved characters, which the Key URI label may carry unescaped.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The standard Key URI (`otpauth://totp/...`) authenticator apps read from a QR code:
/// issuer-prefixed label with the percent-encoded email, SHA1, 6 digits, 30-second steps.
pub fn provisioning_url(email: &str, secret: &str) -> String {
    format!(
        "otpauth://totp/{ISSUER}:{email}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits={digits}&period={period}",
        email = utf8_percent_encode(email, UNRESERVED),
        digits = totp::DIGITS,
        period = totp::STEP_SECS,
    )
}

/// A13's message. It carries the secret in groups of four, as apps take it when typed, so a
/// CLI user whose terminal mangles the QR code can still enrol [ours].
pub fn start_message(secret: &str) -> String {
    let grouped = secret
        .as_bytes()
        .chunks(4)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    format!(
        "Scan the QR code with your authenticator app, or type in this key: {grouped}. \
         Then enter the 6-digit code the app shows."
    )
}

fn unprocessable(field: &str, message: &str) -> ApiError {
    ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, message)
}

fn ok(data: Value) -> Response {
    Json(json!({ "data": data })).into_response()
}

/// Parses a body that may be empty (the CLI sends `{}`, other clients may send nothing):
/// an empty body has no fields; anything else must be a JSON object, or 400.
fn optional_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(fields)) => Ok(fields),
        Ok(_) => Err(ApiError::bad_request("Request body must be a JSON object.")),
        Err(e) => Err(ApiError::bad_request(format!(
            "Request body is not valid: {e}."
        ))),
    }
}

/// The optional `current_password` of A15 and A16 [ours]: absent (or null) passes, as the
/// CLI sends none; present and wrong is a 422 on the field, never a 401, because clients
/// treat 401 as "the key is dead" and sign the user out.
fn check_current_password(fields: &Map<String, Value>, user: &User) -> Result<(), ApiError> {
    match fields.get("current_password") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(password)) if auth::verify_password(password, &user.password_hash) => {
            Ok(())
        }
        Some(_) => Err(unprocessable("current_password", INCORRECT)),
    }
}

/// A13 `POST /api/mfa/start` (`{}` or empty): makes a new pending secret, replacing any
/// earlier one, and answers `{"data":{"message","url"}}`. MFA stays off until A14.
pub async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body).await?;
    let conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    optional_object(&bytes)?;
    if user.mfa_enabled {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ALREADY_ON));
    }
    let secret = auth::new_totp_secret();
    db::set_mfa_pending(&conn, user.id, &secret, state.now()).map_err(db_error)?;
    Ok(ok(json!({
        "message": start_message(&secret),
        "url": provisioning_url(&user.email, &secret),
    })))
}

/// A14 `POST /api/mfa/verify {"mfa_token"}`: checks the code against the pending secret
/// (one step either side). On success MFA is on, the code's step counts as used, ten new
/// recovery codes are answered once, and every API key is revoked: the caller's key gets
/// 401 from now on and the user signs in again, with a code.
pub async fn verify(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body).await?;
    // Lockouts follow the simulator's clock; codes follow the real one, like login.
    let now = state.now();
    let wall = now_unix();
    let mut conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    let fields = optional_object(&bytes)?;
    if user.mfa_enabled {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ALREADY_ON));
    }
    let Some(pending) = db::mfa_pending(&conn, user.id).map_err(db_error)? else {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, START_FIRST));
    };
    // Apps show codes as "123 456"; people paste them that way. A JSON number is read as
    // its digits (it loses leading zeros, so such a code is simply wrong).
    let typed = match fields.get("mfa_token") {
        Some(Value::String(text)) => text.clone(),
        Some(Value::Number(number)) => number.to_string(),
        _ => String::new(),
    };
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        return Err(unprocessable("mfa_token", BLANK));
    }
    let wrong_so_far = match pending.locked_until {
        Some(until) if now < until => {
            return Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, TOO_MANY_CODES)
                .with_retry_after((until - now).max(1) as u64));
        }
        // The lock has run out: a fresh allowance.
        Some(_) => 0,
        None => pending.wrong_codes,
    };
    let key = totp::base32_decode(&pending.secret).unwrap_or_default();
    let Some(step) = totp::verify(&key, &code, wall as u64, None) else {
        let wrong = wrong_so_far + 1;
        let locked_until = (wrong >= MAX_WRONG_CODES).then_some(now + LOCK_SECS);
        db::set_mfa_pending_wrong(&conn, user.id, wrong, locked_until).map_err(db_error)?;
        return Err(unprocessable("mfa_token", INCORRECT));
    };
    let enabled =
        db::enable_mfa(&mut conn, user.id, &pending.secret, step as i64, now).map_err(db_error)?;
    Ok(ok(json!({
        "message": TURNED_ON,
        "recovery_codes": enabled.recovery_codes,
    })))
}

/// A15 `DELETE /api/mfa` (`{}`, empty, or `{"current_password"}`): turns MFA off and deletes
/// the secret and recovery codes. Already off answers the same 200 [ours]: the state the
/// caller asked for holds.
pub async fn deactivate(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body).await?;
    let mut conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    let fields = optional_object(&bytes)?;
    check_current_password(&fields, &user)?;
    db::disable_mfa(&mut conn, user.id).map_err(db_error)?;
    Ok(ok(json!({ "message": TURNED_OFF })))
}

/// A16 `POST /api/mfa/recovery_codes` (`{}`, empty, or `{"current_password"}`): replaces
/// every recovery code, used or not, with ten new ones.
pub async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body).await?;
    let conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    let fields = optional_object(&bytes)?;
    check_current_password(&fields, &user)?;
    if !user.mfa_enabled {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, TURNED_OFF));
    }
    let codes = db::replace_recovery_codes(&conn, user.id).map_err(db_error)?;
    Ok(ok(json!({ "recovery_codes": codes })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_uri_has_the_standard_shape() {
        let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
        assert_eq!(
            provisioning_url("o'brien+x@exämple.com", secret),
            "otpauth://totp/Gigalixir:o%27brien%2Bx%40ex%C3%A4mple.com\
             ?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Gigalixir\
             &algorithm=SHA1&digits=6&period=30"
        );
    }

    #[test]
    fn start_message_carries_the_key_in_groups() {
        let message = start_message("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        assert!(message.starts_with("Scan the QR code"), "{message}");
        assert!(
            message.contains(": JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP."),
            "{message}"
        );
    }

    #[test]
    fn optional_bodies() {
        assert!(optional_object(b"").unwrap().is_empty());
        assert!(optional_object(b" \n").unwrap().is_empty());
        assert!(optional_object(b"{}").unwrap().is_empty());
        assert_eq!(
            optional_object(br#"{"current_password":"x"}"#).unwrap()["current_password"],
            "x"
        );
        for bad in [&b"[]"[..], b"\"x\"", b"{", b"null"] {
            assert_eq!(optional_object(bad).unwrap_err().status, 400);
        }
    }

    #[test]
    fn a_database_from_before_mfa_management_gains_the_pending_table() {
        let path = std::env::temp_dir().join(format!(
            "gigalixir-sim-mfa-upgrade-{}-{}.sqlite",
            std::process::id(),
            auth::new_api_key()
        ));
        let path = path.to_str().unwrap().to_string();
        let user_id = {
            let database = db::Db::open(&path).unwrap();
            let mut conn = database.lock();
            let new = db::NewAccount {
                email: "old@example.com".into(),
                password: "pw".into(),
                tier: "FREE".into(),
                credit_cents: 0,
                mfa: false,
                totp_secret: None,
                confirmed: true,
            };
            db::create_account(&mut conn, &new, 0).unwrap();
            conn.execute_batch("DROP TABLE mfa_pending").unwrap();
            db::user_by_email(&conn, "old@example.com")
                .unwrap()
                .unwrap()
                .id
        };
        let database = db::Db::open(&path).unwrap();
        {
            let conn = database.lock();
            db::set_mfa_pending(&conn, user_id, "GEZDGNBV", 1).unwrap();
            let pending = db::mfa_pending(&conn, user_id).unwrap().unwrap();
            assert_eq!(
                (pending.secret.as_str(), pending.wrong_codes),
                ("GEZDGNBV", 0)
            );
        }
        drop(database);
        let _ = std::fs::remove_file(&path);
    }
}
