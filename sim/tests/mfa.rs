//! MFA management over real HTTP: A13 start, A14 verify, A15 turn off, A16 new recovery codes.

mod common;

use common::*;
use gigalixir_sim::totp;
use serde_json::{json, Value};

const NO_ACCESS: &str = "Sorry, you do not have access to that account.";

/// POST (or any method) with raw `email:key` Basic credentials and an optional JSON body.
fn call(sim: &TestServer, method: &str, path: &str, auth: &str, body: Option<Value>) -> Reply {
    let text = body.map(|b| b.to_string());
    sim.send(
        method,
        path,
        &[
            ("authorization", auth),
            ("content-type", "application/json"),
        ],
        text.as_deref(),
    )
}

/// A signed-in account without MFA: its email, password and Basic header.
struct Account {
    email: String,
    password: String,
    key: String,
    auth: String,
}

fn account(sim: &TestServer, email: &str, mfa: bool) -> Account {
    let created = sim.create_account(json!({"email": email, "password": "pw-12345", "mfa": mfa}));
    let key = created["api_key"].as_str().unwrap().to_string();
    Account {
        email: email.to_string(),
        password: "pw-12345".to_string(),
        auth: raw_basic(email, &key),
        key,
    }
}

/// A13, asserting the answer's shape; returns the secret from the URL.
fn start_activation(sim: &TestServer, auth: &str) -> String {
    let reply = call(sim, "POST", "/api/mfa/start", auth, Some(json!({})));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let data = &reply.json()["data"];
    let url = data["url"].as_str().unwrap();
    let (_, query) = url.split_once('?').unwrap();
    let secret = query
        .split('&')
        .find_map(|p| p.strip_prefix("secret="))
        .unwrap()
        .to_string();
    assert_eq!(secret.len(), 32, "{url}");
    assert_eq!(totp::base32_decode(&secret).unwrap().len(), 20, "160 bits");
    let message = data["message"].as_str().unwrap();
    assert!(message.starts_with("Scan the QR code"), "{message}");
    secret
}

/// A six-digit code that none of the steps verification accepts right now would produce.
fn wrong_code(secret: &str) -> String {
    let key = totp::base32_decode(secret).unwrap();
    let now = totp::step_at(gigalixir_sim::state::now_unix() as u64);
    let valid: Vec<String> = (now - 2..=now + 2)
        .map(|s| totp::code_for_step(&key, s))
        .collect();
    (0..)
        .map(|n| format!("{:06}", 123_456 + n))
        .find(|c| !valid.contains(c))
        .unwrap()
}

/// The code for the step after the current one: valid (one step of drift is allowed) and
/// later than any step activation can have used.
fn next_code(secret: &str) -> String {
    let key = totp::base32_decode(secret).unwrap();
    totp::code_for_step(
        &key,
        totp::step_at(gigalixir_sim::state::now_unix() as u64) + 1,
    )
}

fn is_recovery_code(code: &str) -> bool {
    let (a, b) = code.split_once('-').unwrap_or(("", ""));
    a.len() == 5
        && b.len() == 5
        && code
            .chars()
            .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_lowercase())
}

fn codes(reply: &Reply) -> Vec<String> {
    let codes: Vec<String> = reply.json()["data"]["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10, "{codes:?}");
    assert!(codes.iter().all(|c| is_recovery_code(c)), "{codes:?}");
    let mut unique = codes.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10, "{codes:?}");
    codes
}

fn error(field: &str, message: &str) -> Value {
    json!({"errors": {field: [message]}})
}

