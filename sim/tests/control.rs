//! Control endpoints, CORS, static files and the outbox over real HTTP.

mod common;

use std::io::Read;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::*;
use serde_json::json;

#[test]
fn create_account_shapes() {
    let sim = start();
    let plain = sim.create_account(json!({"email": "a@example.com", "password": "pw"}));
    assert_eq!(plain["email"], "a@example.com");
    assert_eq!(plain["password"], "pw");
    assert_eq!(plain["tier"], "FREE");
    assert_eq!(plain["credit_cents"], 0);
    assert_eq!(plain["totp_secret"], serde_json::Value::Null);
    assert_eq!(plain["recovery_codes"], json!([]));
    assert!(plain["api_key"].as_str().unwrap().len() >= 32);
    let user = sim.users("a@example.com", plain["api_key"].as_str().unwrap());
    assert_eq!(user.status, 200);

    let mfa = sim.create_account(json!({"email": "b@example.com", "password": "pw", "tier": "STANDARD", "credit_cents": 999, "mfa": true}));
    assert_eq!(mfa["tier"], "STANDARD");
    assert_eq!(mfa["credit_cents"], 999);
    assert_eq!(mfa["totp_secret"].as_str().unwrap().len(), 32);
    assert_eq!(mfa["recovery_codes"].as_array().unwrap().len(), 10);

    let dup = sim.post_json(
        "/__sim/accounts",
        &json!({"email": "A@Example.com", "password": "x"}),
    );
    assert_eq!(dup.status, 409);
    assert!(dup.json()["errors"]["email"][0].is_string());
    let seeded = sim.post_json(
        "/__sim/accounts",
        &json!({"email": "demo@example.com", "password": "x"}),
    );
    assert_eq!(seeded.status, 409);
    for bad in [
        json!({"email": "no-at", "password": "x"}),
        json!({"email": "a:b@x", "password": "x"}),
        json!({"email": "c@x", "password": ""}),
        json!({"email": "c@x", "password": "x", "tier": "GOLD"}),
        json!({"email": "c@x", "password": "x", "credit_cents": -1}),
        json!({"email": "c@x"}),
    ] {
        let reply = sim.post_json("/__sim/accounts", &bad);
        assert_eq!(reply.status, 400, "{bad}");
        assert!(reply.json()["errors"].is_object());
    }
}

#[test]
fn no_seed_means_no_accounts() {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.seed = false;
    let sim = start_with(config);
    assert_eq!(
        sim.login("demo@example.com", "demo-password", None).status,
        401
    );
}

#[test]
fn health() {
    let sim = start();
    let reply = sim.get("/__sim/health", &[]);
    assert_eq!((reply.status, reply.text().as_str()), (200, "ok"));
}

