//! The one HTTP client: URL, credentials, abort on page exit, envelope and error decoding.

use gloo_net::http::{Method, Request};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use web_sys::{
    AbortController, AbortSignal, Headers, RequestCache, RequestCredentials, RequestInit,
};

use super::error::{ApiError, AuthKind};
use crate::config::api_base;
use crate::json::Json;
use crate::session::{Session, SessionCtx};
use crate::url::{base64, encode_keep_slash};

/// The credential a request carries.
enum Credential {
    /// Nothing (public endpoints).
    None,
    /// Percent-encoded email and password, as `GET /api/login` expects.
    Password { email: String, password: String },
    /// Raw `email:api_key`, for every signed-in call.
    Key(Session),
}

impl Credential {
    fn header(&self) -> Option<String> {
        let pair = match self {
            Credential::None => return None,
            Credential::Password { email, password } => {
                [&encode_keep_slash(email), ":", &encode_keep_slash(password)].concat()
            }
            Credential::Key(s) => [&s.email, ":", &s.api_key].concat(),
        };
        Some(["Basic ", &base64(pair.as_bytes())].concat())
    }

    fn kind(&self) -> AuthKind {
        match self {
            Credential::None => AuthKind::None,
            Credential::Password { .. } => AuthKind::Password,
            Credential::Key(_) => AuthKind::Key,
        }
    }
}

/// A type read from an answer's `data`.
pub trait FromJson: Sized {
    /// Reads the value; `None` when the shape is wrong.
    fn from_json(json: &Json) -> Option<Self>;
}

/// A request under way, boxed (see [`Api::keyed`]).
type Sending = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Raw, ApiError>>>>;

/// What every signed-in call returns: the request under way, and how its answer is read.
/// A typed call is then a plain function that describes its request: the sending is one
/// boxed future for all calls and only the small reader is per type, where an `async fn`
/// per call would carry its own copy of the request's state machine.
pub struct Answer<T> {
    sending: Sending,
    read: fn(Raw) -> Result<T, ApiError>,
}

impl<T> std::future::Future for Answer<T> {
    type Output = Result<T, ApiError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let read = self.read;
        self.sending.as_mut().poll(cx).map(|raw| raw.and_then(read))
    }
}

/// Reads `{"data": T}`.
pub fn data<T: FromJson>(raw: Raw) -> Result<T, ApiError> {
    let data = data_of(raw)?.1.ok_or(ApiError::Malformed)?;
    T::from_json(&data).ok_or(ApiError::Malformed)
}

/// Reads `{"data": [T]}`: the items that read as `T`.
pub fn list<T: FromJson>(raw: Raw) -> Result<Vec<T>, ApiError> {
    match data_of(raw)?.1 {
        Some(Json::Arr(items)) => Ok(items.iter().filter_map(T::from_json).collect()),
        _ => Err(ApiError::Malformed),
    }
}

/// Reads an answer whose body carries nothing we need.
pub fn nothing(raw: Raw) -> Result<(), ApiError> {
    status_only(raw)
}

/// A success: its status and body text.
pub struct Raw {
    status: u16,
    text: String,
}

/// The request body as JSON text, serialised before anything else so that the request code
/// exists once, not once per body type.
pub(crate) fn json_body(body: Option<&Json>) -> Option<String> {
    body.map(Json::to_text)
}

/// What `navigator.onLine` says now (true when it can't tell).
pub fn browser_online() -> bool {
    window().navigator().on_line()
}

