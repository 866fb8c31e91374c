//! Google sign-in (A2/A3) and Google sign-up over real HTTP: sessions, polling, the consent
//! stand-in page, its JSON control twin, expiry through the clock, and the sign-up steps
//! that follow a Google answer.

mod common;

use common::*;
use gigalixir_sim::Config;
use serde_json::{json, Value};

const START: &str = "/api/oauth/google";
const COMPLETE: &str = "/__sim/oauth/complete";
const SIGNUP: &str = "/api/signup";

fn errors(message: &str) -> Value {
    json!({ "errors": { "": [message] } })
}

fn expect(reply: Reply, status: u16, body: Value) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.json(), body);
}

/// Starts a sign-in; returns (session, url) after checking the 201 shape.
fn start_login(sim: &TestServer) -> (String, String) {
    let reply = sim.send("POST", START, &[("content-type", "application/json")], None);
    assert_eq!(reply.status, 201, "{}", reply.text());
    let data = &reply.json()["data"];
    let session = data["session"].as_str().unwrap().to_string();
    let url = data["url"].as_str().unwrap().to_string();
    assert_eq!(
        url,
        format!("{}/__sim/google/consent?session={session}", sim.base)
    );
    (session, url)
}

fn poll(sim: &TestServer, session: &str) -> Reply {
    sim.get(
        &format!("/api/oauth/google/{session}"),
        &[("content-type", "application/json")],
    )
}

fn complete(sim: &TestServer, session: &str, email: &str) -> Reply {
    sim.post_json(COMPLETE, &json!({ "session": session, "email": email }))
}

fn cancel(sim: &TestServer, session: &str) -> Reply {
    sim.post_json(COMPLETE, &json!({ "session": session, "cancel": true }))
}

/// Posts the consent form as a browser would.
fn consent_form(sim: &TestServer, fields: &str) -> Reply {
    sim.send(
        "POST",
        "/__sim/google/consent",
        &[("content-type", "application/x-www-form-urlencoded")],
        Some(fields),
    )
}

fn consent_page(sim: &TestServer, session: &str) -> Reply {
    sim.get(&format!("/__sim/google/consent?session={session}"), &[])
}

#[test]
fn sign_in_through_the_consent_page() {
    let sim = start();
    let (session, url) = start_login(&sim);

    let pending = poll(&sim, &session);
    assert_eq!(pending.status, 204);
    assert!(pending.body.is_empty());

    let page = sim.get(url.strip_prefix(&sim.base).unwrap(), &[]);
    assert_eq!(page.status, 200);
    assert_eq!(page.header("cache-control").as_deref(), Some("no-store"));
    let csp = page.header("content-security-policy").unwrap();
    assert!(csp.contains("form-action 'self'") && csp.contains("frame-ancestors 'none'"));
    let html = page.text();
    for needed in [
        "<title>Sign in with Google (simulator)</title>",
        "Gigalixir wants to access your Google account",
        "<label for=\"email\">Google account email</label>",
        "value=\"demo@example.com\"",
        "<form method=\"post\" action=\"/__sim/google/consent\">",
        &format!("name=\"session\" value=\"{session}\""),
        ">Continue</button>",
        ">Cancel</button>",
    ] {
        assert!(html.contains(needed), "{needed} missing from {html}");
    }
    assert!(!html.contains("<script"));

    let done = consent_form(
        &sim,
        &format!("session={session}&email=demo%40example.com&action=continue"),
    );
    assert_eq!(done.status, 200);
    assert!(done.text().contains("<h1>Done</h1>"));
    assert!(done
        .text()
        .contains("You can close this window and return to the console."));

    let reply = poll(&sim, &session);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let data = reply.json()["data"].clone();
    assert_eq!(data["email"], "demo@example.com");
    let key = data["key"].as_str().unwrap();
    assert_eq!(sim.users("demo@example.com", key).status, 200);
    // The key is the account's current one, the same a password login gets.
    let login = sim.login("demo@example.com", "demo-password", None);
    assert_eq!(login.json()["data"]["key"], key);

    // The key is answered once; the page is used up.
    assert_eq!(poll(&sim, &session).status, 410);
    let again = consent_page(&sim, &session);
    assert_eq!(again.status, 400);
    assert!(again.text().contains("Already answered"));
    let repost = consent_form(&sim, &format!("session={session}&email=demo%40example.com"));
    assert_eq!(repost.status, 400);
    expect(
        complete(&sim, &session, "demo@example.com"),
        409,
        errors("This session has already been answered."),
    );
}

