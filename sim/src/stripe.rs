//! Stand-in for the Stripe pieces the clients touch. `POST /__sim/stripe/v1/tokens` is card
//! tokenisation with a publishable key, as the Python `stripe` library (the CLI, through
//! `stripe.api_base`) and Stripe.js send it; the answers follow Stripe's own shapes: a token
//! object, or `{"error":{"type","code","message","param"}}` with 400, 401 or 402.
//! `GET /__sim/stripe/v3/` serves a small Stripe.js v3 look-alike (`assets/stripe-v3.js`)
//! whose card element and `createToken` call that endpoint.
//!
//! Each token is recorded with its card ([`crate::stripe_tokens::record_stripe_token`]), so
//! the card the API then stores has this card's brand, last four digits and expiry.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use serde_json::{json, Value};

use crate::auth;
use crate::body::Compressible;
use crate::body::{read_limited, BODY_LIMIT};
use crate::outbox::civil_date;
use crate::state::AppState;
use crate::stripe_tokens::record_stripe_token;
use crate::stripe_tokens::DECLINED_TOKEN;

/// The publishable key the simulator hands the console in its `config.json`.
pub const SIM_PUBLISHABLE_KEY: &str = "pk_test_sim";
/// Path of the Stripe.js stand-in, as the console's `config.json` names it.
pub const STRIPE_JS_PATH: &str = "/__sim/stripe/v3/";
/// Source of the Stripe.js stand-in.
pub const STRIPE_JS: &str = include_str!("../assets/stripe-v3.js");

/// Stripe's test card that tokenises but is declined when used; its token is
/// [`DECLINED_TOKEN`], which the API side refuses.
pub const DECLINED_CARD: &str = "4000000000000002";
/// 401 message when no publishable key came with the request.
pub const NO_API_KEY: &str = "You did not provide an API key.";
/// Furthest expiry year accepted, counted from the current year (Stripe refuses far-future
/// years as invalid).
pub const MAX_YEARS_AHEAD: i64 = 50;

/// A Stripe error: what the `error` object of the body holds, and the status it comes with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeError {
    /// 400 (bad request), 401 (no key) or 402 (card refused).
    pub status: StatusCode,
    /// `invalid_request_error` or `card_error`.
    pub kind: &'static str,
    /// Stripe's error code, e.g. `incorrect_number`; none for a missing key.
    pub code: Option<&'static str>,
    /// Text for people, as Stripe words it.
    pub message: String,
    /// The parameter at fault, as Stripe names it (`number`, `exp_month`, `card[number]`...).
    pub param: Option<String>,
}

impl StripeError {
    fn card(code: &'static str, message: &str, param: &str) -> Self {
        Self {
            status: StatusCode::PAYMENT_REQUIRED,
            kind: "card_error",
            code: Some(code),
            message: message.to_string(),
            param: Some(param.to_string()),
        }
    }

    fn missing(param: &str) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            kind: "invalid_request_error",
            code: Some("parameter_missing"),
            message: format!("Missing required param: {param}."),
            param: Some(param.to_string()),
        }
    }

    fn unauthorized(message: String) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            kind: "invalid_request_error",
            code: None,
            message,
            param: None,
        }
    }
}

impl IntoResponse for StripeError {
    fn into_response(self) -> Response {
        let mut error = json!({ "type": self.kind, "message": self.message });
        if let Some(code) = self.code {
            error["code"] = json!(code);
        }
        if let Some(param) = self.param {
            error["param"] = json!(param);
        }
        stripe_response(self.status, json!({ "error": error }))
    }
}

/// A card that passed every check, as the token's `card` object describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedCard {
    /// Stripe's display brand (`Visa`, `MasterCard`, `American Express`...).
    pub brand: &'static str,
    /// Last four digits.
    pub last4: String,
    /// Expiry month, 1 to 12.
    pub exp_month: i64,
    /// Four-digit expiry year.
    pub exp_year: i64,
    /// Whether a CVC came with the card.
    pub has_cvc: bool,
    /// The digits, without spaces (used only to derive the fingerprint and the token id).
    pub number: String,
}

