//! `#/confirmation/resend?email=&msg=`: send a new sign-up confirmation link (A9).

use leptos::prelude::*;

use crate::api::confirmation::resend;
use crate::components::{page_title, set_title, AuthLayout, EmailRequest};
use crate::messages::t;

/// The confirmation resend page; `msg` says why the user was sent here.
#[component]
pub fn ConfirmationResendPage(
    /// Email to prefill.
    email: Option<String>,
    /// Message key from the link (never shown as such).
    msg: Option<String>,
) -> impl IntoView {
    set_title(t().confirm_title);
    let why = msg.map(|key| match key.as_str() {
        "token_expired" => t().confirm_token_expired,
        "token_invalid" => t().confirm_token_invalid,
        _ => t().confirm_token_other,
    });
    view! {
        <AuthLayout>
            {page_title(t().confirm_title, None)}
            {why.map(|w| view! { <p class="notice warn">{w}</p> }.into_any())}
            <p class="lede">{t().confirm_lede}</p>
            <EmailRequest
                initial_email=email
                submit_label=t().send_confirmation
                sent_text=t().confirmation_sent
                send=resend
            />
        </AuthLayout>
    }
}
