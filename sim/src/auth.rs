//! Credentials: HTTP Basic parsing, percent-decoding, password hashing, random secrets.

use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use sha2::Sha256;

use crate::totp::constant_time_eq;

// Clients differ on padding; accepting both costs nothing.
const LENIENT_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// PBKDF2 rounds: enough to make the stored hash not trivially reversible while keeping
/// debug-build tests fast. This is a simulator, not a production password store.
const PBKDF2_ROUNDS: u32 = 4096;

/// Splits `Authorization: Basic ...` into its raw user and password halves (split at the first
/// `:`), as UTF-8. Returns `None` for a missing, non-Basic, non-base64 or non-UTF-8 header.
pub fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = LENIENT_BASE64.decode(token.trim()).ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    Some((user.to_string(), password.to_string()))
}

/// Basic credentials as `/api/login` sends them: each half percent-encoded UTF-8.
pub fn login_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let (user, password) = basic_credentials(headers)?;
    Some((percent_decode(&user)?, percent_decode(&password)?))
}

/// Percent-decodes `%XX` sequences into UTF-8. `+` stays `+` (this is not form encoding).
/// Returns `None` when the bytes are not UTF-8; a `%` not followed by two hex digits is kept
/// as it is, the lenient reading most servers use.
pub fn percent_decode(text: &str) -> Option<String> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|s| s.into_owned())
}

/// Parses a URL query string into decoded (name, value) pairs; `+` means space here.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|part| !part.is_empty())
        .filter_map(|part| {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            Some((
                percent_decode(&name.replace('+', " "))?,
                percent_decode(&value.replace('+', " "))?,
            ))
        })
        .collect()
}

/// Fills a buffer from the operating system's CSPRNG.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the OS random source is available");
    bytes
}

