//! The typed fetch layer: one client, one error type, one file per API area.

pub mod account;
pub mod apps;
pub mod auth;
pub mod billing;
mod client;
pub mod confirmation;
pub mod error;
pub mod mfa;
pub mod oauth;
pub mod password;
pub mod signup;
pub mod users;

pub use client::{browser_online, data, nothing, Answer, Api, FromJson, Public};
pub use error::ApiError;
