//! A password input with a show/hide toggle; paste and password managers always work.
//! It is a [`TextField`] whose type follows the toggle.

use leptos::prelude::*;

use super::{truth, TextField};
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
) -> impl IntoView {
    let shown = RwSignal::new(false);
    let kind = Signal::derive(move || String::from(if shown.get() { "text" } else { "password" }));
    view! {
        <TextField id label value error kind autocomplete>
            <button
                type="button"
                class="reveal"
                aria-controls=id
                prop:ariaPressed=move || truth(shown.get())
                on:click=move |_| shown.update(|s| *s = !*s)
            >
                {move || String::from(if shown.get() { t().hide_password } else { t().show_password })}
            </button>
        </TextField>
    }
}
