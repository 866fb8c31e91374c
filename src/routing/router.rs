//! Keeps a `Route` signal in step with `location.hash`; links push, redirects replace.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::Route;

/// The current route, provided to the whole app.
#[derive(Clone, Copy)]
pub struct Router {
    route: RwSignal<Route>,
    token: RwSignal<Option<String>>,
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

impl Router {
    /// Reads the URL, follows Back/Forward and typed URLs, and provides the context.
    pub fn provide() -> Self {
        let router = Router {
            route: RwSignal::new(Route::Home),
            token: RwSignal::new(None),
        };
        router.sync();
        // Back/Forward fire `popstate`; typed or clicked `#` links fire `hashchange`.
        for handle in [
            window_event_listener(ev::hashchange, move |_| router.sync()),
            window_event_listener(ev::popstate, move |_| router.sync()),
        ] {
            // Listeners live as long as the page does.
            std::mem::forget(handle);
        }
        provide_context(router);
        router
    }

    fn sync(&self) {
        let mut route = Route::parse(&current_hash());
        // An emailed token is read once, kept in memory and taken out of the address bar
        // before any page renders, so it can't leak through history, Back or a shared URL.
        if let Route::PasswordSet { token: Some(token) } = route {
            self.token.set(Some(token));
            route = Route::PasswordSet { token: None };
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&route.href()));
            }
        }
        if self.route.get_untracked() != route {
            self.route.set(route);
        }
    }

    /// The current route, tracked.
    pub fn route(&self) -> Route {
        self.route.get()
    }

    /// The token scrubbed from the last `#/password/set?token=` URL, tracked; a page that
    /// follows it sees a new link opened while it is already showing.
    pub fn token(&self) -> Option<String> {
        self.token.get()
    }

    /// Takes the token, once.
    pub fn take_token(&self) -> Option<String> {
        let token = self.token.get_untracked();
        if token.is_some() {
            self.token.set(None);
        }
        token
    }

    /// Goes to `route` in place of the current entry (redirects, scrubbing tokens).
    pub fn replace(&self, route: &Route) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&route.href()));
        }
        self.sync();
    }
}
