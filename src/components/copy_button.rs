//! A button that copies text to the clipboard and says so in its own status region.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen_futures::JsFuture;

use crate::messages::t;

/// Copies `text` when pressed; "Copied" (or why not) is announced next to it.
#[component]
pub fn CopyButton(
    /// What to copy, read when pressed.
    #[prop(into)]
    text: Signal<String>,
    /// The button's label.
    label: &'static str,
) -> impl IntoView {
    let said = RwSignal::new("");
    let copy = move |_| {
        said.set("");
        let promise = window()
            .navigator()
            .clipboard()
            .write_text(&text.get_untracked());
        spawn_local(async move {
            let done = JsFuture::from(promise).await.is_ok();
            said.set(if done { t().copied } else { t().copy_failed });
        });
    };
    view! {
        <button type="button" class="button secondary small" on:click=copy>{label}</button>
        <span class="copy-status" role="status">{move || said.get()}</span>
    }
}
