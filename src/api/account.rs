//! The account's own settings, one typed call each: password (A6), email (A10), API key
//! (A12), card (A17, A18), upgrade (A19), SSH keys (A25) and the account itself (A11).

use gloo_net::http::Method;

use super::{data, nothing, Answer, Api, ApiError, FromJson};
use crate::json::Json;

/// A12's answer: the new key.
struct NewKey(String);

impl FromJson for NewKey {
    fn from_json(j: &Json) -> Option<Self> {
        j.string("key").filter(|k| !k.is_empty()).map(NewKey)
    }
}

/// The card on file, as A17 describes it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CardOnFile {
    /// `Visa`, `MasterCard`, …
    pub brand: String,
    /// The last four digits, a number on the wire.
    pub last4: i64,
    /// Expiry month, 1–12.
    pub exp_month: i64,
    /// Expiry year, four digits.
    pub exp_year: i64,
}

impl FromJson for CardOnFile {
    fn from_json(j: &Json) -> Option<Self> {
        Some(CardOnFile {
            brand: j.string("brand")?,
            last4: j.int("last4")?,
            exp_month: j.int("exp_month").unwrap_or(0),
            exp_year: j.int("exp_year").unwrap_or(0),
        })
    }
}

/// One SSH key as A25 lists it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SshKey {
    /// What removes it: a number on the wire, kept as its text.
    pub id: String,
    /// The public key line, `type base64 [comment]`.
    pub key: String,
    /// OpenSSH's `SHA256:…` fingerprint **[ours]**; empty when not given.
    pub fingerprint: String,
}

impl FromJson for SshKey {
    fn from_json(j: &Json) -> Option<Self> {
        Some(SshKey {
            id: j.string("id").filter(|id| !id.is_empty())?,
            key: j.string("key")?,
            fingerprint: j.string("fingerprint").unwrap_or_default(),
        })
    }
}

impl SshKey {
    /// What people call the key: its comment (usually `user@host`), else its type. The API
    /// gives keys single-spaced.
    pub fn name(&self) -> &str {
        let mut parts = self.key.trim().splitn(3, ' ');
        let kind = parts.next().unwrap_or_default();
        parts
            .nth(1)
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .unwrap_or(kind)
    }
}

/// A6 `PATCH /api/users/change_password`. The key stays valid.
pub fn change_password(api: Api, current: &str, new: &str) -> Answer<()> {
    let body = Json::obj(&[
        ("current_password", Some(current)),
        ("new_password", Some(new)),
    ]);
    api.request(
        Method::PATCH,
        "/api/users/change_password",
        Some(&body),
        nothing,
    )
}

/// A10 `POST /api/users/email`: a confirm link goes to `next`, a revoke link to the
/// current address.
pub fn request_email_change(api: Api, next: &str, password: &str) -> Answer<()> {
    let body = Json::obj(&[
        ("next_email", Some(next)),
        ("current_password", Some(password)),
    ]);
    api.request(Method::POST, "/api/users/email", Some(&body), nothing)
}

/// A12 `POST /api/api_keys/regenerate`, with the current password in the JSON body rather
/// than the query the CLI uses, so it stays out of logs **[ours]**. Answers the new key.
pub fn regenerate_key(api: Api, password: &str) -> Answer<String> {
    let body = Json::obj(&[("current_password", Some(password))]);
    let read = |raw| data::<NewKey>(raw).map(|key| key.0);
    api.request(Method::POST, "/api/api_keys/regenerate", Some(&body), read)
}

/// A25 `GET /api/ssh_keys`.
pub fn ssh_keys(api: Api) -> Answer<Vec<SshKey>> {
    api.list("/api/ssh_keys")
}

/// A25 `POST /api/ssh_keys {"ssh_key"}`: adds a public key (201).
pub fn add_ssh_key(api: Api, key: &str) -> Answer<()> {
    let body = Json::obj(&[("ssh_key", Some(key))]);
    api.request(Method::POST, "/api/ssh_keys", Some(&body), nothing)
}

/// A25 `DELETE /api/ssh_keys {"id"}`, the id as a string, as the CLI sends it.
pub fn remove_ssh_key(api: Api, id: &str) -> Answer<()> {
    let body = Json::obj(&[("id", Some(id))]);
    api.request(Method::DELETE, "/api/ssh_keys", Some(&body), nothing)
}

/// A11 `DELETE /api/users/destroy {"email","current_password"}`: the whole account.
pub fn delete_account(api: Api, email: &str, password: &str) -> Answer<()> {
    let body = Json::obj(&[("email", Some(email)), ("current_password", Some(password))]);
    api.request(Method::DELETE, "/api/users/destroy", Some(&body), nothing)
}

/// A17 `GET /api/payment_methods`: the card on file, `None` when there is none (404).
pub async fn card(api: Api) -> Result<Option<CardOnFile>, ApiError> {
    match api.get("/api/payment_methods").await {
        Err(ApiError::NotFound) => Ok(None),
        other => other.map(Some),
    }
}

/// A18 `PUT /api/payment_methods` with a Stripe token.
pub fn save_card(api: Api, token: &str) -> Answer<()> {
    let body = Json::obj(&[("stripe_token", Some(token))]);
    api.request(Method::PUT, "/api/payment_methods", Some(&body), nothing)
}

/// A19 `POST /api/upgrade`: a Stripe token and, when one was typed, the promo code
/// (upper-cased by the caller, as the CLI does).
pub fn upgrade(api: Api, token: &str, promo: Option<String>) -> Answer<()> {
    let body = Json::obj(&[
        ("stripe_token", Some(token)),
        ("promo_code", promo.as_deref()),
    ]);
    api.request(Method::POST, "/api/upgrade", Some(&body), nothing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_card_and_the_new_key() {
        let j = Json::parse(r#"{"brand":"Visa","last4":42,"exp_month":1,"exp_year":2031}"#);
        let card = CardOnFile::from_json(&j.unwrap()).unwrap();
        assert_eq!((card.brand.as_str(), card.last4), ("Visa", 42));
        assert_eq!((card.exp_month, card.exp_year), (1, 2031));
        assert_eq!(CardOnFile::from_json(&Json::parse("{}").unwrap()), None);
        let k = Json::parse(r#"{"key":"abc","expires_at":null}"#).unwrap();
        assert_eq!(NewKey::from_json(&k).map(|k| k.0).as_deref(), Some("abc"));
        assert!(NewKey::from_json(&Json::parse("{}").unwrap()).is_none());
    }

    #[test]
    fn reads_ssh_keys() {
        let read = |s: &str| SshKey::from_json(&Json::parse(s).unwrap());
        let k = read(r#"{"id":3,"key":"ssh-ed25519 AAAA me@laptop two","fingerprint":"SHA256:x"}"#)
            .unwrap();
        assert_eq!((k.id.as_str(), k.name()), ("3", "me@laptop two"));
        assert_eq!(k.fingerprint, "SHA256:x");
        assert_eq!(
            read(r#"{"id":"7","key":"ssh-rsa AAAA"}"#).unwrap().name(),
            "ssh-rsa"
        );
        assert_eq!(read(r#"{"key":"ssh-rsa AAAA"}"#), None);
    }
}
