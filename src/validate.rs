//! Form validators: pure functions from typed text to the message shown next to the field.

use crate::messages::t;

/// A dollar amount as a person types it ("50", "$1,250.5", " 49.99 ") in cents; `None` when
/// nothing is typed. Below a billion dollars, up to two decimals; commas only between
/// thousands, so that "49,99" (a decimal comma) is refused rather than read as $4,999.
pub fn dollars(value: &str) -> Result<Option<i64>, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    // One pass over the bytes: a leading `$`, digits, then at most two after a point.
    // `whole` counts the digits before the point, `places` those after, `group` those since
    // the last comma (`grouped` once there is one).
    let (mut cents, mut whole, mut places) = (0i64, 0, None::<u32>);
    let (mut group, mut grouped) = (0, false);
    let groups_end = |group: u32, grouped: bool| !grouped || group == 3;
    for (i, b) in v.bytes().enumerate() {
        match (b, places) {
            (b'$', _) if i == 0 => {}
            (b',', None) if (1..=3).contains(&group) && groups_end(group, grouped) => {
                (group, grouped) = (0, true);
            }
            (b'.', None) if groups_end(group, grouped) => places = Some(0),
            (b'0'..=b'9', None) if whole < 9 => (whole, group) = (whole + 1, group + 1),
            (b'0'..=b'9', Some(p)) if p < 2 => places = Some(p + 1),
            _ => return Err(t().spend_invalid),
        }
        if b.is_ascii_digit() {
            cents = cents * 10 + i64::from(b - b'0');
        }
    }
    let ended = places.is_some() || groups_end(group, grouped);
    let places = places.unwrap_or(0);
    if whole + places == 0 || !ended {
        return Err(t().spend_invalid);
    }
    Ok(Some(cents * [100, 10, 1][places as usize]))
}

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

/// A new password: 8 to 128 characters (the API's rule), not all of them spaces; anything
/// else goes.
pub fn new_password(value: &str) -> Result<(), &'static str> {
    match value.chars().count() {
        0..=7 => Err(t().password_too_short),
        _ if value.trim().is_empty() => Err(t().password_only_spaces),
        8..=128 => Ok(()),
        _ => Err(t().password_too_long),
    }
}

