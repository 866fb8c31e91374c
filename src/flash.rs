//! A one-time notice carried from one page to the next ("Password changed…", "Your session
//! has ended…"), shown by the page frame in a status region.

use leptos::prelude::*;

/// The pending notice. The session context holds it ([`SessionCtx::flash`]): one context
/// fewer, and each kind of context brings its own lookup code (docs/size-log.md).
///
/// [`SessionCtx::flash`]: crate::session::SessionCtx::flash
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    /// No notice yet.
    pub fn new() -> Self {
        Flash(RwSignal::new(None))
    }

    /// Leaves a notice for the next page shown.
    pub fn set(&self, message: impl Into<String>) {
        self.0.set(Some(message.into()));
    }

    /// Takes the notice, once.
    pub fn take(&self) -> Option<String> {
        let message = self.0.get_untracked();
        if message.is_some() {
            self.0.set(None);
        }
        message
    }
}
