//! A "Send again" button that cools down after each send, with the wait visible and announced.

use std::time::Duration;

use leptos::prelude::*;

use super::effect;
use crate::messages::t;

/// Counts `remaining` down once a second while it is above zero.
pub fn use_countdown(remaining: RwSignal<u32>) {
    if let Ok(handle) = set_interval_with_handle(
        move || {
            if remaining.get_untracked() > 0 {
                remaining.update(|r| *r -= 1);
            }
        },
        Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
}

/// Disabled while sending or cooling down; the label shows the seconds left.
#[component]
pub fn ResendButton(
    /// Seconds until the next send is allowed.
    remaining: RwSignal<u32>,
    /// Whether a send is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// Sends again.
    on_send: Callback<()>,
) -> impl IntoView {
    let cooling = Memo::new(move |_| remaining.get() > 0);
    // Announced once at the start and once at the end, not every second.
    let started_with = RwSignal::new(0u32);
    effect(move || {
        if cooling.get() {
            started_with.set(remaining.get_untracked());
        }
    });
    let announcement = move || {
        if cooling.get() {
            t().cooldown_started(started_with.get())
        } else if started_with.get() > 0 {
            t().cooldown_over.to_string()
        } else {
            String::new()
        }
    };
    view! {
        <button
            type="button"
            class="button secondary wide"
            prop:disabled=move || pending.get() || cooling.get()
            on:click=move |_| on_send.run(())
        >
            {move || match (pending.get(), remaining.get()) {
                (true, _) => t().sending.to_string(),
                (false, 0) => t().send_again.to_string(),
                (false, n) => t().send_again_in(n),
            }}
        </button>
        <p class="visually-hidden" role="status">{announcement}</p>
    }
}
