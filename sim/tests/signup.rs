//! Sign-up by email (A4) over real HTTP: every step, its errors, expiry through the clock,
//! no enumeration, the manual-review path and the emails.

mod common;

use common::*;
use gigalixir_sim::Config;
use serde_json::{json, Value};

const SIGNUP: &str = "/api/signup";

fn errors(field: &str, message: &str) -> Value {
    json!({ "errors": { field: [message] } })
}

fn step(sim: &TestServer, body: Value) -> Reply {
    sim.post_json(SIGNUP, &body)
}

/// Step 1 for `email`: the uuid, after checking the status.
fn begin(sim: &TestServer, email: &str, status: u16) -> String {
    let reply = step(sim, json!({ "email": email }));
    assert_eq!(reply.status, status, "{}", reply.text());
    reply.json()["data"]["uuid"].as_str().unwrap().to_string()
}

/// The code in the newest email to `email`.
fn code_for(sim: &TestServer, email: &str) -> String {
    let mail = &sim.emails_to(email)[0];
    assert_eq!(mail["subject"], "Your Gigalixir sign-up code");
    let body = mail["body"].as_str().unwrap();
    body.lines()
        .map(str::trim)
        .find(|line| line.len() == 6 && line.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_else(|| panic!("no code in {body}"))
        .to_string()
}

fn expect(reply: Reply, status: u16, body: Value) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.json(), body);
}