#[test]
fn start_tolerates_a_json_body_and_basic_auth() {
    let sim = start();
    let auth = raw_basic("demo@example.com", "not-a-key");
    for body in [Some("{}"), Some(""), None] {
        let reply = sim.send(
            "POST",
            START,
            &[
                ("content-type", "application/json"),
                ("authorization", &auth),
            ],
            body,
        );
        assert_eq!(reply.status, 201, "{}", reply.text());
    }
    // Sessions are distinct.
    assert_ne!(start_login(&sim).0, start_login(&sim).0);
    let poll_with_auth = sim.get(
        &format!("/api/oauth/google/{}", start_login(&sim).0),
        &[("authorization", &auth)],
    );
    assert_eq!(poll_with_auth.status, 204);
}

#[test]
fn cancel_unknown_and_no_account() {
    let sim = start();
    let (session, _) = start_login(&sim);
    expect(
        cancel(&sim, &session),
        200,
        json!({"data": {"status": "cancelled"}}),
    );
    expect(poll(&sim, &session), 403, errors("access denied"));

    // Cancel on the page too.
    let (other, _) = start_login(&sim);
    let page = consent_form(&sim, &format!("session={other}&email=&action=cancel"));
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<h1>Cancelled</h1>"));
    expect(poll(&sim, &other), 403, errors("access denied"));

    expect(
        poll(&sim, "no-such-session"),
        404,
        errors("unknown or expired session"),
    );
    let unknown = consent_page(&sim, "no-such-session");
    assert_eq!(unknown.status, 404);
    assert!(unknown.text().contains("Unknown sign-in"));
    assert_eq!(sim.get("/__sim/google/consent", &[]).status, 404);
    expect(
        complete(&sim, "no-such-session", "demo@example.com"),
        404,
        errors("unknown or expired session"),
    );

    let (nobody, _) = start_login(&sim);
    expect(
        complete(&sim, &nobody, "nobody@example.com"),
        200,
        json!({"data": {"status": "done"}}),
    );
    expect(
        poll(&sim, &nobody),
        422,
        errors("No Gigalixir account uses this Google address. Sign up first."),
    );
}

#[test]
fn a_bad_address_is_refused_and_the_session_stays_open() {
    let sim = start();
    let (session, _) = start_login(&sim);
    let page = consent_form(
        &sim,
        &format!("session={session}&email=not+an+address&action=continue"),
    );
    assert_eq!(page.status, 422);
    let html = page.text();
    assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""));
    assert!(html.contains("value=\"not an address\""));
    assert!(html.contains("id=\"email-error\""));
    let reply = complete(&sim, &session, "still no address");
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.json()["errors"]["email"][0],
        "is not a valid email address"
    );
    assert_eq!(
        sim.post_json(COMPLETE, &json!({ "session": session }))
            .status,
        400
    );
    assert_eq!(poll(&sim, &session).status, 204);
    assert_eq!(complete(&sim, &session, "demo@example.com").status, 200);
    assert_eq!(poll(&sim, &session).status, 200);
}

#[test]
fn sessions_expire_with_the_clock() {
    let sim = start();
    let (pending, _) = start_login(&sim);
    let (finished, _) = start_login(&sim);
    assert_eq!(complete(&sim, &finished, "demo@example.com").status, 200);
    sim.advance_clock(595);
    assert_eq!(poll(&sim, &pending).status, 204);
    assert_eq!(poll(&sim, &finished).status, 200);
    sim.advance_clock(5);
    let expired = errors("This Google sign-in has expired. Please start again.");
    expect(poll(&sim, &pending), 410, expired.clone());
    expect(poll(&sim, &finished), 410, expired.clone());
    let page = consent_page(&sim, &pending);
    assert_eq!(page.status, 400);
    assert!(page.text().contains("Sign-in expired"));
    assert!(page.text().contains("they work for 10 minutes"));
    expect(complete(&sim, &pending, "demo@example.com"), 410, expired);
}

