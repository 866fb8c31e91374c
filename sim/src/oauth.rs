//! Google sign-in (A2/A3) and the first step of Google sign-up, with a local stand-in for
//! Google's consent screen.
//!
//! A client starts a session (`POST /api/oauth/google`, or `POST /api/signup
//! {"oauth":"google"}`), sends the person to the consent URL, and polls
//! `GET /api/oauth/google/<session>`: 204 while pending, then 200 or an error. The consent
//! page (`/__sim/google/consent`) asks for the "Google account email" in place of a real
//! Google account; tests can answer it directly with `POST /__sim/oauth/complete`.
//!
//! [ours] Google sign-in skips the TOTP step of an account with MFA on: the person has just
//! signed in to Google, and that sign-in is the strong factor (the CLI has no prompt for a
//! code in this flow either). [ours] A Google sign-in also marks the address confirmed,
//! since Google vouches for it.

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use rusqlite::Connection;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth;
use crate::body::read_limited;
use crate::db::{self, OauthPurpose, OauthSession, OauthStatus, SignupChange};
use crate::error::ApiError;
use crate::outbox::escape_html;
use crate::request::JsonBody;
use crate::rules::{human_duration, is_valid_email, is_vpn_email, valid_email};
use crate::state::AppState;

/// The only provider the API knows.
pub const PROVIDER: &str = "google";
/// Address the consent page offers for a sign-in (the seeded demo account).
pub const CONSENT_DEFAULT_EMAIL: &str = crate::seed::DEMO_EMAIL;
/// A3 404: no such session (or one expired long ago and forgotten).
pub const UNKNOWN_SESSION: &str = "unknown or expired session";
/// A3 410: the sign-in's key was already answered to an earlier poll.
pub const COLLECTED_SESSION: &str = "This Google sign-in has already been completed.";
/// A3 410: the session outlived `--oauth-ttl-secs`.
pub const EXPIRED_SESSION: &str = "This Google sign-in has expired. Please start again.";
/// A3 403: the person pressed Cancel on the consent page.
pub const ACCESS_DENIED: &str = "access denied";
/// A3 422 for a sign-in with an address that has no account.
pub const NO_ACCOUNT: &str = "No Gigalixir account uses this Google address. Sign up first.";
/// A3 422 for a sign-up with an address that already has an account.
pub const ALREADY_TAKEN: &str =
    "This Google address already has a Gigalixir account. Sign in instead.";

/// A new session: the id the client polls with, and the consent URL to send the person to.
pub struct NewSession {
    /// The session id (stored only as a hash).
    pub session: String,
    /// Absolute URL of the consent page for this session.
    pub url: String,
}

/// Opens a pending session; for a sign-up, `signup_uuid` links it to the sign-up row.
pub fn open_session(
    state: &AppState,
    conn: &Connection,
    purpose: OauthPurpose,
    signup_uuid: Option<&str>,
) -> Result<NewSession, ApiError> {
    let session = auth::new_email_token();
    db::insert_oauth_session(
        conn,
        &auth::token_hash(&session),
        purpose,
        signup_uuid,
        state.now(),
        state.config().oauth_ttl_secs as i64,
    )?;
    // The id is URL-safe base64, so it sits in the query unescaped.
    let url = format!("{}/__sim/google/consent?session={session}", state.api_url());
    Ok(NewSession { session, url })
}

/// A2 `POST /api/oauth/google`: 201 `{"data":{"url","session"}}`. Any body and any
/// `Authorization` header are ignored (the CLI sends its netrc credentials everywhere).
pub async fn start(State(state): State<AppState>) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let new = open_session(&state, &conn, OauthPurpose::Login, None)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "data": { "url": new.url, "session": new.session } })),
    )
        .into_response())
}

/// Why a session cannot be answered or polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unusable {
    Unknown,
    Expired,
    Finished,
}