#[test]
fn start_answers_a_key_uri_and_leaves_mfa_off() {
    let sim = start();
    let a = account(&sim, "start+1@example.com", false);
    let reply = call(&sim, "POST", "/api/mfa/start", &a.auth, Some(json!({})));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let data = reply.json()["data"].clone();
    let url = data["url"].as_str().unwrap();
    let prefix = "otpauth://totp/Gigalixir:start%2B1%40example.com?secret=";
    assert!(url.starts_with(prefix), "{url}");
    let rest = &url[prefix.len()..];
    let (secret, params) = rest.split_once('&').unwrap();
    assert_eq!(params, "issuer=Gigalixir&algorithm=SHA1&digits=6&period=30");
    assert_eq!(secret.len(), 32);
    assert!(secret
        .bytes()
        .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
    // The message spells the key out for people who cannot scan.
    let message = data["message"].as_str().unwrap();
    assert!(message.starts_with("Scan the QR code"), "{message}");
    assert!(message.contains(&format!("{} {}", &secret[..4], &secret[4..8])));

    // Pending only: no code is needed to sign in, and the account says MFA is off.
    assert_eq!(
        sim.users(&a.email, &a.key).json()["data"]["mfa_enabled"],
        false
    );
    assert_eq!(sim.login(&a.email, &a.password, None).status, 200);

    // An empty body works too, and each start makes a new secret.
    let again = call(&sim, "POST", "/api/mfa/start", &a.auth, None);
    assert_eq!(again.status, 200, "{}", again.text());
    assert_ne!(again.json()["data"]["url"], data["url"]);
}

#[test]
fn verify_turns_mfa_on_revokes_the_key_and_login_needs_a_code() {
    let sim = start();
    let a = account(&sim, "activate@example.com", false);
    let secret = start_activation(&sim, &a.auth);
    let code = totp_now(&secret);
    let reply = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": code})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json()["data"]["message"],
        "Two-factor authentication is on."
    );
    let recovery = codes(&reply);

    // The key that activated MFA is dead everywhere.
    let old = sim.users(&a.email, &a.key);
    assert_eq!(old.status, 401);
    assert_eq!(old.json(), error("", NO_ACCESS));
    let old = call(&sim, "POST", "/api/mfa/recovery_codes", &a.auth, None);
    assert_eq!(old.status, 401);

    // Sign-in now asks for a code; the code that activated MFA cannot be replayed.
    let asked = sim.login(&a.email, &a.password, None);
    assert_eq!(asked.status, 303);
    assert!(asked.header("location").is_none());
    let replay = sim.login(&a.email, &a.password, Some(&code));
    assert_eq!(replay.status, 303, "{}", replay.text());
    let ok = sim.login(&a.email, &a.password, Some(&next_code(&secret)));
    assert_eq!(ok.status, 200, "{}", ok.text());
    let key = ok.json()["data"]["key"].as_str().unwrap().to_string();
    assert_ne!(key, a.key, "a new key");
    assert_eq!(
        sim.users(&a.email, &key).json()["data"]["mfa_enabled"],
        true
    );

    // Each recovery code signs in once.
    let first = sim.login(&a.email, &a.password, Some(&recovery[0].to_uppercase()));
    assert_eq!(first.status, 200, "{}", first.text());
    assert_eq!(first.json()["data"]["key"], key.as_str());
    assert_eq!(
        sim.login(&a.email, &a.password, Some(&recovery[0])).status,
        303
    );
    assert_eq!(
        sim.login(&a.email, &a.password, Some(&recovery[1])).status,
        200
    );

    // On already: neither start nor verify does anything.
    let auth = raw_basic(&a.email, &key);
    for path in ["/api/mfa/start", "/api/mfa/verify"] {
        let reply = call(
            &sim,
            "POST",
            path,
            &auth,
            Some(json!({"mfa_token": totp_now(&secret)})),
        );
        assert_eq!(reply.status, 422, "{path}");
        assert_eq!(
            reply.json(),
            error("", "Two-factor authentication is already on.")
        );
    }
}

