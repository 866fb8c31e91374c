//! The form-level live region: present from the first render so screen readers announce
//! whatever is put into it later.

use leptos::prelude::*;

/// An `alert` region holding the form's current error, if any.
#[component]
pub fn FormMessage(message: RwSignal<Option<String>>) -> impl IntoView {
    view! {
        <div class="form-message" role="alert" aria-atomic="true">
            {move || message.get().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}
