//! Billing: the card on file (A17 read, A18 replace), the upgrade to Standard (A19),
//! invoices (A20) with their PDFs, and usage of the current period (A21).

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth;
use crate::error::ApiError;
use crate::outbox::rfc3339;
use crate::request::{empty_ok, ok, text, SignedIn};
use crate::rules::{promo_credit_cents, promo_text, CARD_DECLINED, INVALID_PROMO};
use crate::state::AppState;
use crate::stripe_tokens::{spend_token, Card, TokenError};

/// A17 404 message: no card on file (the CLI prints its own text for it).
pub const NO_CARD: &str = "No payment method found.";
/// A19 form-level 422 for an account that is already on Standard.
pub const ALREADY_STANDARD: &str = "Your account is already on the Standard tier.";

/// A18 body.
#[derive(Deserialize)]
pub struct PutCard {
    #[serde(default, deserialize_with = "text")]
    stripe_token: String,
}

/// A19 body.
#[derive(Deserialize)]
pub struct Upgrade {
    #[serde(default, deserialize_with = "text")]
    stripe_token: String,
    #[serde(default, deserialize_with = "text")]
    promo_code: String,
}

/// The card on file, if any.
pub fn card_of(conn: &Connection, user_id: i64) -> rusqlite::Result<Option<Card>> {
    conn.query_row(
        "SELECT brand, last4, exp_month, exp_year FROM payment_methods WHERE user_id = ?1",
        [user_id],
        |r| {
            Ok(Card {
                brand: r.get(0)?,
                last4: r.get(1)?,
                exp_month: r.get(2)?,
                exp_year: r.get(3)?,
            })
        },
    )
    .optional()
}

/// Stores `card` as the account's only card, replacing any earlier one.
pub fn set_card(conn: &Connection, user_id: i64, card: &Card) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO payment_methods (user_id, brand, last4, exp_month, exp_year)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            user_id,
            card.brand,
            card.last4,
            card.exp_month,
            card.exp_year
        ],
    )?;
    Ok(())
}

/// The card a `stripe_token` field stands for, or the 422 for it: form-level when declined
/// (the console shows it by the card field), on `stripe_token` otherwise.
fn card_from(conn: &Connection, token: &str, now: i64) -> Result<Card, ApiError> {
    match spend_token(conn, token.trim(), now)? {
        Ok(card) => Ok(card),
        Err(TokenError::Declined) => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            CARD_DECLINED,
        )),
        Err(TokenError::Used) => Err(ApiError::unprocessable(
            "stripe_token",
            "has already been used",
        )),
        Err(TokenError::Invalid) => Err(ApiError::unprocessable("stripe_token", "is invalid")),
    }
}

/// A17 `GET /api/payment_methods`: `{"data":{"brand","last4","exp_month","exp_year"}}` with
/// `last4` a number, or 404 when there is no card.
pub async fn get_payment_method(
    State(state): State<AppState>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let Some(card) = card_of(&conn, user.id)? else {
        return Err(ApiError::new(StatusCode::NOT_FOUND, NO_CARD));
    };
    Ok(Json(json!({
        "data": {
            "brand": card.brand,
            "last4": card.last4,
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
        }
    }))
    .into_response())
}

/// A18 `PUT /api/payment_methods {"stripe_token"}`: replaces the card on file, on any tier
/// **[ours]**; 200 `{"data":{}}`.
pub async fn put_payment_method(
    State(state): State<AppState>,
    request: SignedIn<PutCard>,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let card = card_from(&conn, &request.body.stripe_token, state.now())?;
    set_card(&conn, user.id, &card)?;
    Ok(empty_ok())
}

/// A19 `POST /api/upgrade {"stripe_token","promo_code"?}`: FREE to STANDARD with the card
/// stored. The promo is checked before the card is touched; `WELCOME10` adds its credit,
/// as at sign-up. 200 `{"data":{}}`.
pub async fn upgrade(
    State(state): State<AppState>,
    request: SignedIn<Upgrade>,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    if user.tier == "STANDARD" {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            ALREADY_STANDARD,
        ));
    }
    let promo = request.body.promo_code.trim();
    if !promo.is_empty() && promo_text(promo).is_none() {
        return Err(ApiError::unprocessable("promo_code", INVALID_PROMO));
    }
    let card = card_from(&conn, &request.body.stripe_token, state.now())?;
    // In Rust, not SQL: SQLite turns an overflowing integer sum into a REAL.
    let credit = user.credit_cents.saturating_add(promo_credit_cents(promo));
    conn.execute(
        "UPDATE users SET tier = 'STANDARD', credit_cents = ?2 WHERE id = ?1",
        params![user.id, credit],
    )?;
    set_card(&conn, user.id, &card)?;
    Ok(empty_ok())
}

