//! The account rules several endpoints share: what a valid address and a valid new password
//! are, which promo codes exist, which addresses go to manual review, what a declined card
//! is called, and how links and durations are written for people. Pure functions and
//! constants; the rate limits that need the database are in [`crate::limits`].

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::error::ApiError;

/// 422 message for a missing or malformed address.
pub const INVALID_EMAIL: &str = "is not a valid email address";
/// Longest address accepted (RFC 5321 path limit).
pub const EMAIL_MAX_LEN: usize = 254;
/// 422 message for a new password under [`PASSWORD_MIN_CHARS`].
pub const PASSWORD_TOO_SHORT: &str = "should be at least 8 characters";
/// 422 message for a new password over [`PASSWORD_MAX_CHARS`].
pub const PASSWORD_TOO_LONG: &str = "should be at most 128 characters";
/// 422 message for a new password of spaces only.
pub const PASSWORD_ONLY_SPACES: &str = "can't be only spaces";
/// Fewest characters (Unicode scalar values) a new password may have.
pub const PASSWORD_MIN_CHARS: usize = 8;
/// Most characters a new password may have.
pub const PASSWORD_MAX_CHARS: usize = 128;
/// 422 message on `current_password` when it is wrong or missing.
pub const INCORRECT: &str = "is incorrect";

/// Domain whose addresses take the manual-review path (the stand-in for VPN detection).
pub const VPN_DOMAIN: &str = "vpn.example.com";
/// Promo codes the simulator knows, with the text sign-up's promo step answers.
pub const PROMOS: [(&str, &str); 2] = [
    ("WELCOME10", "$10 credit for your first month"),
    ("STANDARD50", "50% off Standard for 3 months"),
];
/// Credit, in cents, that `WELCOME10` gives an account.
pub const WELCOME10_CREDIT_CENTS: i64 = 1000;
/// 422 message on `promo_code` for a code the simulator does not know.
pub const INVALID_PROMO: &str = "is not a valid promo code";
/// Form-level 422 for a declined card.
pub const CARD_DECLINED: &str = "Your card was declined.";

/// What JavaScript's `encodeURIComponent` leaves alone, so the console can decode the
/// `email=` it is sent with `decodeURIComponent` or `URLSearchParams`.
pub const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// A plausible single address: `local@domain`, no spaces, control characters or colons (a
/// colon would break the Basic credentials the account signs in with). Deliberately lenient
/// beyond that; the console does the friendly checking.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && email.len() <= EMAIL_MAX_LEN
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == ':')
}

/// The trimmed address, or the 422 on `field`.
pub fn valid_email(field: &str, email: &str) -> Result<String, ApiError> {
    let email = email.trim();
    if is_valid_email(email) {
        Ok(email.to_string())
    } else {
        Err(ApiError::unprocessable(field, INVALID_EMAIL))
    }
}

/// Refuses a new password outside the allowed length, as a 422 on `field`.
pub fn check_new_password(field: &str, password: &str) -> Result<(), ApiError> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        Err(ApiError::unprocessable(field, PASSWORD_TOO_SHORT))
    } else if password.trim().is_empty() {
        Err(ApiError::unprocessable(field, PASSWORD_ONLY_SPACES))
    } else if chars > PASSWORD_MAX_CHARS {
        Err(ApiError::unprocessable(field, PASSWORD_TOO_LONG))
    } else {
        Ok(())
    }
}

/// Whether an address takes the manual-review path: its domain is [`VPN_DOMAIN`].
pub fn is_vpn_email(email: &str) -> bool {
    email
        .rsplit_once('@')
        .is_some_and(|(_, domain)| domain.eq_ignore_ascii_case(VPN_DOMAIN))
}

/// The display text of a promo code (matched ignoring case and surrounding spaces).
pub fn promo_text(code: &str) -> Option<&'static str> {
    let code = code.trim().to_uppercase();
    PROMOS
        .iter()
        .find(|(known, _)| *known == code)
        .map(|(_, text)| *text)
}

