//! Signed-in account settings: the `email:api_key` check every signed-in endpoint shares,
//! password change (A6), email change with its confirm and revoke links (A10), account
//! deletion (A11) and API-key regeneration (A12).
//!
//! Every change here asks for the current password. A wrong one is a 422 on
//! `current_password`, never a 401: to the console and the CLI a 401 means "your key is
//! dead", and the console signs out on it.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use crate::api::{NO_ACCESS, TOO_MANY};
use crate::auth;
use crate::body::{read_limited, BODY_LIMIT};
use crate::db::{self, User};
use crate::error::ApiError;
use crate::outbox;
use crate::recovery::{
    admit_email_request, db_error, human_duration, is_valid_email, redirect, INVALID_EMAIL,
    PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, PASSWORD_TOO_LONG, PASSWORD_TOO_SHORT,
};
use crate::state::{AppState, ClientAddr};

/// A6 success message.
pub const PASSWORD_CHANGED: &str = "Password changed.";
/// 422 message on `current_password` when it is wrong.
pub const INCORRECT: &str = "is incorrect";
/// A10 422 message on `next_email` when another account has the address.
pub const TAKEN: &str = "has already been taken";
/// A10 422 message on `next_email` when it is the address the account already has.
pub const SAME_EMAIL: &str = "is the same as your current email";
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

fn unprocessable(field: &str, message: &str) -> ApiError {
    ApiError::field(StatusCode::UNPROCESSABLE_ENTITY, field, message)
}

fn unauthorized() -> ApiError {
    ApiError::new(StatusCode::UNAUTHORIZED, NO_ACCESS)
}

/// The account behind raw `email:api_key` Basic credentials, or the 401 every signed-in
/// endpoint answers.
pub fn signed_in(conn: &Connection, headers: &HeaderMap) -> Result<User, ApiError> {
    let (email, key) = auth::basic_credentials(headers).ok_or_else(unauthorized)?;
    db::user_by_api_key(conn, &email, &key)
        .map_err(db_error)?
        .ok_or_else(unauthorized)
}

/// Reads the whole body (413 past [`BODY_LIMIT`]). Read before the credentials are
/// checked: a handler that answers without reading the body makes hyper close the
/// connection, which a client reusing it sees as a reset.
pub(crate) async fn body_bytes(body: Body) -> Result<axum::body::Bytes, ApiError> {
    read_limited(body).await.ok_or_else(|| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body too large (limit {BODY_LIMIT} bytes)."),
        )
    })
}

/// Parses a JSON body; `Null` when it is empty or blank.
fn parse_optional_json(bytes: &[u8]) -> Result<Value, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Value::Null);
    }
    serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_request(format!("Request body is not valid: {e}.")))
}

/// Reads the body, checks the credentials, then parses the body as JSON: a request without
/// a valid key gets its 401 whatever its body holds. Handlers check again under the lock
/// they act in.
pub async fn signed_in_json(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Value, ApiError> {
    let bytes = body_bytes(body).await?;
    signed_in(&state.db().lock(), headers)?;
    match parse_optional_json(&bytes)? {
        Value::Null => Err(ApiError::bad_request("Request body must be a JSON object.")),
        value => Ok(value),
    }
}

/// A string field of a JSON object, or `""`.
pub fn text<'a>(value: &'a Value, field: &str) -> &'a str {
    value.get(field).and_then(Value::as_str).unwrap_or("")
}

/// Checks the current password a sensitive change asks for. A wrong one counts as a failed
/// login for the address **[ours]**, so a stolen API key cannot be used to guess the
/// password faster than the login form allows; past the limit the answer is 429.
pub fn check_current_password(
    state: &AppState,
    conn: &Connection,
    user: &User,
    password: &str,
) -> Result<(), ApiError> {
    let now = state.now();
    let limit = state.config().login_limit;
    let window = state.config().login_window_secs as i64;
    let (failures, oldest) =
        db::recent_failures(conn, &user.email, now - window + 1).map_err(db_error)?;
    if failures >= limit {
        let retry_after = (oldest.unwrap_or(now) + window - now).max(1) as u64;
        return Err(
            ApiError::new(StatusCode::TOO_MANY_REQUESTS, TOO_MANY).with_retry_after(retry_after)
        );
    }
    if !auth::verify_password(password, &user.password_hash) {
        db::record_failure(conn, &user.email, now, window).map_err(db_error)?;
        return Err(unprocessable("current_password", INCORRECT));
    }
    Ok(())
}

fn empty_ok() -> Response {
    Json(json!({ "data": {} })).into_response()
}

/// A6 `PATCH /api/users/change_password {"current_password","new_password"}`. The API key
/// is kept **[ours]**: the CLI that made the change keeps working.
pub async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let value = signed_in_json(&state, &headers, body).await?;
    let new_password = text(&value, "new_password");
    let conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    check_current_password(&state, &conn, &user, text(&value, "current_password"))?;
    let chars = new_password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(unprocessable("new_password", PASSWORD_TOO_SHORT));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(unprocessable("new_password", PASSWORD_TOO_LONG));
    }
    db::set_password(&conn, user.id, new_password).map_err(db_error)?;
    Ok(Json(json!({ "data": { "message": PASSWORD_CHANGED } })).into_response())
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