/// A20 `GET /api/invoices`: newest first, each
/// `{"period_start","period_end","amount_cents","paid","pdf"}` with RFC 3339 UTC times and
/// `pdf` a URL or `null`.
pub async fn invoices(
    State(state): State<AppState>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let mut stmt = conn.prepare(
        "SELECT period_start, period_end, amount_cents, paid, pdf_id FROM invoices
             WHERE user_id = ?1 ORDER BY period_start DESC, id DESC",
    )?;
    let rows = stmt
        .query_map([user.id], |r| {
            let pdf: Option<String> = r.get(4)?;
            Ok(json!({
                "period_start": rfc3339(r.get(0)?),
                "period_end": rfc3339(r.get(1)?),
                "amount_cents": r.get::<_, i64>(2)?,
                "paid": r.get::<_, bool>(3)?,
                "pdf": pdf.map(|id| pdf_url(&state, &id)),
            }))
        })
        .and_then(Iterator::collect::<rusqlite::Result<Vec<Value>>>)?;
    Ok(Json(json!({ "data": rows })).into_response())
}

fn pdf_url(state: &AppState, pdf_id: &str) -> String {
    format!("{}/__sim/invoices/{pdf_id}", state.api_url())
}

/// A21 `GET /api/usage`: `[{"app","amount_cents"}]` for the current period, by app name.
pub async fn usage(State(state): State<AppState>, request: SignedIn) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let mut stmt =
        conn.prepare("SELECT app, amount_cents FROM app_usage WHERE user_id = ?1 ORDER BY app")?;
    let rows = stmt
        .query_map([user.id], |r| {
            Ok(json!({ "app": r.get::<_, String>(0)?, "amount_cents": r.get::<_, i64>(1)? }))
        })
        .and_then(Iterator::collect::<rusqlite::Result<Vec<Value>>>)?;
    Ok(Json(json!({ "data": rows })).into_response())
}

/// What a whole period of one replica of size 1 costs on Standard, in cents [ours]; an app
/// costs its size × replicas of it.
pub const APP_CENTS_PER_SIZE_PERIOD: f64 = 5_000.0;
/// What a whole period of a Standard database of size 1 costs, in cents [ours]. Free
/// databases cost nothing.
pub const DATABASE_CENTS_PER_SIZE_PERIOD: f64 = 4_000.0;

/// The account's bill for a whole period at today's scale: every app's size × replicas and
/// every Standard database's size, at the rates above; nothing on the Free tier.
pub fn run_rate_cents(conn: &Connection, user: &crate::db::User) -> rusqlite::Result<i64> {
    if user.tier != "STANDARD" {
        return Ok(0);
    }
    let apps: f64 = conn.query_row(
        "SELECT COALESCE(SUM(size * replicas), 0) FROM apps WHERE user_id = ?1",
        [user.id],
        |r| r.get(0),
    )?;
    let databases: f64 = conn.query_row(
        "SELECT COALESCE(SUM(d.size), 0) FROM databases d JOIN apps a ON a.id = d.app_id
         WHERE a.user_id = ?1 AND d.tier = 'STANDARD'",
        [user.id],
        |r| r.get(0),
    )?;
    // Rounded to a cent; `as` saturates, so no size can overflow the total.
    let cents = apps * APP_CENTS_PER_SIZE_PERIOD + databases * DATABASE_CENTS_PER_SIZE_PERIOD;
    Ok(cents.round() as i64)
}

/// A22 `GET /api/usage/run_rate`: `{"data":{"amount_cents"}}`, the bill for the whole
/// current period at today's rate [ours: the shape is in no public source]. Scaling an app
/// to 0 and deleting Standard databases bring it to 0.
pub async fn run_rate(
    State(state): State<AppState>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    Ok(ok(json!({ "amount_cents": run_rate_cents(&conn, &user)? })))
}

/// `GET /__sim/invoices/{pdf_id}`: the invoice as a one-page PDF. No credentials, like
/// Stripe's hosted invoice PDFs: the random id in the URL is the secret.
pub async fn invoice_pdf(
    State(state): State<AppState>,
    Path(pdf_id): Path<String>,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let row = conn
        .query_row(
            "SELECT i.period_start, i.period_end, i.amount_cents, i.paid, u.email
             FROM invoices i JOIN users u ON u.id = i.user_id WHERE i.pdf_id = ?1",
            [&pdf_id],
            |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, bool>(3)?,
                    r.get::<_, String>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((start, end, cents, paid, email)) = row else {
        return Err(ApiError::not_found());
    };
    let lines = [
        "Gigalixir invoice".to_string(),
        format!("Account: {email}"),
        format!(
            "Period: {} to {}",
            &rfc3339(start)[..10],
            &rfc3339(end)[..10]
        ),
        format!("Amount: ${}.{:02}", cents / 100, cents % 100),
        format!("Status: {}", if paid { "paid" } else { "unpaid" }),
    ];
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        pdf(&lines),
    )
        .into_response())
}

