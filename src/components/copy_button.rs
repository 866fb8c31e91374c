//! A button that copies text to the clipboard and says whether it did.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::messages::t;

/// Copies `text` when pressed, then says "Copied" (or why not) in the page's `status` region.
#[component]
pub fn CopyButton(
    /// What to copy, read when pressed.
    #[prop(into)]
    text: Signal<String>,
    /// The button's label.
    label: &'static str,
    /// The page's status region, where the outcome is announced.
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let copy = move |_| {
        // Cleared first, so copying twice announces twice.
        status.set(None);
        let promise = window()
            .navigator()
            .clipboard()
            .write_text(&text.get_untracked());
        spawn_local(async move {
            let done = JsFuture::from(promise).await.is_ok();
            status.set(Some(
                if done { t().copied } else { t().copy_failed }.to_string(),
            ));
        });
    };
    view! { <button type="button" class="button secondary" on:click=copy>{label}</button> }
}
