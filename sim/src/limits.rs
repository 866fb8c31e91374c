//! Rate limits, and the one place a password is checked against an account.
//!
//! Password attempts (logins and the current password a sensitive change asks for) are
//! counted in two sliding windows: per address and per client IP. An attempt is counted
//! before the password is hashed and taken back when it was right, so parallel guesses cannot
//! slip past the limit together; the hashing itself runs off the database lock and off the
//! async workers. An unknown address costs one hash too, so timing does not tell which
//! addresses have accounts.
//!
//! Email-sending requests are admitted by two windows of their own (per address and per IP).

use std::net::IpAddr;
use std::sync::OnceLock;

use rusqlite::Connection;

use crate::auth;
use crate::config::Config;
use crate::db::{self, User};
use crate::error::ApiError;
use crate::rules::INCORRECT;
use crate::state::AppState;

fn email_bucket(email: &str) -> String {
    format!("email:{}", email.to_lowercase())
}

fn ip_bucket(client: Option<IpAddr>) -> String {
    match client {
        Some(ip) => format!("ip:{ip}"),
        None => "ip:unknown".to_string(),
    }
}

/// A password attempt that has been counted, and is taken back if the password was right.
#[must_use]
pub struct Attempt {
    rows: [i64; 2],
    email: String,
}

impl Attempt {
    /// Counts an attempt for `email` from `client`, or refuses it with 429 while either
    /// window is full. `Retry-After` is the time until both have room.
    pub fn begin(
        conn: &Connection,
        config: &Config,
        email: &str,
        client: Option<IpAddr>,
        now: i64,
    ) -> Result<Self, ApiError> {
        let window = config.login_window_secs as i64;
        let buckets = [email_bucket(email), ip_bucket(client)];
        let mut retry_after = 0;
        for (bucket, limit) in buckets
            .iter()
            .zip([config.login_limit, config.login_ip_limit])
        {
            // A failure at `at` counts while `now - at < window`, so the oldest frees at
            // `at + window`.
            let (failures, oldest) = db::recent_failures(conn, bucket, now - window + 1)?;
            if failures >= limit {
                retry_after = retry_after.max(oldest.unwrap_or(now) + window - now);
            }
        }
        if retry_after > 0 {
            return Err(ApiError::too_many(retry_after as u64));
        }
        let rows = [
            db::record_failure(conn, &buckets[0], now, window)?,
            db::record_failure(conn, &buckets[1], now, window)?,
        ];
        Ok(Self {
            rows,
            email: email.to_string(),
        })
    }

    /// The password was right: this attempt does not count.
    pub fn succeeded(self, conn: &Connection) -> rusqlite::Result<()> {
        db::forget_failures(conn, &self.rows)
    }

    /// The account signed in: its earlier failures are forgotten too (those of the IP stay,
    /// or one good account would reset an attacker's count).
    pub fn signed_in(self, conn: &Connection) -> rusqlite::Result<()> {
        db::clear_failures(conn, &email_bucket(&self.email))?;
        self.succeeded(conn)
    }
}

/// Forgets the failed logins of an address (a new password deserves a clean slate).
pub fn clear_failed_logins(conn: &Connection, email: &str) -> rusqlite::Result<()> {
    db::clear_failures(conn, &email_bucket(email))
}

/// Whether `password` is the one `hash` was made from, hashed on a blocking thread. With no
/// hash (no such account) a stand-in hash is checked, so that the answer takes as long.
pub async fn password_matches(password: &str, hash: Option<String>) -> bool {
    static STAND_IN: OnceLock<String> = OnceLock::new();
    let password = password.to_string();
    let checked = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => auth::verify_password(&password, &hash),
        None => {
            let stand_in = STAND_IN.get_or_init(|| auth::hash_password("no such account"));
            auth::verify_password(&password, stand_in);
            false
        }
    });
    checked.await.unwrap_or(false)
}

/// The one check of the current password that A6, A10, A11, A12, A15 and A16 ask for: a
/// wrong or missing one is a 422 on `current_password` (never a 401, which to the console and
/// the CLI means "your key is dead") and counts as a failed login for the address and the
/// client, so a stolen key cannot guess faster than the login form allows; past the limit
/// the answer is 429.
pub async fn check_current_password(
    state: &AppState,
    user: &User,
    password: &str,
    client: Option<IpAddr>,
) -> Result<(), ApiError> {
    let attempt = {
        let conn = state.db().lock();
        Attempt::begin(&conn, state.config(), &user.email, client, state.now())?
    };
    let right =
        !password.is_empty() && password_matches(password, Some(user.password_hash.clone())).await;
    if !right {
        return Err(ApiError::unprocessable("current_password", INCORRECT));
    }
    attempt.succeeded(&state.db().lock())?;
    Ok(())
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
    let email_bucket = email_bucket(email);
    let ip_bucket = ip_bucket(client);
    let mut retry_after = 0;
    for (bucket, limit) in [
        (&email_bucket, config.email_limit),
        (&ip_bucket, config.email_ip_limit),
    ] {
        let times = db::email_requests_since(conn, bucket, since)?;
        let limit = limit as usize;
        if times.len() >= limit {
            // Admitting one more needs all but `limit - 1` of them gone.
            let frees_at = times[times.len() - limit] + window;
            retry_after = retry_after.max(frees_at - now);
        }
    }
    if retry_after > 0 {
        return Err(ApiError::too_many(retry_after as u64));
    }
    db::record_email_request(conn, &[&email_bucket, &ip_bucket], now, window)?;
    Ok(())
}
