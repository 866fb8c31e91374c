//! A local simulator of the Gigalixir account API for developing and testing the console and
//! the official CLI without touching production: SQLite-backed accounts, TOTP MFA, password
//! reset and email confirmation by link, sign-up by emailed code, Google sign-in and sign-up
//! with a consent stand-in, MFA management, account settings (password, email, API key,
//! deletion), billing (card, upgrade, invoices, usage), apps and SSH keys, fault injection, an
//! email outbox, a movable clock, a stand-in for Stripe's card tokens and static hosting of
//! the built console.

//!
//! Modules, each using only those listed before it (no module imports one listed after it):
//!
//! - foundations: [`error`], [`clock`], [`totp`], [`body`], [`outbox`], [`auth`], [`faults`],
//!   [`config`], [`rules`];
//! - storage and state: [`db`], [`stripe_tokens`], [`state`], [`limits`], [`request`];
//! - handlers, one module per area of the API: [`account`], [`api`] (login, user),
//!   [`recovery`], [`mfa`], [`billing`], [`apps`], [`addons`] (domains, databases),
//!   [`ssh_keys`], [`oauth`], [`signup`],
//!   and the stand-ins and test controls: [`stripe`], [`static_files`], [`control`];
//! - the server: [`seed`], [`banner`], [`layers`], [`routes`], and [`Sim`] here.
//!
//! Adding an endpoint means a handler in its area's module, a line in [`routes`], and (if
//! it stores something new) [`db`].

#![warn(missing_docs)]

pub mod account;
pub mod addons;
pub mod api;
pub mod apps;
pub mod auth;
pub mod banner;
pub mod billing;
pub mod body;
pub mod clock;
pub mod config;
pub mod control;
pub mod db;
pub mod error;
pub mod faults;
pub mod layers;
pub mod limits;
pub mod mfa;
pub mod oauth;
pub mod outbox;
pub mod recovery;
pub mod request;
pub mod routes;
pub mod rules;
pub mod seed;
pub mod signup;
pub mod ssh_keys;
pub mod state;
pub mod static_files;
pub mod stripe;
pub mod stripe_tokens;
pub mod totp;

use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;

pub use config::Config;
pub use seed::{
    DEMO_EMAIL, DEMO_PASSWORD, MFA_EMAIL, MFA_PASSWORD, MFA_TOTP_SECRET, NEW_EMAIL, NEW_PASSWORD,
    NOCARD_EMAIL, NOCARD_PASSWORD,
};
pub use state::AppState;

use faults::ConnectionControl;
use state::ClientAddr;

/// A simulator with its database open, ready to serve.
pub struct Sim {
    state: AppState,
}

impl Sim {
    /// Opens the database, seeds it when empty (unless disabled), and prepares the state.
    /// `local_addr` is the address actually bound, used for the listen and console URLs.
    pub fn open(config: Config, local_addr: SocketAddr) -> Result<Self, String> {
        let db = db::Db::open(&config.db)?;
        if config.seed {
            seed::seed(&db, state::now_unix())?;
        }
        let listen_url = format!("http://{local_addr}");
        Ok(Self {
            state: AppState::new(db, config, listen_url),
        })
    }

    /// The shared state (for tests that need to reach inside, e.g. to send an email).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Whether `/__sim/*` answers (`--test-controls`).
    pub fn test_controls_on(&self) -> bool {
        self.state.config().test_controls
    }

    /// The human banner printed after the listen line.
    pub fn banner(&self) -> String {
        banner::banner(&self.state)
    }

    /// Accepts connections until the future is dropped.
    pub async fn run(self, listener: TcpListener) {
        let app = routes::router(self.state);
        loop {
            let (stream, peer) = match listener.accept().await {
                Ok(accepted) => accepted,
                Err(_) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve_connection(stream, peer, app.clone()));
        }
    }
}