#[test]
fn a_wrong_code_keeps_the_pending_secret_and_the_key() {
    let sim = start();
    let a = account(&sim, "wrong@example.com", false);
    let secret = start_activation(&sim, &a.auth);
    for bad in [
        json!(wrong_code(&secret)),
        json!("12345"),
        json!("abcdef"),
        json!(12),
    ] {
        let reply = call(
            &sim,
            "POST",
            "/api/mfa/verify",
            &a.auth,
            Some(json!({ "mfa_token": bad })),
        );
        assert_eq!(reply.status, 422, "{bad}");
        assert_eq!(reply.json(), error("mfa_token", "is incorrect"));
    }
    for blank in [
        json!({"mfa_token": " "}),
        json!({}),
        json!({"mfa_token": null}),
    ] {
        let reply = call(&sim, "POST", "/api/mfa/verify", &a.auth, Some(blank));
        assert_eq!(reply.status, 422);
        assert_eq!(reply.json(), error("mfa_token", "can't be blank"));
    }
    assert_eq!(
        sim.users(&a.email, &a.key).json()["data"]["mfa_enabled"],
        false
    );

    // Four wrong codes so far (blanks do not count): one more would lock, but the right
    // code still works against the same pending secret, typed as apps show it.
    let code = totp_now(&secret);
    let spaced = format!("{} {}", &code[..3], &code[3..]);
    let reply = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": spaced})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn verify_without_a_pending_secret_says_start_first() {
    let sim = start();
    let a = account(&sim, "nostart@example.com", false);
    let reply = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": "123456"})),
    );
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json(), error("", "Start activation first."));
}

#[test]
fn a_new_start_replaces_the_pending_secret() {
    let sim = start();
    let a = account(&sim, "restart@example.com", false);
    let first = start_activation(&sim, &a.auth);
    let second = start_activation(&sim, &a.auth);
    assert_ne!(first, second);
    let stale = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": totp_now(&first)})),
    );
    assert_eq!(stale.status, 422);
    assert_eq!(stale.json(), error("mfa_token", "is incorrect"));
    let fresh = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": totp_now(&second)})),
    );
    assert_eq!(fresh.status, 200, "{}", fresh.text());
    // The account uses the second secret.
    let login = sim.login(&a.email, &a.password, Some(&next_code(&second)));
    assert_eq!(login.status, 200, "{}", login.text());
}

