//! A local simulator of the Gigalixir account API for developing and testing the console and
//! the official CLI without touching production: SQLite-backed accounts, TOTP MFA, password
//! reset and email confirmation by link, sign-up by emailed code, Google sign-in and sign-up
//! with a consent stand-in, MFA management, account settings (password, email, API key,
//! deletion), billing (card, upgrade, invoices, usage), apps and SSH keys, fault injection, an
//! email outbox, a movable clock, a stand-in for Stripe's card tokens and static hosting of
//! the built console.

#![warn(missing_docs)]

pub mod account;
pub mod api;
pub mod apps;
pub mod auth;
pub mod billing;
pub mod body;
pub mod clock;
pub mod config;
pub mod control;
pub mod cors;
pub mod db;
pub mod error;
pub mod faults;
pub mod mfa;
pub mod oauth;
pub mod outbox;
pub mod recovery;
pub mod signup;
pub mod ssh_keys;
pub mod state;
pub mod static_files;
pub mod stripe;
pub mod stripe_tokens;
pub mod totp;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, patch, post};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;

pub use config::Config;
pub use state::AppState;

use error::ApiError;
use faults::ConnectionControl;
use state::ClientAddr;

/// Email of the seeded account without MFA.
pub const DEMO_EMAIL: &str = "demo@example.com";
/// Password of [`DEMO_EMAIL`].
pub const DEMO_PASSWORD: &str = "demo-password";
/// Email of the seeded account with MFA.
pub const MFA_EMAIL: &str = "mfa@example.com";
/// Password of [`MFA_EMAIL`].
pub const MFA_PASSWORD: &str = "mfa-password";
/// Base32 TOTP secret of [`MFA_EMAIL`].
pub const MFA_TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DP";
/// Email of the seeded account whose address is not confirmed yet.
pub const NEW_EMAIL: &str = "new@example.com";
/// Password of [`NEW_EMAIL`].
pub const NEW_PASSWORD: &str = "new-password";
/// Email of the seeded Standard account with no card on file.
pub const NOCARD_EMAIL: &str = "nocard@example.com";
/// Password of [`NOCARD_EMAIL`].
pub const NOCARD_PASSWORD: &str = "nocard-password";

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
            seed(&db, state::now_unix())?;
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

    /// The human banner printed after the listen line.
    pub fn banner(&self) -> String {
        let state = &self.state;
        let config = state.config();
        let mut out = String::new();
        let console = match &config.serve_dir {
            Some(dir) => format!("{}  (serving {})", state.console_url(), dir.display()),
            None => format!("{}  (not served here: no --serve-dir)", state.console_url()),
        };
        out.push_str(&format!("  Console   {console}\n"));
        out.push_str(&format!(
            "  Outbox    {}/__sim/outbox\n",
            state.listen_url()
        ));
        out.push_str(&format!("  API       {}/api/\n", state.listen_url()));
        out.push_str(&format!("  Database  {}\n", config.db));
        if !config.console_origins.is_empty() {
            out.push_str(&format!(
                "  CORS      {}\n",
                config.console_origins.join(", ")
            ));
        }
        for fault in state.faults().describe() {
            out.push_str(&format!("  Fault     {fault}\n"));
        }
        out.push_str(&format!(
            "  Logins    {} failures per email per {} s, then 429\n",
            config.login_limit, config.login_window_secs
        ));
        out.push_str(&format!(
            "  Emails    {} per address and {} per client IP per {} s (resets, confirmations and sign-ups together), then 429\n",
            config.email_limit, config.email_ip_limit, config.email_window_secs
        ));
        out.push_str(&format!(
            "  Reset     links {}... expire after {} s\n",
            state.console_link("/password/set?token="),
            config.reset_ttl_secs
        ));
        out.push_str(&format!(
            "  Confirm   links {}/api/confirm?token=... expire after {} s\n",
            state.api_url(),
            config.confirm_ttl_secs
        ));
        out.push_str(&format!(
            "  Email     change links {}/api/users/email/confirm|revoke?token=... expire after {}\n",
            state.api_url(),
            recovery::human_duration(account::EMAIL_CHANGE_TTL_SECS)
        ));
        out.push_str(&format!(
            "  Sign-up   codes expire after {} s; WELCOME10 and STANDARD50 are promo codes; *@{} goes to manual review (202)\n",
            config.signup_code_ttl_secs,
            signup::VPN_DOMAIN
        ));
        out.push_str(&format!(
            "  Google    sign-in sessions expire after {} s; answer them at {}/__sim/google/consent?session=... or POST /__sim/oauth/complete\n",
            config.oauth_ttl_secs,
            state.api_url()
        ));
        out.push_str(&format!(
            "  Stripe    POST {}/__sim/stripe/v1/tokens makes card tokens; card {} gives {} (declined)\n",
            state.listen_url(),
            stripe::DECLINED_CARD,
            signup::DECLINED_TOKEN
        ));
        out.push_str(&format!(
            "            Stripe.js stand-in at {}{}{}\n",
            state.listen_url(),
            stripe::STRIPE_JS_PATH,
            if config.serve_dir.is_some() {
                "; the served console's /config.json points at it"
            } else {
                ""
            }
        ));
        out.push_str(&format!(
            "  Clock     offset {} s; POST /__sim/clock {{\"advance_secs\":N}} moves it forward (TOTP keeps real time)\n",
            state.clock().offset_secs()
        ));
        let conn = state.db().lock();
        let user = |email: &str| db::user_by_email(&conn, email).ok().flatten();
        let seeded = [DEMO_EMAIL, MFA_EMAIL, NEW_EMAIL, NOCARD_EMAIL].map(user);
        if seeded.iter().all(Option::is_none) {
            out.push_str("\n  No seeded accounts; create some with POST /__sim/accounts.\n");
            return out;
        }
        out.push_str("\n  Seeded accounts\n");
        let [demo, mfa, new, nocard] = seeded;
        let describe = |user: &db::User| {
            format!(
                "{}, {} credit, MFA {}{}",
                user.tier,
                dollars(user.credit_cents),
                if user.mfa_enabled { "on" } else { "off" },
                if user.confirmed {
                    ""
                } else {
                    ", email not confirmed"
                }
            )
        };
        // Any seeded account may have had MFA turned on or off through the API since.
        let mfa_lines = |user: &db::User| {
            if !user.mfa_enabled {
                return String::new();
            }
            let mut lines = format!(
                "      TOTP secret     {}\n",
                user.totp_secret.as_deref().unwrap_or("-")
            );
            let codes = db::unused_recovery_codes(&conn, user.id).unwrap_or_default();
            if codes.is_empty() {
                lines.push_str("      Recovery codes  (all used)\n");
            } else {
                lines.push_str(&format!("      Recovery codes  {}\n", codes.join(" ")));
            }
            lines
        };
        for (user, email, password) in [
            (demo, DEMO_EMAIL, DEMO_PASSWORD),
            (mfa, MFA_EMAIL, MFA_PASSWORD),
            (new, NEW_EMAIL, NEW_PASSWORD),
        ] {
            if let Some(user) = user {
                out.push_str(&format!(
                    "    {email} / {password}  ({})\n",
                    describe(&user)
                ));
                out.push_str(&mfa_lines(&user));
                if email == DEMO_EMAIL {
                    out.push_str(&format!(
                        "      Extras          {}\n",
                        extras(&conn, user.id)
                    ));
                }
            }
        }
        if let Some(user) = nocard {
            out.push_str(&format!(
                "    {NOCARD_EMAIL} / {NOCARD_PASSWORD}  ({}, no card)\n",
                describe(&user)
            ));
        }
        out
    }

    /// Accepts connections until the future is dropped.
    pub async fn run(self, listener: TcpListener) {
        let app = router(self.state);
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

fn dollars(cents: i64) -> String {
    format!("${}.{:02}", cents / 100, cents % 100)
}

/// What the banner says about an account's card, apps, invoices and SSH keys.
fn extras(conn: &rusqlite::Connection, user_id: i64) -> String {
    let count = |table: &str| -> i64 {
        conn.query_row(
            &format!("SELECT COUNT(*) FROM {table} WHERE user_id = ?1"),
            [user_id],
            |r| r.get(0),
        )
        .unwrap_or(0)
    };
    let card = match billing::card_of(conn, user_id).ok().flatten() {
        Some(card) => format!(
            "card {} {:04} {:02}/{}",
            card.brand, card.last4, card.exp_month, card.exp_year
        ),
        None => "no card".to_string(),
    };
    let counted = |table: &str, one: &str| match count(table) {
        1 => format!("1 {one}"),
        n => format!("{n} {one}s"),
    };
    format!(
        "{card}, {}, {}, {}",
        counted("apps", "app"),
        counted("invoices", "invoice"),
        counted("ssh_keys", "SSH key")
    )
}

/// The accounts a fresh database starts with.
fn seed_accounts() -> [db::NewAccount; 4] {
    [
        db::NewAccount {
            email: DEMO_EMAIL.into(),
            password: DEMO_PASSWORD.into(),
            tier: "STANDARD".into(),
            credit_cents: 1250,
            mfa: false,
            totp_secret: None,
            confirmed: true,
        },
        db::NewAccount {
            email: MFA_EMAIL.into(),
            password: MFA_PASSWORD.into(),
            tier: "FREE".into(),
            credit_cents: 0,
            mfa: true,
            totp_secret: Some(MFA_TOTP_SECRET.into()),
            confirmed: true,
        },
        db::NewAccount {
            email: NEW_EMAIL.into(),
            password: NEW_PASSWORD.into(),
            tier: "FREE".into(),
            credit_cents: 0,
            mfa: false,
            totp_secret: None,
            confirmed: false,
        },
        db::NewAccount {
            email: NOCARD_EMAIL.into(),
            password: NOCARD_PASSWORD.into(),
            tier: "STANDARD".into(),
            credit_cents: 0,
            mfa: false,
            totp_secret: None,
            confirmed: true,
        },
    ]
}

/// The demo account's card, apps, invoices, usage and SSH key. Each part is added only when
/// missing, so this can run again on an upgraded database.
fn seed_demo_extras(conn: &rusqlite::Connection, user_id: i64, now: i64) -> rusqlite::Result<()> {
    let card = stripe_tokens::Card {
        brand: "Visa".into(),
        last4: 4242,
        exp_month: 12,
        exp_year: 2030,
    };
    billing::seed_card(conn, user_id, &card)?;
    for app in apps::demo_apps() {
        apps::create_app(conn, user_id, &app, now)?;
    }
    billing::seed_invoices(conn, user_id, &billing::DEMO_INVOICES)?;
    billing::seed_usage(conn, user_id, &billing::DEMO_USAGE)?;
    let key = ssh_keys::parse_public_key(ssh_keys::DEMO_KEY)
        .map_err(|e| rusqlite::Error::InvalidParameterName(format!("{e:?}")))?;
    ssh_keys::add_key(conn, user_id, &key, now)?;
    Ok(())
}

/// Creates the demo accounts when the database has no users yet. A seeded database made by
/// an older simulator (upgraded on open) gets the accounts it is missing, so
/// `new@example.com` appears without deleting `.cache/sim.sqlite`.
fn seed(database: &db::Db, now: i64) -> Result<(), String> {
    let mut conn = database.lock();
    let empty = db::user_count(&conn).map_err(|e| e.to_string())? == 0;
    let was_seeded = || matches!(db::user_by_email(&conn, DEMO_EMAIL), Ok(Some(_)));
    if !(empty || database.upgraded() && was_seeded()) {
        return Ok(());
    }
    for new in seed_accounts() {
        match db::create_account(&mut conn, &new, now) {
            Ok(_) | Err(db::CreateError::Exists) => {}
            Err(db::CreateError::Db(e)) => return Err(format!("cannot seed {}: {e}", new.email)),
        }
    }
    if let Some(demo) = db::user_by_email(&conn, DEMO_EMAIL).map_err(|e| e.to_string())? {
        seed_demo_extras(&conn, demo.id, now)
            .map_err(|e| format!("cannot seed the apps and billing of {DEMO_EMAIL}: {e}"))?;
    }
    Ok(())
}

/// Builds the router: API, control endpoints, static files, and the layers around them.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/login", get(api::login))
        .route("/api/users", get(api::users))
        .route(
            "/api/users/change_password",
            patch(account::change_password),
        )
        .route("/api/users/email", post(account::request_email_change))
        .route(
            "/api/users/email/confirm",
            get(account::confirm_email_change),
        )
        .route("/api/users/email/revoke", get(account::revoke_email_change))
        .route("/api/users/destroy", delete(account::destroy))
        .route(
            "/api/api_keys/regenerate",
            post(account::regenerate_api_key),
        )
        .route(
            "/api/payment_methods",
            get(billing::get_payment_method).put(billing::put_payment_method),
        )
        .route("/api/upgrade", post(billing::upgrade))
        .route("/api/invoices", get(billing::invoices))
        .route("/api/usage", get(billing::usage))
        .route("/api/apps", get(apps::list))
        .route("/api/apps/{name}", delete(apps::destroy))
        .route(
            "/api/ssh_keys",
            get(ssh_keys::list)
                .post(ssh_keys::add)
                .delete(ssh_keys::remove),
        )
        .route(
            "/api/users/reset_password",
            axum::routing::put(recovery::request_reset).post(recovery::set_password),
        )
        .route(
            "/api/users/reconfirm_email",
            axum::routing::put(recovery::resend_confirmation),
        )
        .route("/api/confirm", get(recovery::confirm))
        .route("/api/signup", post(signup::signup))
        .route("/api/mfa", axum::routing::delete(mfa::deactivate))
        .route("/api/mfa/start", post(mfa::start))
        .route("/api/mfa/verify", post(mfa::verify))
        .route(
            "/api/mfa/recovery_codes",
            post(mfa::regenerate_recovery_codes),
        )
        .route("/api/oauth/google", post(oauth::start))
        .route("/api/oauth/google/{session}", get(oauth::poll))
        .route(
            "/__sim/google/consent",
            get(oauth::consent_page).post(oauth::consent_answer),
        )
        .route("/__sim/oauth/complete", post(oauth::complete))
        .route("/__sim/stripe/v1/tokens", post(stripe::create_token))
        .route("/__sim/stripe/v3", get(stripe::stripe_js))
        .route("/__sim/stripe/v3/", get(stripe::stripe_js))
        .route("/__sim/accounts", post(control::create_account))
        .route(
            "/__sim/faults",
            get(control::list_faults)
                .post(control::add_fault)
                .delete(control::clear_faults),
        )
        .route("/__sim/outbox", get(control::outbox_page))
        .route("/__sim/outbox.json", get(control::outbox_json))
        .route("/__sim/invoices/{pdf_id}", get(billing::invoice_pdf))
        .route(
            "/__sim/clock",
            get(control::get_clock).post(control::advance_clock),
        )
        .route("/__sim/health", get(control::health))
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        // Innermost first: faults see only routed requests, compression only static files,
        // CORS wraps everything so even faulted answers are readable cross-origin.
        .layer(from_fn_with_state(state.clone(), faults::fault_middleware))
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .compress_when(DefaultPredicate::new().and(is_compressible)),
        )
        .layer(from_fn_with_state(state.clone(), cors::cors_middleware))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

