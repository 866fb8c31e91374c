//! The signed-out pages' one form pattern: the step's fields, the problems it has no field
//! for, and a wide submit button that says when it is busy and waits out an offline spell.

use leptos::prelude::*;

use super::{form_alert, submit_button, Problems};

/// A form whose `on_submit` runs with the browser's submit prevented, unless `pending`.
#[component]
pub fn AuthForm(
    /// Where the form's problems go: its alert here, the fields' by the fields.
    problems: Problems,
    /// A request is in flight.
    #[prop(into)]
    pending: Signal<bool>,
    /// Submit label, and its label while `pending`.
    #[prop(into)]
    labels: Signal<(&'static str, &'static str)>,
    /// Called on submit unless pending.
    on_submit: Callback<()>,
    /// The heading, text and fields.
    children: Children,
) -> impl IntoView {
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            on_submit.run(());
        }
    };
    view! {
        <form class="form" on:submit=submit novalidate node_ref=problems.form_node()>
            {children()}
            {form_alert(problems)}
            {submit_button("button primary wide", pending, pending, labels)}
        </form>
    }
}
