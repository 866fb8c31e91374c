//! A page's heading (`h1`, focusable so that navigation can move focus to it) and the
//! sentence under it. One function rather than a `view!` per page, so their code is in the
//! wasm once.

use leptos::prelude::*;

/// The page's `h1`, then its lede (`p.lede`) when there is one.
pub fn page_title(title: &'static str, lede: Option<&'static str>) -> AnyView {
    match lede {
        Some(lede) => view! {
            <h1 tabindex="-1">{title}</h1>
            <p class="lede">{lede}</p>
        }
        .into_any(),
        None => view! { <h1 tabindex="-1">{title}</h1> }.into_any(),
    }
}