fn is_compressible(
    _status: StatusCode,
    _version: axum::http::Version,
    _headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
) -> bool {
    extensions.get::<static_files::Compressible>().is_some()
}

/// Unknown paths: JSON 404, or a static file when `--serve-dir` is set.
async fn fallback(State(state): State<AppState>, method: Method, uri: Uri) -> Response {
    let path = uri.path();
    let reserved = path == "/api"
        || path.starts_with("/api/")
        || path == "/__sim"
        || path.starts_with("/__sim/");
    match &state.config().serve_dir {
        Some(dir) if !reserved => {
            if path == "/config.json" && (method == Method::GET || method == Method::HEAD) {
                static_files::console_config()
            } else if method == Method::GET || method == Method::HEAD {
                let dir: PathBuf = dir.clone();
                static_files::serve(&dir, path).await
            } else {
                method_not_allowed().await
            }
        }
        _ => ApiError::not_found().into_response(),
    }
}

async fn method_not_allowed() -> Response {
    ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed.").into_response()
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The simulator hit an internal error.",
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn boom() -> &'static str {
        panic!("boom")
    }

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
            "Extras          card Visa 4242 12/2030, 2 apps, 3 invoices, 1 SSH key",
            "nocard@example.com / nocard-password  (STANDARD, $0.00 credit, MFA off, no card)",
            "3 per address and 30 per client IP per 3600 s",
            "http://127.0.0.1:8765/#/password/set?token=... expire after 120 s",
            "http://127.0.0.1:8765/api/confirm?token=... expire after 86400 s",
            "offset 0 s; POST /__sim/clock",
            "http://127.0.0.1:8765/api/users/email/confirm|revoke?token=... expire after 24 hours",
            "Sign-up   codes expire after 600 s",
            "Google    sign-in sessions expire after 600 s; answer them at http://127.0.0.1:8765/__sim/google/consent?session=",
            "http://127.0.0.1:8765/__sim/stripe/v1/tokens makes card tokens; card 4000000000000002 gives tok_chargeDeclined",
        ] {
            assert!(
                banner.contains(expected),
                "{expected:?} missing from\n{banner}"
            );
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
            let [demo, ..] = seed_accounts();
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
            for new in &seed_accounts()[..3] {
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
            banner.contains("card Visa 4242 12/2030, 2 apps, 3 invoices, 1 SSH key"),
            "{banner}"
        );
        // A second start adds nothing twice.
        let banner = Sim::open(config, local()).unwrap().banner();
        assert!(banner.contains("2 apps, 3 invoices, 1 SSH key"), "{banner}");
        let _ = std::fs::remove_file(&path);
    }

    #[tokio::test]
    async fn a_panicking_handler_becomes_a_json_500() {
        let app: Router = Router::new()
            .route("/boom", get(boom))
            .layer(CatchPanicLayer::custom(panic_response));
        let response = app
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        let value: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert!(value["errors"][""][0].is_string());
    }
}