#[test]
fn oauth_ttl_flag() {
    let mut config = Config::ephemeral();
    config.oauth_ttl_secs = 60;
    let sim = start_with(config);
    let (session, _) = start_login(&sim);
    sim.advance_clock(55);
    assert_eq!(poll(&sim, &session).status, 204);
    sim.advance_clock(5);
    assert_eq!(poll(&sim, &session).status, 410);
}

#[test]
fn google_sign_in_skips_mfa_and_confirms_the_address() {
    let sim = start();
    let (session, _) = start_login(&sim);
    assert_eq!(complete(&sim, &session, "MFA@example.com").status, 200);
    let reply = poll(&sim, &session);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["data"]["email"], "mfa@example.com");
    let key = reply.json()["data"]["key"].as_str().unwrap().to_string();
    assert_eq!(
        sim.users("mfa@example.com", &key).json()["data"]["mfa_enabled"],
        true
    );

    let unconfirmed = |sim: &TestServer| {
        let conn = sim.state.db().lock();
        !gigalixir_sim::db::user_by_email(&conn, "new@example.com")
            .unwrap()
            .unwrap()
            .confirmed
    };
    assert!(unconfirmed(&sim));
    let (session, _) = start_login(&sim);
    assert_eq!(complete(&sim, &session, "new@example.com").status, 200);
    assert_eq!(poll(&sim, &session).status, 200);
    assert!(!unconfirmed(&sim));
}

/// Google sign-up step 1; returns (session, url, uuid).
fn start_signup(sim: &TestServer) -> (String, String, String) {
    let reply = sim.post_json(SIGNUP, &json!({ "oauth": "google" }));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let data = &reply.json()["data"];
    let text = |name: &str| data[name].as_str().unwrap().to_string();
    let (session, url, uuid) = (text("session"), text("url"), text("uuid"));
    assert_eq!(
        url,
        format!("{}/__sim/google/consent?session={session}", sim.base)
    );
    assert_eq!(uuid.len(), 36);
    (session, url, uuid)
}

fn step(sim: &TestServer, body: Value) -> Reply {
    sim.post_json(SIGNUP, &body)
}

#[test]
fn google_sign_up_skips_code_and_password_then_makes_the_account() {
    let sim = start();
    let (session, url, uuid) = start_signup(&sim);
    let page = sim.get(url.strip_prefix(&sim.base).unwrap(), &[]);
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("value=\"\""),
        "sign-up offers no address"
    );
    assert!(page.text().contains("to create your Gigalixir account"));

    // Nothing goes on before Google has answered.
    let previous = errors("Please complete the previous step first.");
    expect(
        step(&sim, json!({"tier": "FREE", "uuid": uuid})),
        422,
        previous.clone(),
    );
    assert_eq!(poll(&sim, &session).status, 204);

    let email = "google.new@example.com";
    let done = consent_form(
        &sim,
        &format!("session={session}&email=google.new%40example.com&action=continue"),
    );
    assert_eq!(done.status, 200);
    expect(poll(&sim, &session), 200, json!({"data": {"email": email}}));
    expect(poll(&sim, &session), 200, json!({"data": {"email": email}}));

    let not_for_google = errors("This sign-up uses Google: there is no code or password step.");
    for body in [
        json!({"confirmation_code": "123456", "uuid": uuid}),
        json!({"password": "password-123", "uuid": uuid}),
    ] {
        expect(step(&sim, body), 422, not_for_google.clone());
    }
    let promo = step(&sim, json!({"promo_code": "WELCOME10", "uuid": uuid}));
    assert_eq!(promo.status, 200, "{}", promo.text());
    let year = gigalixir_sim::outbox::civil_date(gigalixir_sim::state::now_unix()).0 + 3;
    let token = sim.send(
        "POST",
        "/__sim/stripe/v1/tokens",
        &[("authorization", "Bearer pk_test_sim")],
        Some(&format!(
            "card[number]=4242424242424242&card[exp_month]=12&card[exp_year]={year}&card[cvc]=123"
        )),
    );
    let card = step(
        &sim,
        json!({"stripe_token": token.json()["id"], "uuid": uuid}),
    );
    assert_eq!(card.status, 200, "{}", card.text());
    let done = step(&sim, json!({"tier": "STANDARD", "uuid": uuid}));
    assert_eq!(done.status, 200, "{}", done.text());
    assert_eq!(done.json()["data"]["email"], email);
    let key = done.json()["data"]["key"].as_str().unwrap().to_string();
    let user = sim.users(email, &key).json();
    assert_eq!(user["data"]["tier"], "STANDARD");
    assert_eq!(user["data"]["credit_cents"], 1000);
    {
        let conn = sim.state.db().lock();
        let row = gigalixir_sim::db::user_by_email(&conn, email)
            .unwrap()
            .unwrap();
        assert!(row.confirmed);
    }
    // No password works: the account has one nobody knows.
    assert_eq!(sim.login(email, "", None).status, 401);
    assert_eq!(sim.login(email, "password-123", None).status, 401);
    // Signing in with Google now finds the account and its key.
    let (login, _) = start_login(&sim);
    assert_eq!(complete(&sim, &login, email).status, 200);
    assert_eq!(poll(&sim, &login).json()["data"]["key"], key);
    // The uuid is spent.
    expect(
        step(&sim, json!({"tier": "FREE", "uuid": uuid})),
        422,
        json!({"errors": {"uuid": ["is invalid"]}}),
    );
}

