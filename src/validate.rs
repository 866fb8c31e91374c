//! Form validators: pure functions from typed text to the message shown next to the field.

use crate::messages::t;

/// Checks an email address the way a person would: something@something.tld, no spaces.
pub fn email(value: &str) -> Result<(), &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Err(t().email_required);
    }
    let ok = v.len() <= 254
        && !v.chars().any(|c| c.is_whitespace() || c.is_control())
        && match v.rsplit_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !local.contains('@')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
                    && domain.split('.').count() >= 2
                    && domain.split('.').all(|p| !p.is_empty())
            }
            None => false,
        };
    if ok {
        Ok(())
    } else {
        Err(t().email_invalid)
    }
}

/// A password to sign in with only has to be present; its rules belong to the server.
pub fn current_password(value: &str) -> Result<(), &'static str> {
    if value.is_empty() {
        Err(t().password_required)
    } else {
        Ok(())
    }
}

/// A new password: 8 to 128 characters (the API's rule), anything else goes.
pub fn new_password(value: &str) -> Result<(), &'static str> {
    match value.chars().count() {
        0..=7 => Err(t().password_too_short),
        8..=128 => Ok(()),
        _ => Err(t().password_too_long),
    }
}

/// The repeated password must equal the first.
pub fn password_repeat(first: &str, repeat: &str) -> Result<(), &'static str> {
    if first == repeat {
        Ok(())
    } else {
        Err(t().passwords_differ)
    }
}

/// Normalises a TOTP code as typed ("123 456", "123-456") to six digits, or says what's wrong.
pub fn totp_code(value: &str) -> Result<String, &'static str> {
    let digits: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit()) {
        Ok(digits)
    } else {
        Err(t().mfa_code_invalid)
    }
}

/// Normalises a recovery code as typed (surrounding spaces dropped).
pub fn recovery_code(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        Err(t().recovery_code_required)
    } else {
        Ok(v.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        for good in [
            "a@b.co",
            "first.last+tag@example.com",
            "ünï@exämple.de",
            " padded@example.com ",
        ] {
            assert_eq!(email(good), Ok(()), "{good}");
        }
        assert_eq!(email(""), Err(t().email_required));
        assert_eq!(email("   "), Err(t().email_required));
        for bad in [
            "a", "a@", "@b.co", "a@b", "a@b.", "a@.b", "a@b..co", "a b@c.de", "a@@b.co", "a@b\n.co",
        ] {
            assert_eq!(email(bad), Err(t().email_invalid), "{bad:?}");
        }
        assert!(email(&format!("{}@example.com", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords_are_only_required() {
        assert_eq!(current_password(""), Err(t().password_required));
        assert_eq!(current_password(" "), Ok(()));
    }

    #[test]
    fn new_passwords() {
        assert_eq!(new_password(""), Err(t().password_too_short));
        assert_eq!(new_password("1234567"), Err(t().password_too_short));
        assert_eq!(new_password("12345678"), Ok(()));
        assert_eq!(new_password("ünïcødé!"), Ok(()), "characters, not bytes");
        assert_eq!(new_password(&"x".repeat(128)), Ok(()));
        assert_eq!(new_password(&"x".repeat(129)), Err(t().password_too_long));
        assert_eq!(password_repeat("a b", "a b"), Ok(()));
        assert_eq!(password_repeat("a b", "a b "), Err(t().passwords_differ));
    }

    #[test]
    fn totp_codes() {
        assert_eq!(totp_code("123456").as_deref(), Ok("123456"));
        assert_eq!(totp_code(" 123 456 ").as_deref(), Ok("123456"));
        assert_eq!(totp_code("123-456").as_deref(), Ok("123456"));
        for bad in ["", "12345", "1234567", "12345a", "١٢٣٤٥٦"] {
            assert_eq!(totp_code(bad), Err(t().mfa_code_invalid), "{bad}");
        }
    }

    #[test]
    fn recovery_codes() {
        assert_eq!(recovery_code("  abcd-1234 ").as_deref(), Ok("abcd-1234"));
        assert_eq!(recovery_code("  "), Err(t().recovery_code_required));
    }
}
