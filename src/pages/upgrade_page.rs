//! `#/account/upgrade`: Free to Standard with a card and an optional promo code (A19).

use leptos::prelude::*;

use crate::components::set_title;
use crate::messages::t;

/// The upgrade tab.
#[component]
pub fn UpgradePage() -> impl IntoView {
    set_title(t().upgrade_title);
    view! { <h1 tabindex="-1">{t().upgrade_title}</h1> }
}
