//! Account recovery by email: password reset (A7 request, A8 set), confirmation resend (A9)
//! and the confirmation link `GET /api/confirm`, with the rate limits every email-sending
//! endpoint shares.
//!
//! A7 and A9 answer the same status and body whether or not the address has an account, so
//! they cannot be used to find out who has one; only the outbox shows the difference.

use std::net::IpAddr;

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rusqlite::Connection;
use serde_json::{json, Value};

use crate::api::TOO_MANY;
use crate::auth;
use crate::config::Config;
use crate::control::read_json;
use crate::db::{self, TokenPurpose};
use crate::error::ApiError;
use crate::outbox;
use crate::state::{AppState, ClientAddr};

/// Subject of the password-reset email.
pub const RESET_SUBJECT: &str = "Reset your Gigalixir password";
/// Subject of the confirmation email.
pub const CONFIRM_SUBJECT: &str = "Confirm your Gigalixir email";
/// A7/A9 422 message for a missing or malformed address.
pub const INVALID_EMAIL: &str = "is not a valid email address";
/// A8 422 messages about the token.
pub const TOKEN_EXPIRED: &str = "has expired";
/// See [`TOKEN_EXPIRED`].
pub const TOKEN_USED: &str = "has already been used";
/// See [`TOKEN_EXPIRED`].
pub const TOKEN_INVALID: &str = "is invalid";
/// A8 422 message for a password under [`PASSWORD_MIN_CHARS`].
pub const PASSWORD_TOO_SHORT: &str = "should be at least 8 characters";
/// A8 422 message for a password over [`PASSWORD_MAX_CHARS`].
pub const PASSWORD_TOO_LONG: &str = "should be at most 128 characters";
/// Fewest characters (Unicode scalar values) a new password may have.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Most characters a new password may have.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// Longest address accepted (RFC 5321 path limit).
pub const EMAIL_MAX_LEN: usize = 254;

/// What JavaScript's `encodeURIComponent` leaves alone, so the console can decode the
/// `email=` it is sent with `decodeURIComponent` or `URLSearchParams`.
pub const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A database failure as a JSON 500.
pub fn db_error(e: rusqlite::Error) -> ApiError {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("Simulator database error: {e}"),
    )
}

/// The 200 answer of A7, A8 and A9.
fn empty_ok() -> Response {
    Json(json!({ "data": {} })).into_response()
}

/// A plausible single address: `local@domain`, no spaces, control characters or colons (a
/// colon would break the Basic credentials the account signs in with). Deliberately lenient
/// beyond that; the console does the friendly checking.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && email.len() <= EMAIL_MAX_LEN
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ':')
}

/// Reads `{"email": "..."}`: the trimmed address, or the A7/A9 422.
async fn email_field(body: Body) -> Result<String, ApiError> {
    let value: Value = read_json(body).await?;
    let email = value
        .get("email")
        .and_then(Value::as_str)
        .map(str::trim)
        .unwrap_or_default();
    if !is_valid_email(email) {
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "email",
            INVALID_EMAIL,
        ));
    }
    Ok(email.to_string())
}

/// Admits one request to an email-sending endpoint or refuses it with 429.
///
/// Two sliding windows, both counted whether or not the address has an account (so the 429
/// reveals nothing): one per lower-cased address, one per client IP. Only admitted requests
/// are counted, so a client that keeps retrying is not locked out for longer. `Retry-After`
/// is the time until a slot frees in every exhausted window.
pub fn admit_email_request(
    conn: &Connection,
    config: &Config,
    email: &str,
    client: Option<IpAddr>,
    now: i64,
) -> Result<(), ApiError> {
    let window = config.email_window_secs as i64;
    // An entry at time `at` counts while `now - at < window`, so it frees at `at + window`.
    let since = now - window + 1;
    let email_bucket = format!("email:{}", email.to_lowercase());
    let ip_bucket = match client {
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".to_string(),
    };
    let mut retry_after = 0;
    for (bucket, limit) in [
        (&email_bucket, config.email_limit),
        (&ip_bucket, config.email_ip_limit),
    ] {
        let times = db::email_requests_since(conn, bucket, since).map_err(db_error)?;
        let limit = limit as usize;
        if times.len() >= limit {
            // Admitting one more needs all but `limit - 1` of them gone.
            let frees_at = times[times.len() - limit] + window;
            retry_after = retry_after.max(frees_at - now);
        }
    }
    if retry_after > 0 {
        return Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, TOO_MANY)
            .with_retry_after(retry_after.max(1) as u64));
    }
    db::record_email_request(conn, &[&email_bucket, &ip_bucket], now, window).map_err(db_error)
}

