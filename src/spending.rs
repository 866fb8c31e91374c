//! The spending line: "warn me when this period's bill at today's rate passes $X". It is
//! kept on this device, per account, in `localStorage` (as the dollars the person typed,
//! read back by the same check), and never sent anywhere: the API has no such setting.
//! Billing sets it (`pages/spending_line.rs`); the account pages' frame shows [`warning`].

use leptos::prelude::*;

use crate::api::billing::{run_rate, RunRate};
use crate::api::Api;
use crate::messages::{dollars, plain_dollars, t};
use crate::session::SessionCtx;
use crate::validate;

fn key(email: &str) -> String {
    ["gx.spend.", email].concat()
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

/// The warning of a passed line, for the account pages: set once the whole period's bill at
/// today's rate (A22) is known to pass the line this device keeps for the signed-in
/// account. Nothing is asked of the API when there is no line, and a failed request leaves
/// no warning (the page's own data says what failed). A `RwSignal` for its reader, as a
/// read-only signal would be a type of its own in the wasm.
pub fn warning() -> RwSignal<Option<String>> {
    let passed = RwSignal::new(None::<String>);
    let session = expect_context::<SessionCtx>().current_untracked();
    if let Some(limit) = session.and_then(|s| limit(&s.email)) {
        let asking = run_rate(Api::for_page());
        leptos::task::spawn_local(async move {
            if let Ok(RunRate(Some(rate))) = asking.await {
                if rate > limit {
                    passed.try_set(Some(t().spend_passed(&dollars(rate), &dollars(limit))));
                }
            }
        });
    }
    passed
}
