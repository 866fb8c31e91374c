//! The signed-in session (`email` + `api_key`) in browser storage, shared across tabs.
//!
//! `sessionStorage` by default; `localStorage` only when the user asked to stay signed in.
//! The tabs of the browser talk over a `BroadcastChannel`, in memory only: a new tab asks the
//! others for their per-tab session and joins it (so a link opened in a new tab stays signed
//! in, while the session still ends with the browser), and an ended session is told to
//! exactly the tabs holding it, never to tabs of another account.

use leptos::ev;
use leptos::prelude::*;
use web_sys::Storage;

use crate::flash::Flash;
use crate::json::Json;
use crate::messages::t;

const KEY: &str = "gx.session";
/// The tabs' channel. Its messages: `?` asks for a session, `=` + a session answers, `-` + a
/// session was signed out, `!` + a session's key stopped working.
const TABS: &str = "gx.tabs";

thread_local! {
    /// The channel, where the browser has one.
    static CHANNEL: Option<web_sys::BroadcastChannel> = web_sys::BroadcastChannel::new(TABS).ok();
    /// Whether this tab asked and no answer has come. Answers are to the newest question: a
    /// tab that asked earlier and got none never joins what another tab has just asked for.
    static ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Tells the other tabs `kind` (see [`TABS`]), with `session` after it.
fn tell_tabs(kind: &str, session: Option<&Session>) {
    let text = [kind, &session.map(Session::to_text).unwrap_or_default()].concat();
    CHANNEL.with(|c| c.as_ref().map(|c| c.post_message(&text.into())));
}

/// Set while the recovery codes shown at two-factor's activation wait for Done. The key is
/// dead by then, so if the page goes first (a reload, a closed tab, another page), the
/// sign-in that follows says how to get new codes. A flag only: codes are never stored.
const CODES_SHOWN: &str = "gx.codes_shown";

/// Notes that activation's recovery codes are showing (`true`), or were dealt with.
pub fn codes_showing(showing: bool) {
    if let Some(store) = local() {
        let _ = if showing {
            store.set_item(CODES_SHOWN, "1")
        } else {
            store.remove_item(CODES_SHOWN)
        };
    }
}

/// Whether activation's codes were showing when the page went; asked once.
fn codes_lost() -> bool {
    let lost = local().is_some_and(|s| matches!(s.get_item(CODES_SHOWN), Ok(Some(_))));
    codes_showing(false);
    lost
}

/// Kept next to the session: the key works only with the new address once the emailed
/// link is opened, and this is how the console learns that address.
const NEXT_EMAIL: &str = "gx.next_email";

/// Who is signed in: the pair the API's Basic auth wants.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    /// Account email.
    pub email: String,
    /// The account's API key.
    pub api_key: String,
}

impl Session {
    /// From its stored form; `None` unless both are there.
    fn from_text(raw: &str) -> Option<Session> {
        let j = Json::parse(raw)?;
        Some(Session {
            email: j.string("email")?,
            api_key: j.string("api_key")?,
        })
        .filter(|s| !s.email.is_empty() && !s.api_key.is_empty())
    }

    /// The stored form, `{"email","api_key"}`.
    fn to_text(&self) -> String {
        Json::obj(&[
            ("email", Some(&self.email)),
            ("api_key", Some(&self.api_key)),
        ])
        .to_text()
    }
}

/// The session as reactive state, provided to the whole app.
#[derive(Clone, Copy)]
pub struct SessionCtx {
    current: RwSignal<Option<Session>>,
    flash: Flash,
}

fn local() -> Option<Storage> {
    window().local_storage().ok().flatten()
}

fn per_tab() -> Option<Storage> {
    window().session_storage().ok().flatten()
}

fn read(store: Option<Storage>) -> Option<Session> {
    let store = store?;
    let raw = store.get_item(KEY).ok().flatten()?;
    let parsed = Session::from_text(&raw);
    if parsed.is_none() {
        let _ = store.remove_item(KEY);
    }
    parsed
}

