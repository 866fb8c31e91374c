//! A password input with a show/hide toggle; paste and password managers always work.

use leptos::html::Input;
use leptos::prelude::*;

use crate::messages::t;

/// Label, password input with a labelled Show/Hide button, and the field's error.
#[component]
pub fn PasswordField(
    /// Element id; the error gets `<id>-error`.
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// The typed value.
    value: RwSignal<String>,
    /// The message shown under the field.
    error: RwSignal<Option<String>>,
    /// `autocomplete`: `current-password` or `new-password`.
    autocomplete: &'static str,
    /// Handle for focusing.
    #[prop(optional)]
    node_ref: Option<NodeRef<Input>>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let error_id = format!("{id}-error");
    let node_ref = node_ref.unwrap_or_default();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="password">
                <input
                    id=id
                    name=id
                    type=move || if shown.get() { "text" } else { "password" }
                    autocomplete=autocomplete
                    spellcheck="false"
                    autocapitalize="off"
                    node_ref=node_ref
                    bind:value=value
                    on:input=move |_| error.set(None)
                    aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby={
                        let error_id = error_id.clone();
                        move || error.with(Option::is_some).then(|| error_id.clone())
                    }
                />
                <button
                    type="button"
                    class="reveal"
                    aria-controls=id
                    aria-pressed=move || if shown.get() { "true" } else { "false" }
                    on:click=move |_| shown.update(|s| *s = !*s)
                >
                    {move || if shown.get() { t().hide_password } else { t().show_password }}
                </button>
            </div>
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> })}
        </div>
    }
}
