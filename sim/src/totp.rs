//! RFC 6238 time-based one-time passwords (SHA1, 30-second steps) and RFC 4648 base32.

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Seconds per TOTP step.
pub const STEP_SECS: u64 = 30;
/// Digits in a code.
pub const DIGITS: u32 = 6;

const BASE32_ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Encodes bytes as unpadded upper-case base32, the form authenticator apps accept.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(BASE32_ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(BASE32_ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Decodes base32, ignoring case, spaces, dashes and `=` padding (people copy secrets with
/// all of these). Returns `None` on any other character.
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for c in text.chars() {
        if c == ' ' || c == '-' || c == '=' {
            continue;
        }
        let upper = c.to_ascii_uppercase() as u8;
        let value = BASE32_ALPHABET.iter().position(|&a| a == upper)? as u32;
        buffer = (buffer << 5) | value;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

/// RFC 4226 HOTP value for `counter`, truncated to `digits` decimal digits.
pub fn hotp(key: &[u8], counter: u64, digits: u32) -> u32 {
    let mut mac = Hmac::<Sha1>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = (hash[hash.len() - 1] & 0x0f) as usize;
    let binary = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    binary % 10u32.pow(digits)
}

/// The TOTP step number that contains `unix_secs`.
pub fn step_at(unix_secs: u64) -> u64 {
    unix_secs / STEP_SECS
}

/// The 6-digit code for a step, zero-padded.
pub fn code_for_step(key: &[u8], step: u64) -> String {
    format!("{:06}", hotp(key, step, DIGITS))
}

/// The 6-digit code valid at `unix_secs`.
pub fn code_at(key: &[u8], unix_secs: u64) -> String {
    code_for_step(key, step_at(unix_secs))
}

/// Checks `code` against the steps around `unix_secs` (one step either side, for clock drift)
/// and returns the matching step. Steps at or before `last_used_step` are refused, so a code
/// cannot be replayed and an older code cannot follow a newer one.
pub fn verify(key: &[u8], code: &str, unix_secs: u64, last_used_step: Option<u64>) -> Option<u64> {
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_secs);
    let mut matched = None;
    for step in now.saturating_sub(1)..=now + 1 {
        if last_used_step.is_some_and(|last| step <= last) {
            continue;
        }
        // Compare every candidate so timing does not reveal which step matched.
        if constant_time_eq(code_for_step(key, step).as_bytes(), code.as_bytes())
            && matched.is_none()
        {
            matched = Some(step);
        }
    }
    matched
}

/// Byte comparison whose time does not depend on where the inputs differ.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 appendix B, SHA1 rows: key is the ASCII string "12345678901234567890".
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn rfc6238_sha1_vectors() {
        for (time, expected) in [
            (59u64, 94287082u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(hotp(RFC_KEY, step_at(time), 8), expected, "T={time}");
        }
    }

    #[test]
    fn rfc4226_hotp_vectors() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, want) in expected.iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, counter as u64, 6), *want);
        }
    }

    #[test]
    fn six_digit_codes_are_zero_padded() {
        // T=1111111109 gives 07081804 with 8 digits, so 081804 with 6.
        assert_eq!(code_at(RFC_KEY, 1111111109), "081804");
    }

    #[test]
    fn base32_round_trip_and_rfc4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(plain.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base32_decode("mzxw 6ytb-oi======").unwrap(), b"foobar");
        assert_eq!(base32_encode(RFC_KEY), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
        assert!(base32_decode("MZXW1").is_none());
        assert!(base32_decode("ÄÄ").is_none());
    }

    #[test]
    fn verify_window_and_replay() {
        let t = 1_000_000_000;
        let now = step_at(t);
        let current = code_at(RFC_KEY, t);
        assert_eq!(verify(RFC_KEY, &current, t, None), Some(now));
        assert_eq!(verify(RFC_KEY, &current, t, Some(now)), None, "replay");
        let previous = code_for_step(RFC_KEY, now - 1);
        assert_eq!(verify(RFC_KEY, &previous, t, None), Some(now - 1));
        let next = code_for_step(RFC_KEY, now + 1);
        assert_eq!(verify(RFC_KEY, &next, t, Some(now)), Some(now + 1));
        let too_old = code_for_step(RFC_KEY, now - 2);
        assert_eq!(verify(RFC_KEY, &too_old, t, None), None);
        assert_eq!(verify(RFC_KEY, "12345", t, None), None);
        assert_eq!(verify(RFC_KEY, "abcdef", t, None), None);
    }
}