/// Luhn checksum over a string of ASCII digits.
pub fn luhn_ok(digits: &str) -> bool {
    let mut sum = 0;
    for (i, b) in digits.bytes().rev().enumerate() {
        let mut d = u32::from(b - b'0');
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

/// Stripe's display brand for a card number, from its leading digits.
pub fn brand(digits: &str) -> &'static str {
    let prefix = |n: usize| digits.get(..n).and_then(|p| p.parse::<u32>().ok());
    let in_range =
        |n: usize, low: u32, high: u32| prefix(n).is_some_and(|p| (low..=high).contains(&p));
    if in_range(2, 34, 34) || in_range(2, 37, 37) {
        "American Express"
    } else if digits.starts_with('4') {
        "Visa"
    } else if in_range(2, 51, 55) || in_range(4, 2221, 2720) {
        "MasterCard"
    } else if in_range(4, 6011, 6011) || in_range(3, 644, 649) || in_range(2, 65, 65) {
        "Discover"
    } else if in_range(3, 300, 305) || in_range(2, 36, 36) || in_range(2, 38, 39) {
        "Diners Club"
    } else if in_range(4, 3528, 3589) {
        "JCB"
    } else if in_range(2, 62, 62) {
        "UnionPay"
    } else {
        "Unknown"
    }
}

fn all_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a card the way Stripe's token endpoint does, in Stripe's order: number, month,
/// year, expiry against `now` (Unix seconds, UTC), CVC. A missing CVC is accepted, as Stripe
/// accepts it; a present one must be 3 or 4 digits.
///
/// [ours] A well-formed expiry in the past answers `expired_card` ("Your card has expired.");
/// `invalid_expiry_month` / `invalid_expiry_year` are kept for values that are not a month or
/// a plausible year (including more than [`MAX_YEARS_AHEAD`] years ahead).
pub fn check_card(
    number: &str,
    exp_month: &str,
    exp_year: &str,
    cvc: Option<&str>,
    now: i64,
) -> Result<CheckedCard, StripeError> {
    let number: String = number.chars().filter(|c| *c != ' ').collect();
    if !all_digits(&number) || !(13..=19).contains(&number.len()) || !luhn_ok(&number) {
        return Err(StripeError::card(
            "incorrect_number",
            "Your card number is incorrect.",
            "number",
        ));
    }
    let month = exp_month.trim();
    let month = match month.parse::<i64>() {
        Ok(m) if all_digits(month) && (1..=12).contains(&m) => m,
        _ => {
            return Err(StripeError::card(
                "invalid_expiry_month",
                "Your card's expiration month is invalid.",
                "exp_month",
            ))
        }
    };
    let (this_year, this_month, _) = civil_date(now);
    let year_text = exp_year.trim();
    // Stripe reads a two-digit year as 20YY.
    let year = match (all_digits(year_text), year_text.len()) {
        (true, 2) => year_text.parse::<i64>().ok().map(|y| 2000 + y),
        (true, 4) => year_text.parse::<i64>().ok(),
        _ => None,
    };
    let year = match year {
        Some(y) if y <= this_year + MAX_YEARS_AHEAD && y >= 1900 => y,
        _ => {
            return Err(StripeError::card(
                "invalid_expiry_year",
                "Your card's expiration year is invalid.",
                "exp_year",
            ))
        }
    };
    if (year, month) < (this_year, this_month) {
        let param = if year < this_year {
            "exp_year"
        } else {
            "exp_month"
        };
        return Err(StripeError::card(
            "expired_card",
            "Your card has expired.",
            param,
        ));
    }
    if let Some(cvc) = cvc {
        let cvc = cvc.trim();
        if !all_digits(cvc) || !(3..=4).contains(&cvc.len()) {
            return Err(StripeError::card(
                "invalid_cvc",
                "Your card's security code is invalid.",
                "cvc",
            ));
        }
    }
    Ok(CheckedCard {
        brand: brand(&number),
        last4: number[number.len() - 4..].to_string(),
        exp_month: month,
        exp_year: year,
        has_cvc: cvc.is_some(),
        number,
    })
}

const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `len` random letters and digits, as in Stripe's object ids.
pub fn random_alnum(len: usize) -> String {
    let mut out = String::with_capacity(len);
    while out.len() < len {
        for b in auth::random_bytes::<32>() {
            // 248 = 4 * 62: rejecting the rest keeps every character equally likely.
            if b < 248 && out.len() < len {
                out.push(ALNUM[usize::from(b) % ALNUM.len()] as char);
            }
        }
    }
    out
}

/// The publishable key of a request: `Authorization: Bearer <key>` (what the `stripe`
/// library and our Stripe.js stand-in send), Basic with the key as user name (Stripe's
/// other documented form), or a `key` form field (what the real Stripe.js sends).
fn api_key(headers: &HeaderMap, form: &[(String, String)]) -> Option<String> {
    let from_header = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .and_then(|(scheme, value)| {
            if scheme.eq_ignore_ascii_case("bearer") {
                Some(value.trim().to_string())
            } else if scheme.eq_ignore_ascii_case("basic") {
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(value.trim())
                    .ok()?;
                let text = String::from_utf8(decoded).ok()?;
                Some(text.split(':').next().unwrap_or_default().to_string())
            } else {
                None
            }
        });
    from_header
        .or_else(|| {
            form.iter()
                .find(|(name, _)| name == "key")
                .map(|(_, value)| value.trim().to_string())
        })
        .filter(|key| !key.is_empty())
}

/// Stripe answers JSON that is never cached, with a request id clients may log.
fn stripe_response(status: StatusCode, body: Value) -> Response {
    let mut response = (status, Json(body)).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    if let Ok(id) = HeaderValue::from_str(&format!("req_{}", random_alnum(14))) {
        headers.insert("request-id", id);
    }
    response
}

/// `POST /__sim/stripe/v1/tokens`: form-encoded `card[number]`, `card[exp_month]`,
/// `card[exp_year]`, optional `card[cvc]` and `card[name]`; answers 200 with a card token.
/// [`DECLINED_CARD`] tokenises as [`DECLINED_TOKEN`].
pub async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let Some(bytes) = read_limited(body).await else {
        return StripeError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            kind: "invalid_request_error",
            code: None,
            message: format!("Request body too large (limit {BODY_LIMIT} bytes)."),
            param: None,
        }
        .into_response();
    };
    let form = auth::parse_query(&String::from_utf8_lossy(&bytes));
    let Some(key) = api_key(&headers, &form) else {
        return StripeError::unauthorized(NO_API_KEY.to_string()).into_response();
    };
    if !(key.starts_with("pk_") || key.starts_with("sk_") || key.starts_with("rk_")) {
        return StripeError::unauthorized(format!("Invalid API Key provided: {}", mask(&key)))
            .into_response();
    }
    let field = |name: &str| {
        form.iter()
            .find(|(n, _)| n == &format!("card[{name}]"))
            .map(|(_, v)| v.as_str())
    };
    let present = |name: &str| field(name).filter(|v| !v.trim().is_empty());
    if !form.iter().any(|(name, _)| name.starts_with("card[")) {
        return StripeError::missing("card").into_response();
    }
    let (Some(number), Some(exp_month), Some(exp_year)) =
        (present("number"), present("exp_month"), present("exp_year"))
    else {
        let missing = ["number", "exp_month", "exp_year"]
            .into_iter()
            .find(|name| present(name).is_none())
            .unwrap_or("number");
        return StripeError::missing(&format!("card[{missing}]")).into_response();
    };
    let now = state.now();
    let card = match check_card(number, exp_month, exp_year, present("cvc"), now) {
        Ok(card) => card,
        Err(e) => return e.into_response(),
    };
    let id = if card.number == DECLINED_CARD {
        DECLINED_TOKEN.to_string()
    } else {
        format!("tok_{}", random_alnum(24))
    };
    if id != DECLINED_TOKEN {
        let last4 = card.last4.parse().unwrap_or(0);
        let recorded = record_stripe_token(
            &state.db().lock(),
            &id,
            card.brand,
            last4,
            card.exp_month,
            card.exp_year,
        );
        if let Err(e) = recorded {
            return StripeError {
                status: StatusCode::INTERNAL_SERVER_ERROR,
                kind: "api_error",
                code: None,
                message: format!("Simulator database error: {e}"),
                param: None,
            }
            .into_response();
        }
    }
    let fingerprint: String = auth::token_hash(&card.number).chars().take(16).collect();
    let token = json!({
        "id": id,
        "object": "token",
        "card": {
            "id": format!("card_{}", random_alnum(24)),
            "object": "card",
            "brand": card.brand,
            "country": "US",
            "cvc_check": if card.has_cvc { json!("unchecked") } else { Value::Null },
            "exp_month": card.exp_month,
            "exp_year": card.exp_year,
            "fingerprint": fingerprint,
            "funding": "credit",
            "last4": card.last4,
            "name": field("name").map(str::to_string),
        },
        "client_ip": Value::Null,
        "created": now,
        "livemode": false,
        "type": "card",
        "used": false,
    });
    stripe_response(StatusCode::OK, token)
}

