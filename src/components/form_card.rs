//! The account tabs' one form pattern: a titled panel with fields, a form-level error, a
//! success status and a submit button that shows it is busy. Also the password-confirm
//! dialog, which is the same form inside a native modal `<dialog>`.

use leptos::prelude::*;

use super::FormMessage;
use crate::api::account::{perform, Call};
use crate::api::{Api, ApiError, PageScope};
use crate::messages::t;

/// A panel holding one form; `on_submit` runs with the browser's submit already prevented.
#[component]
pub fn FormCard(
    /// Heading id (labels the panel).
    id: &'static str,
    /// Heading.
    title: &'static str,
    /// Submit label, and its label while `pending`.
    labels: (&'static str, &'static str),
    /// A request is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// Form-level error.
    error: RwSignal<Option<String>>,
    /// Success sentence, announced politely (forms whose news is said elsewhere have none).
    #[prop(optional)]
    done: Option<RwSignal<Option<String>>>,
    /// Called on submit unless pending.
    on_submit: Callback<()>,
    /// The submit button says it destroys something.
    #[prop(optional)]
    danger: bool,
    /// A Cancel button's action, when the form can be dismissed.
    #[prop(optional)]
    on_cancel: Option<Callback<()>>,
    /// The fields.
    children: Children,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            on_submit.run(());
        }
    };
    view! {
        <section class="panel" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            <form class="form" novalidate on:submit=submit>
                {children()}
                <FormMessage message=error/>
                {done.map(status)}
                <div class="actions">
                    <button type="submit" class=if danger { "button danger" } else { "button primary" }
                        disabled=move || pending.get() || super::offline()>
                        {move || if pending.get() { labels.1 } else { labels.0 }}
                    </button>
                    {on_cancel.map(|c| view! {
                        <button type="button" class="button secondary" on:click=move |_| c.run(())>{t().cancel}</button>
                    })}
                </div>
            </form>
        </section>
    }
}

/// A polite live region, present from the start so that what is put in it is announced.
pub fn status(message: RwSignal<Option<String>>) -> impl IntoView {
    view! { <div role="status">{move || message.get().map(|m| view! { <p class="notice">{m}</p> })}</div> }
}

/// Puts an API refusal where it belongs: each field's messages next to that field (a wrong
/// `current_password` in our own words), anything else in the form's alert. Leaving the page
/// or a 401 needs no words here.
pub fn report(
    e: &ApiError,
    fields: &[(&str, RwSignal<Option<String>>)],
    form: RwSignal<Option<String>>,
) {
    if matches!(e, ApiError::Aborted | ApiError::SessionExpired) {
        return;
    }
    let mut placed = false;
    for (name, slot) in fields {
        if let Some(text) = e.field(name) {
            let text = if *name == "current_password" {
                t().wrong_password.to_string()
            } else {
                capitalise(text)
            };
            slot.set(Some(text));
            placed = true;
        }
    }
    if !placed || e.field("").is_some() {
        form.set(Some(e.to_string()));
    }
}

/// API field messages are fragments ("has already been taken."); shown alone they start a
/// sentence.
fn capitalise(mut text: String) -> String {
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
}

/// What an account tab asks for: an API call, or a card that Stripe.js must turn into a
/// token first.
pub enum Job {
    /// A call as is.
    Call(Call),
    /// Tokenise the card, then make the call (A18, A19) with the token in it.
    WithCard(super::Card, Call),
}

/// Runs `job` for the page that owns `scope`, with `busy` set meanwhile, then `done`.
/// `api` is passed in because `done` may start another job where no context is reachable.
pub fn start(
    api: Api,
    busy: RwSignal<bool>,
    job: Job,
    scope: PageScope,
    done: Callback<Result<Option<String>, ApiError>>,
) {
    if busy.get_untracked() {
        return;
    }
    let signal = scope.signal();
    let job = async move {
        let call = match job {
            Job::Call(call) => Ok(call),
            Job::WithCard(card, call) => card.token().await.map(|t| call.with_token(t)),
        };
        match call {
            Ok(call) => perform(api, call, &signal).await,
            // Stripe's refusal is shown where the API's decline is: by the card.
            Err(text) => Err(ApiError::Fields(
                [("stripe_token".to_string(), vec![text])].into(),
            )),
        }
    };
    run(busy, job, done);
}

/// Runs `job` with `busy` set meanwhile, then hands its outcome to `done`. A page's
/// writes go through here rather than a Leptos `Action` each: the same pending flag and
/// the same answer, without the `Action` machinery (about 5 KiB brotli). The caller
/// checks `busy` first, so a second press sends nothing.
pub fn run<T: 'static>(
    busy: RwSignal<bool>,
    job: impl std::future::Future<Output = T> + 'static,
    done: Callback<T>,
) {
    busy.set(true);
    leptos::task::spawn_local(async move {
        let outcome = job.await;
        // The page may be gone; then nobody is waiting.
        busy.try_set(false);
        done.try_run(outcome);
    });
}