#[test]
fn five_wrong_codes_lock_the_pending_secret_for_a_while() {
    let sim = start();
    let a = account(&sim, "locked@example.com", false);
    let secret = start_activation(&sim, &a.auth);
    let verify = |code: &str| {
        call(
            &sim,
            "POST",
            "/api/mfa/verify",
            &a.auth,
            Some(json!({"mfa_token": code})),
        )
    };
    for _ in 0..5 {
        assert_eq!(verify(&wrong_code(&secret)).status, 422);
    }
    // Locked: even the right code is refused until the lock runs out.
    let locked = verify(&totp_now(&secret));
    assert_eq!(locked.status, 429, "{}", locked.text());
    assert!(locked.json()["errors"][""][0]
        .as_str()
        .unwrap()
        .starts_with("Too many wrong codes."));
    // 300 s from the fifth wrong code; a second boundary may pass while the test runs.
    let retry: i64 = locked.header("retry-after").unwrap().parse().unwrap();
    assert!((298..=300).contains(&retry), "{retry}");
    sim.advance_clock(retry - 3);
    let still = verify(&totp_now(&secret));
    assert_eq!(still.status, 429);
    let left: i64 = still.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3).contains(&left), "{left}");
    sim.advance_clock(left);
    let reply = verify(&totp_now(&secret));
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn starting_again_clears_a_lock() {
    let sim = start();
    let a = account(&sim, "relock@example.com", false);
    let secret = start_activation(&sim, &a.auth);
    for _ in 0..5 {
        let reply = call(
            &sim,
            "POST",
            "/api/mfa/verify",
            &a.auth,
            Some(json!({"mfa_token": wrong_code(&secret)})),
        );
        assert_eq!(reply.status, 422);
    }
    let secret = start_activation(&sim, &a.auth);
    let reply = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": totp_now(&secret)})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn regenerating_recovery_codes_kills_the_old_set() {
    let sim = start();
    let created = sim
        .create_account(json!({"email": "regen@example.com", "password": "pw-12345", "mfa": true}));
    let old: Vec<String> = created["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    let auth = raw_basic("regen@example.com", created["api_key"].as_str().unwrap());

    let wrong = call(
        &sim,
        "POST",
        "/api/mfa/recovery_codes",
        &auth,
        Some(json!({"current_password": "nope"})),
    );
    assert_eq!(wrong.status, 422);
    assert_eq!(wrong.json(), error("current_password", "is incorrect"));
    // Refused means refused: the old codes still work.
    let login = sim.login("regen@example.com", "pw-12345", Some(&old[0]));
    assert_eq!(login.status, 200, "{}", login.text());

    let reply = call(
        &sim,
        "POST",
        "/api/mfa/recovery_codes",
        &auth,
        Some(json!({"current_password": "pw-12345"})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let new = codes(&reply);
    assert!(new.iter().all(|c| !old.contains(c)));
    assert_eq!(
        sim.login("regen@example.com", "pw-12345", Some(&old[1]))
            .status,
        303
    );
    assert_eq!(
        sim.login("regen@example.com", "pw-12345", Some(&new[0]))
            .status,
        200
    );

    // The CLI's `{}` and an empty body work too; each call replaces the set again.
    let cli = call(
        &sim,
        "POST",
        "/api/mfa/recovery_codes",
        &auth,
        Some(json!({})),
    );
    let third = codes(&cli);
    let empty = call(&sim, "POST", "/api/mfa/recovery_codes", &auth, None);
    assert_eq!(empty.status, 200, "{}", empty.text());
    assert_eq!(
        sim.login("regen@example.com", "pw-12345", Some(&third[0]))
            .status,
        303
    );
}

#[test]
fn regenerating_with_mfa_off_is_refused() {
    let sim = start();
    let a = account(&sim, "regen-off@example.com", false);
    let reply = call(
        &sim,
        "POST",
        "/api/mfa/recovery_codes",
        &a.auth,
        Some(json!({})),
    );
    assert_eq!(reply.status, 422);
    assert_eq!(reply.json(), error("", "Two-factor authentication is off."));
}

#[test]
fn deactivate_checks_an_optional_password_then_turns_mfa_off() {
    let sim = start();
    let created = sim
        .create_account(json!({"email": "off@example.com", "password": "pw-12345", "mfa": true}));
    let key = created["api_key"].as_str().unwrap();
    let secret = created["totp_secret"].as_str().unwrap();
    let auth = raw_basic("off@example.com", key);

    let wrong = call(
        &sim,
        "DELETE",
        "/api/mfa",
        &auth,
        Some(json!({"current_password": "wrong"})),
    );
    assert_eq!(wrong.status, 422, "not 401: the console signs out on 401");
    assert_eq!(wrong.json(), error("current_password", "is incorrect"));
    assert_eq!(sim.login("off@example.com", "pw-12345", None).status, 303);

    let reply = call(
        &sim,
        "DELETE",
        "/api/mfa",
        &auth,
        Some(json!({"current_password": "pw-12345"})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"data": {"message": "Two-factor authentication is off."}})
    );

    // The key survives; sign-in no longer asks; the recovery codes are gone.
    assert_eq!(
        sim.users("off@example.com", key).json()["data"]["mfa_enabled"],
        false
    );
    let login = sim.login("off@example.com", "pw-12345", None);
    assert_eq!(login.status, 200, "{}", login.text());
    assert_eq!(login.json()["data"]["key"], key);
    let regen = call(&sim, "POST", "/api/mfa/recovery_codes", &auth, None);
    assert_eq!(regen.json(), error("", "Two-factor authentication is off."));

    // Off already: the CLI's `{}` and an empty body both answer the same 200.
    for body in [Some(json!({})), None] {
        let again = call(&sim, "DELETE", "/api/mfa", &auth, body);
        assert_eq!(again.status, 200, "{}", again.text());
        assert_eq!(
            again.json()["data"]["message"],
            "Two-factor authentication is off."
        );
    }

    // Turning it on again takes a new secret; the old one is forgotten.
    let fresh = start_activation(&sim, &auth);
    assert_ne!(fresh, secret);
    let reply = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &auth,
        Some(json!({"mfa_token": totp_now(&fresh)})),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        sim.login("off@example.com", "pw-12345", Some(&next_code(secret)))
            .status,
        303
    );
}

#[test]
fn deactivate_a_pending_activation_forgets_it() {
    let sim = start();
    let a = account(&sim, "pending-off@example.com", false);
    let secret = start_activation(&sim, &a.auth);
    let reply = call(&sim, "DELETE", "/api/mfa", &a.auth, Some(json!({})));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let verify = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": totp_now(&secret)})),
    );
    assert_eq!(verify.json(), error("", "Start activation first."));
}

