//! Account settings over real HTTP: password change (A6), email change and its links (A10),
//! account deletion (A11), API-key regeneration (A12), and the 401 every signed-in endpoint
//! shares.

mod common;

use common::*;
use gigalixir_sim::Config;
use serde_json::{json, Value};

const DEMO: &str = "demo@example.com";
const DEMO_PW: &str = "demo-password";
const CHANGE: &str = "/api/users/email";

fn users(sim: &TestServer, email: &str, key: &str) -> Value {
    let reply = sim.users(email, key);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["data"].clone()
}

fn change_password(sim: &TestServer, key: &str, current: &str, new: &str) -> Reply {
    sim.signed_in(
        "PATCH",
        "/api/users/change_password",
        DEMO,
        key,
        Some(&json!({"current_password": current, "new_password": new})),
    )
}

fn request_change(sim: &TestServer, email: &str, key: &str, next: &str, password: &str) -> Reply {
    sim.signed_in(
        "POST",
        CHANGE,
        email,
        key,
        Some(&json!({"next_email": next, "current_password": password})),
    )
}

/// The one link in the newest email to `to` with `subject`.
fn link_to(sim: &TestServer, to: &str, subject: &str) -> String {
    let emails = sim.emails_to(to);
    let email = emails
        .iter()
        .find(|email| email["subject"] == subject)
        .unwrap_or_else(|| panic!("no {subject:?} email to {to}: {emails:?}"));
    let links = email["links"].as_array().unwrap();
    assert_eq!(links.len(), 1, "{email}");
    links[0].as_str().unwrap().to_string()
}

fn confirm_link(sim: &TestServer, next: &str) -> String {
    link_to(sim, next, "Confirm your new Gigalixir email")
}

fn revoke_link(sim: &TestServer, current: &str) -> String {
    link_to(sim, current, "Your Gigalixir email is about to change")
}

/// Opens an emailed API link and returns where it redirects.
fn follow(sim: &TestServer, link: &str) -> String {
    let path = link.strip_prefix(&sim.base).expect("an API link");
    let reply = sim.get(path, &[]);
    assert_eq!(reply.status, 302, "{}", reply.text());
    assert_eq!(
        reply.header("referrer-policy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(reply.header("cache-control").as_deref(), Some("no-store"));
    reply.header("location").unwrap()
}

fn notify(sim: &TestServer, msg: &str) -> String {
    format!("{}/#/notify?msg={msg}&to=%2Faccount", sim.base)
}

#[test]
fn changing_the_password_keeps_the_key() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let reply = change_password(&sim, &key, DEMO_PW, "a new password");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"data": {"message": "Password changed."}})
    );
    assert_eq!(sim.login(DEMO, DEMO_PW, None).status, 401);
    assert_eq!(sim.key_for(DEMO, "a new password"), key);
    assert_eq!(users(&sim, DEMO, &key)["email"], DEMO);
}

