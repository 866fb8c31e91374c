//! Signed-in account settings: the `email:api_key` check every signed-in endpoint shares,
//! password change (A6), email change with its confirm and revoke links (A10), account
//! deletion (A11) and API-key regeneration (A12).
//!
//! Every change here asks for the current password. A wrong one is a 422 on
//! `current_password`, never a 401: to the console and the CLI a 401 means "your key is
//! dead", and the console signs out on it.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::json;

use crate::auth;
use crate::db;
use crate::error::ApiError;
use crate::limits::{admit_email_request, clear_failed_logins};
use crate::outbox;
use crate::request::{empty_ok, ok, query_param, redirect, text, SignedIn};
use crate::rules::{check_new_password, human_duration, valid_email};
use crate::state::AppState;

/// A6 success message.
pub const PASSWORD_CHANGED: &str = "Password changed.";
/// A6 422 message on `new_password` when it is the current one.
pub const SAME_PASSWORD: &str = "is the same as your current password";
/// A10 422 message on `next_email` when another account has the address.
pub const TAKEN: &str = "has already been taken";
/// A10 422 message on `next_email` when it is the address the account already has.
pub const SAME_EMAIL: &str = "is the same as your current email";
/// A11 form-level 422 while apps or databases remain.
pub const APPS_REMAIN: &str =
    "You must first destroy all apps and databases. Scale each app to 0, remove its domains, delete its databases, then destroy it.";
/// A11 422 message on `email` when it is not the account's address.
pub const EMAIL_MISMATCH: &str = "does not match your account";
/// Subject of the email to the new address, with the confirm link.
pub const CHANGE_CONFIRM_SUBJECT: &str = "Confirm your new Gigalixir email";
/// Subject of the email to the current address, with the revoke link.
pub const CHANGE_NOTICE_SUBJECT: &str = "Your Gigalixir email is about to change";
/// How long both email-change links work: 24 hours.
pub const EMAIL_CHANGE_TTL_SECS: u64 = 86_400;

/// `#/notify` message keys the email-change links redirect with. `email_taken` is for a
/// confirm link whose address another account took meanwhile **[ours]**.
pub mod notify {
    /// The new address is now the account's.
    pub const CHANGED: &str = "email_changed";
    /// The pending change was cancelled.
    pub const REVOKED: &str = "email_change_revoked";
    /// Unknown, used, superseded or expired link.
    pub const INVALID: &str = "link_invalid";
    /// The new address got an account of its own before the link was opened.
    pub const TAKEN: &str = "email_taken";
}

/// A6 body.
#[derive(Deserialize)]
pub struct ChangePassword {
    #[serde(default, deserialize_with = "text")]
    current_password: String,
    #[serde(default, deserialize_with = "text")]
    new_password: String,
}

/// A6 `PATCH /api/users/change_password {"current_password","new_password"}`. The API key
/// is kept **[ours]**: the CLI that made the change keeps working.
pub async fn change_password(
    State(state): State<AppState>,
    request: SignedIn<ChangePassword>,
) -> Result<Response, ApiError> {
    let body = &request.body;
    let user = request
        .user_with_password(&state, &body.current_password)
        .await?;
    check_new_password("new_password", &body.new_password)?;
    if body.new_password == body.current_password {
        return Err(ApiError::unprocessable("new_password", SAME_PASSWORD));
    }
    let conn = state.db().lock();
    db::set_password(&conn, user.id, &body.new_password)?;
    db::void_tokens(&conn, user.id, db::TokenPurpose::Reset, state.now())?;
    Ok(ok(json!({ "message": PASSWORD_CHANGED })))
}

/// The address a pending, unexpired email change would switch the account to.
pub fn pending_next_email(
    conn: &Connection,
    user_id: i64,
    now: i64,
) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT next_email FROM email_changes
         WHERE user_id = ?1 AND state = 'pending' AND expires_at > ?2
         ORDER BY id DESC LIMIT 1",
        params![user_id, now],
        |r| r.get(0),
    )
    .optional()
}

/// Body of the email to the new address.
pub fn change_confirm_body(email: &str, next_email: &str, link: &str, ttl_secs: u64) -> String {
    format!(
        "Hello,\n\
         \n\
         Someone asked to change the email address of the Gigalixir account {email} to \
         {next_email}. To confirm the change, open this link:\n\
         \n\
         {link}\n\
         \n\
         The link works once, for {ttl}.\n\
         \n\
         If you didn't ask for this, you can ignore this email. Nothing changes without \
         this link.\n\
         \n\
         Gigalixir\n",
        ttl = human_duration(ttl_secs),
    )
}

