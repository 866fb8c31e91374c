//! Shows the notice another page left behind.

use leptos::prelude::*;

use crate::flash::Flash;

/// A `status` paragraph with the pending flash notice, if there is one.
#[component]
pub fn FlashNotice() -> impl IntoView {
    let message = expect_context::<Flash>().take();
    message.map(|m| view! { <p class="notice" role="status">{m}</p> }.into_any())
}
