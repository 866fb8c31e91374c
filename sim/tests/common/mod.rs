//! Shared helpers: an in-process simulator on an ephemeral port and a small HTTP client.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::Duration;

use base64::Engine;
use gigalixir_sim::{AppState, Config, Sim};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What Python's `urllib.parse.quote` leaves alone: unreserved characters and `/`.
const PY_QUOTE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// A running simulator.
pub struct TestServer {
    pub base: String,
    pub port: u16,
    pub state: AppState,
    pub agent: ureq::Agent,
}

/// Starts a simulator with `config` (address and database are forced to ephemeral ones) on
/// its own runtime thread; it lives until the test process exits.
pub fn start_with(mut config: Config) -> TestServer {
    config.addr = "127.0.0.1:0".into();
    config.db = ":memory:".into();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind(&config.addr).await.unwrap();
            let addr = listener.local_addr().unwrap();
            let sim = Sim::open(config, addr).unwrap();
            tx.send((addr.port(), sim.state().clone())).unwrap();
            sim.run(listener).await;
        });
    });
    let (port, state) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    TestServer {
        base: format!("http://127.0.0.1:{port}"),
        port,
        state,
        agent: agent(),
    }
}

/// Starts a simulator with default settings (seeded accounts).
pub fn start() -> TestServer {
    start_with(Config::ephemeral())
}

/// A client that reports every status as a response and never follows redirects.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .max_redirects_will_error(false)
        .timeout_global(Some(Duration::from_secs(20)))
        .build()
        .into()
}

/// A finished response, read fully.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: ureq::http::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text()))
    }
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    }
}

fn finish(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = response.expect("request failed");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response
        .body_mut()
        .with_config()
        .limit(50 * 1024 * 1024)
        .read_to_vec()
        .unwrap();
    Reply {
        status,
        headers,
        body,
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// GET with extra headers.
    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        finish(req.call())
    }

    /// A request with any method and an optional body.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&str>,
    ) -> Reply {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(self.url(path));
        for (k, v) in headers {
            builder = builder.header(*k, *v);
        }
        let request = builder.body(body.unwrap_or("").to_string()).unwrap();
        finish(self.agent.run(request))
    }

    /// POST a JSON value.
    pub fn post_json(&self, path: &str, value: &serde_json::Value) -> Reply {
        self.send(
            "POST",
            path,
            &[("content-type", "application/json")],
            Some(&value.to_string()),
        )
    }

    /// `GET /api/login` with the CLI's percent-encoded Basic credentials.
    pub fn login(&self, email: &str, password: &str, mfa_token: Option<&str>) -> Reply {
        let path = match mfa_token {
            Some(t) => format!("/api/login?mfa_token={}", utf8_percent_encode(t, PY_QUOTE)),
            None => "/api/login".to_string(),
        };
        let auth = login_basic(email, password);
        self.get(
            &path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
        )
    }

    /// `GET /api/users` with raw `email:key` Basic credentials.
    pub fn users(&self, email: &str, key: &str) -> Reply {
        let auth = raw_basic(email, key);
        self.get(
            "/api/users",
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
        )
    }

    /// Creates an account through the control API; returns its JSON.
    pub fn create_account(&self, body: serde_json::Value) -> serde_json::Value {
        let reply = self.post_json("/__sim/accounts", &body);
        assert_eq!(reply.status, 201, "{}", reply.text());
        reply.json()
    }

    /// Sends raw bytes on a fresh connection and returns everything read until EOF.
    pub fn raw(&self, request: &[u8]) -> std::io::Result<Vec<u8>> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port))?;
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        stream.write_all(request)?;
        let mut out = Vec::new();
        stream.read_to_end(&mut out)?;
        Ok(out)
    }
}

/// Basic header as the CLI builds it for /api/login: each half percent-encoded.
pub fn login_basic(email: &str, password: &str) -> String {
    raw_basic(
        &utf8_percent_encode(email, PY_QUOTE).to_string(),
        &utf8_percent_encode(password, PY_QUOTE).to_string(),
    )
}

/// Basic header with raw halves.
pub fn raw_basic(user: &str, password: &str) -> String {
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"))
    )
}

/// The TOTP code for a base32 secret right now.
pub fn totp_now(secret: &str) -> String {
    let key = gigalixir_sim::totp::base32_decode(secret).unwrap();
    gigalixir_sim::totp::code_at(&key, gigalixir_sim::state::now_unix() as u64)
}

/// The standard 401 body for logins.
pub fn login_failed_body() -> serde_json::Value {
    serde_json::json!({"errors": {"": ["Sorry, we could not authenticate you."]}})
}

impl TestServer {
    /// PUT a JSON value.
    pub fn put_json(&self, path: &str, value: &serde_json::Value) -> Reply {
        self.send(
            "PUT",
            path,
            &[("content-type", "application/json")],
            Some(&value.to_string()),
        )
    }

    /// Moves the simulator's clock forward; returns the new offset.
    /// The simulated clock is real time plus this offset, so a test that checks both sides of
    /// a deadline leaves a few seconds on each side: a second can tick between two requests.
    pub fn advance_clock(&self, secs: i64) -> i64 {
        let reply = self.post_json("/__sim/clock", &serde_json::json!({ "advance_secs": secs }));
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["offset_secs"].as_i64().unwrap()
    }

    /// Every email in the outbox, newest first.
    pub fn outbox(&self) -> Vec<serde_json::Value> {
        let reply = self.get("/__sim/outbox.json", &[]);
        assert_eq!(reply.status, 200);
        reply.json()["data"].as_array().unwrap().clone()
    }

    /// The emails sent to `to`, newest first.
    pub fn emails_to(&self, to: &str) -> Vec<serde_json::Value> {
        self.outbox()
            .into_iter()
            .filter(|email| email["to"] == to)
            .collect()
    }
}

impl TestServer {
    /// A request signed in with raw `email:key` Basic credentials and the CLI's JSON content
    /// type, with an optional JSON body.
    pub fn signed_in(
        &self,
        method: &str,
        path: &str,
        email: &str,
        key: &str,
        body: Option<&serde_json::Value>,
    ) -> Reply {
        let auth = raw_basic(email, key);
        let body = body.map(|value| value.to_string());
        self.send(
            method,
            path,
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            body.as_deref(),
        )
    }

    /// Logs in (no MFA) and returns the API key.
    pub fn key_for(&self, email: &str, password: &str) -> String {
        let reply = self.login(email, password, None);
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.json()["data"]["key"].as_str().unwrap().to_string()
    }
}

/// The 401 body of every signed-in endpoint.
pub fn no_access_body() -> serde_json::Value {
    serde_json::json!({"errors": {"": ["Sorry, you do not have access to that account."]}})
}

/// `{"errors":{field:[message]}}`.
pub fn field_error(field: &str, message: &str) -> serde_json::Value {
    serde_json::json!({ "errors": { field: [message] } })
}