/// A new API key: 32 random bytes as 43 URL-safe base64 characters.
pub fn new_api_key() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// The API key made from `nonce` with the simulator's key secret: HMAC-SHA256, as 43 URL-safe
/// base64 characters like [`new_api_key`]. Only the nonce and a hash of the key are stored,
/// so a copy of the database alone holds no working key, yet login can answer the same key
/// again (the contract's CLI expects that).
pub fn derive_api_key(secret: &[u8], nonce: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes keys of any length");
    mac.update(b"gigalixir-sim api key ");
    mac.update(nonce.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// A random version-4 UUID in the usual hyphenated lower-case form.
pub fn new_uuid() -> String {
    let mut b = random_bytes::<16>();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// A new token for an email link: 32 random bytes as 43 URL-safe base64 characters, so it
/// can sit in a URL unescaped.
pub fn new_email_token() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

/// How an email token is stored: SHA-256, in hex. The token has 256 random bits, so a plain
/// hash (no salt, no stretching) is enough to make a leaked database useless for resets,
/// and it keeps lookup a single indexed equality.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new TOTP secret: 20 random bytes (the RFC 4226 recommended length) in base32.
pub fn new_totp_secret() -> String {
    crate::totp::base32_encode(&random_bytes::<20>())
}

/// Alphabet for recovery codes: lower case and digits without look-alikes (0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";

/// A new recovery code shaped `xxxxx-xxxxx` (about 49 bits of entropy).
pub fn new_recovery_code() -> String {
    let bytes = random_bytes::<10>();
    let mut code = String::with_capacity(11);
    for (i, b) in bytes.iter().enumerate() {
        if i == 5 {
            code.push('-');
        }
        // 256 is not a multiple of 31, so a tiny bias remains; harmless for a simulator.
        code.push(RECOVERY_ALPHABET[*b as usize % RECOVERY_ALPHABET.len()] as char);
    }
    code
}

/// Canonical form of a typed recovery code: lower case, without dashes or spaces.
pub fn normalize_recovery_code(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// Hashes a password as `pbkdf2-sha256$ROUNDS$SALT$HASH` (base64 parts).
pub fn hash_password(password: &str) -> String {
    let salt = random_bytes::<16>();
    let mut out = [0u8; 32];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, PBKDF2_ROUNDS, &mut out);
    format!(
        "pbkdf2-sha256${PBKDF2_ROUNDS}${}${}",
        URL_SAFE_NO_PAD.encode(salt),
        URL_SAFE_NO_PAD.encode(out)
    )
}

/// Checks a password against a hash made by [`hash_password`].
pub fn verify_password(password: &str, stored: &str) -> bool {
    let mut parts = stored.split('$');
    let (Some("pbkdf2-sha256"), Some(rounds), Some(salt), Some(hash), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let (Ok(rounds), Ok(salt), Ok(hash)) = (
        rounds.parse::<u32>(),
        URL_SAFE_NO_PAD.decode(salt),
        URL_SAFE_NO_PAD.decode(hash),
    ) else {
        return false;
    };
    let mut out = vec![0u8; hash.len()];
    pbkdf2::pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, rounds, &mut out);
    constant_time_eq(&out, &hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::AUTHORIZATION, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(
            percent_decode("foo%40gigalixir.com").unwrap(),
            "foo@gigalixir.com"
        );
        assert_eq!(percent_decode("p%3Ass%20word").unwrap(), "p:ss word");
        assert_eq!(percent_decode("a+b").unwrap(), "a+b");
        assert_eq!(percent_decode("%C3%A9t%C3%A9").unwrap(), "été");
        assert_eq!(percent_decode("100%").unwrap(), "100%");
        assert_eq!(percent_decode("%zz").unwrap(), "%zz");
        assert!(percent_decode("%FF%FE").is_none());
    }

    #[test]
    fn login_basic_matches_the_cli_examples() {
        let h = headers("Basic Zm9vJTQwZ2lnYWxpeGlyLmNvbTpwYXNzd29yZA==");
        assert_eq!(
            login_credentials(&h).unwrap(),
            ("foo@gigalixir.com".to_string(), "password".to_string())
        );
        // Raw API-key form, as netrc auth sends it.
        let h = headers("Basic Zm9vQGdpZ2FsaXhpci5jb206ZmFrZS1hcGkta2V5");
        assert_eq!(
            basic_credentials(&h).unwrap(),
            ("foo@gigalixir.com".to_string(), "fake-api-key".to_string())
        );
    }

    #[test]
    fn garbage_authorization_is_none() {
        for bad in [
            "Bearer abc",
            "Basic",
            "Basic !!!",
            "Basic bm9jb2xvbg==",
            "Basic //79",
        ] {
            assert!(basic_credentials(&headers(bad)).is_none(), "{bad}");
        }
        assert!(basic_credentials(&HeaderMap::new()).is_none());
        // Unpadded base64 is accepted.
        assert!(basic_credentials(&headers("basic YTpi")).is_some());
    }

    #[test]
    fn query_parsing() {
        assert_eq!(
            parse_query("mfa_token=12+3%204&x&=y"),
            vec![
                ("mfa_token".to_string(), "12 3 4".to_string()),
                ("x".to_string(), String::new()),
                (String::new(), "y".to_string())
            ]
        );
    }

    #[test]
    fn passwords_and_secrets() {
        let hash = hash_password("p:ss word%");
        assert!(verify_password("p:ss word%", &hash));
        assert!(!verify_password("p:ss word", &hash));
        assert!(!verify_password("x", "garbage"));
        assert_ne!(hash_password("a"), hash_password("a"), "salted");
        let key = new_api_key();
        assert!(key.len() >= 32);
        assert!(key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(key, new_api_key());
        assert_eq!(
            crate::totp::base32_decode(&new_totp_secret())
                .unwrap()
                .len(),
            20
        );
        let token = new_email_token();
        assert_eq!(token.len(), 43);
        assert_ne!(token, new_email_token());
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(normalize_recovery_code(&code.to_uppercase()).len(), 10);
    }
}