fn ok(reply: Reply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

/// Steps 1 to 3 for a new address; returns the uuid.
fn through_password(sim: &TestServer, email: &str, password: &str) -> String {
    let uuid = begin(sim, email, 200);
    let code = code_for(sim, email);
    ok(step(
        sim,
        json!({ "confirmation_code": code, "uuid": uuid }),
    ));
    ok(step(sim, json!({ "password": password, "uuid": uuid })));
    uuid
}

#[test]
fn free_sign_up_end_to_end_then_login() {
    let sim = start();
    let email = "fresh@example.com";
    let uuid = begin(&sim, email, 200);
    assert_eq!(uuid.len(), 36);

    // The email carries the code and a link that continues in the browser.
    let mails = sim.emails_to(email);
    assert_eq!(mails.len(), 1);
    let code = code_for(&sim, email);
    let link = format!("{}/#/signup?uuid={uuid}&code={code}", sim.base);
    assert_eq!(mails[0]["links"], json!([link]));

    let reply = ok(step(
        &sim,
        json!({ "confirmation_code": code, "uuid": uuid }),
    ));
    assert_eq!(reply, json!({"data": {}}));
    ok(step(
        &sim,
        json!({ "password": "a new password", "uuid": uuid }),
    ));
    let done = ok(step(&sim, json!({ "tier": "FREE", "uuid": uuid })));
    assert_eq!(done["data"]["email"], email);
    let key = done["data"]["key"].as_str().unwrap();

    let login = sim.login(email, "a new password", None);
    assert_eq!(login.status, 200, "{}", login.text());
    assert_eq!(login.json()["data"]["key"], key);
    let user = sim.users(email, key);
    assert_eq!(user.status, 200);
    assert_eq!(user.json()["data"]["tier"], "FREE");

    // The uuid is spent.
    expect(
        step(&sim, json!({ "tier": "FREE", "uuid": uuid })),
        422,
        errors("uuid", "is invalid"),
    );
}

#[test]
fn standard_needs_a_card_and_a_declined_card_is_refused() {
    let sim = start();
    let email = "standard@example.com";
    let uuid = through_password(&sim, email, "password-123");
    expect(
        step(&sim, json!({ "tier": "STANDARD", "uuid": uuid })),
        422,
        errors("stripe_token", "is required for the Standard tier"),
    );
    expect(
        step(
            &sim,
            json!({ "stripe_token": "tok_chargeDeclined", "uuid": uuid }),
        ),
        422,
        errors("", "Your card was declined."),
    );
    ok(step(
        &sim,
        json!({ "stripe_token": "tok_visa", "uuid": uuid }),
    ));
    let done = ok(step(&sim, json!({ "tier": "STANDARD", "uuid": uuid })));
    let key = done["data"]["key"].as_str().unwrap();
    assert_eq!(sim.users(email, key).json()["data"]["tier"], "STANDARD");
}

#[test]
fn a_valid_promo_forces_standard() {
    let sim = start();
    let email = "promo@example.com";
    let uuid = through_password(&sim, email, "password-123");
    expect(
        step(&sim, json!({ "promo_code": "NOPE", "uuid": uuid })),
        422,
        errors("promo_code", "is not a valid promo code"),
    );
    let promo = ok(step(
        &sim,
        json!({ "promo_code": "WELCOME10", "uuid": uuid }),
    ));
    assert_eq!(
        promo,
        json!({"data": {"promo": "$10 credit for your first month"}})
    );
    expect(
        step(&sim, json!({ "tier": "FREE", "uuid": uuid })),
        422,
        errors("tier", "must be STANDARD with this promo code"),
    );
    ok(step(
        &sim,
        json!({ "stripe_token": "tok_visa", "uuid": uuid }),
    ));
    let done = ok(step(&sim, json!({ "tier": "STANDARD", "uuid": uuid })));
    let key = done["data"]["key"].as_str().unwrap();
    let user = sim.users(email, key).json();
    assert_eq!(user["data"]["tier"], "STANDARD");
    assert_eq!(user["data"]["credit_cents"], 1000);

    let other = through_password(&sim, "promo2@example.com", "password-123");
    let promo = ok(step(
        &sim,
        json!({ "promo_code": "STANDARD50", "uuid": other }),
    ));
    assert_eq!(promo["data"]["promo"], "50% off Standard for 3 months");
}

#[test]
fn step_errors() {
    let sim = start();
    for bad in ["", "no-at-sign", "a b@example.com"] {
        expect(
            step(&sim, json!({ "email": bad })),
            422,
            errors("email", "is not a valid email address"),
        );
    }
    expect(
        step(
            &sim,
            json!({ "confirmation_code": "123456", "uuid": "nope" }),
        ),
        422,
        errors("uuid", "is invalid"),
    );
    expect(
        step(&sim, json!({ "confirmation_code": "123456" })),
        422,
        errors("uuid", "is invalid"),
    );

    let email = "order@example.com";
    let uuid = begin(&sim, email, 200);
    let previous = errors("", "Please complete the previous step first.");
    for body in [
        json!({ "password": "password-123", "uuid": uuid }),
        json!({ "promo_code": "WELCOME10", "uuid": uuid }),
        json!({ "stripe_token": "tok_visa", "uuid": uuid }),
        json!({ "tier": "FREE", "uuid": uuid }),
    ] {
        expect(step(&sim, body), 422, previous.clone());
    }
    let code = code_for(&sim, email);
    ok(step(
        &sim,
        json!({ "confirmation_code": code, "uuid": uuid }),
    ));
    expect(
        step(&sim, json!({ "tier": "FREE", "uuid": uuid })),
        422,
        previous,
    );
    for short in ["", "1234567"] {
        expect(
            step(&sim, json!({ "password": short, "uuid": uuid })),
            422,
            errors("password", "should be at least 8 characters"),
        );
    }
    expect(
        step(&sim, json!({ "password": "x".repeat(129), "uuid": uuid })),
        422,
        errors("password", "should be at most 128 characters"),
    );
    ok(step(
        &sim,
        json!({ "password": "x".repeat(128), "uuid": uuid }),
    ));
}

#[test]
fn five_wrong_codes_then_too_many() {
    let sim = start();
    let email = "guess@example.com";
    let uuid = begin(&sim, email, 200);
    let code = code_for(&sim, email);
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        expect(
            step(&sim, json!({ "confirmation_code": wrong, "uuid": uuid })),
            422,
            errors("confirmation_code", "is incorrect"),
        );
    }
    // Even the right code is refused now.
    expect(
        step(&sim, json!({ "confirmation_code": code, "uuid": uuid })),
        429,
        errors("", "Too many attempts. Please try again later."),
    );
}

#[test]
fn the_code_expires() {
    let mut config = Config::ephemeral();
    config.signup_code_ttl_secs = 120;
    let sim = start_with(config);
    let email = "slow@example.com";
    let uuid = begin(&sim, email, 200);
    let code = code_for(&sim, email);
    assert!(sim.emails_to(email)[0]["body"]
        .as_str()
        .unwrap()
        .contains("The code works for 2 minutes."));
    sim.advance_clock(115);
    let early = begin(&sim, "early@example.com", 200);
    sim.advance_clock(5);
    expect(
        step(&sim, json!({ "confirmation_code": code, "uuid": uuid })),
        422,
        errors("confirmation_code", "has expired"),
    );
    // A code sent later is still good.
    let early_code = code_for(&sim, "early@example.com");
    ok(step(
        &sim,
        json!({ "confirmation_code": early_code, "uuid": early }),
    ));
}

