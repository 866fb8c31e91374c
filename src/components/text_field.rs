//! A labelled text input with its error message wired for assistive technology.

use leptos::prelude::*;

use super::truth;

/// Label, input and error; the error sets `aria-invalid` and is linked by `aria-describedby`.
#[component]
pub fn TextField(
    /// Element id; the error gets `<id>-error`.
    id: &'static str,
    /// Visible label.
    label: &'static str,
    /// The typed value.
    value: RwSignal<String>,
    /// The message shown under the field.
    error: RwSignal<Option<String>>,
    /// `type` attribute (a signal, so a password can be revealed).
    #[prop(into, default = "text".into())]
    kind: Signal<String>,
    /// `autocomplete` attribute.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// `inputmode` attribute.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// Extra class on the input (e.g. a code field).
    #[prop(optional)]
    class: Option<&'static str>,
    /// A control drawn inside the input's box, at its end (e.g. Show password).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let error_id = [id, "-error"].concat();
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <div class="input-row">
            <input
                id=id
                name=id
                prop:type=kind
                class=class
                autocomplete=autocomplete
                inputmode=inputmode
                spellcheck="false"
                autocapitalize="off"
                // One-way binding by hand: Leptos's `bind:` brings its own machinery per kind
                // (docs/size-log.md).
                prop:value=value
                on:input=move |ev| {
                    value.set(event_target_value(&ev));
                    error.set(None);
                }
                aria-invalid=move || error.with(Option::is_some).then(|| truth(true))
                aria-describedby={
                    let error_id = error_id.clone();
                    move || error.with(Option::is_some).then(|| error_id.clone())
                }
            />
            {children.map(|c| c())}
            </div>
            {move || error.get().map(|e| view! { <p class="field-error" id=error_id.clone()>{e}</p> }.into_any())}
        </div>
    }
}
