//! Ask for an email (reset link, confirmation link): one email field, then a "sent" state
//! with a cooled-down "Send again". The answer never says whether the account exists.

use leptos::prelude::*;

use super::resend_button::use_countdown;
use super::{
    answered, effect, form_alert, submit_button, wait_asked, Problems, ResendButton, TextField,
};
use crate::api::{Answer, Public};
use crate::data::Action;
use crate::messages::{fill, t};
use crate::routing::Route;
use crate::validate;

/// Seconds before another email may be requested.
const COOLDOWN_SECS: u32 = 30;

/// The request that sends the email to an address.
pub(crate) type SendEmail = fn(Public, &str) -> Answer<()>;

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
    let public = Public::for_page();
    let email = RwSignal::new(initial_email.unwrap_or_default());
    // Back to sign-in carries what was typed, so it need not be typed again.
    let back = move || {
        let email = Some(email.get().trim().to_string()).filter(|e| !e.is_empty());
        Route::Login { next: None, email }.href()
    };
    let sent_to = RwSignal::new(None::<String>);
    let remaining = RwSignal::new(0u32);
    use_countdown(remaining);

    let request = Action::new_local(move |address: &String| {
        let (sending, address) = (send(public, address), address.clone());
        async move { sending.await.map(|()| address) }
    });
    let pending = request.pending();
    let problems = Problems::new();
    let email_error = problems.field("email");
    answered(request, problems, move |address: String| {
        if let Some(f) = on_sent {
            f(&address);
        }
        sent_to.set(Some(address));
        remaining.set(COOLDOWN_SECS);
    });
    // A 429 also holds the button back for as long as the API asks.
    effect(move || {
        request.version().track();
        if let Some(secs) = request.with_value_untracked(wait_asked) {
            remaining.set(secs);
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() || remaining.get_untracked() > 0 {
            return;
        }
        let address = email.get_untracked().trim().to_string();
        problems.clear();
        if problems.check("email", validate::email(&address)) {
            request.dispatch(address);
        } else {
            problems.focus_first_invalid();
        }
    };
    let again = Callback::new(move |()| {
        if let Some(address) = sent_to.get_untracked() {
            if !pending.get_untracked() {
                problems.clear();
                request.dispatch(address);
            }
        }
    });

    let busy = move || pending.get() || remaining.get() != 0;

    let body = move || match sent_to.get() {
        None => view! {
            <form class="form" on:submit=submit novalidate node_ref=problems.form_node()>
                <TextField id="email" label=t().email_label kind="email" autocomplete="email"
                    value=email error=email_error/>
                {form_alert(problems)}
                {submit_button("button primary wide", pending, Signal::derive(busy),
                    (submit_label, t().sending).into())}
            </form>
        }
        .into_any(),
        Some(address) => view! {
            <div class="form">
                <p class="notice" role="status">{fill(sent_text, &[&address])}</p>
                {form_alert(problems)}
                <ResendButton remaining=remaining pending=pending on_send=again/>
            </div>
        }
        .into_any(),
    };

    view! {
        {body}
        <ul class="links"><li><a href=back>{t().back_to_sign_in}</a></li></ul>
    }
}