/// Body of the email to the current address.
pub fn change_notice_body(email: &str, next_email: &str, link: &str, ttl_secs: u64) -> String {
    format!(
        "Hello,\n\
         \n\
         Someone asked to change the email address of your Gigalixir account from {email} \
         to {next_email}. The change happens when the link sent to {next_email} is opened.\n\
         \n\
         If this wasn't you, cancel the change with this link and change your password:\n\
         \n\
         {link}\n\
         \n\
         The link works for {ttl}, while the change is pending.\n\
         \n\
         Gigalixir\n",
        ttl = human_duration(ttl_secs),
    )
}

/// A10 body.
#[derive(Deserialize)]
pub struct ChangeEmail {
    #[serde(default, deserialize_with = "text")]
    next_email: String,
    #[serde(default, deserialize_with = "text")]
    current_password: String,
}

/// A10 `POST /api/users/email {"next_email","current_password"}`: emails a confirm link to
/// the new address and a revoke link to the current one. A newer request replaces a pending
/// one, whose links stop working **[ours]**. Counts against the email rate limits of the new
/// address and the client IP, like every endpoint that sends email.
pub async fn request_email_change(
    State(state): State<AppState>,
    request: SignedIn<ChangeEmail>,
) -> Result<Response, ApiError> {
    let body = &request.body;
    let next_email = valid_email("next_email", &body.next_email)?;
    let user = request.user(&state.db().lock())?;
    if next_email.to_lowercase() == user.email.to_lowercase() {
        return Err(ApiError::unprocessable("next_email", SAME_EMAIL));
    }
    // After the password, so that only the account's owner learns which addresses exist.
    request
        .user_with_password(&state, &body.current_password)
        .await?;
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let next_email = next_email.as_str();
    if db::user_by_email(&conn, next_email)?.is_some() {
        return Err(ApiError::unprocessable("next_email", TAKEN));
    }
    let now = state.now();
    admit_email_request(&conn, state.config(), next_email, request.client, now)?;
    conn.execute(
        "UPDATE email_changes SET state = 'superseded', finished_at = ?2
         WHERE user_id = ?1 AND state = 'pending'",
        params![user.id, now],
    )?;
    let confirm = auth::new_email_token();
    let revoke = auth::new_email_token();
    let ttl = EMAIL_CHANGE_TTL_SECS;
    conn.execute(
        "INSERT INTO email_changes
             (user_id, next_email, confirm_hash, revoke_hash, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            user.id,
            next_email,
            auth::token_hash(&confirm),
            auth::token_hash(&revoke),
            now,
            now.saturating_add(ttl as i64)
        ],
    )?;
    let api = state.api_url();
    let confirm_link = format!("{api}/api/users/email/confirm?token={confirm}");
    let revoke_link = format!("{api}/api/users/email/revoke?token={revoke}");
    outbox::send_email(
        &conn,
        next_email,
        CHANGE_CONFIRM_SUBJECT,
        &change_confirm_body(&user.email, next_email, &confirm_link, ttl),
        now,
    )?;
    outbox::send_email(
        &conn,
        &user.email,
        CHANGE_NOTICE_SUBJECT,
        &change_notice_body(&user.email, next_email, &revoke_link, ttl),
        now,
    )?;
    Ok(empty_ok())
}

/// A pending change found by one of its tokens.
struct PendingChange {
    id: i64,
    user_id: i64,
    next_email: String,
}

/// The change whose `column` (`confirm_hash` or `revoke_hash`) holds the token's hash,
/// provided it is still pending and unexpired.
fn pending_by_token(
    conn: &Connection,
    column: &str,
    query: Option<&str>,
    now: i64,
) -> Result<Option<PendingChange>, ApiError> {
    let token = query_param(query, "token").unwrap_or_default();
    if token.is_empty() {
        return Ok(None);
    }
    conn.query_row(
        &format!(
            "SELECT id, user_id, next_email FROM email_changes
             WHERE {column} = ?1 AND state = 'pending' AND expires_at > ?2"
        ),
        params![auth::token_hash(&token), now],
        |r| {
            Ok(PendingChange {
                id: r.get(0)?,
                user_id: r.get(1)?,
                next_email: r.get(2)?,
            })
        },
    )
    .optional()
    .map_err(ApiError::from)
}

fn finish_change(conn: &Connection, id: i64, outcome: &str, now: i64) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE email_changes SET state = ?2, finished_at = ?3 WHERE id = ?1",
        params![id, outcome, now],
    )?;
    Ok(())
}

