//! Password reset (A7, A8), confirmation resend (A9), the confirm link, the email rate
//! limits and the clock, over real HTTP.

mod common;

use common::*;
use gigalixir_sim::Config;
use serde_json::{json, Value};

const RESET: &str = "/api/users/reset_password";
const RECONFIRM: &str = "/api/users/reconfirm_email";

fn ok_body() -> Value {
    json!({"data": {}})
}

fn too_many_body() -> Value {
    json!({"errors": {"": ["Too many attempts. Please try again later."]}})
}

fn token_error(message: &str) -> Value {
    json!({"errors": {"token": [message]}})
}

/// Asks for a reset of `email` and returns the token from the newest email to it.
fn reset_token(sim: &TestServer, email: &str) -> String {
    let reply = sim.put_json(RESET, &json!({ "email": email }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let link = sim.emails_to(email)[0]["links"][0]
        .as_str()
        .unwrap()
        .to_string();
    let prefix = format!("{}/#/password/set?token=", sim.base);
    link.strip_prefix(&prefix)
        .unwrap_or_else(|| panic!("{link} does not start with {prefix}"))
        .to_string()
}

/// Asks for a confirmation email to `email` and returns the link in it.
fn confirm_link(sim: &TestServer, email: &str) -> String {
    let reply = sim.put_json(RECONFIRM, &json!({ "email": email }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    sim.emails_to(email)[0]["links"][0]
        .as_str()
        .unwrap()
        .to_string()
}

fn set_password(sim: &TestServer, token: &str, password: &str) -> Reply {
    sim.post_json(RESET, &json!({ "token": token, "password": password }))
}

fn key_of(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["data"]["key"].as_str().unwrap().to_string()
}

fn is_confirmed(sim: &TestServer, email: &str) -> bool {
    let conn = sim.state.db().lock();
    gigalixir_sim::db::user_by_email(&conn, email)
        .unwrap()
        .unwrap()
        .confirmed
}

#[test]
fn reset_email_then_new_password_works_and_key_is_kept() {
    let sim = start();
    let key = key_of(&sim.login("demo@example.com", "demo-password", None));

    let reply = sim.put_json(RESET, &json!({"email": "demo@example.com"}));
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json(), ok_body());
    let emails = sim.emails_to("demo@example.com");
    assert_eq!(emails.len(), 1);
    let email = &emails[0];
    assert_eq!(email["subject"], "Reset your Gigalixir password");
    let link = email["links"][0].as_str().unwrap();
    assert_eq!(email["links"].as_array().unwrap().len(), 1);
    let token = link
        .strip_prefix(&format!("{}/#/password/set?token=", sim.base))
        .unwrap();
    assert!(token.len() >= 32, "{token}");
    assert!(token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
    let body = email["body"].as_str().unwrap();
    assert!(body.starts_with("Hello,"), "{body}");
    assert!(
        body.lines().any(|line| line == link),
        "link on its own line"
    );
    assert!(body.contains("1 hour"), "{body}");
    assert!(body.contains("If you didn't ask for this"), "{body}");

    let reply = set_password(&sim, token, "brand-new-password");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), ok_body());

    assert_eq!(
        key_of(&sim.login("demo@example.com", "brand-new-password", None)),
        key,
        "a reset does not change the API key"
    );
    let old = sim.login("demo@example.com", "demo-password", None);
    assert_eq!(old.status, 401);
    assert_eq!(old.json(), login_failed_body());
    assert_eq!(sim.users("demo@example.com", &key).status, 200);

    // Single use.
    let again = set_password(&sim, token, "another-password");
    assert_eq!(again.status, 422);
    assert_eq!(again.json(), token_error("has already been used"));
    assert_eq!(
        sim.login("demo@example.com", "another-password", None)
            .status,
        401
    );
}

#[test]
fn tokens_are_stored_hashed() {
    let sim = start();
    let token = reset_token(&sim, "demo@example.com");
    let conn = sim.state.db().lock();
    let stored: Vec<String> = conn
        .prepare("SELECT token_hash FROM email_tokens")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        stored,
        vec![gigalixir_sim::auth::token_hash(&token)],
        "only the hash is stored"
    );
    assert!(!stored.contains(&token));
}

#[test]
fn a_new_request_keeps_older_tokens_working_until_one_is_used() {
    let sim = start();
    let first = reset_token(&sim, "demo@example.com");
    let second = reset_token(&sim, "demo@example.com");
    assert_ne!(first, second);
    // Either link works (mail may arrive out of order); the first one used voids the other.
    assert_eq!(set_password(&sim, &first, "password-one").status, 200);
    let reply = set_password(&sim, &second, "password-two");
    assert_eq!(reply.json(), token_error("has already been used"));
    assert_eq!(
        sim.login("demo@example.com", "password-one", None).status,
        200
    );
}

#[test]
fn set_password_errors() {
    let sim = start();
    for body in [
        json!({"token": "not-a-real-token", "password": "long-enough"}),
        json!({"password": "long-enough"}),
        json!({"token": "", "password": "long-enough"}),
        json!({"token": 42, "password": "long-enough"}),
        json!({}),
    ] {
        let reply = sim.post_json(RESET, &body);
        assert_eq!(reply.status, 422, "{body}");
        assert_eq!(reply.json(), token_error("is invalid"), "{body}");
    }

    let token = reset_token(&sim, "demo@example.com");
    for (password, message) in [
        (json!("short"), "should be at least 8 characters"),
        (json!("1234567"), "should be at least 8 characters"),
        (json!(null), "should be at least 8 characters"),
        (json!("x".repeat(129)), "should be at most 128 characters"),
    ] {
        let reply = sim.post_json(RESET, &json!({"token": token, "password": password}));
        assert_eq!(reply.status, 422, "{password}");
        assert_eq!(
            reply.json(),
            json!({"errors": {"password": [message]}}),
            "{password}"
        );
    }
    // A refused password does not spend the token; 8 characters (not bytes) is enough.
    let reply = set_password(&sim, &token, "éééééééé");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(sim.login("demo@example.com", "éééééééé", None).status, 200);

    let longest = "y".repeat(128);
    let token = reset_token(&sim, "demo@example.com");
    assert_eq!(set_password(&sim, &token, &longest).status, 200);

    // Not JSON at all is the usual 400 errors body.
    let reply = sim.send(
        "POST",
        RESET,
        &[("content-type", "application/json")],
        Some("{nope"),
    );
    assert_eq!(reply.status, 400);
    assert!(reply.json()["errors"][""][0].is_string());
}

#[test]
fn reset_tokens_expire_with_the_clock() {
    let sim = start();
    let early = reset_token(&sim, "demo@example.com");
    sim.advance_clock(3590);
    let fresh = reset_token(&sim, "demo@example.com");

    sim.advance_clock(20);
    let reply = set_password(&sim, &early, "password-late");
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json(), token_error("has expired"));
    assert_eq!(set_password(&sim, &fresh, "password-fresh").status, 200);

    // Used and expired: "used" is what happened first.
    sim.advance_clock(3600);
    let reply = set_password(&sim, &fresh, "password-late");
    assert_eq!(reply.json(), token_error("has already been used"));
    assert_eq!(
        sim.login("demo@example.com", "password-fresh", None).status,
        200
    );
}

