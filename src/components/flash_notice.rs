//! Shows the notice another page left behind.

use leptos::prelude::*;

use crate::session::SessionCtx;

/// A `status` paragraph with the pending flash notice, if there is one.
#[component]
pub fn FlashNotice() -> impl IntoView {
    let message = expect_context::<SessionCtx>().flash().take();
    message.map(|m| view! { <p class="notice" role="status">{m}</p> }.into_any())
}
