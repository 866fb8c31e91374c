//! Card tokens: what a `tok_...` id stands for when the API stores a card (A18, A19).
//!
//! The Stripe stand-in that hands tokens out calls [`record_stripe_token`] with the card it
//! tokenised, so the card the API then stores carries that card's brand, last four digits
//! and expiry. Tokens it never recorded (Stripe's fixed test tokens such as `tok_visa`, or
//! any other `tok_...`) stand for Visa 4242 expiring in December four years from now
//! **[ours]**.

use rusqlite::{params, Connection, OptionalExtension};

use crate::outbox::rfc3339;

/// A card as the API shows it (A17).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// Display brand, e.g. `Visa`.
    pub brand: String,
    /// Last four digits as a number (the contract's type; `0123` is `123`).
    pub last4: i64,
    /// Expiry month, 1 to 12.
    pub exp_month: i64,
    /// Expiry year, four digits.
    pub exp_year: i64,
}

/// The card token the stand-in treats as declined (Stripe's test token of that name).
pub const DECLINED_TOKEN: &str = "tok_chargeDeclined";

/// Last four digits of Stripe's generic decline test card `4000 0000 0000 0002`. A recorded
/// token for a card ending in them is declined like [`DECLINED_TOKEN`] **[ours]**.
pub const DECLINED_LAST4: i64 = 2;

/// Why a token cannot become a stored card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not of the form `tok_...`.
    Invalid,
    /// Recorded and already spent: Stripe tokens work once.
    Used,
    /// The card was declined.
    Declined,
}

/// Records a token the Stripe stand-in handed out and the card it stands for. Recording the
/// same id again replaces the card.
pub fn record_stripe_token(
    conn: &Connection,
    id: &str,
    brand: &str,
    last4: i64,
    exp_month: i64,
    exp_year: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO stripe_tokens (id, brand, last4, exp_month, exp_year)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, brand, last4, exp_month, exp_year],
    )?;
    Ok(())
}

/// The card an unrecorded token stands for at `now`: Visa 4242, 12 / (this year + 4).
pub fn default_card(now: i64) -> Card {
    let year: i64 = rfc3339(now)[..4].parse().unwrap_or(2026);
    Card {
        brand: "Visa".into(),
        last4: 4242,
        exp_month: 12,
        exp_year: year + 4,
    }
}

/// Turns a token into the card it stands for, spending it when it was recorded.
pub fn spend_token(
    conn: &Connection,
    token: &str,
    now: i64,
) -> rusqlite::Result<Result<Card, TokenError>> {
    if token == DECLINED_TOKEN {
        return Ok(Err(TokenError::Declined));
    }
    let well_formed = token.strip_prefix("tok_").is_some_and(|rest| {
        !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
    });
    if !well_formed {
        return Ok(Err(TokenError::Invalid));
    }
    let recorded = conn
        .query_row(
            "SELECT brand, last4, exp_month, exp_year, used_at FROM stripe_tokens WHERE id = ?1",
            [token],
            |r| {
                Ok((
                    Card {
                        brand: r.get(0)?,
                        last4: r.get(1)?,
                        exp_month: r.get(2)?,
                        exp_year: r.get(3)?,
                    },
                    r.get::<_, Option<i64>>(4)?,
                ))
            },
        )
        .optional()?;
    let Some((card, used_at)) = recorded else {
        return Ok(Ok(default_card(now)));
    };
    if used_at.is_some() {
        return Ok(Err(TokenError::Used));
    }
    conn.execute(
        "UPDATE stripe_tokens SET used_at = ?2 WHERE id = ?1",
        params![token, now],
    )?;
    if card.last4 == DECLINED_LAST4 {
        return Ok(Err(TokenError::Declined));
    }
    Ok(Ok(card))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Db;

    #[test]
    fn recorded_tokens_carry_their_card_and_work_once() {
        let db = Db::open(":memory:").unwrap();
        let conn = db.lock();
        record_stripe_token(&conn, "tok_abc123", "MasterCard", 4444, 3, 2031).unwrap();
        let card = spend_token(&conn, "tok_abc123", 0).unwrap().unwrap();
        assert_eq!(
            card,
            Card {
                brand: "MasterCard".into(),
                last4: 4444,
                exp_month: 3,
                exp_year: 2031
            }
        );
        assert_eq!(
            spend_token(&conn, "tok_abc123", 0).unwrap(),
            Err(TokenError::Used)
        );
    }

    #[test]
    fn unrecorded_declined_and_malformed_tokens() {
        let db = Db::open(":memory:").unwrap();
        let conn = db.lock();
        // 2026-11-23
        let now = 1_795_392_000;
        let visa = spend_token(&conn, "tok_visa", now).unwrap().unwrap();
        assert_eq!((visa.brand.as_str(), visa.last4), ("Visa", 4242));
        assert_eq!((visa.exp_month, visa.exp_year), (12, 2030));
        // Unrecorded tokens are Stripe's reusable test tokens.
        assert!(spend_token(&conn, "tok_visa", now).unwrap().is_ok());
        assert_eq!(
            spend_token(&conn, DECLINED_TOKEN, now).unwrap(),
            Err(TokenError::Declined)
        );
        record_stripe_token(&conn, "tok_decline", "Visa", DECLINED_LAST4, 1, 2030).unwrap();
        assert_eq!(
            spend_token(&conn, "tok_decline", now).unwrap(),
            Err(TokenError::Declined)
        );
        for bad in ["", "tok_", "pm_123", "tok_a b", "visa"] {
            assert_eq!(
                spend_token(&conn, bad, now).unwrap(),
                Err(TokenError::Invalid),
                "{bad:?}"
            );
        }
    }
}