/// `GET /__sim/stripe/v3/` (and without the slash): the Stripe.js stand-in. `no-cache`
/// because it changes with the simulator, and it is small.
pub async fn stripe_js() -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        STRIPE_JS,
    )
        .into_response();
    response.extensions_mut().insert(Compressible);
    response
}

/// Shows only the ends of a key in an error, as Stripe does.
fn mask(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    if chars.len() <= 8 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 8))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-03-15T00:00:00Z.
    const MARCH_2026: i64 = 1_773_532_800;

    fn code(result: Result<CheckedCard, StripeError>) -> &'static str {
        result.unwrap_err().code.unwrap()
    }

    #[test]
    fn luhn_and_brands() {
        assert!(luhn_ok("4242424242424242"));
        assert!(!luhn_ok("4242424242424241"));
        assert!(luhn_ok(DECLINED_CARD));
        assert_eq!(brand("4242424242424242"), "Visa");
        assert_eq!(brand("5555555555554444"), "MasterCard");
        assert_eq!(brand("2223003122003222"), "MasterCard");
        assert_eq!(brand("378282246310005"), "American Express");
        assert_eq!(brand("6011111111111117"), "Discover");
        assert_eq!(brand("36227206271667"), "Diners Club");
        assert_eq!(brand("3566002020360505"), "JCB");
        assert_eq!(brand("6200000000000005"), "UnionPay");
        assert_eq!(brand("9999999999999995"), "Unknown");
    }

    #[test]
    fn card_checks_in_stripes_order() {
        let ok = check_card("4242 4242 4242 4242", "03", "2026", Some("023"), MARCH_2026).unwrap();
        assert_eq!((ok.brand, ok.last4.as_str()), ("Visa", "4242"));
        assert_eq!((ok.exp_month, ok.exp_year), (3, 2026));
        assert_eq!(
            check_card("4242424242424242", "12", "30", None, MARCH_2026)
                .unwrap()
                .exp_year,
            2030
        );

        assert_eq!(
            code(check_card(
                "4242424242424241",
                "12",
                "2030",
                None,
                MARCH_2026
            )),
            "incorrect_number"
        );
        assert_eq!(
            code(check_card(
                "4242-4242-4242-4242",
                "12",
                "2030",
                None,
                MARCH_2026
            )),
            "incorrect_number"
        );
        assert_eq!(
            code(check_card("424242424242", "12", "2030", None, MARCH_2026)),
            "incorrect_number"
        );
        assert_eq!(
            code(check_card(
                "4242424242424242",
                "13",
                "2030",
                None,
                MARCH_2026
            )),
            "invalid_expiry_month"
        );
        assert_eq!(
            code(check_card(
                "4242424242424242",
                "0",
                "2030",
                None,
                MARCH_2026
            )),
            "invalid_expiry_month"
        );
        assert_eq!(
            code(check_card(
                "4242424242424242",
                "12",
                "203",
                None,
                MARCH_2026
            )),
            "invalid_expiry_year"
        );
        assert_eq!(
            code(check_card(
                "4242424242424242",
                "12",
                "2077",
                None,
                MARCH_2026
            )),
            "invalid_expiry_year"
        );
        let past_month = check_card("4242424242424242", "2", "2026", None, MARCH_2026).unwrap_err();
        assert_eq!(
            (past_month.code, past_month.param.as_deref()),
            (Some("expired_card"), Some("exp_month"))
        );
        let past_year = check_card("4242424242424242", "12", "2025", None, MARCH_2026).unwrap_err();
        assert_eq!(
            (past_year.code, past_year.param.as_deref()),
            (Some("expired_card"), Some("exp_year"))
        );
        assert_eq!(past_year.status, StatusCode::PAYMENT_REQUIRED);
        for bad in ["12", "12345", "12a"] {
            assert_eq!(
                code(check_card(
                    "4242424242424242",
                    "12",
                    "2030",
                    Some(bad),
                    MARCH_2026
                )),
                "invalid_cvc"
            );
        }
    }

    #[test]
    fn ids_and_masks() {
        let id = random_alnum(24);
        assert_eq!(id.len(), 24);
        assert!(id.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert_ne!(id, random_alnum(24));
        assert_eq!(mask("pk_test_1234567890"), "pk_t**********7890");
        assert_eq!(mask("short"), "*****");
    }
}