#[test]
fn password_change_errors_leave_the_password_alone() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    for (current, new, status, body) in [
        (
            "wrong",
            "long enough",
            422,
            field_error("current_password", "is incorrect"),
        ),
        (
            DEMO_PW,
            "short",
            422,
            field_error("new_password", "should be at least 8 characters"),
        ),
        (
            DEMO_PW,
            &"x".repeat(129),
            422,
            field_error("new_password", "should be at most 128 characters"),
        ),
        (
            DEMO_PW,
            "          ",
            422,
            field_error("new_password", "can't be only spaces"),
        ),
        (
            DEMO_PW,
            DEMO_PW,
            422,
            field_error("new_password", "is the same as your current password"),
        ),
    ] {
        let reply = change_password(&sim, &key, current, new);
        assert_eq!(reply.status, status, "{}", reply.text());
        assert_eq!(reply.json(), body);
    }
    assert_eq!(sim.login(DEMO, DEMO_PW, None).status, 200);
    // Exactly 128 characters is fine.
    let reply = change_password(&sim, &key, DEMO_PW, &"é".repeat(128));
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn wrong_current_passwords_count_as_failed_logins() {
    let mut config = Config::ephemeral();
    config.login_limit = 3;
    let sim = start_with(config);
    let key = sim.key_for(DEMO, DEMO_PW);
    for _ in 0..3 {
        assert_eq!(
            change_password(&sim, &key, "guess", "whatever-1").status,
            422
        );
    }
    let reply = change_password(&sim, &key, DEMO_PW, "whatever-1");
    assert_eq!(reply.status, 429);
    assert!(reply.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
    assert_eq!(sim.login(DEMO, DEMO_PW, None).status, 429);
    // The key itself still works: guessing did not sign the owner out.
    assert_eq!(sim.users(DEMO, &key).status, 200);
}

#[test]
fn email_change_confirmed_by_the_new_address() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let next = "demo.new@example.com";
    let reply = request_change(&sim, DEMO, &key, next, DEMO_PW);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"data": {}}));
    assert_eq!(users(&sim, DEMO, &key)["next_email"], next);

    let confirm = confirm_link(&sim, next);
    let prefix = format!("{}/api/users/email/confirm?token=", sim.base);
    let token = confirm.strip_prefix(&prefix).expect(&confirm);
    assert!(token.len() >= 32, "{token}");
    let body = sim.emails_to(next)[0]["body"].as_str().unwrap().to_string();
    assert!(body.contains("24 hours"), "{body}");
    assert!(
        body.lines().any(|line| line == confirm),
        "link on its own line"
    );
    let revoke = revoke_link(&sim, DEMO);
    assert!(
        revoke.starts_with(&format!("{}/api/users/email/revoke?token=", sim.base)),
        "{revoke}"
    );
    // Only hashes are stored.
    let stored: String = sim
        .state
        .db()
        .lock()
        .query_row(
            "SELECT confirm_hash || revoke_hash FROM email_changes",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(!stored.contains(token));

    assert_eq!(follow(&sim, &confirm), notify(&sim, "email_changed"));
    // Same key, new address; the old address with the key no longer signs in.
    let user = users(&sim, next, &key);
    assert_eq!(user["email"], next);
    assert!(user.get("next_email").is_none(), "{user}");
    let old = sim.users(DEMO, &key);
    assert_eq!(old.status, 401);
    assert_eq!(old.json(), no_access_body());
    assert_eq!(sim.key_for(next, DEMO_PW), key);
    assert_eq!(sim.login(DEMO, DEMO_PW, None).status, 401);

    // Both links are spent now.
    assert_eq!(follow(&sim, &confirm), notify(&sim, "link_invalid"));
    assert_eq!(follow(&sim, &revoke), notify(&sim, "link_invalid"));
    assert_eq!(users(&sim, next, &key)["email"], next);
}

#[test]
fn email_change_revoked_by_the_current_address() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let next = "thief@example.com";
    assert_eq!(request_change(&sim, DEMO, &key, next, DEMO_PW).status, 200);
    let revoke = revoke_link(&sim, DEMO);
    assert_eq!(follow(&sim, &revoke), notify(&sim, "email_change_revoked"));
    let user = users(&sim, DEMO, &key);
    assert!(user.get("next_email").is_none(), "{user}");
    assert_eq!(
        follow(&sim, &confirm_link(&sim, next)),
        notify(&sim, "link_invalid")
    );
    assert_eq!(users(&sim, DEMO, &key)["email"], DEMO);
    assert_eq!(follow(&sim, &revoke), notify(&sim, "link_invalid"));
}

#[test]
fn email_change_errors_send_nothing() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    for (next, password, body) in [
        (
            "not-an-address",
            DEMO_PW,
            field_error("next_email", "is not a valid email address"),
        ),
        (
            "DEMO@example.com",
            DEMO_PW,
            field_error("next_email", "is the same as your current email"),
        ),
        (
            "fresh@example.com",
            "wrong",
            field_error("current_password", "is incorrect"),
        ),
        // Whether an address is taken is told only to someone who knows the password.
        (
            "mfa@example.com",
            "wrong",
            field_error("current_password", "is incorrect"),
        ),
        (
            "mfa@example.com",
            DEMO_PW,
            field_error("next_email", "has already been taken"),
        ),
    ] {
        let reply = request_change(&sim, DEMO, &key, next, password);
        assert_eq!(reply.status, 422, "{next}: {}", reply.text());
        assert_eq!(reply.json(), body, "{next}");
    }
    assert!(sim.outbox().is_empty());
    assert!(users(&sim, DEMO, &key).get("next_email").is_none());
}

#[test]
fn a_newer_email_change_replaces_the_pending_one() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    assert_eq!(
        request_change(&sim, DEMO, &key, "first@example.com", DEMO_PW).status,
        200
    );
    let first = confirm_link(&sim, "first@example.com");
    assert_eq!(
        request_change(&sim, DEMO, &key, "second@example.com", DEMO_PW).status,
        200
    );
    assert_eq!(users(&sim, DEMO, &key)["next_email"], "second@example.com");
    assert_eq!(follow(&sim, &first), notify(&sim, "link_invalid"));
    let second = confirm_link(&sim, "second@example.com");
    assert_eq!(follow(&sim, &second), notify(&sim, "email_changed"));
    assert_eq!(
        users(&sim, "second@example.com", &key)["email"],
        "second@example.com"
    );
}