/// The session for an id, if it is still pending and in time.
fn pending_session(
    conn: &Connection,
    session: &str,
    now: i64,
) -> Result<Result<OauthSession, Unusable>, ApiError> {
    let Some(found) = db::find_oauth_session(conn, &auth::token_hash(session))? else {
        return Ok(Err(Unusable::Unknown));
    };
    Ok(if now >= found.expires_at {
        Err(Unusable::Expired)
    } else if found.status != OauthStatus::Pending {
        Err(Unusable::Finished)
    } else {
        Ok(found)
    })
}

/// What the consent page (or the control endpoint) answered.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Continue(String),
    Cancel,
}

/// Records the answer on a pending session; returns the status it ends in. For a sign-up,
/// Google's address stands in for the code and password steps, unless it already has an
/// account.
fn answer(
    conn: &Connection,
    session: &OauthSession,
    answer: &Answer,
) -> Result<OauthStatus, ApiError> {
    let (status, email) = match answer {
        Answer::Cancel => (OauthStatus::Cancelled, None),
        Answer::Continue(email) => {
            let status = match (session.purpose, session.signup_uuid.as_deref()) {
                (OauthPurpose::Signup, Some(uuid)) => {
                    if db::user_by_email(conn, email)?.is_some() {
                        OauthStatus::Taken
                    } else {
                        let change = SignupChange::GoogleIdentity {
                            email: email.clone(),
                            password_hash: auth::hash_password(&auth::new_api_key()),
                            vpn: is_vpn_email(email),
                        };
                        db::update_signup(conn, uuid, &change)?;
                        OauthStatus::Done
                    }
                }
                _ => OauthStatus::Done,
            };
            (status, Some(email.as_str()))
        }
    };
    db::finish_oauth_session(conn, &session.session_hash, status, email)?;
    Ok(status)
}

/// A3 `GET /api/oauth/google/<session>`: 204 while pending; 200 `{"data":{"email","key"}}`
/// for a sign-in, `{"data":{"email"}}` (plus `"vpn_detected":true`) for a sign-up; 403
/// cancelled, 404 unknown, 410 expired, 422 no account / already an account. A sign-in
/// answers its key once, then 410; the other answers repeat until the session expires.
pub async fn poll(
    State(state): State<AppState>,
    Path(session): Path<String>,
) -> Result<Response, ApiError> {
    let now = state.now();
    let conn = state.db().lock();
    let found = db::find_oauth_session(&conn, &auth::token_hash(&session))?;
    let Some(found) = found else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, UNKNOWN_SESSION));
    };
    if now >= found.expires_at {
        return Err(ApiError::new(StatusCode::GONE, EXPIRED_SESSION));
    }
    let email = found.email.clone().unwrap_or_default();
    match (found.status, found.purpose) {
        (OauthStatus::Pending, _) => Ok(StatusCode::NO_CONTENT.into_response()),
        (OauthStatus::Cancelled, _) => Err(ApiError::new(StatusCode::FORBIDDEN, ACCESS_DENIED)),
        (OauthStatus::Taken, _) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ALREADY_TAKEN,
        )),
        (OauthStatus::Done, OauthPurpose::Signup) => {
            let mut data = json!({ "email": email });
            if is_vpn_email(&email) {
                data["vpn_detected"] = json!(true);
            }
            Ok(Json(json!({ "data": data })).into_response())
        }
        (OauthStatus::Done, OauthPurpose::Login) => {
            let Some(user) = db::user_by_email(&conn, &email)? else {
                return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, NO_ACCOUNT));
            };
            // The key is answered once: a poll replayed later (a copied URL, a shared log)
            // gets nothing.
            if !db::collect_oauth_session(&conn, &found.session_hash, now)? {
                return Err(ApiError::new(StatusCode::GONE, COLLECTED_SESSION));
            }
            if !user.confirmed {
                db::set_confirmed(&conn, user.id)?;
            }
            let key = db::ensure_api_key(&conn, user.id, now)?;
            Ok(Json(json!({ "data": { "email": user.email, "key": key } })).into_response())
        }
    }
}

