//! Two-factor authentication for the signed-in user: A13 start, A14 verify, A15 turn off,
//! A16 new recovery codes.

use gloo_net::http::Method;

use super::{data, nothing, Answer, Api, FromJson};
use crate::json::Json;
use crate::url::{decode, parse_query};

/// Every answer of A13, A14 and A16, each filling its own field: one decoder, not three.
struct Data {
    url: String,
    recovery_codes: Vec<String>,
}

impl FromJson for Data {
    fn from_json(j: &Json) -> Option<Self> {
        let codes = j.get("recovery_codes").map(Json::items).unwrap_or_default();
        Some(Data {
            url: j.string("url").unwrap_or_default(),
            recovery_codes: codes
                .iter()
                .filter_map(Json::text)
                .map(str::to_string)
                .collect(),
        })
    }
}

/// The body of A15 and A16: `{"current_password"}` (the CLI sends none there; the console
/// asks for it) [ours].
fn password(current_password: &str) -> Json {
    Json::obj(&[("current_password", Some(current_password))])
}

/// A13: a new pending secret; answers its `otpauth://` URI. MFA stays off until [`verify`].
pub fn start(api: Api) -> Answer<String> {
    let read = |raw| present(data::<Data>(raw)?.url);
    api.request(Method::POST, "/api/mfa/start", Some(&Json::obj(&[])), read)
}

/// A14: turns MFA on with a code from the app; answers the recovery codes, shown once.
/// The API key stops working at once.
pub fn verify(api: Api, code: &str) -> Answer<Vec<String>> {
    let body = Json::obj(&[("mfa_token", Some(code))]);
    api.request(Method::POST, "/api/mfa/verify", Some(&body), codes)
}

/// A15: turns MFA off.
pub fn deactivate(api: Api, current_password: &str) -> Answer<()> {
    let body = password(current_password);
    api.request(Method::DELETE, "/api/mfa", Some(&body), nothing)
}

/// A16: replaces every recovery code; the old ones stop working.
pub fn regenerate(api: Api, current_password: &str) -> Answer<Vec<String>> {
    let body = password(current_password);
    api.request(Method::POST, "/api/mfa/recovery_codes", Some(&body), codes)
}

/// The recovery codes of A14's and A16's answers.
fn codes(raw: super::client::Raw) -> Result<Vec<String>, super::ApiError> {
    present(data::<Data>(raw)?.recovery_codes)
}

/// An answer without what it is for (no URI, no codes) is malformed, not empty: MFA may
/// be on by then, and codes shown as none would be lost.
fn present<T: Default + PartialEq>(value: T) -> Result<T, super::ApiError> {
    if value == T::default() {
        Err(super::ApiError::Malformed)
    } else {
        Ok(value)
    }
}

/// What an `otpauth://totp/` URI tells someone typing the key by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyUri {
    /// Base32 secret.
    pub secret: String,
    /// Who issued it (`issuer=`, else the label's prefix).
    pub issuer: String,
    /// The account part of the label.
    pub account: String,
    /// Code length (6 unless the URI says otherwise).
    pub digits: String,
    /// Seconds per code (30 unless the URI says otherwise).
    pub period: String,
}

impl KeyUri {
    /// Reads a Key URI; `None` when it is not one or has no secret.
    pub fn parse(uri: &str) -> Option<KeyUri> {
        let rest = uri.strip_prefix("otpauth://totp/")?;
        let (label, query) = rest.split_once('?').unwrap_or((rest, ""));
        let label = decode(label);
        let (prefix, account) = match label.split_once(':') {
            Some((issuer, account)) => (issuer.to_string(), account.trim().to_string()),
            None => (String::new(), label),
        };
        let params = parse_query(query);
        let get = |key: &str, default: String| {
            params
                .iter()
                .find(|(k, v)| k == key && !v.is_empty())
                .map_or(default, |(_, v)| v.clone())
        };
        let secret = get("secret", String::new());
        (!secret.is_empty()).then(|| KeyUri {
            secret,
            issuer: get("issuer", prefix),
            account,
            digits: get("digits", "6".into()),
            period: get("period", "30".into()),
        })
    }
}

/// Groups a secret in fours, as people read and type it ("JBSW Y3DP …").
pub fn group_in_fours(secret: &str) -> String {
    secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_uri_and_the_codes_and_refuses_answers_without_them() {
        let read = |s: &str| Data::from_json(&Json::parse(s).unwrap()).unwrap();
        let started = read(r#"{"message":"ok","url":"otpauth://totp/G:a?secret=AB"}"#);
        assert_eq!(
            present(started.url).unwrap(),
            "otpauth://totp/G:a?secret=AB"
        );
        let codes = read(r#"{"recovery_codes":["a1","b2"]}"#).recovery_codes;
        assert_eq!(present(codes).unwrap(), ["a1", "b2"]);
        let empty = read(r#"{"message":"ok"}"#);
        assert_eq!(present(empty.url), Err(super::super::ApiError::Malformed));
        assert_eq!(
            present(empty.recovery_codes),
            Err(super::super::ApiError::Malformed)
        );
    }

    #[test]
    fn bodies_are_what_the_api_takes() {
        assert_eq!(password("p w").to_text(), r#"{"current_password":"p w"}"#);
    }

    #[test]
    fn reads_the_simulators_key_uri() {
        let uri = "otpauth://totp/Gigalixir:a%2Bb%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DP&issuer=Gigalixir&algorithm=SHA1&digits=6&period=30";
        assert_eq!(
            KeyUri::parse(uri),
            Some(KeyUri {
                secret: "JBSWY3DPEHPK3PXPJBSWY3DP".into(),
                issuer: "Gigalixir".into(),
                account: "a+b@example.com".into(),
                digits: "6".into(),
                period: "30".into(),
            })
        );
    }

    #[test]
    fn fills_in_the_standard_defaults() {
        let k = KeyUri::parse("otpauth://totp/Acme:me@x.io?secret=ABC").unwrap();
        assert_eq!((k.issuer.as_str(), k.account.as_str()), ("Acme", "me@x.io"));
        assert_eq!((k.digits.as_str(), k.period.as_str()), ("6", "30"));
        let k = KeyUri::parse("otpauth://totp/me?secret=ABC&digits=8&period=60").unwrap();
        assert_eq!((k.issuer.as_str(), k.account.as_str()), ("", "me"));
        assert_eq!((k.digits.as_str(), k.period.as_str()), ("8", "60"));
        assert_eq!(KeyUri::parse("otpauth://totp/me?issuer=x"), None);
        assert_eq!(KeyUri::parse("otpauth://hotp/me?secret=ABC"), None);
        assert_eq!(KeyUri::parse("https://evil.example/?secret=ABC"), None);
    }

    #[test]
    fn secrets_are_grouped_in_fours() {
        assert_eq!(
            group_in_fours("JBSWY3DPEHPK3PXPJBSWY3DP"),
            "JBSW Y3DP EHPK 3PXP JBSW Y3DP"
        );
        assert_eq!(group_in_fours("ABCDEF"), "ABCD EF");
        assert_eq!(group_in_fours(""), "");
    }
}
