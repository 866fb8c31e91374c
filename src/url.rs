//! Percent-encoding, query strings and Base64: the few URL pieces the console needs.
//!
//! Written here rather than pulled in as crates because each is a dozen lines and every
//! kilobyte of wasm is paid for by every visitor.

/// Percent-encodes all but RFC 3986 unreserved characters (for query values).
pub fn encode_component(s: &str) -> String {
    encode(s, b"")
}

/// Percent-encodes like Python's `urllib.parse.quote`: unreserved characters and `/` are kept.
///
/// `GET /api/login` expects Basic credentials encoded exactly this way (the official CLI does).
pub fn encode_keep_slash(s: &str) -> String {
    encode(s, b"/")
}

fn encode(s: &str, keep: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[(b >> 4) as usize] as char);
            out.push(HEX[(b & 15) as usize] as char);
        }
    }
    out
}

/// Decodes `%XX` escapes; malformed escapes stay as typed and invalid UTF-8 becomes U+FFFD.
///
/// `+` is kept as `+`: our links never encode spaces as `+`, and emails may contain it.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Splits `a=1&b=2` into decoded pairs; a key without `=` gets an empty value.
pub fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Joins pairs into a query string (without `?`), skipping absent values.
pub fn build_query(pairs: &[(&str, Option<&str>)]) -> String {
    let mut out = String::new();
    for (k, v) in pairs {
        if let Some(v) = v {
            if !out.is_empty() {
                out.push('&');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(&encode_component(v));
        }
    }
    out
}

/// Standard Base64 with padding (RFC 4648 §4), as HTTP Basic auth wants.
pub fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_like_pythons_quote() {
        assert_eq!(
            encode_keep_slash("foo@gigalixir.com"),
            "foo%40gigalixir.com"
        );
        assert_eq!(encode_keep_slash("p:ss word"), "p%3Ass%20word");
        assert_eq!(encode_keep_slash("a/b~c"), "a/b~c");
        assert_eq!(encode_keep_slash("pä%"), "p%C3%A4%25");
        assert_eq!(encode_component("/account"), "%2Faccount");
    }

    #[test]
    fn decode_round_trips_and_tolerates_garbage() {
        for s in [
            "",
            "a b",
            "/account?x=1&y=2",
            "ünï 💥",
            "%",
            "100%",
            "a+b@example.com",
        ] {
            assert_eq!(decode(&encode_component(s)), s);
        }
        assert_eq!(decode("%"), "%");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("%zz"), "%zz");
        assert_eq!(decode("a%2"), "a%2");
        assert_eq!(decode("%FF"), "\u{FFFD}");
        assert_eq!(decode("a+b"), "a+b");
    }

    #[test]
    fn query_parsing() {
        assert_eq!(
            parse_query("next=%2Faccount&flag&&x=a%26b"),
            vec![
                ("next".into(), "/account".into()),
                ("flag".into(), String::new()),
                ("x".into(), "a&b".into())
            ]
        );
        assert_eq!(
            build_query(&[("a", Some("x y")), ("b", None), ("c", Some("/"))]),
            "a=x%20y&c=%2F"
        );
    }

    #[test]
    fn base64_matches_rfc4648_vectors() {
        let cases = [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ];
        for (plain, b64) in cases {
            assert_eq!(base64(plain.as_bytes()), b64);
        }
        // The contract's own example for the login header.
        assert_eq!(
            base64(b"foo%40gigalixir.com:password"),
            "Zm9vJTQwZ2lnYWxpeGlyLmNvbTpwYXNzd29yZA=="
        );
    }
}