async fn fetch(
    method: Method,
    path: &str,
    credential: &Credential,
    body: Option<String>,
    signal: &AbortSignal,
) -> Result<Raw, ApiError> {
    // Offline, a request would only fail after the browser gives up; say so at once.
    if !browser_online() {
        return Err(ApiError::Network);
    }
    let url = [api_base(), path].concat();
    // Cookies are never ours to send: the credential is the Basic header. No answer is kept
    // in the browser's cache: one carries the API key. The request is built here and sent
    // by gloo-net: its builder parses every address again to merge query strings, which
    // the console never has (docs/size-log.md).
    let init = RequestInit::new();
    init.set_method(method.as_ref());
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_signal(Some(signal));
    let headers = Headers::new().map_err(|_| ApiError::Network)?;
    if let Some(value) = credential.header() {
        let _ = headers.set("Authorization", &value);
    }
    if let Some(json) = body {
        let _ = headers.set("Content-Type", "application/json");
        init.set_body(&json.into());
    }
    init.set_headers(&headers);
    let request =
        web_sys::Request::new_with_str_and_init(&url, &init).map_err(|_| ApiError::Network)?;
    let lost = |_| {
        if signal.aborted() {
            ApiError::Aborted
        } else {
            ApiError::Network
        }
    };
    let response = Request::from(request).send().await.map_err(lost)?;
    let status = response.status();
    let retry_after = response.headers().get("retry-after");
    let text = response.text().await.map_err(lost)?;
    if (200..300).contains(&status) {
        Ok(Raw { status, text })
    } else {
        Err(ApiError::from_response(
            status,
            retry_after.as_deref(),
            &text,
            credential.kind(),
        ))
    }
}

/// `{"data": T}` of a success, `None` for a 204 or an empty body.
pub(crate) fn decode<T: FromJson>(raw: Raw) -> Result<(u16, Option<T>), ApiError> {
    match data_of(raw)? {
        (status, Some(data)) => T::from_json(&data)
            .map(|value| (status, Some(value)))
            .ok_or(ApiError::Malformed),
        (status, None) => Ok((status, None)),
    }
}

/// The `data` of a success's `{"data": …}`, moved out of the parsed answer; `None` for a
/// 204 or an empty body. Everything but the typed read is here, once, rather than in each
/// decoder's copy for its type.
fn data_of(raw: Raw) -> Result<(u16, Option<Json>), ApiError> {
    if raw.status == 204 || raw.text.trim().is_empty() {
        return Ok((raw.status, None));
    }
    let fields = match Json::parse(&raw.text) {
        Some(Json::Obj(fields)) => fields,
        _ => return Err(ApiError::Malformed),
    };
    fields
        .into_iter()
        .find(|(key, _)| key == "data")
        .map(|(_, data)| data)
        .filter(|data| *data != Json::Null)
        .map(|data| (raw.status, Some(data)))
        .ok_or(ApiError::Malformed)
}

/// A success whose body carries nothing we need (`{}`, `{"data":{}}`, empty).
pub(crate) fn status_only(raw: Raw) -> Result<(), ApiError> {
    // 204 or an empty body is fine; anything else must at least be JSON.
    if raw.status == 204 || raw.text.trim().is_empty() || Json::parse(&raw.text).is_some() {
        Ok(())
    } else {
        Err(ApiError::Malformed)
    }
}

/// Signed-in calls for one page: the session's key on every request, the session ended on
/// a 401, and every request aborted when the page that made it is left, so a late answer
/// never lands on another page.
#[derive(Clone, Copy)]
pub struct Api {
    session: SessionCtx,
    scope: PageScope,
}

impl Api {
    /// The client of the component being built (a page, or a part of one that outlives
    /// none of it): its requests end with it.
    pub fn for_page() -> Self {
        Api {
            session: expect_context::<SessionCtx>(),
            scope: PageScope::new(),
        }
    }

    /// `GET path`; reads `{"data": T}`.
    pub fn get<T: FromJson>(self, path: &str) -> Answer<T> {
        self.request(Method::GET, path, None, data::<T>)
    }

    /// `GET path` of a list: the items that read as `T` (an item of another shape is
    /// skipped); an answer that is not a list is malformed.
    pub fn list<T: FromJson>(self, path: &str) -> Answer<Vec<T>> {
        self.request(Method::GET, path, None, list::<T>)
    }

