//! Sign-up by email (A4): one `POST /api/signup` per step, all but the first carrying the
//! `uuid` the first step hands out. Sessions live in SQLite so that a restart with a file
//! database does not lose a half-finished sign-up.
//!
//! Step 1 answers the same whether or not the address already has an account, so sign-up
//! cannot be used to find out who has one: the difference only shows in the outbox (a code
//! for a new address, a "someone tried to sign up" notice for an existing one).
//!
//! Google sign-up starts with `{"oauth":"google"}` instead: it answers a Google sign-in
//! session (see [`crate::oauth`]) besides the uuid. Once the consent page has given a new
//! address, the sign-up goes on from the promo step, with no code or password step. That
//! path does tell whether an address has an account (the poll refuses one that has), as
//! Google's own answer already proves the person owns the address.

use std::net::IpAddr;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use percent_encoding::utf8_percent_encode;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth;
use crate::db::{self, SignupChange};
use crate::error::ApiError;
use crate::limits::admit_email_request;
use crate::oauth;
use crate::outbox;
use crate::request::{empty_ok, ok, some_text, ClientIp, JsonBody};
use crate::rules::{
    check_new_password, human_duration, promo_credit_cents, promo_text, valid_email, CARD_DECLINED,
    INVALID_PROMO, URI_COMPONENT,
};
use crate::state::AppState;
use crate::stripe_tokens::{self, TokenError};

/// Subject of the email carrying the sign-up code.
pub const CODE_SUBJECT: &str = "Your Gigalixir sign-up code";
/// Subject of the email sent instead of a code when the address already has an account.
pub const EXISTING_SUBJECT: &str = "Someone tried to sign up with your Gigalixir email";
/// Wrong codes allowed per sign-up before every further code attempt gets 429.
pub const MAX_WRONG_CODES: i64 = 5;
/// Form-level 422 for a step taken before the one it depends on.
pub const PREVIOUS_STEP: &str = "Please complete the previous step first.";
/// Form-level 422 for a code or password sent to a Google sign-up.
pub const NOT_FOR_GOOGLE: &str = "This sign-up uses Google: there is no code or password step.";

/// A random 6-digit code, zero-padded. Rejection sampling keeps every code equally likely
/// (a plain `% 1_000_000` of a `u32` would favour the low ones slightly).
pub fn new_code() -> String {
    const LIMIT: u32 = u32::MAX - u32::MAX % 1_000_000;
    loop {
        let n = u32::from_le_bytes(auth::random_bytes::<4>());
        if n < LIMIT {
            return format!("{:06}", n % 1_000_000);
        }
    }
}

/// Body of the email carrying the code. The link lets the person continue in the browser.
pub fn code_email_body(code: &str, link: &str, ttl_secs: u64) -> String {
    format!(
        "Hello,\n\
         \n\
         Your Gigalixir sign-up code is:\n\
         \n\
         {code}\n\
         \n\
         Type it where you started signing up, or continue in your browser with this link:\n\
         \n\
         {link}\n\
         \n\
         The code works for {ttl}.\n\
         \n\
         If you didn't try to sign up for Gigalixir, you can ignore this email. No account is \
         made without this code.\n\
         \n\
         Gigalixir\n",
        ttl = human_duration(ttl_secs),
    )
}

/// Body of the email sent when someone starts a sign-up with an address that has an account.
pub fn existing_email_body(email: &str, link: &str) -> String {
    format!(
        "Hello,\n\
         \n\
         Someone tried to sign up for Gigalixir with {email}, but this address already has \
         an account.\n\
         \n\
         If it was you, sign in instead. If you've forgotten your password, choose a new one \
         here:\n\
         \n\
         {link}\n\
         \n\
         If it wasn't you, you can ignore this email. Nothing about your account has \
         changed.\n\
         \n\
         Gigalixir\n"
    )
}

/// A4 body: one step's fields. The step is told by which fields are present.
#[derive(Deserialize)]
pub struct Step {
    #[serde(default, deserialize_with = "some_text")]
    uuid: Option<String>,
    /// Any JSON: an unknown provider is a 422, not a 400.
    #[serde(default)]
    oauth: Option<Value>,
    #[serde(default, deserialize_with = "some_text")]
    email: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    confirmation_code: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    explanation: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    password: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    promo_code: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    stripe_token: Option<String>,
    #[serde(default, deserialize_with = "some_text")]
    tier: Option<String>,
}

