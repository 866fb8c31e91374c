//! `#/account/invoices`: invoices (A20) and this period's usage per app (A21).

use leptos::prelude::*;

use crate::components::set_title;
use crate::messages::t;

/// The invoices and usage tab.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    set_title(t().nav_invoices);
    view! { <h1 tabindex="-1">{t().nav_invoices}</h1> }
}
