//! The page for any address the console doesn't know.

use leptos::prelude::*;

use crate::components::{set_title, AuthLayout};
use crate::messages::t;
use crate::routing::Route;
use crate::session::SessionCtx;

/// "Page not found", with a way back to somewhere useful.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_title(t().not_found_title);
    let session = expect_context::<SessionCtx>();
    view! {
        <AuthLayout>
            <h1 tabindex="-1">{t().not_found_title}</h1>
            <p class="lede">{t().not_found_lede}</p>
            {move || if session.signed_in() {
                view! { <a class="button primary wide" href=Route::Account { tab: None }.href()>{t().go_to_account}</a> }.into_any()
            } else {
                view! { <a class="button primary wide" href=Route::Login { next: None, email: None }.href()>{t().go_to_sign_in}</a> }.into_any()
            }}
        </AuthLayout>
    }
}