#[test]
fn outbox_json_and_page() {
    let sim = start();
    assert_eq!(
        sim.get("/__sim/outbox.json", &[]).json(),
        json!({"data": []})
    );
    let empty = sim.get("/__sim/outbox", &[]);
    assert_eq!(empty.status, 200);
    assert!(empty
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(empty.text().contains("No emails yet"));

    let link = sim.state.console_link("/password/set?token=abc");
    assert_eq!(link, format!("{}/#/password/set?token=abc", sim.base));
    sim.state
        .send_email(
            "demo@example.com",
            "Reset <your> password",
            &format!("Hi,\n\nSet a new password: {link}\n\n<script>alert(1)</script>"),
        )
        .unwrap();
    sim.state
        .send_email("b@example.com", "Second", "No link.")
        .unwrap();
    let list = sim.get("/__sim/outbox.json", &[]).json();
    let data = list["data"].as_array().unwrap();
    assert_eq!(data.len(), 2);
    assert_eq!(data[0]["subject"], "Second", "newest first");
    assert_eq!(data[1]["to"], "demo@example.com");
    assert_eq!(data[1]["links"], json!([link]));
    assert!(data[1]["sent_at"].as_str().unwrap().ends_with('Z'));
    assert!(data[1]["id"].is_i64());

    let page = sim.get("/__sim/outbox", &[]).text();
    assert!(page.contains(&format!("<a href=\"{link}\"")));
    assert!(page.contains("Reset &lt;your&gt; password"));
    assert!(!page.contains("<script>"));
}

#[test]
fn console_url_flag_drives_links() {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.console_url = Some("http://localhost:8080".into());
    let sim = start_with(config);
    assert_eq!(
        sim.state.console_link("/login"),
        "http://localhost:8080/#/login"
    );
}

fn cors_server() -> TestServer {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.console_origins = vec!["http://localhost:8080".into()];
    start_with(config)
}

#[test]
fn cors_preflight_for_allowed_origin() {
    let sim = cors_server();
    let reply = sim.send(
        "OPTIONS",
        "/api/users",
        &[
            ("origin", "http://localhost:8080"),
            ("access-control-request-method", "GET"),
            (
                "access-control-request-headers",
                "authorization, content-type",
            ),
        ],
        None,
    );
    assert!((200..300).contains(&reply.status), "{}", reply.status);
    assert_eq!(
        reply.header("access-control-allow-origin").as_deref(),
        Some("http://localhost:8080")
    );
    assert_eq!(
        list(&reply, "access-control-allow-methods"),
        ["get", "post", "put", "patch", "delete"]
    );
    assert_eq!(
        list(&reply, "access-control-allow-headers"),
        ["authorization", "content-type"]
    );
    assert_eq!(
        reply.header("access-control-max-age").as_deref(),
        Some("600")
    );
    assert!(list(&reply, "vary").contains(&"origin".to_string()));
}

/// A comma-separated header as lower-case items.
fn list(reply: &Reply, name: &str) -> Vec<String> {
    reply
        .header(name)
        .unwrap_or_default()
        .split(',')
        .map(|item| item.trim().to_ascii_lowercase())
        .filter(|item| !item.is_empty())
        .collect()
}

#[test]
fn cors_on_responses_including_faults_and_errors() {
    let sim = cors_server();
    let origin = [("origin", "http://localhost:8080")];
    let reply = sim.get("/api/users", &origin);
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.header("access-control-allow-origin").as_deref(),
        Some("http://localhost:8080")
    );
    assert_eq!(
        reply.header("access-control-expose-headers").as_deref(),
        Some("retry-after")
    );
    sim.post_json(
        "/__sim/faults",
        &json!({"path": "/api/users", "kind": "status", "status": 429, "retry_after": 3}),
    );
    let limited = sim.get("/api/users", &origin);
    assert_eq!(limited.status, 429);
    assert_eq!(
        limited.header("access-control-allow-origin").as_deref(),
        Some("http://localhost:8080")
    );

    // Other origins get nothing, preflight included.
    let other = sim.get("/__sim/health", &[("origin", "http://evil.test")]);
    assert!(other.header("access-control-allow-origin").is_none());
    assert!(list(&other, "vary").contains(&"origin".to_string()));
    let preflight = sim.send(
        "OPTIONS",
        "/api/users",
        &[
            ("origin", "http://evil.test"),
            ("access-control-request-method", "GET"),
        ],
        None,
    );
    // Without an allowed origin a browser refuses whatever else the preflight says.
    assert!(preflight.header("access-control-allow-origin").is_none());
}

/// A fresh fake `dist/` per server: tests run in parallel, and rewriting a shared directory
/// would let one test read another's half-written file.
fn dist_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "gx-sim-dist-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(dir.join("snippets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        "<!doctype html><html><head><meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'self' 'wasm-unsafe-eval'\">\n\
         <title>Gigalixir</title></head><body></body></html>",
    )
    .unwrap();
    let js = "export function hello() { return 'hello'; }\n".repeat(200);
    std::fs::write(dir.join("gigalixir-console-0123456789abcdef.js"), &js).unwrap();
    std::fs::write(
        dir.join("gigalixir-console-0123456789abcdef_bg.wasm"),
        [0u8, 97, 115, 109, 1, 0, 0, 0],
    )
    .unwrap();
    std::fs::write(dir.join("config.json"), "{\"api_base\":\"\"}").unwrap();
    std::fs::write(dir.join("snippets").join("x.js"), "// x").unwrap();
    dir
}

