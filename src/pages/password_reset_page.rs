//! `#/password/reset?email=`: ask for a password-reset email (A7).

use leptos::prelude::*;

use crate::api::password::request_reset;
use crate::components::{page_title, set_title, AuthLayout, EmailRequest};
use crate::messages::t;
use crate::session::remember_reset_email;

/// The reset request page.
#[component]
pub fn PasswordResetPage(
    /// Email to prefill (from the sign-in page's link).
    email: Option<String>,
) -> impl IntoView {
    set_title(t().reset_title);
    view! {
        <AuthLayout>
            {page_title(t().reset_title, Some(t().reset_lede))}
            <EmailRequest
                initial_email=email
                submit_label=t().send_reset_link
                sent_text=t().reset_sent
                send=request_reset
                on_sent=remember_reset_email
            />
        </AuthLayout>
    }
}
