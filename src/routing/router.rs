//! Keeps a `Route` signal in step with `location.hash`; links push, redirects replace.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::Route;

/// A secret from an emailed link, held in memory once it is out of the address bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkSecret {
    /// `#/password/set?token=`.
    ResetToken(String),
    /// `#/signup?uuid=&code=`.
    SignupCode {
        /// The sign-up session.
        uuid: String,
        /// The emailed 6-digit code.
        code: String,
    },
}

/// Takes an emailed secret out of `route`; the flag says whether the URL carried one (or half
/// of one) and so must be rewritten.
pub fn take_secret(route: &mut Route) -> (bool, Option<LinkSecret>) {
    match route {
        Route::PasswordSet { token } if token.is_some() => {
            (true, token.take().map(LinkSecret::ResetToken))
        }
        Route::Signup { uuid, code, email } if uuid.is_some() || code.is_some() => {
            // An address beside a link's code is never shown: anyone can write one there.
            *email = None;
            let secret = match (uuid.take(), code.take()) {
                (Some(uuid), Some(code)) => Some(LinkSecret::SignupCode { uuid, code }),
                // Half a link is no link; the page starts from the beginning.
                _ => None,
            };
            (true, secret)
        }
        _ => (false, None),
    }
}

/// The current route, provided to the whole app.
#[derive(Clone, Copy)]
pub struct Router {
    route: RwSignal<Route>,
    secret: RwSignal<Option<LinkSecret>>,
    /// While set, leaving the page asks first, with this text.
    /// Held in a signal of a kind the console has (read untracked: nothing redraws for it).
    guard: RwSignal<Option<String>>,
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

impl Router {
    /// Reads the URL, follows Back/Forward and typed URLs, and provides the context.
    pub fn provide() -> Self {
        let router = Router {
            route: RwSignal::new(Route::Home),
            secret: RwSignal::new(None),
            guard: RwSignal::new(None),
        };
        router.sync(false);
        // Back/Forward fire `popstate`; typed or clicked `#` links fire `hashchange`.
        for handle in [
            window_event_listener(ev::hashchange, move |_| router.sync(true)),
            window_event_listener(ev::popstate, move |_| router.sync(true)),
        ] {
            // Listeners live as long as the page does.
            std::mem::forget(handle);
        }
        // Reload and close can't be asked about in our words; the browser asks in its own.
        std::mem::forget(window_event_listener(ev::beforeunload, move |e| {
            if router.guard.with_untracked(Option::is_some) {
                e.prevent_default();
            }
        }));
        provide_context(router);
        router
    }

    /// Makes leaving the page (links, Back/Forward, reload, close) ask `Some(text)` first;
    /// `None` lets the user go freely again.
    pub fn set_leave_guard(&self, text: Option<&'static str>) {
        self.guard.set(text.map(str::to_string));
    }

    /// Whether the user may leave the page: always without a guard, else as they answer it.
    pub fn may_leave(&self) -> bool {
        match self.guard.get_untracked() {
            Some(text) => window().confirm_with_message(&text).unwrap_or(true),
            None => true,
        }
    }

    /// Follows the address bar. `by_user` is a link, Back/Forward or a typed URL, which a
    /// leave guard may refuse; the app's own redirects never ask.
    fn sync(&self, by_user: bool) {
        let mut route = Route::parse(&current_hash());
        if by_user && route != self.route.get_untracked() && !self.may_leave() {
            // The address already changed: put it back, and stay.
            let here = self.route.get_untracked().href();
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&here));
            }
            return;
        }
        // An emailed secret is read once, kept in memory and taken out of the address bar
        // before any page renders, so it can't leak through history, Back or a shared URL.
        let (scrub, secret) = take_secret(&mut route);
        // An account tab's address is shown as the console writes it (the old
        // `#/account/invoices` as `#/account/billing`), so what is bookmarked or shared from
        // here on is the tab's current name.
        let renamed = matches!(route, Route::Account { .. }) && current_hash() != route.href();
        if scrub || renamed {
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&route.href()));
            }
        }
        if secret.is_some() {
            self.secret.set(secret);
        }
        if self.route.get_untracked() != route {
            self.route.set(route);
        }
    }

    /// The current route, tracked.
    pub fn route(&self) -> Route {
        self.route.get()
    }

    /// The secret scrubbed from the last emailed link, tracked; a page that follows it sees
    /// a new link opened while it is already showing.
    pub fn secret(&self) -> Option<LinkSecret> {
        self.secret.get()
    }

    /// Takes a password-reset token, once.
    pub fn take_token(&self) -> Option<String> {
        match self.secret.get_untracked() {
            Some(LinkSecret::ResetToken(token)) => {
                self.secret.set(None);
                Some(token)
            }
            _ => None,
        }
    }

    /// Takes a sign-up `(uuid, code)`, once.
    pub fn take_signup_code(&self) -> Option<(String, String)> {
        match self.secret.get_untracked() {
            Some(LinkSecret::SignupCode { uuid, code }) => {
                self.secret.set(None);
                Some((uuid, code))
            }
            _ => None,
        }
    }

    /// Goes to `route` in place of the current entry (redirects, scrubbing tokens).
    pub fn replace(&self, route: &Route) {
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&route.href()));
        }
        self.sync(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emailed_secrets_leave_the_route() {
        let mut r = Route::parse("#/password/set?token=abc");
        assert_eq!(
            take_secret(&mut r),
            (true, Some(LinkSecret::ResetToken("abc".into())))
        );
        assert_eq!(r.href(), "#/password/set");

        let mut r = Route::parse("#/signup?uuid=u-1&code=123456&email=a%40b.co");
        let secret = LinkSecret::SignupCode {
            uuid: "u-1".into(),
            code: "123456".into(),
        };
        assert_eq!(take_secret(&mut r), (true, Some(secret)));
        // The address beside a link's code goes with it: anyone can write one there.
        assert_eq!(r.href(), "#/signup");

        let mut r = Route::parse("#/signup?code=123456");
        assert_eq!(take_secret(&mut r), (true, None));
        assert_eq!(r.href(), "#/signup");

        for plain in ["#/signup", "#/password/set", "#/login?next=%2Faccount"] {
            let mut r = Route::parse(plain);
            assert_eq!(take_secret(&mut r), (false, None), "{plain}");
            assert_eq!(r.href(), plain);
        }
    }
}
