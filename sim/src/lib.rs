//! A local simulator of the Gigalixir account API for developing and testing the console and
//! the official CLI without touching production: SQLite-backed accounts, TOTP MFA, fault
//! injection, an email outbox and static hosting of the built console.

#![warn(missing_docs)]

pub mod api;
pub mod auth;
pub mod config;
pub mod control;
pub mod cors;
pub mod db;
pub mod error;
pub mod faults;
pub mod outbox;
pub mod state;
pub mod static_files;
pub mod totp;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
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
            seed(&db)?;
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
        let conn = state.db().lock();
        let demo = db::user_by_email(&conn, DEMO_EMAIL).ok().flatten();
        let mfa = db::user_by_email(&conn, MFA_EMAIL).ok().flatten();
        if demo.is_none() && mfa.is_none() {
            out.push_str("\n  No seeded accounts; create some with POST /__sim/accounts.\n");
            return out;
        }
        out.push_str("\n  Seeded accounts\n");
        if let Some(user) = demo {
            out.push_str(&format!(
                "    {DEMO_EMAIL} / {DEMO_PASSWORD}  ({}, {} credit, MFA off)\n",
                user.tier,
                dollars(user.credit_cents)
            ));
        }
        if let Some(user) = mfa {
            out.push_str(&format!(
                "    {MFA_EMAIL} / {MFA_PASSWORD}  ({}, {} credit, MFA on)\n",
                user.tier,
                dollars(user.credit_cents)
            ));
            out.push_str(&format!(
                "      TOTP secret     {}\n",
                user.totp_secret.as_deref().unwrap_or("-")
            ));
            let codes = db::unused_recovery_codes(&conn, user.id).unwrap_or_default();
            if codes.is_empty() {
                out.push_str("      Recovery codes  (all used)\n");
            } else {
                out.push_str(&format!("      Recovery codes  {}\n", codes.join(" ")));
            }
        }
        out
    }

    /// Accepts connections until the future is dropped.
    pub async fn run(self, listener: TcpListener) {
        let app = router(self.state);
        loop {
            let stream = match listener.accept().await {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Typically out of file descriptors: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let _ = stream.set_nodelay(true);
            tokio::spawn(serve_connection(stream, app.clone()));
        }
    }
}

/// Serves one TCP connection. A `drop` fault calls [`ConnectionControl::abort`], and the
/// select below then drops the connection future, closing the socket with nothing written.
async fn serve_connection(stream: tokio::net::TcpStream, app: Router) {
    let control = ConnectionControl::default();
    let per_request = control.clone();
    let service = hyper::service::service_fn(move |mut req: Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(per_request.clone());
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

/// Creates the two demo accounts when the database has no users yet.
fn seed(database: &db::Db) -> Result<(), String> {
    let mut conn = database.lock();
    if db::user_count(&conn).map_err(|e| e.to_string())? > 0 {
        return Ok(());
    }
    let now = state::now_unix();
    for new in [
        db::NewAccount {
            email: DEMO_EMAIL.into(),
            password: DEMO_PASSWORD.into(),
            tier: "STANDARD".into(),
            credit_cents: 1250,
            mfa: false,
            totp_secret: None,
        },
        db::NewAccount {
            email: MFA_EMAIL.into(),
            password: MFA_PASSWORD.into(),
            tier: "FREE".into(),
            credit_cents: 0,
            mfa: true,
            totp_secret: Some(MFA_TOTP_SECRET.into()),
        },
    ] {
        db::create_account(&mut conn, &new, now)
            .map_err(|e| format!("cannot seed {}: {e:?}", new.email))?;
    }
    Ok(())
}

/// Builds the router: API, control endpoints, static files, and the layers around them.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/api/login", get(api::login))
        .route("/api/users", get(api::users))
        .route("/__sim/accounts", post(control::create_account))
        .route(
            "/__sim/faults",
            get(control::list_faults)
                .post(control::add_fault)
                .delete(control::clear_faults),
        )
        .route("/__sim/outbox", get(control::outbox_page))
        .route("/__sim/outbox.json", get(control::outbox_json))
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
            if method == Method::GET || method == Method::HEAD {
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