#[test]
fn an_existing_address_gets_the_same_answer_and_a_notice() {
    let sim = start();
    let taken = step(&sim, json!({ "email": "demo@example.com" }));
    let fresh = step(&sim, json!({ "email": "nobody@example.com" }));
    assert_eq!(taken.status, fresh.status);
    let shape = |reply: &Reply| {
        let value = reply.json();
        let uuid = value["data"]["uuid"].as_str().unwrap();
        assert_eq!(uuid.len(), 36);
        value
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(shape(&taken), shape(&fresh));
    assert_eq!(taken.header("content-type"), fresh.header("content-type"));

    let mails = sim.emails_to("demo@example.com");
    assert_eq!(mails.len(), 1);
    assert_eq!(
        mails[0]["subject"],
        "Someone tried to sign up with your Gigalixir email"
    );
    assert_eq!(
        mails[0]["links"],
        json!([format!(
            "{}/#/password/reset?email=demo%40example.com",
            sim.base
        )])
    );
    assert!(!mails[0]["body"].as_str().unwrap().contains("sign-up code"));
}

#[test]
fn an_address_that_gets_an_account_meanwhile_is_taken() {
    let sim = start();
    let email = "race@example.com";
    let uuid = through_password(&sim, email, "password-123");
    sim.create_account(json!({ "email": email, "password": "other-password" }));
    expect(
        step(&sim, json!({ "tier": "FREE", "uuid": uuid })),
        422,
        errors("email", "has already been taken"),
    );
}

#[test]
fn vpn_addresses_go_to_manual_review_and_make_no_account() {
    let sim = start();
    let email = "someone@vpn.example.com";
    let uuid = begin(&sim, email, 202);
    ok(step(
        &sim,
        json!({ "explanation": "A hobby app", "uuid": uuid }),
    ));
    let code = code_for(&sim, email);
    ok(step(
        &sim,
        json!({ "confirmation_code": code, "uuid": uuid }),
    ));
    ok(step(
        &sim,
        json!({ "password": "password-123", "uuid": uuid }),
    ));
    expect(
        step(&sim, json!({ "tier": "FREE", "uuid": uuid })),
        202,
        json!({"data": {}}),
    );
    assert_eq!(sim.login(email, "password-123", None).status, 401);
    expect(
        step(&sim, json!({ "tier": "FREE", "uuid": uuid })),
        422,
        errors("uuid", "is invalid"),
    );
}

#[test]
fn step_one_counts_against_the_email_limits() {
    let mut config = Config::ephemeral();
    config.email_limit = 2;
    let sim = start_with(config);
    begin(&sim, "limited@example.com", 200);
    begin(&sim, "Limited@example.com", 200);
    let reply = step(&sim, json!({ "email": "limited@example.com" }));
    assert_eq!(reply.status, 429);
    assert!(reply.header("retry-after").is_some());
    assert_eq!(
        reply.json(),
        errors("", "Too many attempts. Please try again later.")
    );
    assert_eq!(sim.emails_to("limited@example.com").len(), 1);
}

#[test]
fn the_card_given_at_sign_up_is_on_file_afterwards() {
    let sim = start();
    let email = "carded-signup@example.com";
    let uuid = through_password(&sim, email, "password-123");
    gigalixir_sim::stripe_tokens::record_stripe_token(
        &sim.state.db().lock(),
        "tok_signupAmex",
        "American Express",
        8431,
        4,
        2032,
    )
    .unwrap();
    ok(step(
        &sim,
        json!({ "stripe_token": "tok_signupAmex", "uuid": uuid }),
    ));
    let done = ok(step(&sim, json!({ "tier": "STANDARD", "uuid": uuid })));
    let key = done["data"]["key"].as_str().unwrap();
    let card = sim.signed_in("GET", "/api/payment_methods", email, key, None);
    expect(
        card,
        200,
        json!({"data": {"brand": "American Express", "last4": 8431, "exp_month": 4, "exp_year": 2032}}),
    );
    // The token was spent there.
    let uuid = through_password(&sim, "second-signup@example.com", "password-123");
    expect(
        step(
            &sim,
            json!({ "stripe_token": "tok_signupAmex", "uuid": uuid }),
        ),
        422,
        errors("stripe_token", "has already been used"),
    );
}

#[test]
fn a_free_sign_up_has_no_card_on_file() {
    let sim = start();
    let email = "free-signup@example.com";
    let uuid = through_password(&sim, email, "password-123");
    let done = ok(step(&sim, json!({ "tier": "FREE", "uuid": uuid })));
    let key = done["data"]["key"].as_str().unwrap();
    let card = sim.signed_in("GET", "/api/payment_methods", email, key, None);
    assert_eq!(card.status, 404);
}
