//! "Continue with Google": opens the consent page from A2 (or sign-up's Google step) in a
//! popup, or in this tab when popups are blocked, and polls A3 until it is done.
//!
//! The pending session is kept in `sessionStorage` so that, after the same-tab fallback, the
//! console picks the poll up again when the user comes back.

use super::Problems;
use crate::api::signup::{step_data, StepData};
use crate::api::{oauth, ApiError, Public};
use crate::messages::{decimal, t};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Where the consent is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoogleMode {
    /// Sign in to an existing account (A2).
    SignIn,
    /// Start a sign-up (A4 with `{"oauth":"google"}`).
    SignUp,
}

impl GoogleMode {
    fn tag(self) -> &'static str {
        match self {
            GoogleMode::SignIn => "in",
            GoogleMode::SignUp => "up",
        }
    }
}

/// How long the user has to finish with Google, like the official CLI.
const TIMEOUT_MS: f64 = 120_000.0;
/// Time between polls.
const POLL_MS: i32 = 2_000;
/// Transient failures in a row before giving up.
const MAX_TRANSIENT: u32 = 3;
/// `sessionStorage` key of the pending session: `mode|session|uuid|started_ms`.
const PENDING_KEY: &str = "gx.google";

/// A Google session being waited for.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    session: String,
    uuid: String,
    started: f64,
}

fn storage() -> Option<web_sys::Storage> {
    window().session_storage().ok().flatten()
}

fn save(mode: GoogleMode, p: &Pending) {
    if let Some(s) = storage() {
        let started = decimal(p.started as i64, 0);
        let value = [mode.tag(), "|", &p.session, "|", &p.uuid, "|", &started].concat();
        let _ = s.set_item(PENDING_KEY, &value);
    }
}

fn load(mode: GoogleMode) -> Option<Pending> {
    let value = storage()?.get_item(PENDING_KEY).ok()??;
    let mut parts = value.split('|');
    if parts.next()? != mode.tag() {
        return None;
    }
    let session = parts.next()?.to_string();
    let uuid = parts.next()?.to_string();
    let started = parts.next()?.parse::<u64>().ok()? as f64;
    Some(Pending {
        session,
        uuid,
        started,
    })
}

fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(PENDING_KEY);
    }
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
}

/// Only web pages may be opened: a `javascript:` URL from a bad answer must never run.
fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// What [`GoogleButton`] is doing: waiting, or not, and then how the last wait ended when
/// that is news but no fault of anyone's (said neutrally, not as an error).
const IDLE: u32 = 0;
const IN_POPUP: u32 = 1;
const IN_TAB: u32 = 2;
/// The person pressed Cancel on Google's page.
const CANCELLED: u32 = 3;
/// The person closed Google's window before finishing.
const CLOSED: u32 = 4;
/// Signing in with a Google address that has no account (sign-up is offered).
const NO_ACCOUNT: u32 = 5;

/// How a refused poll ended without a fault: the person's Cancel (A3 403 "access denied"),
/// or on sign-in an address with no account (A3 422); `IDLE` for any other refusal.
fn ended_by_person(e: &ApiError, mode: GoogleMode) -> u32 {
    let why = e.field("").unwrap_or_default();
    if why.contains("denied") {
        CANCELLED
    } else if mode == GoogleMode::SignIn && why.contains("No Gigalixir account") {
        NO_ACCOUNT
    } else {
        IDLE
    }
}

/// The neutral word for a state, if it has one.
fn said(state: u32) -> Option<&'static str> {
    let m = t();
    match state {
        CANCELLED => Some(m.google_cancelled),
        CLOSED => Some(m.google_closed),
        NO_ACCOUNT => Some(m.google_no_account),
        _ => None,
    }
}