/// A minimal one-page PDF showing `lines` in Helvetica. Non-ASCII characters and the PDF
/// string delimiters are replaced, which is enough for the simulator's own text.
pub fn pdf(lines: &[String]) -> Vec<u8> {
    let mut content = String::from("BT /F1 14 Tf 72 770 Td 20 TL\n");
    for line in lines {
        let safe: String = line
            .chars()
            .map(|c| match c {
                '(' | ')' | '\\' => '_',
                c if c.is_ascii() && !c.is_ascii_control() => c,
                _ => '?',
            })
            .collect();
        content.push_str(&format!("({safe}) Tj T*\n"));
    }
    content.push_str("ET\n");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_string(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] \
         /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
            .to_string(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_string(),
        format!(
            "<< /Length {} >>\nstream\n{content}endstream",
            content.len()
        ),
    ];
    let mut out = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.push_str(&format!("{} 0 obj\n{object}\nendobj\n", i + 1));
    }
    let xref = out.len();
    out.push_str(&format!(
        "xref\n0 {}\n0000000000 65535 f \n",
        objects.len() + 1
    ));
    for offset in offsets {
        out.push_str(&format!("{offset:010} 00000 n \n"));
    }
    out.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    out.into_bytes()
}

/// One seeded invoice: period start and end (Unix seconds), amount, paid.
pub type SeedInvoice = (i64, i64, i64, bool);

/// The demo account's invoices: August to October 2026, the newest unpaid (so it has no PDF).
pub const DEMO_INVOICES: [SeedInvoice; 3] = [
    (1_785_542_400, 1_788_220_800, 2400, true),
    (1_788_220_800, 1_790_812_800, 2650, true),
    (1_790_812_800, 1_793_491_200, 1234, false),
];

/// The demo account's usage this period.
pub const DEMO_USAGE: [(&str, i64); 2] = [("demo-app", 523), ("demo-worker", 118)];

/// Adds invoices to an account that has none; paid ones get a PDF.
pub fn seed_invoices(
    conn: &Connection,
    user_id: i64,
    invoices: &[SeedInvoice],
) -> rusqlite::Result<()> {
    let existing: i64 = conn.query_row(
        "SELECT COUNT(*) FROM invoices WHERE user_id = ?1",
        [user_id],
        |r| r.get(0),
    )?;
    if existing > 0 {
        return Ok(());
    }
    for (start, end, cents, paid) in invoices {
        let pdf_id = paid.then(auth::new_email_token);
        conn.execute(
            "INSERT INTO invoices (user_id, period_start, period_end, amount_cents, paid, pdf_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![user_id, start, end, cents, paid, pdf_id],
        )?;
    }
    Ok(())
}

/// Adds usage rows an account does not have yet.
pub fn seed_usage(conn: &Connection, user_id: i64, usage: &[(&str, i64)]) -> rusqlite::Result<()> {
    for (app, cents) in usage {
        conn.execute(
            "INSERT OR IGNORE INTO app_usage (user_id, app, amount_cents) VALUES (?1, ?2, ?3)",
            params![user_id, app, cents],
        )?;
    }
    Ok(())
}

/// Gives an account a card unless it has one.
pub fn seed_card(conn: &Connection, user_id: i64, card: &Card) -> rusqlite::Result<()> {
    if card_of(conn, user_id)?.is_none() {
        set_card(conn, user_id, card)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_has_a_consistent_cross_reference_table() {
        let bytes = pdf(&["Hello (world) é".to_string()]);
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("%PDF-1.4\n"));
        assert!(text.ends_with("%%EOF\n"));
        assert!(text.contains("(Hello _world_ ?) Tj"));
        let startxref: usize = text
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(text[startxref..].starts_with("xref\n0 6\n"));
        // Every offset in the table points at its object.
        for (i, line) in text[startxref..].lines().skip(3).take(5).enumerate() {
            let offset: usize = line[..10].parse().unwrap();
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj", i + 1)),
                "object {}",
                i + 1
            );
        }
    }

    #[test]
    fn demo_invoices_are_whole_months() {
        assert_eq!(rfc3339(DEMO_INVOICES[0].0), "2026-08-01T00:00:00Z");
        assert_eq!(rfc3339(DEMO_INVOICES[2].1), "2026-11-01T00:00:00Z");
        for pair in DEMO_INVOICES.windows(2) {
            assert_eq!(pair[0].1, pair[1].0);
        }
    }
}
