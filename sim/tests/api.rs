//! A1 login and A5 user over real HTTP.

mod common;

use common::*;
use serde_json::json;

#[test]
fn seeded_demo_login_then_users() {
    let sim = start();
    let reply = sim.login("demo@example.com", "demo-password", None);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    let key = reply.json()["data"]["key"].as_str().unwrap().to_string();
    assert!(key.len() >= 32);

    // Login returns the same key again: it does not rotate.
    let again = sim.login("DEMO@Example.com", "demo-password", None);
    assert_eq!(again.json()["data"]["key"], key.as_str());

    let user = sim.users("demo@example.com", &key);
    assert_eq!(user.status, 200, "{}", user.text());
    assert_eq!(
        user.json(),
        json!({"data": {"email": "demo@example.com", "tier": "STANDARD", "credit_cents": 1250, "mfa_enabled": false}})
    );
    // Emails are matched case-insensitively for key auth too.
    assert_eq!(sim.users("Demo@Example.COM", &key).status, 200);
}

#[test]
fn wrong_password_and_unknown_email_are_401_json() {
    let sim = start();
    for (email, password) in [
        ("demo@example.com", "nope"),
        ("nobody@example.com", "demo-password"),
        ("demo@example.com", ""),
    ] {
        let reply = sim.login(email, password, None);
        assert_eq!(reply.status, 401);
        assert_eq!(reply.json(), login_failed_body());
    }
    let missing = sim.get("/api/login", &[]);
    assert_eq!(missing.status, 401);
    assert_eq!(missing.json(), login_failed_body());
}

#[test]
fn percent_encoded_credentials_with_awkward_characters() {
    let sim = start();
    let password = "p:ss w%rd+ü€🔑/é";
    let email = "o'brien+test@exämple.com";
    sim.create_account(json!({"email": email, "password": password}));
    let reply = sim.login(email, password, None);
    assert_eq!(reply.status, 200, "{}", reply.text());
    // The raw (unencoded) form of the same password is a different password.
    let raw = sim.get(
        "/api/login",
        &[(
            "authorization",
            &raw_basic("o'brien+test@ex%C3%A4mple.com", "p%3Ass"),
        )],
    );
    assert_eq!(raw.status, 401);
    // Invalid UTF-8 after decoding is a plain 401, not a crash.
    let bad = sim.get(
        "/api/login",
        &[("authorization", &raw_basic("%FF%FE", "x"))],
    );
    assert_eq!(bad.status, 401);
    assert_eq!(bad.json(), login_failed_body());
}

#[test]
fn mfa_required_is_303_without_location() {
    let sim = start();
    let reply = sim.login("mfa@example.com", "mfa-password", None);
    assert_eq!(reply.status, 303);
    assert!(reply.header("location").is_none());
    // Wrong password wins over missing code.
    assert_eq!(sim.login("mfa@example.com", "wrong", None).status, 401);
}

#[test]
fn totp_login_then_replay_is_refused() {
    let sim = start();
    let account = sim.create_account(
        json!({"email": "t@example.com", "password": "pw", "mfa": true, "tier": "STANDARD"}),
    );
    let secret = account["totp_secret"].as_str().unwrap();
    let code = totp_now(secret);
    let ok = sim.login("t@example.com", "pw", Some(&code));
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(ok.json()["data"]["key"], account["api_key"]);

    let replay = sim.login("t@example.com", "pw", Some(&code));
    assert_eq!(replay.status, 303);
    assert!(replay.header("location").is_none());

    let users = sim.users("t@example.com", account["api_key"].as_str().unwrap());
    assert_eq!(users.json()["data"]["mfa_enabled"], true);
    assert_eq!(users.json()["data"]["tier"], "STANDARD");
}

#[test]
fn seeded_mfa_account_accepts_its_well_known_secret() {
    let sim = start();
    let code = totp_now("JBSWY3DPEHPK3PXPJBSWY3DP");
    let reply = sim.login("mfa@example.com", "mfa-password", Some(&code));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let key = reply.json()["data"]["key"].as_str().unwrap().to_string();
    let user = sim.users("mfa@example.com", &key).json();
    assert_eq!(
        user,
        json!({"data": {"email": "mfa@example.com", "tier": "FREE", "credit_cents": 0, "mfa_enabled": true}})
    );
}

#[test]
fn wrong_totp_code_is_303_without_location() {
    let sim = start();
    let account =
        sim.create_account(json!({"email": "w@example.com", "password": "pw", "mfa": true}));
    let right = totp_now(account["totp_secret"].as_str().unwrap());
    let wrong = format!("{:06}", (right.parse::<u32>().unwrap() + 1) % 1_000_000);
    for token in [wrong.as_str(), "abc", "1234567", "not-a-code"] {
        let reply = sim.login("w@example.com", "pw", Some(token));
        assert_eq!(reply.status, 303, "token {token}");
        assert!(reply.header("location").is_none());
    }
}

#[test]
fn recovery_code_works_once() {
    let sim = start();
    let account =
        sim.create_account(json!({"email": "r@example.com", "password": "pw", "mfa": true}));
    let codes = account["recovery_codes"].as_array().unwrap();
    assert_eq!(codes.len(), 10);
    let code = codes[3].as_str().unwrap();
    // Typed in upper case with spaces: still accepted.
    let typed = format!(" {} ", code.to_uppercase());
    assert_eq!(sim.login("r@example.com", "pw", Some(&typed)).status, 200);
    let second = sim.login("r@example.com", "pw", Some(code));
    assert_eq!(second.status, 303);
    assert!(second.header("location").is_none());
    // Another unused code still works.
    assert_eq!(
        sim.login("r@example.com", "pw", Some(codes[4].as_str().unwrap()))
            .status,
        200
    );
}

