//! `#/password/reset?email=`: ask for a password-reset email (A7).

use leptos::prelude::*;

use crate::api::password::request_reset;
use crate::components::{set_title, AuthLayout, EmailRequest};
use crate::messages::t;
use crate::routing::Route;
use crate::session::remember_reset_email;

/// The reset request page.
#[component]
pub fn PasswordResetPage(
    /// Email to prefill (from the sign-in page's link).
    email: Option<String>,
) -> impl IntoView {
    set_title(t().reset_title);
    let typed = RwSignal::new(String::new());
    let back = move || {
        let email = Some(typed.get().trim().to_string()).filter(|e| !e.is_empty());
        Route::Login { next: None, email }.href()
    };
    view! {
        <AuthLayout>
            <h1 tabindex="-1">{t().reset_title}</h1>
            <p class="lede">{t().reset_lede}</p>
            <EmailRequest
                initial_email=email
                email=typed
                submit_label=t().send_reset_link
                sent_text=t().reset_sent
                send=|email, signal| Box::pin(async move { request_reset(&email, &signal).await })
                on_sent=remember_reset_email
            />
            <ul class="links"><li><a href=back>{t().back_to_sign_in}</a></li></ul>
        </AuthLayout>
    }
}
