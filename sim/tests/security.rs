//! The simulator is safe to run: test controls behind a switch, requests for other hosts and
//! unlabelled bodies refused, passwords checked in one counted place, credentials that die
//! when they should and are stored only as hashes.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;
use gigalixir_sim::Config;
use serde_json::json;

const DEMO: &str = "demo@example.com";
const DEMO_PASSWORD: &str = "demo-password";
const RESET: &str = "/api/users/reset_password";

fn controls_off() -> TestServer {
    let mut config = Config::ephemeral();
    config.test_controls = false;
    start_with(config)
}

#[test]
fn test_controls_answer_404_unless_switched_on() {
    let sim = controls_off();
    for path in [
        "/__sim/outbox",
        "/__sim/outbox.json",
        "/__sim/health",
        "/__sim/clock",
    ] {
        let reply = sim.get(path, &[]);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(reply.json(), json!({"errors": {"": ["Not found."]}}));
    }
    for path in ["/__sim/accounts", "/__sim/oauth/complete", "/__sim/faults"] {
        let reply = sim.post_json(path, &json!({"email": "x@example.com", "password": "pw"}));
        assert_eq!(reply.status, 404, "{path}");
    }
    // The API itself still works.
    assert_eq!(sim.login(DEMO, DEMO_PASSWORD, None).status, 200);
    // Switched on (as the dev and test scripts start it), they answer.
    assert_eq!(start().get("/__sim/health", &[]).status, 200);
}

#[test]
fn requests_for_another_host_are_refused() {
    let sim = start();
    for host in [
        "evil.example",
        "evil.example:8765",
        "127.0.0.1.evil.example",
        "10.0.0.1",
    ] {
        let reply = sim.get("/__sim/outbox.json", &[("host", host)]);
        assert_eq!(reply.status, 421, "{host}");
        assert!(reply.json()["errors"][""][0]
            .as_str()
            .unwrap()
            .contains("does not answer"));
    }
    for host in [
        "localhost",
        "LOCALHOST:9",
        "127.0.0.1",
        "127.1.2.3:80",
        "[::1]:8765",
        "app.localhost",
    ] {
        assert_eq!(
            sim.get("/__sim/health", &[("host", host)]).status,
            200,
            "{host}"
        );
    }
    let mut config = Config::ephemeral();
    config.console_url = Some("https://console.test:8443/".into());
    config.console_origins = vec!["http://other.test:8080".into()];
    let sim = start_with(config);
    for host in ["console.test", "other.test:8080"] {
        assert_eq!(
            sim.get("/__sim/health", &[("host", host)]).status,
            200,
            "{host}"
        );
    }
    assert_eq!(
        sim.get("/__sim/health", &[("host", "third.test")]).status,
        421
    );
}

#[test]
fn json_bodies_must_say_they_are_json() {
    let sim = start();
    let body = json!({"email": DEMO}).to_string();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ] {
        let reply = sim.send("PUT", RESET, &[("content-type", content_type)], Some(&body));
        assert_eq!(reply.status, 415, "{content_type}");
    }
    assert!(sim.emails_to(DEMO).is_empty(), "nothing was sent");
    let reply = sim.send(
        "PUT",
        RESET,
        &[("content-type", "Application/JSON; charset=utf-8")],
        Some(&body),
    );
    assert_eq!(reply.status, 200);

    // Signed in: a cross-site form post cannot change the password.
    let key = sim.key_for(DEMO, DEMO_PASSWORD);
    let change = json!({"current_password": DEMO_PASSWORD, "new_password": "another-password"});
    let reply = sim.send(
        "PATCH",
        "/api/users/change_password",
        &[
            ("authorization", &raw_basic(DEMO, &key)),
            ("content-type", "text/plain"),
        ],
        Some(&change.to_string()),
    );
    assert_eq!(reply.status, 415);
    assert_eq!(sim.login(DEMO, DEMO_PASSWORD, None).status, 200);
    // A body that is not a JSON object is a 400.
    let reply = sim.send(
        "PUT",
        RESET,
        &[("content-type", "application/json")],
        Some("[\"a@b.c\"]"),
    );
    assert_eq!(reply.status, 400);
}

#[test]
fn api_answers_are_never_cached() {
    let sim = start();
    let ok = sim.login(DEMO, DEMO_PASSWORD, None);
    assert_eq!(ok.status, 200);
    assert_eq!(ok.header("cache-control").as_deref(), Some("no-store"));
    let refused = sim.users(DEMO, "wrong");
    assert_eq!(refused.status, 401);
    assert_eq!(refused.header("cache-control").as_deref(), Some("no-store"));
}