fn static_server() -> TestServer {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.serve_dir = Some(dist_dir());
    start_with(config)
}

#[test]
fn static_index_headers() {
    let sim = static_server();
    // A typed route (`/login` for `/#/login`) gets the console, which moves it into the hash.
    for path in [
        "/",
        "/index.html",
        "/login",
        "/account/billing",
        "/snippets",
    ] {
        let reply = sim.get(path, &[]);
        assert_eq!(reply.status, 200);
        assert_eq!(
            reply.header("content-type").as_deref(),
            Some("text/html; charset=utf-8")
        );
        assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(
            reply.header("referrer-policy").as_deref(),
            Some("no-referrer")
        );
        assert_eq!(
            reply.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(
            reply.header("content-security-policy").as_deref(),
            Some(
                "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'none'"
            )
        );
        assert!(reply.text().contains("<title>Gigalixir</title>"));
    }
}

#[test]
fn static_cache_headers_and_types() {
    let sim = static_server();
    let wasm = sim.get("/gigalixir-console-0123456789abcdef_bg.wasm", &[]);
    assert_eq!(
        wasm.header("content-type").as_deref(),
        Some("application/wasm")
    );
    assert_eq!(
        wasm.header("cache-control").as_deref(),
        Some("public, max-age=31536000, immutable")
    );
    assert!(wasm.header("content-security-policy").is_none());
    assert_eq!(
        wasm.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let config = sim.get("/config.json", &[]);
    assert_eq!(config.header("cache-control").as_deref(), Some("no-cache"));
    // Answered by the simulator, not read from the build (see tests/stripe.rs).
    assert_eq!(
        config.json(),
        json!({"api_base": "", "stripe_js": "/__sim/stripe/v3/", "stripe_key": "pk_test_sim"})
    );
    assert_eq!(sim.get("/snippets/x.js", &[]).status, 200);
    for missing in ["/nope.js", "/../Cargo.toml", "/%2e%2e/Cargo.toml"] {
        let reply = sim.get(missing, &[]);
        assert_eq!(reply.status, 404, "{missing}");
        reply.json();
    }
    // API paths are not static files even with --serve-dir.
    assert_eq!(
        sim.get("/api/nope", &[]).json(),
        json!({"errors": {"": ["Not found."]}})
    );
    assert_eq!(sim.send("POST", "/index.html", &[], Some("x")).status, 405);
}

#[test]
fn static_compression_follows_accept_encoding() {
    let sim = static_server();
    let path = "/gigalixir-console-0123456789abcdef.js";
    let plain = sim.get(path, &[]);
    assert!(plain.header("content-encoding").is_none());
    let original = plain.body.clone();

    let br = sim.get(path, &[("accept-encoding", "br")]);
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
    assert!(br.body.len() < original.len() / 4);
    assert!(br
        .header("vary")
        .unwrap()
        .to_ascii_lowercase()
        .contains("accept-encoding"));

    let gz = sim.get(path, &[("accept-encoding", "gzip")]);
    assert_eq!(gz.header("content-encoding").as_deref(), Some("gzip"));
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&gz.body[..])
        .read_to_end(&mut decoded)
        .unwrap();
    assert_eq!(decoded, original);
    // Security headers survive compression.
    assert_eq!(
        gz.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );

    // API answers are never compressed.
    let api = sim.get("/api/users", &[("accept-encoding", "gzip, br")]);
    assert!(api.header("content-encoding").is_none());
}