/// The button, and while waiting, a progress line with Cancel.
#[component]
pub fn GoogleButton(
    /// Sign-in or sign-up.
    mode: GoogleMode,
    /// The page's form, whose alert says why Google did not work.
    problems: Problems,
    /// Called with the poll's answer (sign-up: with the sign-up `uuid` filled in).
    on_done: Callback<StepData>,
) -> impl IntoView {
    let public = Public::for_page();
    // Idle, waiting on a popup, or waiting after the same-tab fallback, as a number (a
    // `u32` signal is a kind the console has already; an `Option<bool>` brought its own).
    let waiting = RwSignal::new(IDLE);
    let generation = StoredValue::new(0u32);
    let popup = StoredValue::new(None::<SendWrapper<web_sys::Window>>);

    let close_popup = move || {
        if let Some(Some(w)) = popup.try_update_value(Option::take) {
            let _ = w.close();
        }
    };
    let end = move |state: u32, text: Option<String>| {
        generation.try_update_value(|g| *g += 1);
        close_popup();
        clear();
        waiting.try_set(state);
        problems.tell(text);
    };
    let stop = move |text: Option<String>| end(IDLE, text);
    // Google's window closed by the person (not after finishing: then the poll has the answer).
    let popup_closed = move || popup.try_with_value(is_closed).unwrap_or(false);
    // Still the same wait on the same page (Cancel, or leaving, ends it).
    let current = move |gen: u32| generation.try_get_value() == Some(gen);

    let poll_until_done = move |gen: u32, pending: Pending| async move {
        let mut transient = 0;
        loop {
            if !current(gen) {
                return;
            }
            if js_sys::Date::now() - pending.started > TIMEOUT_MS {
                stop(Some(t().google_timeout.to_string()));
                return;
            }
            let closed = popup_closed();
            match oauth::poll(public, &pending.session).await {
                _ if !current(gen) => return,
                Ok(None) if closed => return end(CLOSED, None),
                Ok(Some(mut data)) => {
                    stop(None);
                    if data.uuid.is_empty() {
                        data.uuid = pending.uuid;
                    }
                    on_done.run(data);
                    return;
                }
                Ok(None) => transient = 0,
                Err(ApiError::Aborted) => return,
                Err(e) => match ended_by_person(&e, mode) {
                    IDLE => {
                        transient += 1;
                        if let Some(why) = given_up(&e, transient) {
                            return stop(Some(why));
                        }
                    }
                    ended => return end(ended, None),
                },
            }
            sleep(POLL_MS).await;
        }
    };

    // Back from the same-tab fallback: carry on waiting for that session.
    if let Some(pending) = load(mode) {
        let gen = generation.get_value();
        waiting.set(IN_TAB);
        leptos::task::spawn_local(poll_until_done(gen, pending));
    }

    let begin = move |_| {
        if matches!(waiting.get_untracked(), IN_POPUP | IN_TAB) {
            return;
        }
        problems.tell(None);
        // Opened now, while the click still counts as the user's, and pointed at Google
        // once the API answers; a blocked popup means this tab goes instead.
        let opened = window()
            .open_with_url_and_target_and_features("", "gx-google", "popup,width=500,height=640")
            .ok()
            .flatten();
        if let Some(w) = &opened {
            // The consent page must not reach back into the console.
            let _ = w.set_opener(&JsValue::NULL);
        }
        let has_popup = opened.is_some();
        popup.set_value(opened.map(SendWrapper::new));
        waiting.set(if has_popup { IN_POPUP } else { IN_TAB });
        let gen = generation.get_value();
        leptos::task::spawn_local(async move {
            let started = match mode {
                GoogleMode::SignIn => oauth::start(public).await,
                GoogleMode::SignUp => step_data(public, "", "oauth", "google").await,
            };
            if !current(gen) {
                return;
            }
            let data = match started {
                Ok(data) if is_web_url(&data.url) && !data.session.is_empty() => data,
                Ok(_) => return stop(Some(ApiError::Malformed.message())),
                Err(e) => return stop(Some(e.message())),
            };
            let pending = Pending {
                session: data.session,
                uuid: data.uuid,
                started: js_sys::Date::now(),
            };
            save(mode, &pending);
            let shown = popup.with_value(|p| {
                p.as_ref()
                    .is_some_and(|w| w.location().set_href(&data.url).is_ok())
            });
            if !shown {
                let _ = window().location().assign(&data.url);
                return;
            }
            poll_until_done(gen, pending).await;
        });
    };

    view! {
        {move || match waiting.get() {
            state @ (IN_POPUP | IN_TAB) => view! {
                <div class="waiting" role="status">
                    <span class="spinner" aria-hidden="true"></span>
                    <p>{if state == IN_POPUP { t().google_waiting_popup } else { t().google_waiting }}</p>
                    {super::button("button secondary", t().cancel, Callback::new(move |()| stop(None)))}
                </div>
            }.into_any(),
            _ => view! {
                <button type="button" class="button google wide" on:click=begin>
                    {google_mark()}
                    {t().google_continue}
                </button>
            }.into_any(),
        }}
        {ending_note(waiting)}
    }
}

