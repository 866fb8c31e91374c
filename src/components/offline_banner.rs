//! Whether the browser is online, and the banner that says when it is not. Submit buttons
//! stay disabled while offline and come back by themselves with the connection; the fetch
//! layer refuses to send meanwhile (a request would only fail slowly).

use leptos::prelude::*;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::api::browser_online;
use crate::messages::t;

/// The browser's online state, provided to the whole app.
#[derive(Clone, Copy)]
pub struct Online(RwSignal<bool>);

impl Online {
    /// Tracks `online`/`offline` events for the life of the page.
    pub fn provide() -> Online {
        let online = Online(RwSignal::new(browser_online()));
        for (event, value) in [("online", true), ("offline", false)] {
            let signal = online.0;
            let listener = Closure::<dyn Fn()>::new(move || signal.set(value));
            let _ =
                window().add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
            // Listened to until the page goes away.
            listener.forget();
        }
        provide_context(online);
        online
    }
}

/// True while offline, tracked; for `disabled` attributes.
pub fn offline() -> bool {
    use_context::<Online>().is_some_and(|o| !o.0.get())
}

/// A polite banner while the browser is offline.
#[component]
pub fn OfflineBanner() -> impl IntoView {
    view! {
        <div class="offline" role="status">
            {move || offline().then(|| view! { <p class="notice warn">{t().offline}</p> }.into_any())}
        </div>
    }
}