#[test]
fn reset_ttl_flag() {
    let mut config = Config::ephemeral();
    config.reset_ttl_secs = 60;
    let sim = start_with(config);
    let token = reset_token(&sim, "demo@example.com");
    let body = sim.emails_to("demo@example.com")[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(body.contains("1 minute"), "{body}");
    sim.advance_clock(61);
    assert_eq!(
        set_password(&sim, &token, "too-late-now").json(),
        token_error("has expired")
    );
}

#[test]
fn email_endpoints_answer_the_same_for_known_and_unknown_addresses() {
    let sim = start();
    sim.create_account(
        json!({"email": "pending@example.com", "password": "pw", "confirmed": false}),
    );
    let comparable = |reply: &Reply| {
        (
            reply.status,
            reply.body.clone(),
            reply.header("content-type"),
            reply.header("content-length"),
            reply.header("retry-after"),
        )
    };
    for (path, known) in [
        (RESET, "demo@example.com"),
        (RECONFIRM, "pending@example.com"),
    ] {
        let known_reply = sim.put_json(path, &json!({ "email": known }));
        let unknown_reply = sim.put_json(path, &json!({"email": "nobody@example.com"}));
        assert_eq!(known_reply.status, 200);
        assert_eq!(known_reply.json(), ok_body());
        assert_eq!(
            comparable(&known_reply),
            comparable(&unknown_reply),
            "{path}"
        );
        assert_eq!(sim.emails_to(known).len(), 1, "{path}");
    }
    // A confirmed account gets the same answer and no email.
    let confirmed = sim.put_json(RECONFIRM, &json!({"email": "demo@example.com"}));
    assert_eq!(confirmed.json(), ok_body());
    assert!(sim
        .emails_to("demo@example.com")
        .iter()
        .all(|email| email["subject"] != "Confirm your Gigalixir email"));
    assert!(sim.emails_to("nobody@example.com").is_empty());
    assert_eq!(sim.outbox().len(), 2);

    // The rate limit counts unknown addresses too, so its 429 tells nothing either.
    for _ in 0..3 {
        sim.put_json(RESET, &json!({"email": "demo@example.com"}));
        sim.put_json(RESET, &json!({"email": "nobody@example.com"}));
    }
    let known_reply = sim.put_json(RESET, &json!({"email": "demo@example.com"}));
    let unknown_reply = sim.put_json(RESET, &json!({"email": "nobody@example.com"}));
    assert_eq!(known_reply.status, 429);
    assert_eq!(comparable(&known_reply), comparable(&unknown_reply));
}

#[test]
fn invalid_email_field_is_422() {
    let sim = start();
    for path in [RESET, RECONFIRM] {
        for body in [
            json!({}),
            json!({"email": ""}),
            json!({"email": "   "}),
            json!({"email": 42}),
            json!({"email": null}),
            json!({"email": "no-at-sign"}),
            json!({"email": "two@at@example.com"}),
            json!({"email": "spa ce@example.com"}),
        ] {
            let reply = sim.put_json(path, &body);
            assert_eq!(reply.status, 422, "{path} {body}");
            assert_eq!(
                reply.json(),
                json!({"errors": {"email": ["is not a valid email address"]}}),
                "{path} {body}"
            );
        }
        let reply = sim.send(
            "PUT",
            path,
            &[("content-type", "application/json")],
            Some("not json"),
        );
        assert_eq!(reply.status, 400, "{path}");
        assert!(reply.json()["errors"][""][0].is_string());
    }
    // Surrounding spaces are forgiven.
    assert_eq!(
        sim.put_json(RESET, &json!({"email": "  demo@example.com "}))
            .status,
        200
    );
    assert_eq!(sim.emails_to("demo@example.com").len(), 1);
    let wrong_method = sim.get(RESET, &[]);
    assert_eq!(wrong_method.status, 405);
    assert!(wrong_method.json()["errors"][""][0].is_string());
}

#[test]
fn confirmation_email_and_link() {
    let sim = start();
    assert!(!is_confirmed(&sim, "new@example.com"));
    // Signing in does not depend on confirmation.
    assert_eq!(
        sim.login("new@example.com", "new-password", None).status,
        200
    );

    let link = confirm_link(&sim, "new@example.com");
    let email = &sim.emails_to("new@example.com")[0];
    assert_eq!(email["subject"], "Confirm your Gigalixir email");
    let token = link
        .strip_prefix(&format!("{}/api/confirm?token=", sim.base))
        .unwrap_or_else(|| panic!("{link}"));
    assert!(token.len() >= 32);
    let body = email["body"].as_str().unwrap();
    assert!(body.starts_with("Hello,"));
    assert!(body.lines().any(|line| line == link));
    assert!(body.contains("24 hours"), "{body}");
    assert!(body.contains("If you didn't sign up"), "{body}");

    let path = link.strip_prefix(&sim.base).unwrap();
    let reply = sim.get(path, &[]);
    assert_eq!(reply.status, 302);
    assert_eq!(
        reply.header("location").unwrap(),
        format!("{}/#/notify?msg=email_confirmed&to=%2Flogin", sim.base)
    );
    assert_eq!(reply.header("cache-control").unwrap(), "no-store");
    assert_eq!(reply.header("referrer-policy").unwrap(), "no-referrer");
    assert!(is_confirmed(&sim, "new@example.com"));

    // Confirmed now: a resend answers the same and sends nothing.
    let before = sim.outbox().len();
    let reply = sim.put_json(RECONFIRM, &json!({"email": "new@example.com"}));
    assert_eq!((reply.status, reply.json()), (200, ok_body()));
    assert_eq!(sim.outbox().len(), before);

    // The same link again: the address is confirmed, and the console says so.
    let reply = sim.get(path, &[]);
    assert_eq!(
        reply.header("location").unwrap(),
        format!("{}/#/notify?msg=already_confirmed&to=%2Flogin", sim.base)
    );
    let invalid = format!("{}/#/confirmation/resend?msg=token_invalid", sim.base);
    for path in [
        "/api/confirm?token=made-up".to_string(),
        "/api/confirm?token=".to_string(),
        "/api/confirm".to_string(),
        "/api/confirm?token=%FF%FE".to_string(),
    ] {
        let reply = sim.get(&path, &[]);
        assert_eq!(reply.status, 302, "{path}");
        assert_eq!(reply.header("location").unwrap(), invalid, "{path}");
    }
}

#[test]
fn expired_confirmation_link_goes_to_resend_with_the_email() {
    let sim = start();
    sim.create_account(
        json!({"email": "Late+One@example.com", "password": "pw", "confirmed": false}),
    );
    let link = confirm_link(&sim, "Late+One@example.com");
    let fresh = confirm_link(&sim, "Late+One@example.com");
    sim.advance_clock(86_390);
    sim.advance_clock(20);
    for link in [&link, &fresh] {
        let reply = sim.get(link.strip_prefix(&sim.base).unwrap(), &[]);
        assert_eq!(reply.status, 302);
        assert_eq!(
            reply.header("location").unwrap(),
            format!(
                "{}/#/confirmation/resend?email=Late%2BOne%40example.com&msg=token_expired",
                sim.base
            )
        );
    }
    assert!(!is_confirmed(&sim, "Late+One@example.com"));
    // A new link works; asking in another case reaches the same account, and the email goes
    // to the address as it was registered.
    let reply = sim.put_json(RECONFIRM, &json!({"email": "late+one@example.com"}));
    assert_eq!(reply.status, 200);
    let emails = sim.emails_to("Late+One@example.com");
    assert_eq!(emails.len(), 3);
    let link = emails[0]["links"][0].as_str().unwrap();
    let reply = sim.get(link.strip_prefix(&sim.base).unwrap(), &[]);
    assert_eq!(
        reply.header("location").unwrap(),
        format!("{}/#/notify?msg=email_confirmed&to=%2Flogin", sim.base)
    );
    assert!(is_confirmed(&sim, "Late+One@example.com"));
}

#[test]
fn confirm_ttl_just_inside_and_outside() {
    let mut config = Config::ephemeral();
    config.confirm_ttl_secs = 600;
    let sim = start_with(config);
    let inside = confirm_link(&sim, "new@example.com");
    let outside = confirm_link(&sim, "new@example.com");
    assert!(sim.emails_to("new@example.com")[0]["body"]
        .as_str()
        .unwrap()
        .contains("10 minutes"));
    sim.advance_clock(590);
    let reply = sim.get(inside.strip_prefix(&sim.base).unwrap(), &[]);
    assert!(reply
        .header("location")
        .unwrap()
        .ends_with("#/notify?msg=email_confirmed&to=%2Flogin"));
    sim.advance_clock(20);
    let reply = sim.get(outside.strip_prefix(&sim.base).unwrap(), &[]);
    assert!(reply
        .header("location")
        .unwrap()
        .ends_with("#/confirmation/resend?email=new%40example.com&msg=token_expired"));
}

#[test]
fn url_flags_drive_the_links() {
    let mut config = Config::ephemeral();
    config.console_url = Some("http://console.test/app/".into());
    config.api_url = Some("http://api.test:9000".into());
    let sim = start_with(config);
    sim.put_json(RESET, &json!({"email": "demo@example.com"}));
    let link = confirm_link(&sim, "new@example.com");
    let reset = sim.emails_to("demo@example.com")[0]["links"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        reset.starts_with("http://console.test/app/#/password/set?token="),
        "{reset}"
    );
    assert!(
        link.starts_with("http://api.test:9000/api/confirm?token="),
        "{link}"
    );
    let reply = sim.get(link.strip_prefix("http://api.test:9000").unwrap(), &[]);
    assert_eq!(
        reply.header("location").unwrap(),
        "http://console.test/app/#/notify?msg=email_confirmed&to=%2Flogin"
    );
}

#[test]
fn per_email_limit_with_retry_after_and_recovery() {
    let sim = start();
    // Five per address per hour, across both endpoints, ignoring case, known or not.
    for (path, email) in [
        (RESET, "Someone@example.com"),
        (RECONFIRM, "someone@example.com"),
        (RESET, "SOMEONE@EXAMPLE.COM"),
        (RESET, "someone@example.com"),
        (RECONFIRM, "someone@example.com"),
    ] {
        assert_eq!(sim.put_json(path, &json!({ "email": email })).status, 200);
    }
    for path in [RESET, RECONFIRM] {
        let reply = sim.put_json(path, &json!({"email": "someone@example.com"}));
        assert_eq!(reply.status, 429, "{path}");
        assert_eq!(reply.json(), too_many_body());
        let retry: i64 = reply.header("retry-after").unwrap().parse().unwrap();
        assert!((3598..=3600).contains(&retry), "{retry}");
    }
    // Another address is not affected.
    assert_eq!(
        sim.put_json(RESET, &json!({"email": "other@example.com"}))
            .status,
        200
    );

    let reply = sim.put_json(RESET, &json!({"email": "someone@example.com"}));
    let retry: i64 = reply.header("retry-after").unwrap().parse().unwrap();
    sim.advance_clock(retry - 2);
    let reply = sim.put_json(RESET, &json!({"email": "someone@example.com"}));
    assert_eq!(reply.status, 429);
    let left: i64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=2).contains(&left), "{left}");
    sim.advance_clock(left);
    assert_eq!(
        sim.put_json(RESET, &json!({"email": "someone@example.com"}))
            .status,
        200
    );
}