#[test]
fn every_mfa_call_needs_a_live_key() {
    let sim = start();
    let a = account(&sim, "noauth@example.com", false);
    let calls = [
        ("POST", "/api/mfa/start"),
        ("POST", "/api/mfa/verify"),
        ("DELETE", "/api/mfa"),
        ("POST", "/api/mfa/recovery_codes"),
    ];
    let bad_auths = [
        None,
        Some(raw_basic(&a.email, "not-the-key")),
        Some(raw_basic("someone@example.com", &a.key)),
        Some(login_basic(&a.email, &a.password)),
        Some("Bearer x".to_string()),
    ];
    for (method, path) in calls {
        for auth in &bad_auths {
            let mut headers = vec![("content-type", "application/json")];
            if let Some(auth) = auth {
                headers.push(("authorization", auth.as_str()));
            }
            // A body that would be a 400 once signed in: the 401 comes first.
            let reply = sim.send(method, path, &headers, Some("[not json"));
            assert_eq!(reply.status, 401, "{method} {path} {auth:?}");
            assert_eq!(reply.json(), error("", NO_ACCESS));
        }
    }
    // Nothing changed for the account.
    assert_eq!(
        sim.users(&a.email, &a.key).json()["data"]["mfa_enabled"],
        false
    );
    let verify = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &a.auth,
        Some(json!({"mfa_token": "123456"})),
    );
    assert_eq!(verify.json(), error("", "Start activation first."));
    // Signed in, a body that is not a JSON object is a 400.
    for (method, path) in calls {
        let reply = sim.send(
            method,
            path,
            &[
                ("authorization", &a.auth),
                ("content-type", "application/json"),
            ],
            Some("[1]"),
        );
        assert_eq!(reply.status, 400, "{method} {path}");
        assert!(reply.json()["errors"][""][0].is_string());
    }
}

#[test]
fn mfa_routes_sit_behind_faults_and_cors() {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.console_origins = vec!["http://console.test".to_string()];
    let sim = start_with(config);
    let a = account(&sim, "faulted@example.com", false);
    let fault = sim.post_json(
        "/__sim/faults",
        &json!({"path": "/api/mfa/*", "kind": "status", "status": 503, "times": 1}),
    );
    assert_eq!(fault.status, 201, "{}", fault.text());
    let reply = sim.send(
        "POST",
        "/api/mfa/start",
        &[
            ("authorization", &a.auth),
            ("origin", "http://console.test"),
        ],
        None,
    );
    assert_eq!(reply.status, 503);
    assert_eq!(
        reply.header("access-control-allow-origin").as_deref(),
        Some("http://console.test")
    );
    let preflight = sim.send(
        "OPTIONS",
        "/api/mfa",
        &[
            ("origin", "http://console.test"),
            ("access-control-request-method", "DELETE"),
        ],
        None,
    );
    assert_eq!(preflight.status, 200);
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("DELETE"));
}

#[test]
fn the_seeded_mfa_account_can_turn_mfa_off_and_on_again() {
    let sim = start();
    let code = totp_now(gigalixir_sim::MFA_TOTP_SECRET);
    let login = sim.login(
        gigalixir_sim::MFA_EMAIL,
        gigalixir_sim::MFA_PASSWORD,
        Some(&code),
    );
    assert_eq!(login.status, 200, "{}", login.text());
    let key = login.json()["data"]["key"].as_str().unwrap().to_string();
    let auth = raw_basic(gigalixir_sim::MFA_EMAIL, &key);
    let off = call(&sim, "DELETE", "/api/mfa", &auth, Some(json!({})));
    assert_eq!(off.status, 200, "{}", off.text());
    let secret = start_activation(&sim, &auth);
    assert_ne!(secret, gigalixir_sim::MFA_TOTP_SECRET);
    let on = call(
        &sim,
        "POST",
        "/api/mfa/verify",
        &auth,
        Some(json!({"mfa_token": totp_now(&secret)})),
    );
    assert_eq!(on.status, 200, "{}", on.text());
    assert_eq!(sim.users(gigalixir_sim::MFA_EMAIL, &key).status, 401);
}
