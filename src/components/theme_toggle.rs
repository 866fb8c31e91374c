//! Light or dark, overriding the system's choice on this device. The choice is stored as
//! `gx.theme` in `localStorage`, and a small inline script in `index.html` applies it before
//! the first paint, so a reload never flashes the other theme.

use leptos::prelude::*;

use super::truth;

use crate::messages::t;

const KEY: &str = "gx.theme";

/// Whether the page shows dark now: the stored choice, else the system's.
fn is_dark() -> bool {
    let chosen = document()
        .document_element()
        .and_then(|root| root.get_attribute("data-theme"));
    match chosen.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .match_media("(prefers-color-scheme: dark)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    }
}

/// A toggle button for dark mode, pressed when the page is dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let dark = RwSignal::new(is_dark());
    let toggle = move |_| {
        let name = if dark.get_untracked() {
            "light"
        } else {
            "dark"
        };
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", name);
        }
        if let Ok(Some(store)) = window().local_storage() {
            let _ = store.set_item(KEY, name);
        }
        dark.update(|d| *d = !*d);
    };
    view! {
        <button type="button" class="theme-toggle" title=t().dark_mode
            prop:ariaPressed=move || truth(dark.get()) on:click=toggle>
            <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true" focusable="false">
                <circle cx="10" cy="10" r="7.5" fill="none" stroke="currentColor" stroke-width="1.6"/>
                <path d="M10 2.5a7.5 7.5 0 0 1 0 15z" fill="currentColor"/>
            </svg>
            <span class="visually-hidden">{t().dark_mode}</span>
        </button>
    }
}