/// Body of `POST /__sim/oauth/complete`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// The session id from the consent URL.
    pub session: String,
    /// The Google account's address (to continue).
    pub email: Option<String>,
    /// `true` to answer Cancel.
    pub cancel: Option<bool>,
}

/// `POST /__sim/oauth/complete {"session","email"}` or `{"session","cancel":true}`: answers
/// the consent page without a browser. 200 `{"data":{"status":"done"|"cancelled"|"taken"}}`;
/// 404 unknown, 410 expired, 409 already answered, 422 bad email.
pub async fn complete(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<CompleteRequest>,
) -> Result<Response, ApiError> {
    let reply = match (req.email, req.cancel) {
        (_, Some(true)) => Answer::Cancel,
        (Some(email), _) => Answer::Continue(valid_email("email", &email)?),
        _ => {
            return Err(ApiError::bad_request(
                "Give either \"email\" to continue or \"cancel\": true.",
            ))
        }
    };
    let now = state.now();
    let conn = state.db().lock();
    let session = match pending_session(&conn, &req.session, now)? {
        Ok(session) => session,
        Err(Unusable::Unknown) => {
            return Err(ApiError::new(StatusCode::NOT_FOUND, UNKNOWN_SESSION))
        }
        Err(Unusable::Expired) => return Err(ApiError::new(StatusCode::GONE, EXPIRED_SESSION)),
        Err(Unusable::Finished) => {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "This session has already been answered.",
            ))
        }
    };
    let status = answer(&conn, &session, &reply)?;
    let status = match status {
        OauthStatus::Done => "done",
        OauthStatus::Cancelled => "cancelled",
        OauthStatus::Taken => "taken",
        OauthStatus::Pending => "pending",
    };
    Ok(Json(json!({ "data": { "status": status } })).into_response())
}

/// The consent page's own policy: its inline style, and forms posting back here.
const CONSENT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; \
                           base-uri 'none'; frame-ancestors 'none'";

fn page(status: StatusCode, html: String) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_SECURITY_POLICY, CONSENT_CSP),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        Html(html),
    )
        .into_response()
}

fn document(title: &str, main: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <main>\n<p class=\"brand\" aria-hidden=\"true\"><span class=\"g\">G</span> Google \
         <span class=\"sim\">simulator</span></p>\n{main}</main>\n</body>\n</html>\n",
        title = escape_html(title),
    )
}

/// Why the consent page cannot be shown, as a page: 404 unknown, 400 expired or answered.
fn unusable_page(why: Unusable, ttl_secs: u64) -> Response {
    let (status, heading, text) = match why {
        Unusable::Unknown => (
            StatusCode::NOT_FOUND,
            "Unknown sign-in",
            "This sign-in link doesn't belong to any sign-in in progress. Start signing in \
             with Google again from the console."
                .to_string(),
        ),
        Unusable::Expired => (
            StatusCode::BAD_REQUEST,
            "Sign-in expired",
            format!(
                "This sign-in link has expired (they work for {}). Start signing in with \
                 Google again from the console.",
                human_duration(ttl_secs)
            ),
        ),
        Unusable::Finished => (
            StatusCode::BAD_REQUEST,
            "Already answered",
            "This sign-in has already been answered. You can close this window and return \
             to the console."
                .to_string(),
        ),
    };
    let main = format!("<h1>{heading}</h1>\n<p>{}</p>\n", escape_html(&text));
    page(
        status,
        document(
            &format!("{heading} · Sign in with Google (simulator)"),
            &main,
        ),
    )
}

