//! The simulator's clock: wall time plus an offset that tests move forward with
//! `POST /__sim/clock`, so expiry and rate-limit windows can be tested without waiting.
//!
//! Every time rule reads [`Clock::now`] (token expiry, email and login rate-limit windows,
//! timestamps stored in the database). TOTP is the one exception: codes come from real
//! authenticator apps and test helpers that read the real time, so it uses [`wall_now`].

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Largest offset the clock accepts (about 100 years), so arithmetic on times cannot overflow.
pub const MAX_OFFSET_SECS: i64 = 100 * 366 * 86_400;

/// Wall time plus a forward-only offset.
#[derive(Debug, Default)]
pub struct Clock {
    offset_secs: AtomicI64,
}

impl Clock {
    /// Simulated Unix time in seconds.
    pub fn now(&self) -> i64 {
        wall_now() + self.offset_secs()
    }

    /// How far the clock has been moved ahead of wall time, in seconds.
    pub fn offset_secs(&self) -> i64 {
        self.offset_secs.load(Ordering::SeqCst)
    }

    /// Moves the clock forward; returns the new offset, or `None` when `secs` is negative or
    /// the offset would pass [`MAX_OFFSET_SECS`]. Only forward: going back would let used
    /// tokens and counted requests sit in the future, which no real server sees.
    pub fn advance(&self, secs: i64) -> Option<i64> {
        if secs < 0 {
            return None;
        }
        self.offset_secs
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |offset| {
                offset
                    .checked_add(secs)
                    .filter(|next| *next <= MAX_OFFSET_SECS)
            })
            .ok()
            .map(|previous| previous + secs)
    }
}

/// Real Unix time in seconds, ignoring the offset.
pub fn wall_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advances_forward_only() {
        let clock = Clock::default();
        assert_eq!(clock.offset_secs(), 0);
        assert_eq!(clock.advance(90), Some(90));
        assert_eq!(clock.advance(10), Some(100));
        assert_eq!(clock.advance(-1), None);
        assert_eq!(clock.advance(MAX_OFFSET_SECS), None);
        assert_eq!(clock.offset_secs(), 100);
        let diff = clock.now() - wall_now();
        assert!((99..=100).contains(&diff), "{diff}");
    }
}
