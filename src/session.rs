//! The signed-in session (`email` + `api_key`) in browser storage, shared across tabs.
//!
//! `sessionStorage` by default; `localStorage` only when the user asked to stay signed in.
//! Signing out or a 401 clears both and tells other tabs through a `localStorage` key, since
//! `sessionStorage` is per tab and fires no events elsewhere.

use leptos::ev;
use leptos::prelude::*;
use web_sys::Storage;

use crate::flash::Flash;
use crate::json::Json;
use crate::messages::{decimal, t};

const KEY: &str = "gx.session";
const SIGNOUT: &str = "gx.signout";
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
    let parsed = Json::parse(&raw)
        .and_then(|j| {
            Some(Session {
                email: j.string("email")?,
                api_key: j.string("api_key")?,
            })
        })
        .filter(|s| !s.email.is_empty() && !s.api_key.is_empty());
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
        let handle = window_event_listener(ev::storage, move |e| match e.key().as_deref() {
            Some(SIGNOUT) if e.new_value().is_some() => {
                remove_everywhere();
                ctx.end(Some(t().signed_out));
            }
            // Another tab signed in, swapped the key, or dropped the shared copy.
            Some(KEY) | None => ctx.current.set(load()),
            _ => {}
        });
        // The app lives as long as the page; the listener must too.
        std::mem::forget(handle);
        provide_context(ctx);
        ctx
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

    /// Signs out here and in every other tab; nothing to call on the server (the key is
    /// the account's, not this browser's).
    pub fn sign_out(&self) {
        self.clear_everywhere(Some(t().signed_out));
    }

    /// Ends the session here and in every other tab, leaving `message` for the next page
    /// (e.g. after a change that revoked the key on purpose).
    pub fn end_with(&self, message: &str) {
        self.clear_everywhere(Some(message));
    }

    /// Ends the session here and in every other tab with no notice: the page shown next
    /// says what happened (the goodbye page after the account is deleted).
    pub fn end_quietly(&self) {
        self.clear_everywhere(None);
    }

    /// Ends the session after a 401, unless the key was already replaced meanwhile.
    pub fn expire(&self, refused: &Session) {
        if self.current_untracked().as_ref() == Some(refused) {
            self.clear_everywhere(Some(t().session_ended));
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

    fn clear_everywhere(&self, why: Option<&str>) {
        remove_everywhere();
        if let Some(store) = local() {
            // A fresh value each time so the storage event always fires in other tabs.
            let _ = store.set_item(SIGNOUT, &decimal(js_sys::Date::now() as i64, 0));
            let _ = store.remove_item(SIGNOUT);
        }
        self.end(why);
    }

    fn end(&self, why: Option<&str>) {
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