    /// `method path` with an optional JSON body; the answer is read by `read` (one of
    /// [`data`], [`list`], [`nothing`], or a function of the call's own).
    pub fn request<T>(
        self,
        method: Method,
        path: &str,
        body: Option<&Json>,
        read: fn(Raw) -> Result<T, ApiError>,
    ) -> Answer<T> {
        Answer {
            sending: self.keyed(method, path, json_body(body)),
            read,
        }
    }

    /// Sends with the session's key. A 401 ends the session, except when a pending email
    /// change was confirmed meanwhile: the key then works only with the new address, so the
    /// request is sent once more with it and the session follows.
    ///
    /// Boxed, so that the request's code and state exist once in the wasm rather than once in
    /// every call that awaits it.
    fn keyed(self, method: Method, path: &str, body: Option<String>) -> Sending {
        let path = path.to_string();
        Box::pin(async move {
            let Some(first) = self.session.current_untracked() else {
                return Err(ApiError::SessionExpired);
            };
            let signal = self.scope.signal();
            let mut who = first.clone();
            loop {
                let credential = Credential::Key(who.clone());
                let result = fetch(method.clone(), &path, &credential, body.clone(), &signal).await;
                if !matches!(result, Err(ApiError::SessionExpired)) {
                    if who != first {
                        self.session.replace(who);
                    }
                    return result;
                }
                match self.session.with_next_email(&who) {
                    Some(moved) if who == first => who = moved,
                    _ => {
                        self.session.expire(&first);
                        return result;
                    }
                }
            }
        })
    }
}

/// Calls that need no session (the email links' pages): only the page's abort signal.
#[derive(Clone, Copy)]
pub struct Public {
    scope: PageScope,
}

impl Public {
    /// The client of the component being built: its requests end with it.
    pub fn for_page() -> Self {
        Public {
            scope: PageScope::new(),
        }
    }

    /// `method path` with an optional JSON body and no credential; the answer is read by
    /// `read`, as for [`Api::request`].
    pub fn request<T>(
        self,
        method: Method,
        path: &str,
        body: Option<&Json>,
        read: fn(Raw) -> Result<T, ApiError>,
    ) -> Answer<T> {
        self.send(method, path, Credential::None, json_body(body), read)
    }

    /// `GET path` signed with an email and password, percent-encoded as `GET /api/login`
    /// expects; a 401 means wrong credentials and a 303 that a code is needed.
    pub fn get_with_password<T>(
        self,
        path: &str,
        email: &str,
        password: &str,
        read: fn(Raw) -> Result<T, ApiError>,
    ) -> Answer<T> {
        let credential = Credential::Password {
            email: email.to_string(),
            password: password.to_string(),
        };
        self.send(Method::GET, path, credential, None, read)
    }

    fn send<T>(
        self,
        method: Method,
        path: &str,
        credential: Credential,
        body: Option<String>,
        read: fn(Raw) -> Result<T, ApiError>,
    ) -> Answer<T> {
        let (path, signal) = (path.to_string(), self.scope.signal());
        Answer {
            sending: Box::pin(
                async move { fetch(method, &path, &credential, body, &signal).await },
            ),
            read,
        }
    }
}

/// Ties requests to the page that made them: leaving the page aborts them, so a late
/// answer can never land on another page.
#[derive(Clone, Copy)]
pub struct PageScope(StoredValue<SendWrapper<Option<AbortController>>>);

impl PageScope {
    /// Creates the scope for the current component and aborts it on cleanup.
    pub fn new() -> Self {
        let controller = AbortController::new().ok();
        let on_exit = SendWrapper::new(controller.clone());
        on_cleanup(move || {
            if let Some(c) = on_exit.take() {
                c.abort();
            }
        });
        PageScope(StoredValue::new(SendWrapper::new(controller)))
    }