/// A changed password must be a new one.
pub fn password_changes(current: &str, new: &str) -> Result<(), &'static str> {
    if current == new {
        Err(t().password_same)
    } else {
        Ok(())
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

/// Six digits as typed ("123 456", "123-456"), without the separators.
fn six_digits(value: &str) -> Option<String> {
    let digits: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (digits.len() == 6 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// Normalises a TOTP code as typed ("123 456", "123-456") to six digits, or says what's wrong.
pub fn totp_code(value: &str) -> Result<String, &'static str> {
    six_digits(value).ok_or(t().mfa_code_invalid)
}

/// Normalises the emailed sign-up code the same way.
pub fn signup_code(value: &str) -> Result<String, &'static str> {
    six_digits(value).ok_or(t().signup_code_invalid)
}

/// A promo code as the API wants it: trimmed and upper-cased; `None` when left empty.
pub fn promo_code(value: &str) -> Option<String> {
    Some(value.trim().to_ascii_uppercase()).filter(|c| !c.is_empty())
}

/// The note a manual review asks for: present and at most 1000 characters.
pub fn explanation(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    match v.chars().count() {
        0 => Err(t().review_note_required),
        1..=1000 => Ok(v.to_string()),
        _ => Err(t().review_note_too_long),
    }
}

/// Passwords people pick first; any of these inside a password makes it weak.
const COMMON: [&str; 16] = [
    "password",
    "passw0rd",
    "123456",
    "qwerty",
    "azerty",
    "letmein",
    "welcome",
    "iloveyou",
    "admin",
    "abc123",
    "111111",
    "monkey",
    "dragon",
    "football",
    "sunshine",
    "gigalixir",
];

/// How hard a new password is to guess, from 0 (too short) to 4 (strong).
///
/// A rough guide, not a rule: length counts most, then variety; common words, repeats and
/// the email's own name pull it down. The server's only rule is the length.
pub fn password_strength(password: &str, email: &str) -> u8 {
    let len = password.chars().count();
    if len < 8 {
        return 0;
    }
    let lower = password.to_ascii_lowercase();
    let name = email.split('@').next().unwrap_or("").to_ascii_lowercase();
    // Quadratic, but passwords are short, and a sort would pull a sorting routine into the
    // wasm for this one use.
    let distinct = password
        .char_indices()
        .filter(|(i, c)| !password[..*i].contains(*c))
        .count();
    if COMMON.iter().any(|w| lower.contains(w))
        || (name.len() >= 3 && lower.contains(&name))
        || distinct < 5
    {
        return 1;
    }
    let classes = [
        password.chars().any(|c| c.is_ascii_lowercase()),
        password.chars().any(|c| c.is_ascii_uppercase()),
        password.chars().any(|c| c.is_ascii_digit()),
        password.chars().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    let by_length: u8 = match len {
        8..=11 => 1,
        12..=15 => 2,
        _ => 3,
    };
    (by_length + u8::from(classes >= 3)).min(4)
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

/// Key types the API accepts, as the first word of a public key line.
const SSH_KEY_TYPES: [&str; 7] = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// A pasted public key (one `type base64 [comment]` line), trimmed, or what is wrong with it.
///
/// Catches the usual mistakes before a round trip: nothing pasted, the private key, another
/// format, a cut-off line. Whether the body really is a key of that type is the API's call.
pub fn ssh_public_key(value: &str) -> Result<String, &'static str> {
    let v = value.trim();
    if v.is_empty() {
        return Err(t().ssh_key_required);
    }
    if v.starts_with("-----BEGIN") || v.contains("PRIVATE KEY") {
        return Err(t().ssh_key_private);
    }
    let mut words = v.split_whitespace();
    if !SSH_KEY_TYPES.contains(&words.next().unwrap_or("")) {
        return Err(t().ssh_key_type);
    }
    // Base64 with padding: whole quads, at most two `=` and only at the end. Real bodies are
    // 68 characters or more; 16 rules out a stray word without refusing any real key.
    let body = words.next().unwrap_or("");
    let bare = body.trim_end_matches('=');
    let base64 = body.len() >= 16
        && body.len().is_multiple_of(4)
        && body.len() - bare.len() <= 2
        && bare
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/');
    // A line break inside means a wrapped copy or two keys: either way not one line.
    if base64 && !v.contains(['\n', '\r']) {
        Ok(v.to_string())
    } else {
        Err(t().ssh_key_body)
    }
}

/// Whether a typed confirmation (an app's name, the deletion phrase) matches `expected`;
/// surrounding spaces and ASCII case don't count.
pub fn typed_match(typed: &str, expected: &str) -> bool {
    typed.trim().eq_ignore_ascii_case(expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollar_amounts_as_people_type_them() {
        for (typed, cents) in [
            ("50", 5000),
            (" $1,250.5 ", 125_050),
            ("49.99", 4999),
            (".5", 50),
            ("7.", 700),
            ("0", 0),
            ("999999999.99", 99_999_999_999),
            ("$0.07", 7),
            ("1,000,000", 100_000_000),
            ("12,345.67", 1_234_567),
        ] {
            assert_eq!(dollars(typed), Ok(Some(cents)), "{typed:?}");
        }
        assert_eq!(dollars("  "), Ok(None));
        for bad in [
            "abc",
            "1.234",
            "-5",
            "1e3",
            ".",
            "$",
            "$$5",
            "5$",
            ",",
            "1.2,3",
            "1000000000",
            "5 0",
            "1.2.3",
            "€5",
            "+5",
            "49,99",
            "1,2",
            ",5",
            "5,",
            "1,,000",
            "1,2.5",
            "1234,567",
            "1,000,00",
        ] {
            assert_eq!(dollars(bad), Err(t().spend_invalid), "{bad:?}");
        }
    }

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
        assert_eq!(new_password("        "), Err(t().password_only_spaces));
        assert_eq!(new_password(" \t  \n   "), Err(t().password_only_spaces));
        assert_eq!(
            new_password("  x     "),
            Ok(()),
            "spaces around a character are fine"
        );
        assert_eq!(
            password_changes("same-pass", "same-pass"),
            Err(t().password_same)
        );
        assert_eq!(password_changes("old-pass", "new-pass"), Ok(()));
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
    fn signup_codes_promos_and_notes() {
        assert_eq!(signup_code(" 012 345").as_deref(), Ok("012345"));
        assert_eq!(signup_code("01234"), Err(t().signup_code_invalid));
        assert_eq!(promo_code("  welcome10 ").as_deref(), Some("WELCOME10"));
        assert_eq!(promo_code("   "), None);
        assert_eq!(explanation("  "), Err(t().review_note_required));
        assert_eq!(
            explanation(" I work from a VPN ").as_deref(),
            Ok("I work from a VPN")
        );
        assert_eq!(
            explanation(&"é".repeat(1001)),
            Err(t().review_note_too_long)
        );
    }

    #[test]
    fn password_strength_grows_with_length_and_variety() {
        assert_eq!(password_strength("", "a@b.co"), 0);
        assert_eq!(password_strength("Ab1!xyz", "a@b.co"), 0, "too short");
        assert_eq!(
            password_strength("password123!", "a@b.co"),
            1,
            "common word"
        );
        assert_eq!(
            password_strength("MyPassWord-77", "a@b.co"),
            1,
            "common, any case"
        );
        assert_eq!(
            password_strength("aaaaaaaaaaaaaaaaaaaa", "a@b.co"),
            1,
            "repeats"
        );
        assert_eq!(
            password_strength("jane-doe-2026", "jane-doe@b.co"),
            1,
            "own name"
        );
        assert_eq!(password_strength("tkvbmzqr", "a@b.co"), 1);
        assert_eq!(password_strength("tkvbmzqrwp", "a@b.co"), 1);
        assert_eq!(password_strength("Tkvb9zqr!", "a@b.co"), 2);
        assert_eq!(password_strength("tkvbmzqrwpln", "a@b.co"), 2);
        assert_eq!(password_strength("tkvb mzqr wpln", "a@b.co"), 2);
        assert_eq!(password_strength("Tkvb mzqr wpln", "a@b.co"), 3);
        assert_eq!(password_strength("correct horse battery", "a@b.co"), 3);
        assert_eq!(password_strength("Correct horse battery 9", "a@b.co"), 4);
        assert_eq!(password_strength(&"x1Y!q7Wz".repeat(16), "a@b.co"), 4);
    }

    #[test]
    fn recovery_codes() {
        assert_eq!(recovery_code("  abcd-1234 ").as_deref(), Ok("abcd-1234"));
        assert_eq!(recovery_code("  "), Err(t().recovery_code_required));
    }

    const ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAUmEEX me@laptop";

    #[test]
    fn ssh_keys_are_checked_before_sending() {
        assert_eq!(ssh_public_key(ED25519).as_deref(), Ok(ED25519));
        let padded = format!("  {ED25519}\n");
        assert_eq!(ssh_public_key(&padded).as_deref(), Ok(ED25519), "trimmed");
        let no_comment = &ED25519[..ED25519.len() - 10];
        assert_eq!(ssh_public_key(no_comment).as_deref(), Ok(no_comment));
        for kind in SSH_KEY_TYPES {
            let key = format!("{kind} AAAAB3NzaC1yc2EAAAADAQABAA== x");
            assert!(ssh_public_key(&key).is_ok(), "{kind}");
        }
        for blank in ["", "  \n\t "] {
            assert_eq!(ssh_public_key(blank), Err(t().ssh_key_required));
        }
        for private in [
            "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
            "-----BEGIN RSA PRIVATE KEY-----",
            "PuTTY-User-Key-File-3: ssh-ed25519\nPrivate-Lines: 1 PRIVATE KEY",
        ] {
            assert_eq!(ssh_public_key(private), Err(t().ssh_key_private), "{private}");
        }
        for other in [
            "hello world",
            "ssh-dss AAAAB3NzaC1kc3MAAACBAP1 x",
            "SSH-ED25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/P x",
            "---- BEGIN SSH2 PUBLIC KEY ----",
            "AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAUmEEX",
        ] {
            assert_eq!(ssh_public_key(other), Err(t().ssh_key_type), "{other}");
        }
        for broken in [
            "ssh-ed25519",
            "ssh-ed25519 me@laptop",
            "ssh-ed25519 AAAA",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAUmEE",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAU===",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbA=mEEX",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAUmEE!",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA\nIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAUmEEX",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAUmEEX a\nssh-rsa AAAA b",
        ] {
            assert_eq!(ssh_public_key(broken), Err(t().ssh_key_body), "{broken}");
        }
    }

    #[test]
    fn typed_confirmations() {
        assert!(typed_match("demo-app", "demo-app"));
        assert!(typed_match("  Delete My Account ", "delete my account"));
        assert!(!typed_match("demo-ap", "demo-app"));
        assert!(!typed_match("", "demo-app"));
        assert!(!typed_match("delete  my account", "delete my account"));
    }
}
