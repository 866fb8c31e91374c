//! The page for any address the console doesn't know.

use leptos::prelude::*;

use crate::components::{page_title, set_title, AuthLayout};
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
            {page_title(t().not_found_title, Some(t().not_found_lede))}
            {move || if session.signed_in() {
                view! { <a class="button primary wide" href=Route::Account { tab: None }.href()>{t().go_to_account}</a> }.into_any()
            } else {
                view! { <a class="button primary wide" href=Route::Login { next: None, email: None }.href()>{t().go_to_sign_in}</a> }.into_any()
            }}
        </AuthLayout>
    }
}