/// The consent form, prefilled with `email`, with an error under the field when given.
fn consent_form(session: &str, purpose: OauthPurpose, email: &str, error: Option<&str>) -> String {
    let purpose_text = match purpose {
        OauthPurpose::Login => "to sign you in to Gigalixir.",
        OauthPurpose::Signup => "to create your Gigalixir account.",
    };
    let (invalid, message) = match error {
        Some(text) => (
            " aria-invalid=\"true\" aria-describedby=\"email-error\"",
            format!(
                "<p id=\"email-error\" class=\"error\">{}</p>\n",
                escape_html(text)
            ),
        ),
        None => ("", String::new()),
    };
    let main = format!(
        "<h1>Sign in with Google (simulator)</h1>\n\
         <p class=\"lead\">Gigalixir wants to access your Google account</p>\n\
         <p>It asks for your name and email address {purpose_text} This page stands in for \
         Google's: type the address of the Google account to use.</p>\n\
         <form method=\"post\" action=\"/__sim/google/consent\">\n\
         <input type=\"hidden\" name=\"session\" value=\"{session}\">\n\
         <label for=\"email\">Google account email</label>\n\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" \
         spellcheck=\"false\" required value=\"{email}\"{invalid}>\n\
         {message}\
         <div class=\"actions\">\n\
         <button type=\"submit\" name=\"action\" value=\"continue\">Continue</button>\n\
         <button type=\"submit\" name=\"action\" value=\"cancel\" class=\"secondary\" \
         formnovalidate>Cancel</button>\n\
         </div>\n</form>\n",
        session = escape_html(session),
        email = escape_html(email),
    );
    document("Sign in with Google (simulator)", &main)
}

/// `GET /__sim/google/consent?session=<id>`: the consent stand-in, prefilled with
/// [`CONSENT_DEFAULT_EMAIL`] for a sign-in and empty for a sign-up.
pub async fn consent_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ApiError> {
    let session = query
        .as_deref()
        .map(auth::parse_query)
        .unwrap_or_default()
        .into_iter()
        .find(|(name, _)| name == "session")
        .map(|(_, value)| value)
        .unwrap_or_default();
    let now = state.now();
    let conn = state.db().lock();
    let found = match pending_session(&conn, &session, now)? {
        Ok(found) => found,
        Err(why) => return Ok(unusable_page(why, state.config().oauth_ttl_secs)),
    };
    let email = match found.purpose {
        OauthPurpose::Login => CONSENT_DEFAULT_EMAIL,
        OauthPurpose::Signup => "",
    };
    Ok(page(
        StatusCode::OK,
        consent_form(&session, found.purpose, email, None),
    ))
}

/// `POST /__sim/google/consent` (form: `session`, `email`, `action=continue|cancel`): records
/// the answer and shows "Done" or "Cancelled"; a bad address shows the form again (422).
pub async fn consent_answer(
    State(state): State<AppState>,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_limited(body)
        .await
        .ok_or_else(|| ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "Request body too large."))?;
    let form = auth::parse_query(&String::from_utf8_lossy(&bytes));
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_default()
    };
    let session = field("session");
    let now = state.now();
    let conn = state.db().lock();
    let found = match pending_session(&conn, &session, now)? {
        Ok(found) => found,
        Err(why) => return Ok(unusable_page(why, state.config().oauth_ttl_secs)),
    };
    let reply = if field("action") == "cancel" {
        Answer::Cancel
    } else {
        let email = field("email");
        if !is_valid_email(&email) {
            let error = "Enter the email address of a Google account, like name@example.com.";
            let html = consent_form(&session, found.purpose, &email, Some(error));
            return Ok(page(StatusCode::UNPROCESSABLE_ENTITY, html));
        }
        Answer::Continue(email)
    };
    answer(&conn, &found, &reply)?;
    let heading = match reply {
        Answer::Continue(_) => "Done",
        Answer::Cancel => "Cancelled",
    };
    // After the console's same-tab fallback there is no window to close: a link goes back,
    // and the console picks up the pending session from there.
    let back = state.console_link(match found.purpose {
        db::OauthPurpose::Signup => "/signup",
        db::OauthPurpose::Login => "/login",
    });
    let main = format!(
        "<h1>{heading}</h1>\n<p>You can close this window and return to the console.</p>\n\
         <p><a href=\"{}\">Return to the Gigalixir console</a></p>\n",
        escape_html(&back)
    );
    Ok(page(
        StatusCode::OK,
        document(
            &format!("{heading} · Sign in with Google (simulator)"),
            &main,
        ),
    ))
}