/// `POST /api/signup`: works out the step from the fields present and runs it.
pub async fn signup(
    State(state): State<AppState>,
    ClientIp(client): ClientIp,
    JsonBody(step): JsonBody<Step>,
) -> Result<Response, ApiError> {
    if step.uuid.is_none() {
        if let Some(provider) = &step.oauth {
            return start_google(&state, provider);
        }
        if let Some(email) = &step.email {
            return start(&state, email, client);
        }
    }
    let now = state.now();
    let mut conn = state.db().lock();
    let signup = match &step.uuid {
        Some(uuid) => db::find_signup(&conn, uuid)?,
        None => None,
    };
    // A spent uuid is as good as unknown: its account exists, and nothing more can change.
    let Some(signup) = signup.filter(|s| !s.spent) else {
        return Err(ApiError::unprocessable("uuid", "is invalid"));
    };
    let uuid = signup.uuid.as_str();
    if signup.oauth && (step.confirmation_code.is_some() || step.password.is_some()) {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            NOT_FOR_GOOGLE,
        ));
    }
    if let Some(code) = &step.confirmation_code {
        if signup.wrong_codes >= MAX_WRONG_CODES {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                crate::error::TOO_MANY,
            ));
        }
        if now >= signup.code_expires_at && !signup.code_ok {
            return Err(ApiError::unprocessable("confirmation_code", "has expired"));
        }
        if auth::token_hash(code.trim()) != signup.code_hash {
            db::update_signup(&conn, uuid, &SignupChange::WrongCode)?;
            return Err(ApiError::unprocessable("confirmation_code", "is incorrect"));
        }
        db::update_signup(&conn, uuid, &SignupChange::CodeOk)?;
        return Ok(empty_ok());
    }
    if step.explanation.is_some() {
        // The CLI's manual-review note (after a 202). Kept nowhere: nobody reviews here.
        return Ok(empty_ok());
    }
    if let Some(password) = &step.password {
        if !signup.code_ok {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                PREVIOUS_STEP,
            ));
        }
        check_new_password("password", password)?;
        let hash = auth::hash_password(password);
        db::update_signup(&conn, uuid, &SignupChange::Password(hash))?;
        return Ok(empty_ok());
    }
    // Every later step needs a password, which itself needs the code.
    if signup.password_hash.is_none() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            PREVIOUS_STEP,
        ));
    }
    if let Some(code) = &step.promo_code {
        let Some(promo) = promo_text(code) else {
            return Err(ApiError::unprocessable("promo_code", INVALID_PROMO));
        };
        let code = code.trim().to_uppercase();
        db::update_signup(&conn, uuid, &SignupChange::Promo(code))?;
        return Ok(ok(json!({ "promo": promo })));
    }
    if let Some(token) = &step.stripe_token {
        return take_card(&conn, uuid, token.trim(), now);
    }
    if let Some(tier) = &step.tier {
        return finish(&mut conn, &signup, tier, now);
    }
    Err(ApiError::bad_request(
        "Expected one of email, confirmation_code, password, promo_code, stripe_token, tier.",
    ))
}

/// The card step: Stripe's single-use token spent, its card kept until the last step puts
/// it on file for the new account.
fn take_card(
    conn: &rusqlite::Connection,
    uuid: &str,
    token: &str,
    now: i64,
) -> Result<Response, ApiError> {
    let card = match stripe_tokens::spend_token(conn, token, now)? {
        Ok(card) => card,
        Err(TokenError::Declined) => {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                CARD_DECLINED,
            ))
        }
        Err(TokenError::Used) => {
            return Err(ApiError::unprocessable(
                "stripe_token",
                "has already been used",
            ))
        }
        Err(TokenError::Invalid) => {
            return Err(ApiError::unprocessable("stripe_token", "is invalid"))
        }
    };
    // Kept until the last step puts it on file for the new account.
    conn.execute(
        "INSERT OR REPLACE INTO signup_cards (uuid, brand, last4, exp_month, exp_year)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        rusqlite::params![uuid, card.brand, card.last4, card.exp_month, card.exp_year],
    )?;
    db::update_signup(conn, uuid, &SignupChange::Card)?;
    Ok(empty_ok())
}

