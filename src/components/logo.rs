//! The Gigalixir mark, inline so it paints with the page and needs no request.

use leptos::prelude::*;

/// The brand mark (decorative: the text next to it names the product).
#[component]
pub fn Logo() -> impl IntoView {
    view! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
            <path class="logo-drop" d="M16 2c5 7 10 12 10 18a10 10 0 0 1-20 0C6 14 11 9 16 2z"/>
            <path class="logo-shine" d="M11.5 20.5a4.5 4.5 0 0 0 4.5 4.5" fill="none" stroke-width="2.2" stroke-linecap="round"/>
        </svg>
    }
}