/// Whether the `oauth` of a sign-up step 1 names the provider the API knows.
pub fn is_provider(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case(PROVIDER))
}

const STYLE: &str = "
:root { color-scheme: light dark; --fg: #1f1f1f; --muted: #444746; --bg: #f0f4f9; --card: #fff;
  --line: #747775; --accent: #0b57d0; --on-accent: #fff; --error: #b3261e; }
@media (prefers-color-scheme: dark) { :root { --fg: #e3e3e3; --muted: #c4c7c5; --bg: #131314;
  --card: #1e1f20; --line: #8e918f; --accent: #a8c7fa; --on-accent: #062e6f; --error: #f2b8b5; } }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: grid; place-items: center; padding: 1rem;
  font: 16px/1.5 system-ui, sans-serif; color: var(--fg); background: var(--bg); }
main { width: 100%; max-width: 28rem; background: var(--card); border-radius: 1.75rem;
  padding: 2rem 2rem 1.5rem; }
.brand { margin: 0 0 1rem; font-weight: 600; }
.brand .g { display: inline-grid; place-items: center; width: 1.75rem; height: 1.75rem;
  border-radius: 50%; background: var(--accent); color: var(--on-accent); }
.brand .sim { font-weight: 400; color: var(--muted); }
h1 { margin: 0 0 .5rem; font-size: 1.6rem; font-weight: 500; line-height: 1.25; }
.lead { margin: 0 0 .5rem; font-size: 1.1rem; }
p { color: var(--muted); }
label { display: block; margin: 1.25rem 0 .35rem; font-weight: 600; color: var(--fg); }
input[type=email] { width: 100%; min-height: 3rem; padding: .6rem .8rem; font: inherit;
  color: var(--fg); background: transparent; border: 1px solid var(--line); border-radius: .35rem; }
input[aria-invalid=true] { border: 2px solid var(--error); }
.error { color: var(--error); margin: .35rem 0 0; }
.actions { display: flex; justify-content: flex-end; gap: .75rem; margin-top: 1.75rem; }
button { min-height: 2.5rem; min-width: 6rem; padding: 0 1.5rem; font: inherit; font-weight: 600;
  border-radius: 1.25rem; border: 1px solid var(--accent); background: var(--accent);
  color: var(--on-accent); cursor: pointer; }
button.secondary { background: transparent; color: var(--accent); border-color: var(--line); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
@media (prefers-reduced-motion: no-preference) { button { transition: filter .15s; } }
button:hover { filter: brightness(1.1); }
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_form_escapes_and_marks_errors() {
        let html = consent_form(
            "abc",
            OauthPurpose::Signup,
            "\"><b>x@y",
            Some("Bad <email>"),
        );
        assert!(html.contains("value=\"&quot;&gt;&lt;b&gt;x@y\""));
        assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
        assert!(html.contains("<p id=\"email-error\" class=\"error\">Bad &lt;email&gt;</p>"));
        assert!(html.contains("to create your Gigalixir account."));
        let login = consent_form("abc", OauthPurpose::Login, "demo@example.com", None);
        assert!(!login.contains("aria-invalid=\"true\""));
        assert!(login.contains("<label for=\"email\">Google account email</label>"));
    }

    #[test]
    fn providers() {
        assert!(is_provider(&json!("google")));
        assert!(is_provider(&json!(" Google ")));
        assert!(!is_provider(&json!("github")));
        assert!(!is_provider(&json!(true)));
    }
}