#[test]
fn failed_logins_are_limited_per_client_ip_too() {
    let mut config = Config::ephemeral();
    config.login_limit = 100;
    config.login_ip_limit = 3;
    let sim = start_with(config);
    for email in ["a@example.com", "b@example.com", DEMO] {
        assert_eq!(
            sim.login(email, "wrong-password", None).status,
            401,
            "{email}"
        );
    }
    // Every address from this client now waits, even with the right password.
    let reply = sim.login("mfa@example.com", "mfa-password", None);
    assert_eq!(reply.status, 429);
    assert!(reply.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
    assert_eq!(sim.login(DEMO, DEMO_PASSWORD, None).status, 429);
    sim.advance_clock(900);
    assert_eq!(sim.login(DEMO, DEMO_PASSWORD, None).status, 200);
}

#[test]
fn parallel_guesses_cannot_pass_the_limit_together() {
    let mut config = Config::ephemeral();
    config.login_limit = 3;
    let sim = start_with(config);
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let guesses: Vec<_> = (0..12)
            .map(|i| {
                let sim = &sim;
                scope.spawn(move || sim.login(DEMO, &format!("guess-{i}"), None).status)
            })
            .collect();
        guesses.into_iter().map(|g| g.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 401).count(),
        3,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        9,
        "{statuses:?}"
    );
}

#[test]
fn one_current_password_check_counts_every_wrong_or_missing_password() {
    let mut config = Config::ephemeral();
    config.login_limit = 4;
    let sim = start_with(config);
    let key = sim.key_for(DEMO, DEMO_PASSWORD);
    let wrong = json!({"current_password": "wrong"});
    let calls = [
        (
            "PATCH",
            "/api/users/change_password",
            json!({"current_password": "wrong", "new_password": "long-enough"}),
        ),
        ("POST", "/api/api_keys/regenerate", json!({})),
        ("DELETE", "/api/mfa", wrong.clone()),
        ("POST", "/api/mfa/recovery_codes", wrong.clone()),
    ];
    for (method, path, body) in &calls {
        let reply = sim.signed_in(method, path, DEMO, &key, Some(body));
        assert_eq!(reply.status, 422, "{method} {path}: {}", reply.text());
        assert_eq!(
            reply.json(),
            json!({"errors": {"current_password": ["is incorrect"]}})
        );
    }
    // Four wrong passwords: the fifth attempt waits, right or wrong, here and at login.
    let right = json!({"current_password": DEMO_PASSWORD, "new_password": "long-enough"});
    let reply = sim.signed_in(
        "PATCH",
        "/api/users/change_password",
        DEMO,
        &key,
        Some(&right),
    );
    assert_eq!(reply.status, 429);
    assert_eq!(sim.login(DEMO, DEMO_PASSWORD, None).status, 429);
    // The official CLI's bodyless A15/A16 still work with the key alone.
    let reply = sim.signed_in("POST", "/api/mfa/start", DEMO, &key, Some(&json!({})));
    assert_eq!(reply.status, 200);
}

#[test]
fn a_right_current_password_does_not_count() {
    let mut config = Config::ephemeral();
    config.login_limit = 2;
    let sim = start_with(config);
    let key = sim.key_for(DEMO, DEMO_PASSWORD);
    for _ in 0..4 {
        let reply = sim.signed_in(
            "DELETE",
            "/api/mfa",
            DEMO,
            &key,
            Some(&json!({"current_password": DEMO_PASSWORD})),
        );
        assert_eq!(reply.status, 200, "{}", reply.text());
    }
    assert_eq!(sim.login(DEMO, DEMO_PASSWORD, None).status, 200);
}

fn reset_token(sim: &TestServer, email: &str) -> String {
    assert_eq!(sim.put_json(RESET, &json!({ "email": email })).status, 200);
    let link = sim.emails_to(email)[0]["links"][0]
        .as_str()
        .unwrap()
        .to_string();
    link.split("token=").nth(1).unwrap().to_string()
}

fn set_password(sim: &TestServer, token: &str) -> serde_json::Value {
    sim.post_json(
        RESET,
        &json!({"token": token, "password": "brand-new-password"}),
    )
    .json()
}

#[test]
fn a_new_password_or_address_voids_the_reset_links_already_sent() {
    let sim = start();
    let used = json!({"errors": {"token": ["has already been used"]}});
    // A reset spends every other link it had sent.
    let first = reset_token(&sim, DEMO);
    let second = reset_token(&sim, DEMO);
    assert_eq!(set_password(&sim, &second), json!({"data": {}}));
    assert_eq!(set_password(&sim, &first), used);

    // So does a password change.
    let key = sim.key_for(DEMO, "brand-new-password");
    let pending = reset_token(&sim, DEMO);
    let change =
        json!({"current_password": "brand-new-password", "new_password": "changed-password"});
    assert_eq!(
        sim.signed_in(
            "PATCH",
            "/api/users/change_password",
            DEMO,
            &key,
            Some(&change)
        )
        .status,
        200
    );
    assert_eq!(set_password(&sim, &pending), used);

    // And an email change: the link went to the old mailbox.
    let pending = reset_token(&sim, DEMO);
    let change = json!({"next_email": "moved@example.com", "current_password": "changed-password"});
    assert_eq!(
        sim.signed_in("POST", "/api/users/email", DEMO, &key, Some(&change))
            .status,
        200
    );
    let confirm = sim.emails_to("moved@example.com")[0]["links"][0]
        .as_str()
        .unwrap()
        .to_string();
    let path = confirm.strip_prefix(&sim.base).unwrap();
    assert_eq!(sim.get(path, &[]).status, 302);
    assert_eq!(set_password(&sim, &pending), used);
}