    /// The abort signal to pass to requests made by this page.
    pub fn signal(&self) -> AbortSignal {
        self.0
            .try_with_value(|c| c.as_ref().map(|c| c.signal()))
            .flatten()
            .or_else(|| AbortController::new().ok().map(|c| c.signal()))
            .unwrap_or_else(|| AbortSignal::from(wasm_bindgen::JsValue::UNDEFINED))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Key(String);

    impl FromJson for Key {
        fn from_json(j: &Json) -> Option<Self> {
            j.string("k").map(Key)
        }
    }

    fn raw(status: u16, text: &str) -> Raw {
        Raw {
            status,
            text: text.into(),
        }
    }

    #[test]
    fn answers_are_read_from_their_data() {
        let key = |r| data::<Key>(r).map(|k| k.0);
        assert_eq!(key(raw(200, r#"{"data":{"k":"v"},"x":1}"#)), Ok("v".into()));
        for bad in [
            "",
            " ",
            "{}",
            r#"{"data":null}"#,
            r#"{"data":{}}"#,
            "[1]",
            "nope",
        ] {
            assert_eq!(key(raw(200, bad)), Err(ApiError::Malformed), "{bad:?}");
        }
        let keys = |r| list::<Key>(r).map(|v| v.into_iter().map(|k| k.0).collect::<Vec<_>>());
        let two = r#"{"data":[{"k":"a"},1,{"k":"b"}]}"#;
        assert_eq!(keys(raw(200, two)), Ok(vec!["a".into(), "b".into()]));
        for bad in ["", r#"{"data":{}}"#, r#"{"data":null}"#, "[]"] {
            assert_eq!(keys(raw(200, bad)), Err(ApiError::Malformed), "{bad:?}");
        }
        let decoded = |r| decode::<Key>(r).map(|(s, k)| (s, k.map(|k| k.0)));
        assert_eq!(decoded(raw(204, "x")), Ok((204, None)));
        assert_eq!(decoded(raw(200, "")), Ok((200, None)));
        let review = r#"{"data":{"k":"u"}}"#;
        assert_eq!(decoded(raw(202, review)), Ok((202, Some("u".into()))));
        assert_eq!(decoded(raw(200, "{}")), Err(ApiError::Malformed));
        assert_eq!(
            decoded(raw(200, r#"{"data":{}}"#)),
            Err(ApiError::Malformed)
        );
    }

    #[test]
    fn login_credentials_are_percent_encoded_like_the_cli() {
        let c = Credential::Password {
            email: "foo@gigalixir.com".into(),
            password: "password".into(),
        };
        // The contract's example: base64("foo%40gigalixir.com:password").
        assert_eq!(
            c.header().unwrap(),
            "Basic Zm9vJTQwZ2lnYWxpeGlyLmNvbTpwYXNzd29yZA=="
        );
        let c = Credential::Password {
            email: "a@b.co".into(),
            password: "p:ss wörd%/".into(),
        };
        let expected = format!("Basic {}", base64(b"a%40b.co:p%3Ass%20w%C3%B6rd%25/"));
        assert_eq!(c.header(), Some(expected));
        assert_eq!(c.kind(), AuthKind::Password);
    }

    #[test]
    fn key_credentials_are_sent_raw() {
        let s = Session {
            email: "foo@gigalixir.com".into(),
            api_key: "fake-api-key".into(),
        };
        // The contract's example for netrc-style auth: not percent-encoded.
        let expected = "Basic Zm9vQGdpZ2FsaXhpci5jb206ZmFrZS1hcGkta2V5";
        assert_eq!(
            Credential::Key(s.clone()).header().as_deref(),
            Some(expected)
        );
        assert_eq!(Credential::Key(s).kind(), AuthKind::Key);
        assert_eq!(Credential::None.header(), None);
        assert_eq!(Credential::None.kind(), AuthKind::None);
    }
}