/// Makes a token for `user_id`, stores its hash, and returns the token itself.
fn issue_token(
    conn: &Connection,
    purpose: TokenPurpose,
    user_id: i64,
    now: i64,
    ttl_secs: u64,
) -> Result<String, ApiError> {
    let token = auth::new_email_token();
    db::insert_token(
        conn,
        &auth::token_hash(&token),
        purpose,
        user_id,
        now,
        ttl_secs as i64,
    )
    .map_err(db_error)?;
    Ok(token)
}

/// A duration for people: `1 hour`, `24 hours`, `15 minutes`, `90 seconds`.
pub fn human_duration(secs: u64) -> String {
    let (n, unit) = if secs >= 3600 && secs.is_multiple_of(3600) {
        (secs / 3600, "hour")
    } else if secs >= 60 && secs.is_multiple_of(60) {
        (secs / 60, "minute")
    } else {
        (secs, "second")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// Body of the password-reset email. The link sits on a line of its own so that mail
/// clients (and people copying it) take exactly the link.
pub fn reset_email_body(email: &str, link: &str, ttl_secs: u64) -> String {
    format!(
        "Hello,\n\
         \n\
         Someone asked to reset the password of the Gigalixir account {email}.\n\
         To choose a new password, open this link:\n\
         \n\
         {link}\n\
         \n\
         The link works once, for {ttl}.\n\
         \n\
         If you didn't ask for this, you can ignore this email. Your password stays the same, \
         and nobody can change it without this link.\n\
         \n\
         Gigalixir\n",
        ttl = human_duration(ttl_secs),
    )
}

/// Body of the confirmation email.
pub fn confirm_email_body(email: &str, link: &str, ttl_secs: u64) -> String {
    format!(
        "Hello,\n\
         \n\
         Please confirm that {email} is the email address of your Gigalixir account by \
         opening this link:\n\
         \n\
         {link}\n\
         \n\
         The link works once, for {ttl}.\n\
         \n\
         If you didn't sign up for Gigalixir or ask for this email, you can ignore it. \
         Nothing happens until the link is opened.\n\
         \n\
         Gigalixir\n",
        ttl = human_duration(ttl_secs),
    )
}

/// A7 `PUT /api/users/reset_password {"email"}`: emails a reset link when the account exists.
pub async fn request_reset(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    body: Body,
) -> Result<Response, ApiError> {
    let email = email_field(body).await?;
    let config = state.config();
    let now = state.now();
    let conn = state.db().lock();
    admit_email_request(&conn, config, &email, client.map(|c| c.0 .0.ip()), now)?;
    if let Some(user) = db::user_by_email(&conn, &email).map_err(db_error)? {
        let token = issue_token(
            &conn,
            TokenPurpose::Reset,
            user.id,
            now,
            config.reset_ttl_secs,
        )?;
        let link = state.console_link(&format!("/password/set?token={token}"));
        let body = reset_email_body(&user.email, &link, config.reset_ttl_secs);
        outbox::send_email(&conn, &user.email, RESET_SUBJECT, &body, now).map_err(db_error)?;
    }
    Ok(empty_ok())
}

/// A8 `POST /api/users/reset_password {"token","password"}`: sets the password and spends
/// the token. The API key is kept.
pub async fn set_password(State(state): State<AppState>, body: Body) -> Result<Response, ApiError> {
    let value: Value = read_json(body).await?;
    let token = value.get("token").and_then(Value::as_str).unwrap_or("");
    let password = value.get("password").and_then(Value::as_str).unwrap_or("");
    let token_error =
        |message: &str| ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, "token", message);
    let now = state.now();
    let conn = state.db().lock();
    let row = if token.is_empty() {
        None
    } else {
        db::find_token(&conn, &auth::token_hash(token), TokenPurpose::Reset).map_err(db_error)?
    };
    let Some(row) = row else {
        return Err(token_error(TOKEN_INVALID));
    };
    // Used before expired: for a link both used and old, "already used" is the truer story.
    if row.used_at.is_some() {
        return Err(token_error(TOKEN_USED));
    }
    if now >= row.expires_at {
        return Err(token_error(TOKEN_EXPIRED));
    }
    // Checked after the token so that a bad link is reported before the user retypes a
    // password, and before spending it so that a short password does not burn the link.
    let chars = password.chars().count();
    if !(PASSWORD_MIN_CHARS..=PASSWORD_MAX_CHARS).contains(&chars) {
        let message = if chars < PASSWORD_MIN_CHARS {
            PASSWORD_TOO_SHORT
        } else {
            PASSWORD_TOO_LONG
        };
        return Err(ApiError::field(
            StatusCode::UNPROCESSABLE_ENTITY,
            "password",
            message,
        ));
    }
    if !db::use_token(&conn, &row.token_hash, now).map_err(db_error)? {
        return Err(token_error(TOKEN_USED));
    }
    db::set_password(&conn, row.user_id, password).map_err(db_error)?;
    // A fresh password deserves a clean slate of failed-login attempts.
    db::clear_failures(&conn, &row.email).map_err(db_error)?;
    Ok(empty_ok())
}

/// A9 `PUT /api/users/reconfirm_email {"email"}`: emails a confirmation link when the account
/// exists and is not confirmed yet.
pub async fn resend_confirmation(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    body: Body,
) -> Result<Response, ApiError> {
    let email = email_field(body).await?;
    let config = state.config();
    let now = state.now();
    let conn = state.db().lock();
    admit_email_request(&conn, config, &email, client.map(|c| c.0 .0.ip()), now)?;
    if let Some(user) = db::user_by_email(&conn, &email).map_err(db_error)? {
        if !user.confirmed {
            let token = issue_token(
                &conn,
                TokenPurpose::Confirm,
                user.id,
                now,
                config.confirm_ttl_secs,
            )?;
            let link = format!("{}/api/confirm?token={token}", state.api_url());
            let body = confirm_email_body(&user.email, &link, config.confirm_ttl_secs);
            outbox::send_email(&conn, &user.email, CONFIRM_SUBJECT, &body, now)
                .map_err(db_error)?;
        }
    }
    Ok(empty_ok())
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

/// `GET /api/confirm?token=T`, the link in the confirmation email: confirms the address and
/// redirects into the console, which explains what happened.
pub async fn confirm(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let token = query
        .as_deref()
        .map(auth::parse_query)
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value)
        .unwrap_or_default();
    let invalid = || redirect(&state.console_link("/confirmation/resend?msg=token_invalid"));
    if token.is_empty() {
        return Ok(invalid());
    }
    let now = state.now();
    let conn = state.db().lock();
    let row = db::find_token(&conn, &auth::token_hash(&token), TokenPurpose::Confirm)
        .map_err(db_error)?;
    let Some(row) = row.filter(|row| row.used_at.is_none()) else {
        return Ok(invalid());
    };
    if now >= row.expires_at {
        let email = utf8_percent_encode(&row.email, URI_COMPONENT);
        return Ok(redirect(&state.console_link(&format!(
            "/confirmation/resend?email={email}&msg=token_expired"
        ))));
    }
    if !db::use_token(&conn, &row.token_hash, now).map_err(db_error)? {
        return Ok(invalid());
    }
    db::set_confirmed(&conn, row.user_id).map_err(db_error)?;
    Ok(redirect(
        &state.console_link("/notify?msg=email_confirmed&to=%2Flogin"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_validity() {
        for good in ["a@b", "demo@example.com", "o'brien+x@exämple.com"] {
            assert!(is_valid_email(good), "{good}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in [
            "",
            "no-at",
            "@example.com",
            "a@",
            "a@b@c",
            "a b@c",
            "a:b@c",
            "a@b\n",
            long.as_str(),
        ] {
            assert!(!is_valid_email(bad), "{bad:?}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(3600), "1 hour");
        assert_eq!(human_duration(86_400), "24 hours");
        assert_eq!(human_duration(900), "15 minutes");
        assert_eq!(human_duration(60), "1 minute");
        assert_eq!(human_duration(90), "90 seconds");
        assert_eq!(human_duration(1), "1 second");
    }

    #[test]
    fn bodies_put_the_link_on_its_own_line() {
        let link = "http://127.0.0.1:1/#/password/set?token=abc";
        let body = reset_email_body("a@b.c", link, 3600);
        assert!(body.starts_with("Hello,\n"));
        assert!(body.lines().any(|line| line == link));
        assert!(body.contains("for 1 hour"));
        assert!(body.contains("If you didn't ask for this"));
        assert_eq!(outbox::extract_links(&body), vec![link]);

        let link = "http://127.0.0.1:1/api/confirm?token=abc";
        let body = confirm_email_body("a@b.c", link, 86_400);
        assert!(body.lines().any(|line| line == link));
        assert!(body.contains("for 24 hours"));
        assert!(body.contains("If you didn't sign up"));
        assert_eq!(outbox::extract_links(&body), vec![link]);
    }

    #[test]
    fn email_in_links_is_encoded_like_encode_uri_component() {
        assert_eq!(
            utf8_percent_encode("o'brien+x@exämple.com", URI_COMPONENT).to_string(),
            "o'brien%2Bx%40ex%C3%A4mple.com"
        );
    }
}
