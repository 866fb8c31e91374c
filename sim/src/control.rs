//! Test control endpoints under `/__sim/`: accounts, faults, outbox, clock and health (and, in
//! [`crate::billing`], invoice PDFs). They answer only when the simulator was started with
//! `--test-controls` (see [`crate::layers`]): the outbox and the accounts hand out any account.

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use crate::db::{self, CreateError, NewAccount, TIERS};
use crate::error::ApiError;
use crate::faults::{FaultRequest, FaultSpec};
use crate::outbox;
use crate::request::JsonBody;
use crate::state::AppState;
use crate::{addons, apps, billing, stripe_tokens};

/// Body of `POST /__sim/accounts`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccountRequest {
    /// Email address.
    pub email: String,
    /// Password.
    pub password: String,
    /// `FREE` (default) or `STANDARD`.
    pub tier: Option<String>,
    /// Credit in cents (default 0).
    pub credit_cents: Option<i64>,
    /// Turn MFA on (default false).
    pub mfa: Option<bool>,
    /// Whether the email address counts as confirmed (default true).
    pub confirmed: Option<bool>,
    /// Put a card on file: Visa 4242, 12 / this year + 4 (default false).
    pub card: Option<bool>,
    /// Names of apps to create for the account (size 0.5, one replica).
    pub apps: Option<Vec<String>>,
    /// Give each app a domain `www.<app>.example.com` and a database (Standard on a Standard
    /// account, else Free) (default false).
    pub addons: Option<bool>,
    /// Invoices, each `[period_start, period_end, amount_cents, paid]` with the times in Unix
    /// seconds, newest or oldest first (A20 lists them newest first); paid ones get a PDF.
    pub invoices: Option<Vec<billing::SeedInvoice>>,
}

/// `POST /__sim/accounts`: creates an account and returns its secrets.
pub async fn create_account(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<AccountRequest>,
) -> Result<Response, ApiError> {
    let email = req.email.trim().to_string();
    if email.is_empty() || !email.contains('@') || email.contains(':') {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "email",
            "Enter an email address like name@example.com (no colon).",
        ));
    }
    if req.password.is_empty() {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "password",
            "Enter a password.",
        ));
    }
    let tier = req
        .tier
        .unwrap_or_else(|| "FREE".to_string())
        .to_ascii_uppercase();
    if !TIERS.contains(&tier.as_str()) {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "tier",
            "Tier must be FREE or STANDARD.",
        ));
    }
    let credit_cents = req.credit_cents.unwrap_or(0);
    if credit_cents < 0 {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "credit_cents",
            "Credit cannot be negative.",
        ));
    }
    let app_names = req.apps.unwrap_or_default();
    if let Some(bad) = app_names.iter().find(|name| !apps::is_valid_app_name(name)) {
        return Err(ApiError::field(
            StatusCode::BAD_REQUEST,
            "apps",
            format!("{bad:?} is not an app name: 3 to 63 lower-case letters, digits and hyphens, starting with a letter."),
        ));
    }
    let new = NewAccount {
        email,
        password: req.password,
        tier,
        credit_cents,
        mfa: req.mfa.unwrap_or(false),
        totp_secret: None,
        confirmed: req.confirmed.unwrap_or(true),
    };
    let now = state.now();
    let mut conn = state.db().lock();
    for name in &app_names {
        if apps::app_exists(&conn, name)? {
            return Err(ApiError::field(
                StatusCode::CONFLICT,
                "apps",
                format!("An app named {name:?} already exists."),
            ));
        }
    }
    match db::create_account(&mut conn, &new, now) {
        Ok(created) => {
            let user = db::user_by_email(&conn, &created.email)?
                .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
            for name in &app_names {
                apps::create_app(&conn, user.id, &apps::NewApp::named(name), now)?;
                if req.addons.unwrap_or(false) {
                    addons::add_both(&conn, user.id, name, &user.tier, now)?;
                }
            }
            billing::seed_invoices(&conn, user.id, req.invoices.as_deref().unwrap_or(&[]))?;
            if req.card.unwrap_or(false) {
                billing::set_card(&conn, user.id, &stripe_tokens::default_card(now))?;
            }
            Ok((StatusCode::CREATED, Json(created)).into_response())
        }
        Err(CreateError::Exists) => Err(ApiError::field(
            StatusCode::CONFLICT,
            "email",
            "An account with this email already exists.",
        )),
        Err(CreateError::Db(e)) => Err(e.into()),
    }
}

/// `GET /__sim/faults`: the active faults.
pub async fn list_faults(State(state): State<AppState>) -> Response {
    Json(json!({ "data": state.faults().list() })).into_response()
}

/// `POST /__sim/faults`: adds a fault, answers 201 `{"id":N}`.
pub async fn add_fault(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<FaultRequest>,
) -> Result<Response, ApiError> {
    let spec = FaultSpec::from_request(req).map_err(ApiError::bad_request)?;
    let id = state.faults().add(spec);
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// `DELETE /__sim/faults`: removes every fault.
pub async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.faults().clear();
    StatusCode::NO_CONTENT
}

fn emails(state: &AppState) -> Result<Vec<outbox::Email>, ApiError> {
    Ok(outbox::list_emails(&state.db().lock())?)
}

/// `GET /__sim/outbox`: the outbox as a page.
pub async fn outbox_page(State(state): State<AppState>) -> Result<Response, ApiError> {
    let page = outbox::render_page(&emails(&state)?);
    Ok((
        [
            (header::CACHE_CONTROL, "no-store"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
            ),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(page),
    )
        .into_response())
}

/// `GET /__sim/outbox.json`: the outbox as `{"data":[...]}`, newest first.
pub async fn outbox_json(State(state): State<AppState>) -> Result<Response, ApiError> {
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "data": emails(&state)? })),
    )
        .into_response())
}

/// Body of `POST /__sim/clock`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClockRequest {
    /// Seconds to move the clock forward (0 or more).
    pub advance_secs: i64,
}

fn clock_view(state: &AppState) -> Response {
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(json!({ "offset_secs": state.clock().offset_secs() })),
    )
        .into_response()
}

/// `GET /__sim/clock`: `{"offset_secs":N}`, how far the simulated clock is ahead.
pub async fn get_clock(State(state): State<AppState>) -> Response {
    clock_view(&state)
}

/// `POST /__sim/clock {"advance_secs":N}`: moves the clock forward, answers the new offset.
pub async fn advance_clock(
    State(state): State<AppState>,
    JsonBody(req): JsonBody<ClockRequest>,
) -> Result<Response, ApiError> {
    state.clock().advance(req.advance_secs).ok_or_else(|| {
        ApiError::field(
            StatusCode::BAD_REQUEST,
            "advance_secs",
            "The clock only moves forward: give 0 or more seconds (at most about 100 years in all).",
        )
    })?;
    Ok(clock_view(&state))
}

/// `GET /__sim/health`: `ok`.
pub async fn health() -> &'static str {
    "ok"
}