/// Whether the person closed `popup` (Google's window).
fn is_closed(popup: &Option<SendWrapper<web_sys::Window>>) -> bool {
    popup.as_ref().is_some_and(|w| w.closed().unwrap_or(false))
}

/// How the last wait ended, when that is news (see [`said`]), in a status region that is
/// always there so that what is put in it is announced.
fn ending_note(waiting: RwSignal<u32>) -> impl IntoView {
    view! {
        <div role="status">
            {move || {
                let state = waiting.get();
                let offer = (state == NO_ACCOUNT).then(|| {
                    let signup = crate::routing::Route::Signup { uuid: None, code: None, email: None };
                    view! { " " <a href=signup.href()>{t().google_create_account}</a> }.into_any()
                });
                said(state).map(|text| view! { <p class="note google-note">{text} {offer}</p> }.into_any())
            }}
        </div>
    }
}

/// Why a failed poll ends the wait, or `None` to poll again: a passing failure (network,
/// 5xx, a bad answer, 429) is tried `MAX_TRANSIENT` times in a row first.
fn given_up(e: &ApiError, transient: u32) -> Option<String> {
    match e {
        ApiError::Network
        | ApiError::Server(_)
        | ApiError::Malformed
        | ApiError::RateLimited(_) => (transient >= MAX_TRANSIENT).then(|| e.message()),
        ApiError::NotFound => Some(t().google_expired.to_string()),
        e => Some(t().google_failed(&e.message())),
    }
}

/// Google's "G", as its sign-in buttons show it.
fn google_mark() -> impl IntoView {
    view! {
        <svg class="g" viewBox="0 0 18 18" width="18" height="18" aria-hidden="true" focusable="false">
            <path fill="#4285F4" d="M17.6 9.2c0-.6-.1-1.2-.2-1.8H9v3.4h4.8a4.1 4.1 0 0 1-1.8 2.7v2.2h2.9c1.7-1.6 2.7-3.9 2.7-6.5z"/>
            <path fill="#34A853" d="M9 18c2.4 0 4.5-.8 5.9-2.2L12 13.5c-.8.5-1.8.9-3 .9-2.3 0-4.3-1.6-5-3.7H1v2.3A9 9 0 0 0 9 18z"/>
            <path fill="#FBBC05" d="M4 10.7a5.4 5.4 0 0 1 0-3.4V5H1a9 9 0 0 0 0 8l3-2.3z"/>
            <path fill="#EA4335" d="M9 3.6c1.3 0 2.5.5 3.4 1.3L15 2.3A9 9 0 0 0 1 5l3 2.3c.7-2.1 2.7-3.7 5-3.7z"/>
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form_error(text: &str) -> ApiError {
        ApiError::Fields(vec![(String::new(), vec![text.to_string()])])
    }

    #[test]
    fn a_cancel_and_an_unknown_address_end_the_wait_neutrally() {
        let cancelled = form_error("access denied");
        for mode in [GoogleMode::SignIn, GoogleMode::SignUp] {
            assert_eq!(ended_by_person(&cancelled, mode), CANCELLED);
        }
        let unknown = form_error("No Gigalixir account uses this Google address. Sign up first.");
        assert_eq!(ended_by_person(&unknown, GoogleMode::SignIn), NO_ACCOUNT);
        // On sign-up it is no news of that kind: the API's words are said as they are.
        assert_eq!(ended_by_person(&unknown, GoogleMode::SignUp), IDLE);
        let taken = form_error("This Google address already has a Gigalixir account.");
        assert_eq!(ended_by_person(&taken, GoogleMode::SignUp), IDLE);
        assert_eq!(said(CANCELLED), Some(t().google_cancelled));
        assert_eq!(said(IN_POPUP), None);
    }

    #[test]
    fn a_passing_failure_is_tried_again_and_a_lasting_one_ends_the_wait() {
        for passing in [
            ApiError::Network,
            ApiError::Server(502),
            ApiError::RateLimited(None),
        ] {
            assert_eq!(given_up(&passing, MAX_TRANSIENT - 1), None);
            assert_eq!(given_up(&passing, MAX_TRANSIENT), Some(passing.message()));
        }
        assert_eq!(
            given_up(&ApiError::NotFound, 1).as_deref(),
            Some(t().google_expired)
        );
        let refused = ApiError::Unexpected(418);
        assert_eq!(ended_by_person(&refused, GoogleMode::SignIn), IDLE);
        assert_eq!(
            given_up(&refused, 1),
            Some(t().google_failed(&refused.message()))
        );
    }
}