/// The credit a promo code gives a new or upgraded account.
pub fn promo_credit_cents(code: &str) -> i64 {
    match code.trim().to_uppercase().as_str() {
        "WELCOME10" => WELCOME10_CREDIT_CENTS,
        _ => 0,
    }
}

/// A duration for people: `1 hour`, `24 hours`, `15 minutes`, `90 seconds`.
pub fn human_duration(secs: u64) -> String {
    let (n, unit) = if secs >= 3600 && secs.is_multiple_of(3600) {
        (secs / 3600, "hour")
    } else if secs >= 60 && secs.is_multiple_of(60) {
        (secs / 60, "minute")
    } else {
        (secs, "second")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

/// Cents as dollars for people: `$12.50`, `-$0.05`.
pub fn dollars(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}${}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use percent_encoding::utf8_percent_encode;

    #[test]
    fn email_validity() {
        for good in ["a@b", "demo@example.com", "o'brien+x@exämple.com"] {
            assert!(is_valid_email(good), "{good}");
        }
        let long = format!("{}@example.com", "a".repeat(250));
        for bad in [
            "",
            "no-at",
            "@example.com",
            "a@",
            "a@b@c",
            "a b@c",
            "a:b@c",
            "a@b\n",
            long.as_str(),
        ] {
            assert!(!is_valid_email(bad), "{bad:?}");
        }
        assert_eq!(valid_email("email", " a@b ").unwrap(), "a@b");
        assert_eq!(valid_email("email", "ab").unwrap_err().field, "email");
    }

    #[test]
    fn new_password_length() {
        assert!(check_new_password("p", "12345678").is_ok());
        assert!(check_new_password("p", &"é".repeat(128)).is_ok());
        let short = check_new_password("p", "1234567").unwrap_err();
        assert_eq!(
            (short.field.as_str(), short.message.as_str()),
            ("p", PASSWORD_TOO_SHORT)
        );
        let long = check_new_password("p", &"x".repeat(129)).unwrap_err();
        assert_eq!(long.message, PASSWORD_TOO_LONG);
        let spaces = check_new_password("p", "         ").unwrap_err();
        assert_eq!(spaces.message, PASSWORD_ONLY_SPACES);
        assert!(check_new_password("p", "  spaced  ").is_ok());
    }

    #[test]
    fn durations() {
        assert_eq!(human_duration(3600), "1 hour");
        assert_eq!(human_duration(86_400), "24 hours");
        assert_eq!(human_duration(900), "15 minutes");
        assert_eq!(human_duration(60), "1 minute");
        assert_eq!(human_duration(90), "90 seconds");
        assert_eq!(human_duration(1), "1 second");
    }

    #[test]
    fn dollars_handle_every_sign() {
        assert_eq!(dollars(1250), "$12.50");
        assert_eq!(dollars(0), "$0.00");
        assert_eq!(dollars(-5), "-$0.05");
        assert_eq!(dollars(-1250), "-$12.50");
        assert_eq!(dollars(i64::MIN), "-$92233720368547758.08");
    }

    #[test]
    fn vpn_addresses() {
        assert!(!is_vpn_email("x@example.com"));
        assert!(!is_vpn_email("x@notvpn.example.com"));
        assert!(is_vpn_email("x@VPN.Example.com"));
        assert!(is_vpn_email("x@vpn.example.com"));
    }

    #[test]
    fn promos() {
        assert_eq!(promo_text(" welcome10 "), Some(PROMOS[0].1));
        assert_eq!(promo_text("NOPE"), None);
        assert_eq!(promo_text("STANDARD50"), Some(PROMOS[1].1));
        assert_eq!(promo_credit_cents("welcome10"), WELCOME10_CREDIT_CENTS);
        assert_eq!(promo_credit_cents("STANDARD50"), 0);
    }

    #[test]
    fn email_in_links_is_encoded_like_encode_uri_component() {
        assert_eq!(
            utf8_percent_encode("o'brien+x@exämple.com", URI_COMPONENT).to_string(),
            "o'brien%2Bx%40ex%C3%A4mple.com"
        );
    }
}
