//! The account tabs' one form pattern: a titled panel with fields, a form-level error, a
//! success status and a submit button that shows it is busy.

use leptos::prelude::*;

use super::{form_alert, submit_button, Problems};
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
    /// Where the form's problems are shown: its alert here, the fields' by the fields.
    problems: Problems,
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
    let form = view! {
            <form class="form" novalidate on:submit=submit node_ref=problems.form_node()>
                {children()}
                {form_alert(problems)}
                {done.map(|d| status(d.into()))}
                <div class="actions">
                    {submit_button(if danger { "button danger" } else { "button primary" },
                        pending, pending, labels.into())}
                    {on_cancel.map(|c| super::button("button secondary", t().cancel, c))}
                </div>
            </form>
    };
    super::panel(id, title, false, form.into_any())
}

/// A polite live region, present from the start so that what is put in it is announced.
pub fn status(message: Signal<Option<String>>) -> AnyView {
    view! { <div role="status">{move || message.get().map(|m| view! { <p class="notice">{m}</p> }.into_any())}</div> }
        .into_any()
}
