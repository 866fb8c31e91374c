//! State shared by every request handler.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::clock::{self, Clock};
use crate::config::Config;
use crate::db::Db;
use crate::faults::FaultSet;
use crate::outbox;

/// Cheap-to-clone handle on the simulator's state.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

struct Inner {
    db: Db,
    config: Config,
    faults: Mutex<FaultSet>,
    listen_url: String,
    console_url: String,
    api_url: String,
    clock: Clock,
}

impl AppState {
    /// Builds the state; `listen_url` is `http://HOST:PORT` with the real port.
    pub fn new(db: Db, config: Config, listen_url: String) -> Self {
        let console_url = config
            .console_url
            .clone()
            .unwrap_or_else(|| format!("{listen_url}/"));
        let api_url = config.api_url.clone().unwrap_or_else(|| listen_url.clone());
        let mut faults = FaultSet::default();
        for spec in &config.faults {
            faults.add(spec.clone());
        }
        Self(Arc::new(Inner {
            db,
            config,
            faults: Mutex::new(faults),
            listen_url,
            console_url,
            api_url,
            clock: Clock::default(),
        }))
    }

    /// The database.
    pub fn db(&self) -> &Db {
        &self.0.db
    }

    /// The configuration the simulator started with.
    pub fn config(&self) -> &Config {
        &self.0.config
    }

    /// The active faults, locked.
    pub fn faults(&self) -> MutexGuard<'_, FaultSet> {
        self.0
            .faults
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `http://HOST:PORT` the simulator listens on.
    pub fn listen_url(&self) -> &str {
        &self.0.listen_url
    }

    /// Base URL of the console, used for links in emails.
    pub fn console_url(&self) -> &str {
        &self.0.console_url
    }

    /// Base URL of the API in links that point at it, without a trailing `/`.
    pub fn api_url(&self) -> &str {
        &self.0.api_url
    }

    /// The simulator's clock.
    pub fn clock(&self) -> &Clock {
        &self.0.clock
    }

    /// Simulated Unix time in seconds (see [`Clock`]).
    pub fn now(&self) -> i64 {
        self.0.clock.now()
    }

    /// A deep link into the console's hash router, e.g. `console_link("/password/set?token=x")`.
    pub fn console_link(&self, route: &str) -> String {
        let base = self.console_url();
        let route = route.trim_start_matches('/');
        if base.ends_with('/') {
            format!("{base}#/{route}")
        } else {
            format!("{base}/#/{route}")
        }
    }

    /// "Sends" an email by storing it in the outbox; returns its id.
    pub fn send_email(&self, to: &str, subject: &str, body: &str) -> rusqlite::Result<i64> {
        outbox::send_email(&self.db().lock(), to, subject, body, self.now())
    }
}

/// Real Unix time in seconds, ignoring the simulator's clock offset (what TOTP uses).
pub fn now_unix() -> i64 {
    clock::wall_now()
}

/// The peer address of the connection a request came on, put into request extensions by the
/// connection loop; per-IP rate limits read it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr(pub SocketAddr);