#[test]
fn the_google_poll_answers_the_key_once() {
    let sim = start();
    let start = sim.send(
        "POST",
        "/api/oauth/google",
        &[("content-type", "application/json")],
        None,
    );
    let session = start.json()["data"]["session"]
        .as_str()
        .unwrap()
        .to_string();
    let done = sim.post_json(
        "/__sim/oauth/complete",
        &json!({"session": session, "email": DEMO}),
    );
    assert_eq!(done.status, 200);
    let poll = |s: &str| sim.get(&format!("/api/oauth/google/{s}"), &[]);
    let first = poll(&session);
    assert_eq!(first.status, 200);
    let key = first.json()["data"]["key"].as_str().unwrap().to_string();
    assert_eq!(sim.users(DEMO, &key).status, 200);
    let again = poll(&session);
    assert_eq!(again.status, 410);
    assert_eq!(
        again.json(),
        json!({"errors": {"": ["This Google sign-in has already been completed."]}})
    );
}

#[test]
fn keys_and_recovery_codes_are_stored_only_as_hashes() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PASSWORD);
    let created =
        sim.create_account(json!({"email": "codes@example.com", "password": "pw", "mfa": true}));
    let codes: Vec<String> = created["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| {
            let code = c.as_str().unwrap();
            [code.to_string(), code.replace('-', "")]
        })
        .collect();
    let conn = sim.state.db().lock();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let secrets = std::iter::once(key.clone()).chain(codes);
    for secret in secrets {
        for table in &tables {
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            for column in columns {
                let found: i64 = conn
                    .query_row(
                        &format!("SELECT COUNT(*) FROM {table} WHERE CAST({column} AS TEXT) = ?1"),
                        [&secret],
                        |r| r.get(0),
                    )
                    .unwrap();
                assert_eq!(found, 0, "{secret} sits in {table}.{column}");
            }
        }
    }
}

#[test]
fn a_file_database_keeps_keys_across_restarts_without_storing_them() {
    let dir = std::env::temp_dir().join(format!("gigalixir-sim-keys-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("sim.sqlite").to_str().unwrap().to_string();
    let run = |db: &str| {
        let mut config = Config::ephemeral();
        config.db = db.to_string();
        let addr = "127.0.0.1:1".parse().unwrap();
        gigalixir_sim::Sim::open(config, addr).unwrap()
    };
    let login = |sim: &gigalixir_sim::Sim| {
        let conn = sim.state().db().lock();
        let user = gigalixir_sim::db::user_by_email(&conn, DEMO)
            .unwrap()
            .unwrap();
        gigalixir_sim::db::ensure_api_key(&conn, user.id, 0).unwrap()
    };
    let first = login(&run(&db));
    assert_eq!(login(&run(&db)), first, "the same key after a restart");
    let key_file = format!("{db}.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "only the owner reads the key secret");
    }
    // Without the secret the old key cannot be made again: login hands out a new one that
    // works, and the old one still does.
    std::fs::remove_file(&key_file).unwrap();
    let sim = run(&db);
    let second = login(&sim);
    assert_ne!(second, first);
    let conn = sim.state().db().lock();
    for key in [&first, &second] {
        assert!(gigalixir_sim::db::user_by_api_key(&conn, DEMO, key)
            .unwrap()
            .is_some());
    }
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn key_credentials_may_be_percent_encoded() {
    let sim = start();
    let email = "o'brien+x@example.com";
    sim.create_account(json!({"email": email, "password": "pw"}));
    let key = sim.key_for(email, "pw");
    let encoded = "o%27brien%2Bx%40example.com";
    assert_eq!(sim.users(encoded, &key).status, 200);
    assert_eq!(sim.users(email, &key).status, 200);
    assert_eq!(sim.users(encoded, "wrong").status, 401);
}

#[test]
fn credit_cannot_overflow() {
    let sim = start();
    let email = "rich@example.com";
    sim.create_account(json!({"email": email, "password": "pw", "credit_cents": i64::MAX - 5}));
    let key = sim.key_for(email, "pw");
    let upgrade = json!({"stripe_token": "tok_visa", "promo_code": "WELCOME10"});
    let reply = sim.signed_in("POST", "/api/upgrade", email, &key, Some(&upgrade));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let user = sim.users(email, &key);
    assert_eq!(user.status, 200);
    assert_eq!(user.json()["data"]["credit_cents"], i64::MAX);
}

#[test]
fn listening_beyond_loopback_prints_a_warning() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gigalixir-sim"))
        .args(["--addr", "0.0.0.0:0", "--db", ":memory:", "--no-seed"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(line.contains("warning: listening on 0.0.0.0:"), "{line}");
    assert!(line.contains("other machines can reach"), "{line}");
}