/// Serves one TCP connection. A `drop` fault calls [`ConnectionControl::abort`], and the
/// select below then drops the connection future, closing the socket with nothing written.
async fn serve_connection(stream: tokio::net::TcpStream, peer: SocketAddr, app: Router) {
    let control = ConnectionControl::default();
    let per_request = control.clone();
    let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(per_request.clone());
        req.extensions_mut().insert(ClientAddr(peer));
        app.clone().oneshot(req.map(Body::new))
    });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(30))
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        _ = connection => {}
        _ = control.aborted() => {}
    }
}

/// Opens the database, then serves on `listener` forever. Convenience for tests; the binary
/// uses [`Sim::open`] so it can print the banner first.
pub async fn serve(config: Config, listener: TcpListener) -> Result<(), String> {
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let sim = Sim::open(config, addr)?;
    sim.run(listener).await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local() -> SocketAddr {
        "127.0.0.1:8765".parse().unwrap()
    }

    #[test]
    fn banner_lists_seeds_and_email_settings() {
        let mut config = Config::ephemeral();
        config.reset_ttl_secs = 120;
        config.email_limit = 3;
        let banner = Sim::open(config, local()).unwrap().banner();
        for expected in [
            "new@example.com / new-password  (FREE, $0.00 credit, MFA off, email not confirmed)",
            "demo@example.com / demo-password  (STANDARD, $12.50 credit, MFA off)",
            "Extras          card Visa 4242 12/2030, 2 apps (1 domain, 1 database), 3 invoices, 1 SSH key",
            "nocard@example.com / nocard-password  (STANDARD, $0.00 credit, MFA off, no card)",
            "3 per address and 30 per client IP per 3600 s",
            "http://127.0.0.1:8765/#/password/set?token=... expire after 120 s",
            "http://127.0.0.1:8765/api/confirm?token=... expire after 86400 s",
            "offset 0 s; POST /__sim/clock",
            "http://127.0.0.1:8765/api/users/email/confirm|revoke?token=... expire after 24 hours",
            "Sign-up   codes expire after 600 s",
            "Google    sign-in sessions expire after 600 s; answer them at http://127.0.0.1:8765/__sim/google/consent?session=",
            "http://127.0.0.1:8765/__sim/stripe/v1/tokens makes card tokens; card 4000000000000002 gives tok_chargeDeclined",
            "Controls  ON: anyone who can reach http://127.0.0.1:8765/__sim/ can read every email",
            "Recovery codes  mfa22-aaaaa mfa23-bbbbb",
            "10 failures per email and 100 per client IP per 900 s",
        ] {
            assert!(
                banner.contains(expected),
                "{expected:?} missing from\n{banner}"
            );
        }
    }

    #[test]
    fn banner_says_when_the_test_controls_are_off() {
        let mut config = Config::ephemeral();
        config.test_controls = false;
        let banner = Sim::open(config, local()).unwrap().banner();
        assert!(
            banner.contains("Controls  off: /__sim/* answers 404"),
            "{banner}"
        );
        for hidden in ["Outbox", "__sim/stripe", "__sim/google", "__sim/clock"] {
            assert!(!banner.contains(hidden), "{hidden} in\n{banner}");
        }
    }

    #[test]
    fn banner_shows_mfa_details_for_whichever_seeded_account_has_mfa_on() {
        let sim = Sim::open(Config::ephemeral(), local()).unwrap();
        let banner = sim.banner();
        let secret_line = format!("TOTP secret     {MFA_TOTP_SECRET}");
        assert!(banner.contains(&secret_line), "{banner}");
        assert_eq!(banner.matches("Recovery codes  ").count(), 1, "{banner}");
        {
            let mut conn = sim.state().db().lock();
            let mfa = db::user_by_email(&conn, MFA_EMAIL).unwrap().unwrap();
            db::disable_mfa(&mut conn, mfa.id).unwrap();
            let demo = db::user_by_email(&conn, DEMO_EMAIL).unwrap().unwrap();
            db::enable_mfa(&mut conn, demo.id, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", 1, 0).unwrap();
        }
        let banner = sim.banner();
        assert!(!banner.contains(&secret_line), "{banner}");
        assert!(
            banner.contains(
                "demo@example.com / demo-password  (STANDARD, $12.50 credit, MFA on)\n      \
                 TOTP secret     GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\n      Recovery codes  "
            ),
            "{banner}"
        );
        assert!(
            banner.contains("mfa@example.com / mfa-password  (FREE, $0.00 credit, MFA off)\n"),
            "{banner}"
        );
        assert_eq!(banner.matches("Recovery codes  ").count(), 1, "{banner}");
    }

    #[test]
    fn an_older_seeded_database_is_upgraded_and_gets_the_new_seed() {
        let path = std::env::temp_dir().join(format!(
            "gigalixir-sim-upgrade-{}-{}.sqlite",
            std::process::id(),
            auth::new_api_key()
        ));
        let path_text = path.to_str().unwrap().to_string();
        {
            // Make an older database: seeded, without `users.confirmed` (issue 2) and without
            // `signups.oauth`.
            let database = db::Db::open(&path_text).unwrap();
            let mut conn = database.lock();
            let [demo, ..] = seed::seed_accounts();
            db::create_account(&mut conn, &demo, 0).unwrap();
            conn.execute_batch(
                "ALTER TABLE users DROP COLUMN confirmed; ALTER TABLE signups DROP COLUMN oauth",
            )
            .unwrap();
        }
        let mut config = Config::ephemeral();
        config.db = path_text.clone();
        let sim = Sim::open(config.clone(), local()).unwrap();
        {
            let conn = sim.state().db().lock();
            let demo = db::user_by_email(&conn, DEMO_EMAIL).unwrap().unwrap();
            assert!(demo.confirmed, "existing accounts count as confirmed");
            let new = db::user_by_email(&conn, NEW_EMAIL).unwrap().unwrap();
            assert!(!new.confirmed);
            assert!(db::user_by_email(&conn, MFA_EMAIL).unwrap().is_some());
            // Google sign-ups can be stored in the upgraded sign-up table.
            db::insert_oauth_signup(&conn, "u-1", 0).unwrap();
            assert!(db::find_signup(&conn, "u-1").unwrap().unwrap().oauth);
        }
        drop(sim);
        // Opening again changes nothing.
        let again = db::Db::open(&path_text).unwrap();
        assert!(!again.upgraded());
        assert_eq!(db::user_count(&again.lock()).unwrap(), 4);
        drop(again);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_database_without_the_account_tables_gets_the_demo_extras_once() {
        let path = std::env::temp_dir().join(format!(
            "gigalixir-sim-extras-{}-{}.sqlite",
            std::process::id(),
            auth::new_api_key()
        ));
        let path_text = path.to_str().unwrap().to_string();
        {
            // Make an issue-3 database: seeded, without the account-settings tables.
            let database = db::Db::open(&path_text).unwrap();
            let mut conn = database.lock();
            for new in &seed::seed_accounts()[..3] {
                db::create_account(&mut conn, new, 0).unwrap();
            }
            conn.execute_batch(
                "DROP TABLE email_changes; DROP TABLE payment_methods; DROP TABLE stripe_tokens;
                 DROP TABLE invoices; DROP TABLE app_usage; DROP TABLE apps; DROP TABLE ssh_keys;",
            )
            .unwrap();
        }
        let mut config = Config::ephemeral();
        config.db = path_text.clone();
        let banner = Sim::open(config.clone(), local()).unwrap().banner();
        assert!(
            banner.contains("nocard@example.com / nocard-password"),
            "{banner}"
        );
        assert!(
            banner.contains(
                "card Visa 4242 12/2030, 2 apps (1 domain, 1 database), 3 invoices, 1 SSH key"
            ),
            "{banner}"
        );
        // A second start adds nothing twice.
        let banner = Sim::open(config, local()).unwrap().banner();
        assert!(
            banner.contains("2 apps (1 domain, 1 database), 3 invoices, 1 SSH key"),
            "{banner}"
        );
        let _ = std::fs::remove_file(&path);
    }
}