#[test]
fn email_change_links_expire_after_a_day() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let next = "late@example.com";
    assert_eq!(request_change(&sim, DEMO, &key, next, DEMO_PW).status, 200);
    sim.advance_clock(86_395);
    assert_eq!(users(&sim, DEMO, &key)["next_email"], next);
    sim.advance_clock(5);
    assert!(users(&sim, DEMO, &key).get("next_email").is_none());
    assert_eq!(
        follow(&sim, &confirm_link(&sim, next)),
        notify(&sim, "link_invalid")
    );
    assert_eq!(
        follow(&sim, &revoke_link(&sim, DEMO)),
        notify(&sim, "link_invalid")
    );
    assert_eq!(users(&sim, DEMO, &key)["email"], DEMO);
}

#[test]
fn an_address_taken_before_confirmation_is_refused() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let next = "contested@example.com";
    assert_eq!(request_change(&sim, DEMO, &key, next, DEMO_PW).status, 200);
    sim.create_account(json!({"email": next, "password": "someone-else"}));
    assert_eq!(
        follow(&sim, &confirm_link(&sim, next)),
        notify(&sim, "email_taken")
    );
    let user = users(&sim, DEMO, &key);
    assert_eq!(user["email"], DEMO);
    assert!(user.get("next_email").is_none(), "{user}");
}

#[test]
fn bad_email_change_tokens_redirect_to_link_invalid() {
    let sim = start();
    for path in [
        "/api/users/email/confirm",
        "/api/users/email/confirm?token=",
        "/api/users/email/confirm?token=nope",
        "/api/users/email/revoke?token=nope",
        "/api/users/email/revoke",
    ] {
        let reply = sim.get(path, &[]);
        assert_eq!(reply.status, 302, "{path}");
        assert_eq!(
            reply.header("location").unwrap(),
            notify(&sim, "link_invalid"),
            "{path}"
        );
    }
}

fn destroy(sim: &TestServer, key: &str, email: &str, password: &str) -> Reply {
    sim.signed_in(
        "DELETE",
        "/api/users/destroy",
        DEMO,
        key,
        Some(&json!({"email": email, "current_password": password})),
    )
}

#[test]
fn destroying_the_account_kills_the_key_and_frees_its_address() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    for (email, password, body) in [
        (
            DEMO,
            "wrong",
            field_error("current_password", "is incorrect"),
        ),
        (
            "other@example.com",
            DEMO_PW,
            field_error("email", "does not match your account"),
        ),
    ] {
        let reply = destroy(&sim, &key, email, password);
        assert_eq!(reply.status, 422, "{}", reply.text());
        assert_eq!(reply.json(), body);
    }
    assert_eq!(sim.users(DEMO, &key).status, 200);

    // The apps go first (tests/charges.rs has the refusal), then the account.
    for app in ["demo-app", "demo-worker"] {
        let path = format!("/api/apps/{app}");
        assert_eq!(sim.signed_in("DELETE", &path, DEMO, &key, None).status, 200);
    }
    let reply = destroy(&sim, &key, " Demo@Example.com ", DEMO_PW);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"data": {}}));
    let gone = sim.users(DEMO, &key);
    assert_eq!(gone.status, 401);
    assert_eq!(gone.json(), no_access_body());
    assert_eq!(sim.login(DEMO, DEMO_PW, None).status, 401);
    // The address and the app names can be used again.
    sim.create_account(json!({
        "email": DEMO, "password": "again-password", "apps": ["demo-app", "demo-worker"]
    }));
    assert_eq!(destroy(&sim, &key, DEMO, DEMO_PW).status, 401);
}

fn regenerate(sim: &TestServer, key: &str, query: &str, body: Option<&Value>) -> Reply {
    sim.signed_in(
        "POST",
        &format!("/api/api_keys/regenerate{query}"),
        DEMO,
        key,
        body,
    )
}