#[test]
fn retry_after_is_when_the_oldest_request_leaves_the_window() {
    let mut config = Config::ephemeral();
    config.email_limit = 2;
    config.email_window_secs = 100;
    let sim = start_with(config);
    let put = || sim.put_json(RESET, &json!({"email": "demo@example.com"}));
    let retry_after = |reply: &Reply| -> i64 {
        assert_eq!(reply.status, 429, "{}", reply.text());
        reply.header("retry-after").unwrap().parse().unwrap()
    };
    assert_eq!(put().status, 200);
    sim.advance_clock(30);
    assert_eq!(put().status, 200);
    let retry = retry_after(&put());
    assert!((69..=70).contains(&retry), "{retry}");
    sim.advance_clock(retry);
    assert_eq!(put().status, 200, "the first request left the window");
    let retry = retry_after(&put());
    assert!((29..=30).contains(&retry), "{retry}");
    // Refused requests are not counted: waiting that long is enough.
    sim.advance_clock(retry);
    assert_eq!(put().status, 200);
    assert_eq!(sim.emails_to("demo@example.com").len(), 4);
}

#[test]
fn per_ip_limit() {
    let sim = start();
    for i in 0..30 {
        let path = if i % 2 == 0 { RESET } else { RECONFIRM };
        let reply = sim.put_json(path, &json!({ "email": format!("user{i}@example.com") }));
        assert_eq!(reply.status, 200, "request {i}");
    }
    let reply = sim.put_json(RESET, &json!({"email": "fresh@example.com"}));
    assert_eq!(reply.status, 429);
    assert_eq!(reply.json(), too_many_body());
    let retry: i64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!((3598..=3600).contains(&retry), "{retry}");
    sim.advance_clock(retry);
    assert_eq!(
        sim.put_json(RESET, &json!({"email": "fresh@example.com"}))
            .status,
        200
    );
}

