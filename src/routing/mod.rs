//! Hash routing: the typed [`Route`] table and the runtime that keeps it in sync with the URL.

pub(crate) mod route;
mod router;

pub use route::{AccountTab, Route};
pub use router::{LinkSecret, Router};