#[test]
fn regenerating_the_key_kills_the_old_one_at_once() {
    let sim = start();
    let old = sim.key_for(DEMO, DEMO_PW);
    // The CLI's form: password in the query, empty body.
    let reply = regenerate(&sim, &old, "?current_password=demo-password", None);
    assert_eq!(reply.status, 201, "{}", reply.text());
    let data = reply.json()["data"].clone();
    assert_eq!(data["expires_at"], Value::Null);
    let new = data["key"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    assert!(new.len() >= 32);
    assert_eq!(sim.users(DEMO, &old).status, 401);
    assert_eq!(users(&sim, DEMO, &new)["email"], DEMO);
    assert_eq!(
        sim.key_for(DEMO, DEMO_PW),
        new,
        "login hands out the new key"
    );

    // The console's form: JSON body.
    let reply = regenerate(&sim, &new, "", Some(&json!({"current_password": DEMO_PW})));
    assert_eq!(reply.status, 201, "{}", reply.text());
    let newer = reply.json()["data"]["key"].as_str().unwrap().to_string();
    assert_eq!(sim.users(DEMO, &new).status, 401);
    assert_eq!(sim.users(DEMO, &newer).status, 200);
}

#[test]
fn regenerating_with_a_wrong_password_is_422_not_401() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    for (query, body) in [
        ("?current_password=wrong", None),
        ("", Some(json!({"current_password": "wrong"}))),
        ("", None),
        ("?current_password=", Some(json!({}))),
    ] {
        let reply = regenerate(&sim, &key, query, body.as_ref());
        assert_eq!(reply.status, 422, "{query}: {}", reply.text());
        assert_eq!(
            reply.json(),
            field_error("current_password", "is incorrect")
        );
    }
    assert_eq!(sim.users(DEMO, &key).status, 200);
    // Percent-encoded passwords in the query are decoded.
    let sim = start();
    sim.create_account(json!({"email": "odd@example.com", "password": "p:ss w&rd+"}));
    let key = sim.key_for("odd@example.com", "p:ss w&rd+");
    let reply = sim.signed_in(
        "POST",
        "/api/api_keys/regenerate?current_password=p%3Ass%20w%26rd%2B",
        "odd@example.com",
        &key,
        None,
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
}

#[test]
fn every_signed_in_endpoint_needs_a_live_key() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let endpoints = [
        ("PATCH", "/api/users/change_password"),
        ("POST", "/api/users/email"),
        ("DELETE", "/api/users/destroy"),
        ("POST", "/api/api_keys/regenerate"),
        ("GET", "/api/payment_methods"),
        ("PUT", "/api/payment_methods"),
        ("POST", "/api/upgrade"),
        ("GET", "/api/invoices"),
        ("GET", "/api/usage"),
        ("GET", "/api/apps"),
        ("DELETE", "/api/apps/demo-app"),
        ("GET", "/api/ssh_keys"),
        ("POST", "/api/ssh_keys"),
        ("DELETE", "/api/ssh_keys"),
    ];
    let json_body = json!({"current_password": DEMO_PW, "email": DEMO, "id": 1});
    for (method, path) in endpoints {
        // Bodies only where the endpoint takes one, as clients send them.
        let body = (method != "GET" && path != "/api/apps/demo-app").then_some(&json_body);
        for (email, key) in [(DEMO, "not-the-key"), ("mfa@example.com", key.as_str())] {
            let reply = sim.signed_in(method, path, email, key, body);
            assert_eq!(reply.status, 401, "{method} {path}: {}", reply.text());
            assert_eq!(reply.json(), no_access_body(), "{method} {path}");
        }
        let text = body.map(Value::to_string);
        let reply = sim.send(method, path, &[], text.as_deref());
        assert_eq!(reply.status, 401, "{method} {path} without credentials");
    }
    // Nothing was changed on the way.
    assert_eq!(sim.users(DEMO, &key).status, 200);
    assert_eq!(sim.key_for(DEMO, DEMO_PW), key);
}

#[test]
fn bodies_are_read_after_the_credentials_are_checked() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let path = "/api/users/change_password";
    let json = [("content-type", "application/json")];
    let reply = sim.send("PATCH", path, &json, Some("not json"));
    assert_eq!(reply.status, 401);
    assert_eq!(reply.json(), no_access_body());
    let auth = raw_basic(DEMO, &key);
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    for body in ["not json", "", "  "] {
        let reply = sim.send("PATCH", path, &headers, Some(body));
        assert_eq!(reply.status, 400, "{body:?}");
        assert!(reply.json()["errors"][""][0].is_string());
    }
    let big = format!("{{\"x\":\"{}\"}}", "a".repeat(70 * 1024));
    assert_eq!(sim.send("PATCH", path, &headers, Some(&big)).status, 413);
    // The connection that answered 401 early was reusable: this one still works.
    assert_eq!(sim.users(DEMO, &key).status, 200);
}
