//! The spending line: "warn me when this period's bill at today's rate passes $X". It is
//! kept on this device, per account, in `localStorage` (as plain dollars, "100.00", read
//! back by the same check as typed amounts), and never sent anywhere: the API has no such
//! setting. Billing sets it (`pages/spending_line.rs`); the account pages show [`Warning`].

use leptos::prelude::*;

use crate::api::billing::{run_rate, RunRate};
use crate::api::Api;
use crate::messages::{dollars, plain_dollars, t};
use crate::validate;

/// The storage key of `email`'s line: the address as the API compares it, whatever its case
/// at sign-in.
fn key(email: &str) -> String {
    ["gx.spend.", &email.to_ascii_lowercase()].concat()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The line `email`'s account set on this device, in cents.
pub fn limit(email: &str) -> Option<i64> {
    let text = storage()?.get_item(&key(email)).ok()??;
    validate::dollars(&text).ok().flatten()
}

/// Sets `email`'s line on this device, or removes it (`None`).
pub fn set_limit(email: &str, cents: Option<i64>) {
    if let Some(storage) = storage() {
        let _ = match cents {
            Some(cents) => storage.set_item(&key(email), &plain_dollars(cents)),
            None => storage.remove_item(&key(email)),
        };
    }
}

/// What to say when the whole period's bill at today's `rate` passes the line; nothing when
/// it does not, or either is unknown.
pub fn passed(limit: Option<i64>, rate: Option<i64>) -> Option<String> {
    match (limit, rate) {
        (Some(limit), Some(rate)) if rate > limit => {
            Some(t().spend_passed(&dollars(rate), &dollars(limit)))
        }
        _ => None,
    }
}

/// The account pages' warning of a passed line. The app holds one, so that it outlives
/// page changes: a warning already said is not announced again at every tab, and Billing,
/// which loads the rate itself, sets it without a request of its own.
#[derive(Clone, Copy)]
pub struct Warning {
    text: RwSignal<Option<String>>,
    /// The account the text is about: another account's is never shown, not for an instant.
    about: RwSignal<Option<String>>,
}

impl Warning {
    /// The app's one warning, none yet.
    pub fn provide() {
        provide_context(Warning {
            text: RwSignal::new(None),
            about: RwSignal::new(None),
        });
    }

    /// The warning's text, if there is one (tracked).
    pub fn text(&self) -> Option<String> {
        self.text.get()
    }

    /// Holds today's `rate` against the line `email`'s account keeps on this device.
    pub fn judge(&self, email: &str, rate: Option<i64>) {
        self.about.set(Some(email.to_string()));
        self.text.set(passed(limit(email), rate));
    }

    /// Asks A22 once when this device keeps a line for `email`'s account, and judges its
    /// answer; with no line, no request and no warning. A failed request leaves the
    /// account's last warning as it was (the page's own data says what failed).
    pub fn check(self, email: String) {
        let line = limit(&email);
        if line.is_none() || self.about.get_untracked().as_ref() != Some(&email) {
            self.judge(&email, None);
        }
        if line.is_some() {
            let asking = run_rate(Api::for_page());
            leptos::task::spawn_local(async move {
                if let Ok(RunRate(rate)) = asking.await {
                    self.judge(&email, rate);
                }
            });
        }
    }
}
