//! Authenticator codes this tab had accepted lately. A code lasts its 30-second step, and the
//! API answers a second use of it exactly as it answers a wrong code (A1's 303), so only the
//! browser can tell the two apart: a code accepted a moment ago was right, and the person
//! should wait for the next one rather than doubt their app. Kept in memory only.

use std::cell::RefCell;

/// How long an accepted code is remembered: its own step and the ones either side.
const REMEMBER_MS: f64 = 90_000.0;

thread_local! {
    static ACCEPTED: RefCell<Vec<(String, f64)>> = const { RefCell::new(Vec::new()) };
}

/// Remembers that `code` was accepted at `now` (milliseconds since the epoch).
pub fn note(code: &str, now: f64) {
    ACCEPTED.with_borrow_mut(|codes| {
        codes.retain(|(_, at)| now - at < REMEMBER_MS);
        codes.push((code.to_string(), now));
    });
}

/// Whether `code` was accepted in the last 90 seconds before `now`.
pub fn just_used(code: &str, now: f64) -> bool {
    ACCEPTED.with_borrow(|codes| {
        codes
            .iter()
            .any(|(c, at)| c == code && now - at < REMEMBER_MS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_remembered_for_ninety_seconds() {
        note("123456", 1_000_000.0);
        assert!(just_used("123456", 1_000_000.0 + 89_000.0));
        assert!(!just_used("123456", 1_000_000.0 + 91_000.0));
        assert!(!just_used("654321", 1_000_000.0 + 1_000.0));
    }
}