/// The last step: the plan chosen, the account made (or, behind a VPN, left for a person to
/// review: 202 and nothing made); answers the new account's email and key.
fn finish(
    conn: &mut rusqlite::Connection,
    signup: &db::Signup,
    tier: &str,
    now: i64,
) -> Result<Response, ApiError> {
    let uuid = signup.uuid.as_str();
    if !db::TIERS.contains(&tier) {
        return Err(ApiError::unprocessable("tier", "is invalid"));
    }
    if signup.promo_code.is_some() && tier != "STANDARD" {
        return Err(ApiError::unprocessable(
            "tier",
            "must be STANDARD with this promo code",
        ));
    }
    if tier == "STANDARD" && !signup.has_card {
        return Err(ApiError::unprocessable(
            "stripe_token",
            "is required for the Standard tier",
        ));
    }
    if signup.vpn {
        // Manual review: the account would be made by a person later, so nothing now.
        db::update_signup(conn, uuid, &SignupChange::Spent)?;
        return Ok((StatusCode::ACCEPTED, Json(json!({ "data": {} }))).into_response());
    }
    let credit_cents = promo_credit_cents(signup.promo_code.as_deref().unwrap_or(""));
    let new = db::NewAccount {
        email: signup.email.clone(),
        // Replaced at once by the hash made at the password step (random for a Google
        // sign-up); the plain password was never stored.
        password: auth::new_api_key(),
        tier: tier.to_string(),
        credit_cents,
        mfa: false,
        totp_secret: None,
        // The code (or Google) proved the mailbox.
        confirmed: true,
    };
    let created = match db::create_account(conn, &new, now) {
        Ok(created) => created,
        Err(db::CreateError::Exists) => {
            return Err(ApiError::unprocessable("email", "has already been taken"))
        }
        Err(db::CreateError::Db(e)) => return Err(e.into()),
    };
    let user =
        db::user_by_email(conn, &created.email)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    let hash = signup.password_hash.as_deref().unwrap_or_default();
    db::set_password_hash(conn, user.id, hash)?;
    if tier == "STANDARD" {
        conn.execute(
            "INSERT OR REPLACE INTO payment_methods (user_id, brand, last4, exp_month, exp_year)
             SELECT ?1, brand, last4, exp_month, exp_year FROM signup_cards WHERE uuid = ?2",
            rusqlite::params![user.id, uuid],
        )?;
    }
    db::update_signup(conn, uuid, &SignupChange::Spent)?;
    Ok(Json(json!({ "data": { "email": created.email, "key": created.api_key } })).into_response())
}

/// Step 1 of a Google sign-up, `{"oauth":"google"}`: a sign-up row without an address and a
/// Google sign-in session for it; 200 `{"data":{"session","url","uuid"}}`.
fn start_google(state: &AppState, provider: &Value) -> Result<Response, ApiError> {
    if !oauth::is_provider(provider) {
        return Err(ApiError::unprocessable(
            "oauth",
            "is not a supported provider",
        ));
    }
    let conn = state.db().lock();
    let uuid = auth::new_uuid();
    db::insert_oauth_signup(&conn, &uuid, state.now())?;
    let new = oauth::open_session(state, &conn, db::OauthPurpose::Signup, Some(&uuid))?;
    Ok(
        Json(json!({ "data": { "session": new.session, "url": new.url, "uuid": uuid } }))
            .into_response(),
    )
}

/// Step 1: checks and rate-limits the address, opens a session and sends the email.
fn start(state: &AppState, email: &str, client: Option<IpAddr>) -> Result<Response, ApiError> {
    let email = valid_email("email", email)?;
    let email = email.as_str();
    let config = state.config();
    let now = state.now();
    let conn = state.db().lock();
    admit_email_request(&conn, config, email, client, now)?;
    let uuid = auth::new_uuid();
    let code = new_code();
    let vpn = crate::rules::is_vpn_email(email);
    let existing = db::user_by_email(&conn, email)?;
    // An existing address still gets a session, so the answer is the same; its code is never
    // sent anywhere, so the session cannot get past step 2.
    db::insert_signup(
        &conn,
        &uuid,
        email,
        &auth::token_hash(&code),
        now.saturating_add(config.signup_code_ttl_secs as i64),
        vpn,
        now,
    )?;
    let (subject, body) = match existing {
        Some(user) => {
            let encoded = utf8_percent_encode(&user.email, URI_COMPONENT);
            let link = state.console_link(&format!("/password/reset?email={encoded}"));
            (EXISTING_SUBJECT, existing_email_body(&user.email, &link))
        }
        None => {
            let link = state.console_link(&format!("/signup?uuid={uuid}&code={code}"));
            (
                CODE_SUBJECT,
                code_email_body(&code, &link, config.signup_code_ttl_secs),
            )
        }
    };
    outbox::send_email(&conn, email, subject, &body, now)?;
    let status = if vpn {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(json!({ "data": { "uuid": uuid } }))).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_and_codes_have_their_shapes() {
        let uuid = auth::new_uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!(uuid
            .chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        for _ in 0..100 {
            let code = new_code();
            assert_eq!(code.len(), 6);
            assert!(code.chars().all(|c| c.is_ascii_digit()));
        }
    }
}