#[test]
fn google_sign_up_free_tier() {
    let sim = start();
    let (session, _, uuid) = start_signup(&sim);
    assert_eq!(
        complete(&sim, &session, "google.free@example.com").status,
        200
    );
    assert_eq!(poll(&sim, &session).status, 200);
    let done = step(&sim, json!({"tier": "FREE", "uuid": uuid}));
    assert_eq!(done.status, 200, "{}", done.text());
    let key = done.json()["data"]["key"].as_str().unwrap().to_string();
    assert_eq!(
        sim.users("google.free@example.com", &key).json()["data"]["tier"],
        "FREE"
    );
}

#[test]
fn google_sign_up_with_an_existing_address_is_refused() {
    let sim = start();
    let (session, _, uuid) = start_signup(&sim);
    expect(
        complete(&sim, &session, "Demo@Example.com"),
        200,
        json!({"data": {"status": "taken"}}),
    );
    let taken = errors("This Google address already has a Gigalixir account. Sign in instead.");
    expect(poll(&sim, &session), 422, taken.clone());
    expect(poll(&sim, &session), 422, taken);
    expect(
        step(&sim, json!({"tier": "FREE", "uuid": uuid})),
        422,
        errors("Please complete the previous step first."),
    );
    // And no email went anywhere.
    assert!(sim.emails_to("demo@example.com").is_empty());
}

#[test]
fn google_sign_up_from_a_vpn_address_goes_to_review() {
    let sim = start();
    let (session, _, uuid) = start_signup(&sim);
    let email = "someone@vpn.example.com";
    assert_eq!(complete(&sim, &session, email).status, 200);
    expect(
        poll(&sim, &session),
        200,
        json!({"data": {"email": email, "vpn_detected": true}}),
    );
    let note = step(&sim, json!({"explanation": "A hobby app", "uuid": uuid}));
    assert_eq!(note.status, 200);
    let review = step(&sim, json!({"tier": "FREE", "uuid": uuid}));
    assert_eq!(review.status, 202, "{}", review.text());
    assert_eq!(review.json(), json!({"data": {}}));
    let conn = sim.state.db().lock();
    assert!(gigalixir_sim::db::user_by_email(&conn, email)
        .unwrap()
        .is_none());
}

#[test]
fn google_sign_up_cancelled_and_unknown_provider() {
    let sim = start();
    let (session, _, _) = start_signup(&sim);
    assert_eq!(cancel(&sim, &session).status, 200);
    expect(poll(&sim, &session), 403, errors("access denied"));
    expect(
        step(&sim, json!({"oauth": "github"})),
        422,
        json!({"errors": {"oauth": ["is not a supported provider"]}}),
    );
}
