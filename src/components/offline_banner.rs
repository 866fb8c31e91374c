//! Whether the browser is online, and the banner that says when it is not. Submit buttons
//! stay disabled while offline and come back by themselves with the connection; the fetch
//! layer refuses to send meanwhile (a request would only fail slowly).

use leptos::ev;
use leptos::prelude::*;

use crate::api::browser_online;
use crate::messages::t;

/// The browser's online state, provided to the whole app.
#[derive(Clone, Copy)]
pub struct Online(RwSignal<bool>);

impl Online {
    /// Tracks `online`/`offline` events for the life of the page.
    pub fn provide() -> Online {
        let online = Online(RwSignal::new(browser_online()));
        let signal = online.0;
        // Listened to until the page goes away.
        std::mem::forget(window_event_listener(ev::online, move |_| signal.set(true)));
        std::mem::forget(window_event_listener(ev::offline, move |_| {
            signal.set(false)
        }));
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
