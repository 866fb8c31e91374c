//! A one-time notice carried from one page to the next ("Password changed…", "Your session
//! has ended…"), shown by the page frame in a status region.

use leptos::prelude::*;

/// The pending notice, provided to the whole app.
#[derive(Clone, Copy)]
pub struct Flash(RwSignal<Option<String>>);

impl Flash {
    /// Creates and provides the context.
    pub fn provide() -> Self {
        let flash = Flash(RwSignal::new(None));
        provide_context(flash);
        flash
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
