//! The form-level live region: present from the first render so screen readers announce
//! whatever is put into it later.

use leptos::prelude::*;

/// An `alert` region holding the form's current error, if any; with `status`, a polite
/// `status` region for news of success instead.
#[component]
pub fn FormMessage(
    /// The text shown, if any.
    message: RwSignal<Option<String>>,
    /// A success notice rather than an error.
    #[prop(optional)]
    status: bool,
) -> impl IntoView {
    view! {
        <div
            class=if status { "form-message ok" } else { "form-message" }
            role=if status { "status" } else { "alert" }
            aria-atomic="true"
        >
            {move || message.get().map(|m| view! { <p>{m}</p> }.into_any())}
        </div>
    }
}

/// A form's alert region, when its problems have one: one function for every form, so the
/// region's component call is in the wasm once.
pub fn form_alert(problems: super::Problems) -> Option<AnyView> {
    problems
        .alert()
        .map(|message| view! { <FormMessage message/> }.into_any())
}
