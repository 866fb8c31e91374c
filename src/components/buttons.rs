//! Buttons drawn in many places: the submit button every form shares (its label says when
//! the form is busy, and it is held while the form waits or the browser is offline), and
//! the plain button that runs a callback. Functions rather than a `view!` per place, so
//! their code is in the wasm once.

use leptos::prelude::*;

use super::offline;

/// A submit button of `class` saying `labels.1` while `pending`, else `labels.0`; disabled
/// while `held` (which includes `pending`) or offline.
pub fn submit_button(
    class: &'static str,
    pending: Signal<bool>,
    held: Signal<bool>,
    labels: Signal<(&'static str, &'static str)>,
) -> AnyView {
    view! {
        <button type="submit" class=class prop:disabled=move || held.get() || offline()>
            {move || { let (idle, busy) = labels.get(); String::from(if pending.get() { busy } else { idle }) }}
        </button>
    }
    .into_any()
}

/// A `type="button"` of `class` saying `label` that runs `on_click`.
pub fn button(class: &'static str, label: &'static str, on_click: Callback<()>) -> AnyView {
    view! { <button type="button" class=class on:click=move |_| on_click.run(())>{label}</button> }
        .into_any()
}
