//! The layers around every route, outermost first:
//!
//! 1. a panic becomes a JSON 500;
//! 2. [`guard`]: a request must name a host this simulator answers for (so a web page whose
//!    DNS name was rebound to 127.0.0.1 cannot read it), and `/__sim/*` answers 404 unless
//!    the test controls were switched on;
//! 3. CORS for the `--console-origin`s;
//! 4. compression, for the static files that ask for it ([`Compressible`]);
//! 5. `Cache-Control: no-store` on every `/api/*` answer (one carries the API key);
//! 6. [`faults`]: the first matching injected fault, on `/api/*` only.

use std::net::IpAddr;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::body::Compressible;
use crate::config::Config;
use crate::error::{default_message, ApiError};
use crate::faults::{ConnectionControl, FaultKind, MALFORMED_BODY};
use crate::state::AppState;

/// Wraps `routes` in every layer above.
pub fn around(routes: Router<AppState>, state: AppState) -> Router {
    let compress = DefaultPredicate::new().and(
        |_: StatusCode,
         _: axum::http::Version,
         _: &axum::http::HeaderMap,
         extensions: &axum::http::Extensions| {
            extensions.get::<Compressible>().is_some()
        },
    );
    routes
        .layer(from_fn_with_state(state.clone(), faults))
        .layer(from_fn(no_store))
        .layer(
            CompressionLayer::new()
                .br(true)
                .gzip(true)
                .compress_when(compress),
        )
        .layer(cors(state.config()))
        .layer(from_fn_with_state(state.clone(), guard))
        .layer(CatchPanicLayer::custom(panic_response))
        .with_state(state)
}

fn is_under(path: &str, prefix: &str) -> bool {
    path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn cors(config: &Config) -> CorsLayer {
    let origins = config
        .console_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok());
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
        .expose_headers([header::RETRY_AFTER])
        .max_age(Duration::from_secs(600))
}

/// The host part of a `Host` header, without port or IPv6 brackets, lower-cased.
fn host_name(host: &str) -> String {
    let host = host.trim();
    let name = match host.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.trim_end_matches('.').to_ascii_lowercase()
}

/// The host name of an `http(s)://` URL.
fn url_host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    Some(host_name(authority))
}

/// Whether requests naming `host` are answered: loopback names and addresses, the address
/// listened on, and the hosts of the configured console and API URLs.
pub fn is_allowed_host(state: &AppState, host: &str) -> bool {
    let name = host_name(host);
    if name == "localhost" || name.ends_with(".localhost") {
        return true;
    }
    if name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback()) {
        return true;
    }
    let config = state.config();
    let configured = [state.listen_url(), state.console_url(), state.api_url()]
        .into_iter()
        .chain(config.console_origins.iter().map(String::as_str));
    configured
        .filter_map(url_host)
        .any(|allowed| allowed == name)
}

/// Refuses requests for another host, and hides `/__sim/*` unless the test controls are on.
async fn guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if let Some(host) = req.headers().get(header::HOST) {
        let host = host.to_str().unwrap_or("");
        if !is_allowed_host(&state, host) {
            let message = format!(
                "This simulator does not answer for the host {host:?}: use localhost, a \
                 loopback address, or a host given by --console-url, --api-url or \
                 --console-origin."
            );
            return ApiError::new(StatusCode::MISDIRECTED_REQUEST, message).into_response();
        }
    }
    if is_under(req.uri().path(), "/__sim") && !state.config().test_controls {
        return ApiError::not_found().into_response();
    }
    next.run(req).await
}

async fn no_store(req: Request, next: Next) -> Response {
    let api = is_under(req.uri().path(), "/api");
    let mut response = next.run(req).await;
    if api {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn panic_response(_panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "The simulator hit an internal error.",
    )
    .into_response()
}

/// Applies the first matching fault to an `/api/*` request.
async fn faults(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    if !(path == "/api" || path.starts_with("/api/")) {
        return next.run(req).await;
    }
    let fault = state.faults().take(req.method().as_str(), path);
    match fault {
        None => next.run(req).await,
        Some(FaultKind::Latency { ms }) => {
            tokio::time::sleep(Duration::from_millis(ms)).await;
            next.run(req).await
        }
        Some(FaultKind::Status {
            status,
            retry_after,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let mut error = ApiError::new(status, default_message(status));
            error.retry_after = retry_after;
            error.into_response()
        }
        Some(FaultKind::Malformed) => (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            MALFORMED_BODY,
        )
            .into_response(),
        Some(FaultKind::Drop) => match req.extensions().get::<ConnectionControl>() {
            Some(control) => {
                control.abort();
                // The connection task drops this future together with the socket.
                std::future::pending::<Response>().await
            }
            None => ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "drop fault: connection control missing",
            )
            .into_response(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names() {
        assert_eq!(host_name("LocalHost:8765"), "localhost");
        assert_eq!(host_name("[::1]:80"), "::1");
        assert_eq!(host_name("example.com."), "example.com");
        assert_eq!(
            url_host("https://user@Console.example.com:8443/x?y").as_deref(),
            Some("console.example.com")
        );
        assert_eq!(url_host("nonsense"), None);
    }

    #[test]
    fn prefixes() {
        assert!(is_under("/__sim", "/__sim"));
        assert!(is_under("/__sim/outbox", "/__sim"));
        assert!(!is_under("/__simulator", "/__sim"));
    }
}
