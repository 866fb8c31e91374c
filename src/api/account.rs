//! The account's own settings: password (A6), email (A10), API key (A12), card (A17, A18),
//! upgrade (A19), SSH keys (A25), destroying apps (A24) and the account itself (A11); the
//! SSH-key, app and billing (A20, A21) lists are read here too.
//!
//! Every call goes through [`perform`], one function with one request in it: the console
//! then carries the request code once rather than once per call, which the size budget needs.

use gloo_net::http::Method;
use web_sys::AbortSignal;

use super::client::{decode, decode_with, status_only};
use super::json::Json;
use super::{Api, ApiError, FromJson};
use crate::messages::t;
use crate::url::encode_component;

/// One account call.
pub enum Call {
    /// A6 `PATCH /api/users/change_password`: current and new password. The key stays valid.
    Password(String, String),
    /// A10 `POST /api/users/email`: new address and current password; a confirm link goes to
    /// the new address, a revoke link to the current one.
    Email(String, String),
    /// A12 `POST /api/api_keys/regenerate` with the current password in the JSON body, not
    /// the query the CLI uses, so it stays out of logs **[ours]**. Gives the new key.
    Regenerate(String),
    /// A25 `POST /api/ssh_keys {"ssh_key"}`: adds a public key (201).
    AddSshKey(String),
    /// A25 `DELETE /api/ssh_keys {"id"}`, the id as a string, as the CLI sends it.
    RemoveSshKey(String),
    /// A24 `DELETE /api/apps/<name>`: the app and its databases.
    DestroyApp(String),
    /// A11 `DELETE /api/users/destroy {"email","current_password"}`: the whole account.
    DeleteAccount(String, String),
    /// A17 `GET /api/payment_methods`: gives the card line, `None` on 404 (no card).
    LoadCard,
    /// A18 `PUT /api/payment_methods` with a Stripe token.
    SaveCard(String),
    /// A19 `POST /api/upgrade`: a Stripe token and, when one was typed, the promo code
    /// (upper-cased here, as the CLI does).
    Upgrade(String, Option<String>),
    /// `GET` a list (A20 invoices, A21 usage, A23 apps, A25 SSH keys); the page's function
    /// turns its rows into the markup to show. The account tabs draw lists as markup, so the
    /// rows never need a signal of their own type.
    List(&'static str, fn(&[Json]) -> String),
}

impl Call {
    /// The call with `token` as its Stripe token: card calls are made up before Stripe.js
    /// has turned the card into a token.
    pub fn with_token(mut self, token: String) -> Call {
        if let Call::SaveCard(t) | Call::Upgrade(t, _) = &mut self {
            *t = token;
        }
        self
    }
}

/// A12's answer: the new key.
struct NewKey(String);

impl FromJson for NewKey {
    fn from_json(j: &Json) -> Option<Self> {
        Some(NewKey(j.str("key"))).filter(|k| !k.0.is_empty())
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
            brand: j.str("brand"),
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
            id: j.str("id"),
            key: j.str("key"),
            fingerprint: j.str("fingerprint"),
        })
        .filter(|k| !k.id.is_empty())
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

/// An app as A23 lists it; only its name matters to the account pages.
#[derive(Clone, Debug, PartialEq)]
pub struct AppName(pub String);

impl FromJson for AppName {
    fn from_json(j: &Json) -> Option<Self> {
        Some(AppName(j.str("unique_name"))).filter(|a| !a.0.is_empty())
    }
}

impl CardOnFile {
    /// "Visa •••• 4242, expires 12/2030".
    pub fn line(&self) -> String {
        t().card_on_file(&self.brand, self.last4, self.exp_month, self.exp_year)
    }
}

/// Makes one call; the text is the new key (A12), the card line (A17) or the list's (A20,
/// A21), else `None`.
pub async fn perform(
    api: Api,
    call: Call,
    signal: &AbortSignal,
) -> Result<Option<String>, ApiError> {
    // Set only for A24, whose path carries the (percent-encoded) app name.
    let app_path: String;
    let (method, path, body) = match &call {
        Call::Password(current, new) => (
            Method::PATCH,
            "/api/users/change_password",
            Some(Json::obj(&[
                ("current_password", Some(current)),
                ("new_password", Some(new)),
            ])),
        ),
        Call::Email(next, password) => (
            Method::POST,
            "/api/users/email",
            Some(Json::obj(&[
                ("next_email", Some(next)),
                ("current_password", Some(password)),
            ])),
        ),
        Call::Regenerate(password) => (
            Method::POST,
            "/api/api_keys/regenerate",
            Some(Json::obj(&[("current_password", Some(password))])),
        ),
        Call::AddSshKey(key) => (
            Method::POST,
            "/api/ssh_keys",
            Some(Json::obj(&[("ssh_key", Some(key))])),
        ),
        Call::RemoveSshKey(id) => (
            Method::DELETE,
            "/api/ssh_keys",
            Some(Json::obj(&[("id", Some(id))])),
        ),
        Call::DestroyApp(name) => {
            app_path = format!("/api/apps/{}", encode_component(name));
            (Method::DELETE, app_path.as_str(), None)
        }
        Call::DeleteAccount(email, password) => (
            Method::DELETE,
            "/api/users/destroy",
            Some(Json::obj(&[
                ("email", Some(email)),
                ("current_password", Some(password)),
            ])),
        ),
        Call::LoadCard => (Method::GET, "/api/payment_methods", None),
        Call::List(path, _) => (Method::GET, *path, None),
        Call::SaveCard(token) => (
            Method::PUT,
            "/api/payment_methods",
            Some(Json::obj(&[("stripe_token", Some(token))])),
        ),
        Call::Upgrade(token, promo) => (
            Method::POST,
            "/api/upgrade",
            Some(Json::obj(&[
                ("stripe_token", Some(token)),
                ("promo_code", promo.as_deref()),
            ])),
        ),
    };
    let body = body.map(|b| b.to_text());
    let raw = match api.keyed(method, path, body, signal).await {
        Err(ApiError::NotFound) if matches!(call, Call::LoadCard) => return Ok(None),
        other => other?,
    };
    match call {
        Call::Regenerate(_) => decode::<NewKey>(raw)?.1.map(|k| Some(k.0)),
        Call::LoadCard => decode::<CardOnFile>(raw)?.1.map(|c| Some(c.line())),
        Call::List(_, show) => {
            let list = |data: &Json| matches!(data, Json::Arr(_)).then(|| show(data.items()));
            decode_with(raw, list)?.1.map(Some)
        }
        _ => return status_only(raw).map(|()| None),
    }
    .ok_or(ApiError::Malformed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_card_and_the_new_key() {
        let j = Json::parse(r#"{"brand":"Visa","last4":42,"exp_month":1,"exp_year":2031}"#);
        let card = CardOnFile::from_json(&j.unwrap()).unwrap();
        assert_eq!(card.line(), "Visa •••• 0042, expires 01/2031");
        assert_eq!(CardOnFile::from_json(&Json::parse("{}").unwrap()), None);
        let k = Json::parse(r#"{"key":"abc","expires_at":null}"#).unwrap();
        assert_eq!(NewKey::from_json(&k).map(|k| k.0).as_deref(), Some("abc"));
        assert!(NewKey::from_json(&Json::parse("{}").unwrap()).is_none());
    }

    #[test]
    fn reads_ssh_keys_and_apps() {
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
        let app = AppName::from_json(&Json::parse(r#"{"unique_name":"a-b","size":0.5}"#).unwrap());
        assert_eq!(app, Some(AppName("a-b".into())));
        assert_eq!(AppName::from_json(&Json::parse("{}").unwrap()), None);
    }

    #[test]
    fn card_calls_take_the_token_later() {
        let upgrade =
            Call::Upgrade(String::new(), Some("WELCOME10".into())).with_token("tok_1".into());
        assert!(matches!(&upgrade, Call::Upgrade(t, Some(p)) if t == "tok_1" && p == "WELCOME10"));
        let save = Call::SaveCard(String::new()).with_token("tok_2".into());
        assert!(matches!(&save, Call::SaveCard(t) if t == "tok_2"));
        let other = Call::Regenerate("pw".into()).with_token("tok_3".into());
        assert!(matches!(&other, Call::Regenerate(p) if p == "pw"));
    }
}