#[test]
fn clock_control() {
    let sim = start();
    assert_eq!(
        sim.get("/__sim/clock", &[]).json(),
        json!({"offset_secs": 0})
    );
    assert_eq!(sim.advance_clock(90), 90);
    assert_eq!(sim.advance_clock(0), 90);
    let reply = sim.post_json("/__sim/clock", &json!({"advance_secs": 10}));
    assert_eq!(reply.json(), json!({"offset_secs": 100}));
    assert_eq!(
        sim.get("/__sim/clock", &[]).json(),
        json!({"offset_secs": 100})
    );
    for bad in [
        json!({"advance_secs": -1}),
        json!({"advance_secs": "10"}),
        json!({"advance_secs": 1.5}),
        json!({}),
        json!({"advance_secs": 1, "extra": true}),
        json!({"advance_secs": i64::MAX}),
    ] {
        let reply = sim.post_json("/__sim/clock", &bad);
        assert_eq!(reply.status, 400, "{bad}");
        assert!(reply.json()["errors"].is_object(), "{bad}");
    }
    assert_eq!(
        sim.get("/__sim/clock", &[]).json(),
        json!({"offset_secs": 100})
    );
}

#[test]
fn login_failure_window_follows_the_clock_but_totp_keeps_real_time() {
    let mut config = Config::ephemeral();
    config.login_limit = 2;
    let sim = start_with(config);
    for _ in 0..2 {
        assert_eq!(sim.login("demo@example.com", "wrong", None).status, 401);
    }
    let reply = sim.login("demo@example.com", "demo-password", None);
    assert_eq!(reply.status, 429);
    let retry: i64 = reply.header("retry-after").unwrap().parse().unwrap();
    sim.advance_clock(retry);
    assert_eq!(
        sim.login("demo@example.com", "demo-password", None).status,
        200
    );
    // An hour ahead, a code for the real time still works.
    sim.advance_clock(3600);
    let code = totp_now(gigalixir_sim::MFA_TOTP_SECRET);
    assert_eq!(
        sim.login("mfa@example.com", "mfa-password", Some(&code))
            .status,
        200
    );
}

