//! MFA management for a signed-in user (raw `email:api_key` Basic auth): A13 start, A14
//! verify, A15 turn off and A16 new recovery codes.
//!
//! Activation is two calls: A13 makes a *pending* secret (MFA stays off), and A14 turns MFA
//! on once a code from that secret checks out. Turning MFA on revokes every API key of the
//! account, as the real service's "this logs you out, so re-login" implies.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Deserialize;
use serde_json::json;

use crate::auth;
use crate::db;
use crate::error::ApiError;
use crate::request::{ok, some_text, SignedIn};
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

/// A14 body. Apps show codes as "123 456"; people paste them that way. A JSON number is
/// read as its digits (it loses leading zeros, so such a code is simply wrong).
#[derive(Deserialize)]
pub struct Verify {
    #[serde(default)]
    mfa_token: Option<Code>,
}

/// A code as text or as a JSON number.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum Code {
    /// `"123 456"`.
    Text(String),
    /// `123456`.
    Number(serde_json::Number),
}

/// A15 and A16 body: the official CLI sends `{}`, the console `{"current_password"}`.
#[derive(Deserialize)]
pub struct MaybePassword {
    #[serde(default, deserialize_with = "some_text")]
    current_password: Option<String>,
}

/// Checks the current password of A15 and A16 when one is sent, by the one check every
/// sensitive change uses. None sent passes: the contract's body is `{}` and the official
/// CLI 1.16.1 sends nothing else, so requiring it would break `account:mfa:deactivate`.
async fn check_optional_password(
    state: &AppState,
    request: &SignedIn<Option<MaybePassword>>,
) -> Result<(), ApiError> {
    let password = request
        .body
        .as_ref()
        .and_then(|body| body.current_password.as_deref());
    if let Some(password) = password {
        request.user_with_password(state, password).await?;
    }
    Ok(())
}

/// A13 `POST /api/mfa/start` (`{}` or empty): makes a new pending secret, replacing any
/// earlier one, and answers `{"data":{"message","url"}}`. MFA stays off until A14.
pub async fn start(
    State(state): State<AppState>,
    request: SignedIn<Option<serde::de::IgnoredAny>>,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    if user.mfa_enabled {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ALREADY_ON));
    }
    let secret = auth::new_totp_secret();
    db::set_mfa_pending(&conn, user.id, &secret, state.now())?;
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
    request: SignedIn<Option<Verify>>,
) -> Result<Response, ApiError> {
    // Lockouts follow the simulator's clock; codes follow the real one, like login.
    let now = state.now();
    let wall = now_unix();
    let mut conn = state.db().lock();
    let user = request.user(&conn)?;
    if user.mfa_enabled {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, ALREADY_ON));
    }
    let Some(pending) = db::mfa_pending(&conn, user.id)? else {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, START_FIRST));
    };
    let typed = match request.body.and_then(|body| body.mfa_token) {
        Some(Code::Text(text)) => text,
        Some(Code::Number(number)) => number.to_string(),
        None => String::new(),
    };
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        return Err(ApiError::unprocessable("mfa_token", BLANK));
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
        db::set_mfa_pending_wrong(&conn, user.id, wrong, locked_until)?;
        return Err(ApiError::unprocessable("mfa_token", INCORRECT));
    };
    let enabled = db::enable_mfa(&mut conn, user.id, &pending.secret, step as i64, now)?;
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
    request: SignedIn<Option<MaybePassword>>,
) -> Result<Response, ApiError> {
    check_optional_password(&state, &request).await?;
    let mut conn = state.db().lock();
    let user = request.user(&conn)?;
    db::disable_mfa(&mut conn, user.id)?;
    Ok(ok(json!({ "message": TURNED_OFF })))
}

/// A16 `POST /api/mfa/recovery_codes` (`{}`, empty, or `{"current_password"}`): replaces
/// every recovery code, used or not, with ten new ones.
pub async fn regenerate_recovery_codes(
    State(state): State<AppState>,
    request: SignedIn<Option<MaybePassword>>,
) -> Result<Response, ApiError> {
    check_optional_password(&state, &request).await?;
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    if !user.mfa_enabled {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, TURNED_OFF));
    }
    let codes = db::replace_recovery_codes(&conn, user.id)?;
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