fn notify(state: &AppState, msg: &str) -> Response {
    redirect(&state.console_link(&format!("/notify?msg={msg}&to=%2Faccount")))
}

/// `GET /api/users/email/confirm?token=`, the link sent to the new address: switches the
/// account to it and redirects to the console. The API key stays valid, now with the new
/// address; `old-email:key` stops authenticating. The new address counts as confirmed.
pub async fn confirm_email_change(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let now = state.now();
    let conn = state.db().lock();
    let Some(change) = pending_by_token(&conn, "confirm_hash", query.as_deref(), now)? else {
        return Ok(notify(&state, notify::INVALID));
    };
    let holder = db::user_by_email(&conn, &change.next_email)?;
    if holder.is_some_and(|holder| holder.id != change.user_id) {
        finish_change(&conn, change.id, "failed", now)?;
        return Ok(notify(&state, notify::TAKEN));
    }
    conn.execute(
        "UPDATE users SET email = ?2, confirmed = 1 WHERE id = ?1",
        params![change.user_id, change.next_email],
    )?;
    // Reset links went to the old address, which may no longer be the owner's.
    db::void_tokens(&conn, change.user_id, db::TokenPurpose::Reset, now)?;
    finish_change(&conn, change.id, "confirmed", now)?;
    Ok(notify(&state, notify::CHANGED))
}

/// `GET /api/users/email/revoke?token=`, the link sent to the current address: cancels the
/// pending change. Once the change is confirmed the link no longer works.
pub async fn revoke_email_change(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let now = state.now();
    let conn = state.db().lock();
    let Some(change) = pending_by_token(&conn, "revoke_hash", query.as_deref(), now)? else {
        return Ok(notify(&state, notify::INVALID));
    };
    finish_change(&conn, change.id, "revoked", now)?;
    Ok(notify(&state, notify::REVOKED))
}

/// A11 body.
#[derive(Deserialize)]
pub struct Destroy {
    #[serde(default, deserialize_with = "text")]
    email: String,
    #[serde(default, deserialize_with = "text")]
    current_password: String,
}

/// A11 `DELETE /api/users/destroy {"email","current_password"}`: deletes the account and
/// everything it owns (keys, card, invoices, SSH keys); its key answers 401 from then on.
/// Refused with a form-level 422 while any app (and so any database) remains, as the current
/// documentation says **[ours: status and text]**.
pub async fn destroy(
    State(state): State<AppState>,
    request: SignedIn<Destroy>,
) -> Result<Response, ApiError> {
    let body = &request.body;
    request
        .user_with_password(&state, &body.current_password)
        .await?;
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    if body.email.trim().to_lowercase() != user.email.to_lowercase() {
        return Err(ApiError::unprocessable("email", EMAIL_MISMATCH));
    }
    // Databases belong to apps, so no app means no database either.
    let apps: i64 = conn.query_row(
        "SELECT COUNT(*) FROM apps WHERE user_id = ?1",
        [user.id],
        |r| r.get(0),
    )?;
    if apps > 0 {
        return Err(ApiError::unprocessable("", APPS_REMAIN));
    }
    conn.execute("DELETE FROM users WHERE id = ?1", [user.id])?;
    clear_failed_logins(&conn, &user.email)?;
    Ok(empty_ok())
}

/// A12 JSON body (the console's form; the CLI sends the password in the query).
#[derive(Deserialize)]
pub struct Regenerate {
    #[serde(default, deserialize_with = "text")]
    current_password: String,
}

/// A12 `POST /api/api_keys/regenerate`, password in `?current_password=` (the CLI) or in a
/// JSON body `{"current_password"}` (the console): 201 `{"data":{"key","expires_at":null}}`.
/// Every older key of the account dies at once. Keys never expire here, hence `null`
/// **[ours]**. The CLI treats anything but 201 as failure and prints the body.
pub async fn regenerate_api_key(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    // The CLI's request has an empty body (`Content-Length: 0`).
    request: SignedIn<Option<Regenerate>>,
) -> Result<Response, ApiError> {
    let password = query_param(query.as_deref(), "current_password")
        .or_else(|| {
            request
                .body
                .as_ref()
                .map(|body| body.current_password.clone())
        })
        .unwrap_or_default();
    request.user_with_password(&state, &password).await?;
    let now = state.now();
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    db::revoke_api_keys(&conn, user.id, now)?;
    let key = db::ensure_api_key(&conn, user.id, now)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "data": { "key": key, "expires_at": null } })),
    )
        .into_response())
}