#[test]
fn failed_logins_are_rate_limited_per_email() {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.login_limit = 3;
    config.login_window_secs = 120;
    let sim = start_with(config);
    for _ in 0..3 {
        assert_eq!(sim.login("demo@example.com", "nope", None).status, 401);
    }
    // Now even the right password is refused until the window passes.
    let limited = sim.login("DEMO@example.com", "demo-password", None);
    assert_eq!(limited.status, 429);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=120).contains(&retry), "{retry}");
    assert_eq!(
        limited.json(),
        json!({"errors": {"": ["Too many attempts. Please try again later."]}})
    );
    // Another email is unaffected.
    assert_eq!(
        sim.login("mfa@example.com", "mfa-password", None).status,
        303
    );
}

#[test]
fn wrong_mfa_codes_count_towards_the_limit() {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.login_limit = 2;
    let sim = start_with(config);
    // Asking for the code (no token) is not a failure.
    for _ in 0..3 {
        assert_eq!(
            sim.login("mfa@example.com", "mfa-password", None).status,
            303
        );
    }
    assert_eq!(
        sim.login("mfa@example.com", "mfa-password", Some("000000x"))
            .status,
        303
    );
    assert_eq!(
        sim.login("mfa@example.com", "mfa-password", Some("nope"))
            .status,
        303
    );
    assert_eq!(
        sim.login("mfa@example.com", "mfa-password", None).status,
        429
    );
}

#[test]
fn users_rejects_bad_or_missing_keys() {
    let sim = start();
    let unauthorized = json!({"errors": {"": ["Sorry, you do not have access to that account."]}});
    let key = sim.login("demo@example.com", "demo-password", None).json()["data"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    for reply in [
        sim.get("/api/users", &[]),
        sim.users("demo@example.com", "wrong-key"),
        sim.users("mfa@example.com", &key),
        sim.users("demo@example.com", ""),
    ] {
        assert_eq!(reply.status, 401);
        assert_eq!(reply.json(), unauthorized);
    }
}

#[test]
fn garbage_authorization_headers_never_crash() {
    let sim = start();
    for value in [
        "Basic",
        "Basic !!!!",
        "Basic bm9jb2xvbg==",
        "Basic //79",
        "Bearer abc",
        "Basic Og==",
        "basic ZGVtb0BleGFtcGxlLmNvbTpkZW1vLXBhc3N3b3Jk",
    ] {
        for path in ["/api/login", "/api/users"] {
            let reply = sim.get(path, &[("authorization", value)]);
            assert!(
                reply.status == 401 || (value.starts_with("basic ") && reply.status == 200),
                "{path} {value}: {}",
                reply.status
            );
            reply.json();
        }
    }
    // Non-ASCII header bytes, sent raw.
    let raw = sim
        .raw(b"GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic \xff\xfe\r\nConnection: close\r\n\r\n")
        .unwrap();
    assert!(String::from_utf8_lossy(&raw).starts_with("HTTP/1.1 401"));
}

#[test]
fn public_endpoints_tolerate_authorization_and_json_content_type() {
    let sim = start();
    let auth = raw_basic("demo@example.com", "some-old-key");
    let health = sim.get(
        "/__sim/health",
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
    );
    assert_eq!((health.status, health.text().as_str()), (200, "ok"));
    let outbox = sim.get("/__sim/outbox.json", &[("authorization", &auth)]);
    assert_eq!(outbox.status, 200);
}

#[test]
fn unknown_paths_and_methods_are_json() {
    let sim = start();
    for path in [
        "/api/nope",
        "/api",
        "/api/users/x",
        "/__sim/nope",
        "/index.html",
        "/",
    ] {
        let reply = sim.get(path, &[]);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.json(), json!({"errors": {"": ["Not found."]}}));
    }
    for (method, path) in [
        ("POST", "/api/login"),
        ("DELETE", "/api/users"),
        ("PUT", "/__sim/accounts"),
    ] {
        let reply = sim.send(
            method,
            path,
            &[("content-type", "application/json")],
            Some("{}"),
        );
        assert_eq!(reply.status, 405, "{method} {path}");
        assert_eq!(
            reply.json(),
            json!({"errors": {"": ["Method not allowed."]}})
        );
    }
}

#[test]
fn oversized_and_malformed_bodies_are_json_errors() {
    let sim = start();
    let big = format!("{{\"email\":\"{}\"}}", "a".repeat(200 * 1024));
    let reply = sim.send(
        "POST",
        "/__sim/accounts",
        &[("content-type", "application/json")],
        Some(&big),
    );
    assert_eq!(reply.status, 413);
    reply.json();
    for body in ["", "{", "[]", "{\"email\": 1}", "\u{0}"] {
        let reply = sim.send(
            "POST",
            "/__sim/accounts",
            &[("content-type", "application/json")],
            Some(body),
        );
        assert_eq!(reply.status, 400, "{body:?}");
        assert!(reply.json()["errors"][""][0].is_string());
    }
    // A huge header is refused by the HTTP layer without hanging.
    let huge = format!(
        "GET /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "a".repeat(1024 * 1024)
    );
    match sim.raw(huge.as_bytes()) {
        Ok(bytes) => {
            assert!(bytes.is_empty() || String::from_utf8_lossy(&bytes).starts_with("HTTP/1.1 431"))
        }
        Err(e) => assert!(matches!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::BrokenPipe
        )),
    }
    assert_eq!(sim.get("/__sim/health", &[]).status, 200);
}
