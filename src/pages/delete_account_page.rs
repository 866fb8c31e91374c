//! `#/account/delete`: destroy apps (A23, A24), then delete the account (A11).

use leptos::prelude::*;

use crate::components::set_title;
use crate::messages::t;

/// The delete-account tab.
#[component]
pub fn DeleteAccountPage() -> impl IntoView {
    set_title(t().nav_delete);
    view! { <h1 tabindex="-1">{t().nav_delete}</h1> }
}
