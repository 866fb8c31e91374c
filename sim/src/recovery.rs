//! Account recovery by email: password reset (A7 request, A8 set), confirmation resend (A9)
//! and the confirmation link `GET /api/confirm`, with the rate limits every email-sending
//! endpoint shares.
//!
//! A7 and A9 answer the same status and body whether or not the address has an account, so
//! they cannot be used to find out who has one; only the outbox shows the difference.

use std::net::IpAddr;

use axum::extract::{RawQuery, State};
use axum::response::Response;
use percent_encoding::utf8_percent_encode;
use rusqlite::Connection;
use serde::Deserialize;

use crate::auth;
use crate::db::{self, TokenPurpose};
use crate::error::ApiError;
use crate::limits::{admit_email_request, clear_failed_logins};
use crate::outbox;
use crate::request::{empty_ok, query_param, redirect, text, ClientIp, JsonBody};
use crate::rules::{check_new_password, human_duration, valid_email, URI_COMPONENT};
use crate::state::AppState;

/// Subject of the password-reset email.
pub const RESET_SUBJECT: &str = "Reset your Gigalixir password";
/// Subject of the confirmation email.
pub const CONFIRM_SUBJECT: &str = "Confirm your Gigalixir email";
/// A8 422 messages about the token.
pub const TOKEN_EXPIRED: &str = "has expired";
/// See [`TOKEN_EXPIRED`].
pub const TOKEN_USED: &str = "has already been used";
/// See [`TOKEN_EXPIRED`].
pub const TOKEN_INVALID: &str = "is invalid";
/// A7 and A9 body.
#[derive(Deserialize)]
pub struct EmailOnly {
    #[serde(default, deserialize_with = "text")]
    email: String,
}

/// A8 body.
#[derive(Deserialize)]
pub struct SetPassword {
    #[serde(default, deserialize_with = "text")]
    token: String,
    #[serde(default, deserialize_with = "text")]
    password: String,
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
    )?;
    Ok(token)
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
    ClientIp(client): ClientIp,
    JsonBody(body): JsonBody<EmailOnly>,
) -> Result<Response, ApiError> {
    send_link(&state, client, &body.email, TokenPurpose::Reset)
}

/// A9 `PUT /api/users/reconfirm_email {"email"}`: emails a confirmation link when the account
/// exists and is not confirmed yet.
pub async fn resend_confirmation(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    JsonBody(body): JsonBody<EmailOnly>,
) -> Result<Response, ApiError> {
    send_link(&state, client, &body.email, TokenPurpose::Confirm)
}

/// A7 and A9: once the email limits admit the request, emails the link of `purpose` to the
/// account `email` names, if it has one that needs it. The answer is the same either way.
fn send_link(
    state: &AppState,
    client: Option<IpAddr>,
    email: &str,
    purpose: TokenPurpose,
) -> Result<Response, ApiError> {
    let email = valid_email("email", email)?;
    let config = state.config();
    let now = state.now();
    let conn = state.db().lock();
    admit_email_request(&conn, config, &email, client, now)?;
    let user = db::user_by_email(&conn, &email)?;
    let Some(user) = user.filter(|user| purpose == TokenPurpose::Reset || !user.confirmed) else {
        return Ok(empty_ok());
    };
    let ttl = match purpose {
        TokenPurpose::Reset => config.reset_ttl_secs,
        TokenPurpose::Confirm => config.confirm_ttl_secs,
    };
    let token = issue_token(&conn, purpose, user.id, now, ttl)?;
    let (subject, body) = match purpose {
        TokenPurpose::Reset => {
            let link = state.console_link(&format!("/password/set?token={token}"));
            (RESET_SUBJECT, reset_email_body(&user.email, &link, ttl))
        }
        TokenPurpose::Confirm => {
            let link = format!("{}/api/confirm?token={token}", state.api_url());
            (CONFIRM_SUBJECT, confirm_email_body(&user.email, &link, ttl))
        }
    };
    outbox::send_email(&conn, &user.email, subject, &body, now)?;
    Ok(empty_ok())
}

/// A8 `POST /api/users/reset_password {"token","password"}`: sets the password and spends
/// the token. The API key is kept.
pub async fn set_password(
    State(state): State<AppState>,
    JsonBody(body): JsonBody<SetPassword>,
) -> Result<Response, ApiError> {
    let (token, password) = (body.token.as_str(), body.password.as_str());
    let token_error = |message: &str| ApiError::unprocessable("token", message);
    let now = state.now();
    let conn = state.db().lock();
    let row = if token.is_empty() {
        None
    } else {
        db::find_token(&conn, &auth::token_hash(token), TokenPurpose::Reset)?
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
    check_new_password("password", password)?;
    if !db::use_token(&conn, &row.token_hash, now)? {
        return Err(token_error(TOKEN_USED));
    }
    db::set_password(&conn, row.user_id, password)?;
    db::void_tokens(&conn, row.user_id, TokenPurpose::Reset, now)?;
    // A fresh password deserves a clean slate of failed-login attempts.
    clear_failed_logins(&conn, &row.email)?;
    Ok(empty_ok())
}

/// `GET /api/confirm?token=T`, the link in the confirmation email: confirms the address and
/// redirects into the console, which explains what happened (`already_confirmed` for a link
/// opened again).
pub async fn confirm(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let token = query_param(query.as_deref(), "token").unwrap_or_default();
    let invalid = || redirect(&state.console_link("/confirmation/resend?msg=token_invalid"));
    if token.is_empty() {
        return Ok(invalid());
    }
    let now = state.now();
    let conn = state.db().lock();
    let Some(row) = db::find_token(&conn, &auth::token_hash(&token), TokenPurpose::Confirm)? else {
        return Ok(invalid());
    };
    if row.used_at.is_some() {
        // Opened again (a second click, a mail client's preview): the address is confirmed,
        // so say that rather than offer a new link [ours].
        let confirmed = db::user_by_email(&conn, &row.email)?.is_some_and(|u| u.confirmed);
        return Ok(if confirmed {
            redirect(&state.console_link("/notify?msg=already_confirmed&to=%2Flogin"))
        } else {
            invalid()
        });
    }
    if now >= row.expires_at {
        let email = utf8_percent_encode(&row.email, URI_COMPONENT);
        return Ok(redirect(&state.console_link(&format!(
            "/confirmation/resend?email={email}&msg=token_expired"
        ))));
    }
    if !db::use_token(&conn, &row.token_hash, now)? {
        return Ok(invalid());
    }
    db::set_confirmed(&conn, row.user_id)?;
    Ok(redirect(
        &state.console_link("/notify?msg=email_confirmed&to=%2Flogin"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