/// A10 `POST /api/users/email {"next_email","current_password"}`: emails a confirm link to
/// the new address and a revoke link to the current one. A newer request replaces a pending
/// one, whose links stop working **[ours]**. Counts against the email rate limits of the new
/// address and the client IP, like every endpoint that sends email.
pub async fn request_email_change(
    State(state): State<AppState>,
    client: Option<Extension<ClientAddr>>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let value = signed_in_json(&state, &headers, body).await?;
    let next_email = text(&value, "next_email").trim();
    let conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    if !is_valid_email(next_email) {
        return Err(unprocessable("next_email", INVALID_EMAIL));
    }
    if next_email.to_lowercase() == user.email.to_lowercase() {
        return Err(unprocessable("next_email", SAME_EMAIL));
    }
    // After the password, so that only the account's owner learns which addresses exist.
    check_current_password(&state, &conn, &user, text(&value, "current_password"))?;
    if db::user_by_email(&conn, next_email)
        .map_err(db_error)?
        .is_some()
    {
        return Err(unprocessable("next_email", TAKEN));
    }
    let now = state.now();
    admit_email_request(
        &conn,
        state.config(),
        next_email,
        client.map(|c| c.0 .0.ip()),
        now,
    )?;
    conn.execute(
        "UPDATE email_changes SET state = 'superseded', finished_at = ?2
         WHERE user_id = ?1 AND state = 'pending'",
        params![user.id, now],
    )
    .map_err(db_error)?;
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
    )
    .map_err(db_error)?;
    let api = state.api_url();
    let confirm_link = format!("{api}/api/users/email/confirm?token={confirm}");
    let revoke_link = format!("{api}/api/users/email/revoke?token={revoke}");
    outbox::send_email(
        &conn,
        next_email,
        CHANGE_CONFIRM_SUBJECT,
        &change_confirm_body(&user.email, next_email, &confirm_link, ttl),
        now,
    )
    .map_err(db_error)?;
    outbox::send_email(
        &conn,
        &user.email,
        CHANGE_NOTICE_SUBJECT,
        &change_notice_body(&user.email, next_email, &revoke_link, ttl),
        now,
    )
    .map_err(db_error)?;
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
    let token = query
        .map(auth::parse_query)
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "token")
        .map(|(_, value)| value)
        .unwrap_or_default();
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
    .map_err(db_error)
}

fn finish_change(conn: &Connection, id: i64, outcome: &str, now: i64) -> Result<(), ApiError> {
    conn.execute(
        "UPDATE email_changes SET state = ?2, finished_at = ?3 WHERE id = ?1",
        params![id, outcome, now],
    )
    .map_err(db_error)?;
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
    let holder = db::user_by_email(&conn, &change.next_email).map_err(db_error)?;
    if holder.is_some_and(|holder| holder.id != change.user_id) {
        finish_change(&conn, change.id, "failed", now)?;
        return Ok(notify(&state, notify::TAKEN));
    }
    conn.execute(
        "UPDATE users SET email = ?2, confirmed = 1 WHERE id = ?1",
        params![change.user_id, change.next_email],
    )
    .map_err(db_error)?;
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

/// A11 `DELETE /api/users/destroy {"email","current_password"}`: deletes the account and
/// everything it owns (keys, apps, card, invoices, SSH keys); its key answers 401 from then
/// on. Apps do not have to be destroyed first **[ours]**.
pub async fn destroy(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let value = signed_in_json(&state, &headers, body).await?;
    let conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    check_current_password(&state, &conn, &user, text(&value, "current_password"))?;
    if text(&value, "email").trim().to_lowercase() != user.email.to_lowercase() {
        return Err(unprocessable("email", EMAIL_MISMATCH));
    }
    conn.execute("DELETE FROM users WHERE id = ?1", [user.id])
        .map_err(db_error)?;
    db::clear_failures(&conn, &user.email).map_err(db_error)?;
    Ok(empty_ok())
}

/// A12 `POST /api/api_keys/regenerate`, password in `?current_password=` (the CLI) or in a
/// JSON body `{"current_password"}` (the console): 201 `{"data":{"key","expires_at":null}}`.
/// Every older key of the account dies at once. Keys never expire here, hence `null`
/// **[ours]**. The CLI treats anything but 201 as failure and prints the body.
pub async fn regenerate_api_key(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = body_bytes(body).await?;
    signed_in(&state.db().lock(), &headers)?;
    let from_query = query
        .as_deref()
        .map(auth::parse_query)
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "current_password")
        .map(|(_, value)| value);
    let password = match from_query {
        Some(password) => password,
        // The CLI's request has an empty body (`Content-Length: 0`).
        None => text(&parse_optional_json(&bytes)?, "current_password").to_string(),
    };
    let now = state.now();
    let conn = state.db().lock();
    let user = signed_in(&conn, &headers)?;
    check_current_password(&state, &conn, &user, &password)?;
    conn.execute(
        "UPDATE api_keys SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        params![user.id, now],
    )
    .map_err(db_error)?;
    let key = db::ensure_api_key(&conn, user.id, now).map_err(db_error)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "data": { "key": key, "expires_at": null } })),
    )
        .into_response())
}
