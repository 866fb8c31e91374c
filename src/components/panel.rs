//! The account tabs' titled panel: a `section` labelled by its `h2`. One function rather
//! than a `view!` per panel, so its code is in the wasm once.

use leptos::prelude::*;

/// `section.panel` labelled by an `h2` of id `id` saying `title` (to screen readers alone
/// when `hidden_title`), then `body`.
pub fn panel(id: &'static str, title: &'static str, hidden_title: bool, body: AnyView) -> AnyView {
    view! {
        <section class="panel" aria-labelledby=id>
            <h2 id=id class=hidden_title.then_some("visually-hidden")>{title}</h2>
            {body}
        </section>
    }
    .into_any()
}