/// The stored session: this tab's first, then the device-wide one.
fn load() -> Option<Session> {
    read(per_tab()).or_else(|| read(local()))
}

fn remove_everywhere() {
    for store in [per_tab(), local()].into_iter().flatten() {
        let _ = store.remove_item(KEY);
        let _ = store.remove_item(NEXT_EMAIL);
    }
}

/// The storage that holds the session: this tab's when it has one, else the device's.
fn holder() -> Option<Storage> {
    per_tab()
        .filter(|s| matches!(s.get_item(KEY), Ok(Some(_))))
        .or_else(local)
}

/// The address a pending email change would move the account to, if this browser asked.
fn next_email() -> Option<String> {
    holder()?
        .get_item(NEXT_EMAIL)
        .ok()
        .flatten()
        .filter(|e| !e.is_empty())
}

impl SessionCtx {
    /// Reads storage, listens to other tabs, and provides the context.
    pub fn provide(flash: Flash) -> Self {
        let ctx = SessionCtx {
            current: RwSignal::new(load()),
            flash,
        };
        // Another tab signed in for the device, or swapped the key. An ended session is
        // told over the channel instead, with the words for how it ended.
        let handle = window_event_listener(ev::storage, move |e| {
            if e.key().as_deref() == Some(KEY) && e.new_value().is_some() {
                ctx.current.set(load());
            }
        });
        // The app lives as long as the page; the listener must too.
        std::mem::forget(handle);
        // Of the closure kind Leptos's own event handlers are (`FnMut(Event)`): each kind of
        // closure handed to JavaScript brings its own export and glue.
        let heard = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::Event)>::new(
            move |e: web_sys::Event| {
                use wasm_bindgen::JsCast;
                let data = e.unchecked_into::<web_sys::MessageEvent>().data();
                ctx.heard(&data.as_string().unwrap_or_default());
            },
        );
        CHANNEL.with(|c| {
            if let Some(c) = c {
                use wasm_bindgen::JsCast;
                c.set_onmessage(Some(heard.as_ref().unchecked_ref()));
            }
        });
        heard.forget();
        if ctx.current.with_untracked(Option::is_none) {
            // The tab that showed them was closed: this tab's sign-in says it.
            if codes_lost() {
                flash.set(t().codes_lost);
            }
            ASKED.with(|a| a.set(true));
            tell_tabs("?", None);
        }
        provide_context(ctx);
        ctx
    }

    /// The notice for the next page shown.
    pub fn flash(&self) -> Flash {
        self.flash
    }

    /// The session, tracked.
    pub fn current(&self) -> Option<Session> {
        self.current.get()
    }

    /// The session, untracked (for use inside requests).
    pub fn current_untracked(&self) -> Option<Session> {
        self.current.get_untracked()
    }

    /// Whether someone is signed in, tracked.
    pub fn signed_in(&self) -> bool {
        self.current.with(Option::is_some)
    }

    /// Stores a new session; `keep` puts it in `localStorage` so it outlives the tab.
    pub fn sign_in(&self, session: Session, keep: bool) {
        remove_everywhere();
        let store = if keep { local() } else { per_tab() };
        if let Some(store) = store {
            let _ = store.set_item(KEY, &session.to_text());
        }
        self.current.set(Some(session));
    }

    /// Signs out here and in every tab holding this session; nothing to call on the server
    /// (the key is the account's, not this browser's).
    pub fn sign_out(&self) {
        self.clear_everywhere("-", Some(t().signed_out));
    }

    /// Ends the session here and in every tab holding it, leaving `message` for the next
    /// page (e.g. after a change that revoked the key on purpose).
    pub fn end_with(&self, message: &str) {
        self.clear_everywhere("!", Some(message));
    }

    /// Ends the session here and in every tab holding it with no notice: the page shown
    /// next says what happened (the goodbye page after the account is deleted).
    pub fn end_quietly(&self) {
        self.clear_everywhere("!", None);
    }

    /// Ends the session after a 401, unless the key was already replaced meanwhile.
    pub fn expire(&self, refused: &Session) {
        if self.current_untracked().as_ref() == Some(refused) {
            self.clear_everywhere("!", Some(t().session_ended));
        }
    }

    /// What another tab said (see [`TABS`]).
    fn heard(&self, message: &str) {
        let (kind, rest) = message.split_at(message.len().min(1));
        let theirs = Session::from_text(rest);
        match kind {
            "?" => {
                // Another tab asked after this one: the answers that follow are for it.
                ASKED.with(|a| a.set(false));
                // Only a session of this tab's own: one kept for the device is shared already.
                if let Some(mine) = read(per_tab()) {
                    tell_tabs("=", Some(&mine));
                }
            }
            "=" => {
                // This tab's question, still open: its first answer closes it.
                let waiting = ASKED.with(|a| a.replace(false));
                let signed_in = self.current.with_untracked(Option::is_some);
                if let Some(session) = theirs.filter(|_| waiting && !signed_in) {
                    self.sign_in(session, false);
                }
            }
            _ if theirs.is_some() && self.current_untracked() == theirs => {
                remove_everywhere();
                self.end(Some(if kind == "-" {
                    t().signed_out_elsewhere
                } else {
                    t().session_ended
                }));
            }
            _ => {}
        }
    }

    /// Swaps the session's email or key where it is stored, staying signed in; tabs sharing
    /// the device's storage follow through its storage event.
    pub fn replace(&self, session: Session) {
        if let Some(store) = holder() {
            let _ = store.set_item(KEY, &session.to_text());
            if Some(&session.email) == next_email().as_ref() {
                let _ = store.remove_item(NEXT_EMAIL);
            }
        }
        self.current.set(Some(session));
    }

    /// Remembers (or, with `None`, forgets) the address of a pending email change.
    pub fn set_next_email(&self, email: Option<&str>) {
        if let Some(store) = holder() {
            let _ = match email {
                Some(e) => store.set_item(NEXT_EMAIL, e),
                None => store.remove_item(NEXT_EMAIL),
            };
        }
    }

    /// `refused` moved to the pending change's address, if there is one.
    pub fn with_next_email(&self, refused: &Session) -> Option<Session> {
        next_email()
            .filter(|e| e != &refused.email)
            .map(|email| Session {
                email,
                api_key: refused.api_key.clone(),
            })
    }

    /// After the confirm link said the change happened: the session takes the new address.
    pub fn adopt_next_email(&self) {
        if let Some(moved) = self
            .current_untracked()
            .and_then(|s| self.with_next_email(&s))
        {
            self.replace(moved);
        }
    }

    /// Ends the session here, and as `kind` (see [`TABS`]) in the tabs holding it.
    fn clear_everywhere(&self, kind: &str, why: Option<&str>) {
        remove_everywhere();
        tell_tabs(kind, self.current_untracked().as_ref());
        self.end(why);
    }

    fn end(&self, why: Option<&str>) {
        let why = if codes_lost() {
            Some(t().codes_lost)
        } else {
            why
        };
        if let Some(why) = why {
            self.flash.set(why);
        }
        self.current.set(None);
    }
}

const RESET_EMAIL: &str = "gx.reset_email";

/// Remembers, in this tab only, which address asked for a reset, so that sign-in can be
/// prefilled after the password is set. It is an address, not a secret.
pub fn remember_reset_email(email: &str) {
    if let Some(store) = per_tab() {
        let _ = store.set_item(RESET_EMAIL, email);
    }
}

/// The address remembered by [`remember_reset_email`], if this tab asked for the reset.
pub fn reset_email() -> Option<String> {
    per_tab()?
        .get_item(RESET_EMAIL)
        .ok()
        .flatten()
        .filter(|e| !e.is_empty())
}

/// Forgets the remembered reset address.
pub fn forget_reset_email() {
    if let Some(store) = per_tab() {
        let _ = store.remove_item(RESET_EMAIL);
    }
}
