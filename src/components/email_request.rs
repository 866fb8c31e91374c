//! Ask for an email (reset link, confirmation link): one email field, then a "sent" state
//! with a cooled-down "Send again". The answer never says whether the account exists.

use std::future::Future;
use std::pin::Pin;

use leptos::html::Input;
use leptos::prelude::*;
use web_sys::AbortSignal;

use super::resend_button::use_countdown;
use super::{focus_soon, run, FormMessage, ResendButton, TextField};
use crate::api::{ApiError, PageScope};
use crate::messages::{fill, t};
use crate::routing::Route;
use crate::validate;

/// Seconds before another email may be requested.
const COOLDOWN_SECS: u32 = 30;

/// The request that sends the email.
pub(crate) type SendEmail =
    fn(String, AbortSignal) -> Pin<Box<dyn Future<Output = Result<(), ApiError>>>>;

/// The email form and its "sent" state.
#[component]
pub fn EmailRequest(
    /// Email to prefill.
    initial_email: Option<String>,
    /// The submit button's label.
    submit_label: &'static str,
    /// The sentence shown once sent: a template given the address as `{0}`.
    sent_text: &'static str,
    /// Sends the email.
    send: SendEmail,
    /// Called with the address after each successful send.
    #[prop(optional)]
    on_sent: Option<fn(&str)>,
) -> impl IntoView {
    let scope = PageScope::new();
    let email = RwSignal::new(initial_email.unwrap_or_default());
    // Back to sign-in carries what was typed, so it need not be typed again.
    let back = move || {
        let email = Some(email.get().trim().to_string()).filter(|e| !e.is_empty());
        Route::Login { next: None, email }.href()
    };
    let email_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let sent_to = RwSignal::new(None::<String>);
    let remaining = RwSignal::new(0u32);
    use_countdown(remaining);
    let email_ref = NodeRef::<Input>::new();

    let pending = RwSignal::new(false);
    let finished = Callback::new(move |result: Result<String, ApiError>| match result {
        Ok(address) => {
            message.set(None);
            if let Some(f) = on_sent {
                f(&address);
            }
            sent_to.set(Some(address));
            remaining.set(COOLDOWN_SECS);
        }
        Err(ApiError::Aborted) => {}
        Err(e) => {
            if let ApiError::RateLimited(Some(secs)) = e {
                remaining.set(secs);
            }
            if let Some(field) = e.field("email") {
                email_error.set(Some(field));
                focus_soon(email_ref, false);
            }
            message.set(Some(e.to_string()));
        }
    });
    let request = move |address: String| {
        let signal = scope.signal();
        let job = async move { send(address.clone(), signal).await.map(|()| address) };
        run(pending, job, finished);
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || remaining.get_untracked() > 0 {
            return;
        }
        let address = email.get_untracked().trim().to_string();
        if let Err(e) = validate::email(&address) {
            email_error.set(Some(e.to_string()));
            focus_soon(email_ref, false);
            return;
        }
        message.set(None);
        request(address);
    };
    let again = Callback::new(move |()| {
        if let Some(address) = sent_to.get_untracked() {
            if pending.get_untracked() {
                return;
            }
            message.set(None);
            request(address);
        }
    });

    let busy = move || pending.get() || remaining.get() != 0;

    let body = move || {
        match sent_to.get() {
        None => view! {
            <form class="form" on:submit=submit novalidate>
                <TextField id="email" label=t().email_label kind="email" autocomplete="email"
                    value=email error=email_error node_ref=email_ref/>
                <FormMessage message=message/>
                <button type="submit" class="button primary wide" disabled=move || busy() || super::offline()>
                    {move || if pending.get() { t().sending } else { submit_label }}
                </button>
            </form>
        }
        .into_any(),
        Some(address) => view! {
            <div class="form">
                <p class="notice" role="status">{fill(sent_text, &[&address])}</p>
                <FormMessage message=message/>
                <ResendButton remaining=remaining pending=pending on_send=again/>
            </div>
        }
        .into_any(),
    }
    };

    view! {
        {body}
        <ul class="links"><li><a href=back>{t().back_to_sign_in}</a></li></ul>
    }
}