#[test]
fn created_accounts_echo_confirmed() {
    let sim = start();
    let default = sim.create_account(json!({"email": "c1@example.com", "password": "pw"}));
    assert_eq!(default["confirmed"], true);
    let pending = sim
        .create_account(json!({"email": "c2@example.com", "password": "pw", "confirmed": false}));
    assert_eq!(pending["confirmed"], false);
    assert!(!is_confirmed(&sim, "c2@example.com"));
    assert!(is_confirmed(&sim, "c1@example.com"));
    let bad = sim.post_json(
        "/__sim/accounts",
        &json!({"email": "c3@example.com", "password": "pw", "confirmed": "no"}),
    );
    assert_eq!(bad.status, 400);
}

#[test]
fn a_reset_clears_failed_logins() {
    let mut config = Config::ephemeral();
    config.login_limit = 2;
    let sim = start_with(config);
    for _ in 0..2 {
        sim.login("demo@example.com", "wrong", None);
    }
    assert_eq!(
        sim.login("demo@example.com", "demo-password", None).status,
        429
    );
    let token = reset_token(&sim, "demo@example.com");
    assert_eq!(set_password(&sim, &token, "fresh-password").status, 200);
    assert_eq!(
        sim.login("demo@example.com", "fresh-password", None).status,
        200
    );
}
