//! Billing over real HTTP: the card on file (A17, A18), the upgrade (A19), invoices with
//! their PDFs (A20) and usage (A21).

mod common;

use common::*;
use gigalixir_sim::stripe_tokens::record_stripe_token;
use serde_json::{json, Value};

const DEMO: &str = "demo@example.com";
const DEMO_PW: &str = "demo-password";

fn get(sim: &TestServer, path: &str, email: &str, key: &str) -> Reply {
    sim.signed_in("GET", path, email, key, None)
}

fn card(sim: &TestServer, email: &str, key: &str) -> Reply {
    get(sim, "/api/payment_methods", email, key)
}

fn put_card(sim: &TestServer, email: &str, key: &str, token: &str) -> Reply {
    sim.signed_in(
        "PUT",
        "/api/payment_methods",
        email,
        key,
        Some(&json!({ "stripe_token": token })),
    )
}

fn upgrade(sim: &TestServer, email: &str, key: &str, body: Value) -> Reply {
    sim.signed_in("POST", "/api/upgrade", email, key, Some(&body))
}

/// This year plus four, the expiry of cards behind unrecorded tokens.
fn default_exp_year() -> i64 {
    let now = gigalixir_sim::state::now_unix();
    gigalixir_sim::outbox::rfc3339(now)[..4]
        .parse::<i64>()
        .unwrap()
        + 4
}

fn free_account(sim: &TestServer, email: &str) -> String {
    sim.create_account(json!({"email": email, "password": "free-password"}));
    sim.key_for(email, "free-password")
}

#[test]
fn the_demo_card_has_a_numeric_last4() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let reply = card(&sim, DEMO, &key);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"data": {"brand": "Visa", "last4": 4242, "exp_month": 12, "exp_year": 2030}})
    );
    assert!(reply.json()["data"]["last4"].is_i64());
}

#[test]
fn accounts_without_a_card_get_404() {
    let sim = start();
    for (email, password) in [
        ("nocard@example.com", "nocard-password"),
        ("new@example.com", "new-password"),
    ] {
        let key = sim.key_for(email, password);
        let reply = card(&sim, email, &key);
        assert_eq!(reply.status, 404, "{email}");
        assert_eq!(
            reply.json(),
            json!({"errors": {"": ["No payment method found."]}})
        );
        // The seeded Standard account without a card really is Standard.
        if email.starts_with("nocard") {
            assert_eq!(sim.users(email, &key).json()["data"]["tier"], "STANDARD");
        }
    }
}

#[test]
fn a_recorded_token_stores_its_card_once() {
    let sim = start();
    let key = sim.key_for("nocard@example.com", "nocard-password");
    record_stripe_token(
        &sim.state.db().lock(),
        "tok_1MasterCard",
        "MasterCard",
        4444,
        3,
        2031,
    )
    .unwrap();
    let reply = put_card(&sim, "nocard@example.com", &key, "tok_1MasterCard");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"data": {}}));
    assert_eq!(
        card(&sim, "nocard@example.com", &key).json(),
        json!({"data": {"brand": "MasterCard", "last4": 4444, "exp_month": 3, "exp_year": 2031}})
    );
    let again = put_card(&sim, "nocard@example.com", &key, "tok_1MasterCard");
    assert_eq!(again.status, 422);
    assert_eq!(
        again.json(),
        field_error("stripe_token", "has already been used")
    );
}

#[test]
fn stripe_test_tokens_replace_the_card_with_the_default_visa() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    record_stripe_token(
        &sim.state.db().lock(),
        "tok_amex",
        "American Express",
        8431,
        1,
        2029,
    )
    .unwrap();
    assert_eq!(put_card(&sim, DEMO, &key, "tok_amex").status, 200);
    assert_eq!(card(&sim, DEMO, &key).json()["data"]["last4"], 8431);
    assert_eq!(put_card(&sim, DEMO, &key, "tok_visa").status, 200);
    assert_eq!(
        card(&sim, DEMO, &key).json(),
        json!({"data": {"brand": "Visa", "last4": 4242, "exp_month": 12, "exp_year": default_exp_year()}})
    );
}

#[test]
fn declined_and_invalid_tokens_keep_the_old_card() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let before = card(&sim, DEMO, &key).json();
    record_stripe_token(&sim.state.db().lock(), "tok_decline02", "Visa", 2, 1, 2030).unwrap();
    for (token, body) in [
        (
            "tok_chargeDeclined",
            json!({"errors": {"": ["Your card was declined."]}}),
        ),
        (
            "tok_decline02",
            json!({"errors": {"": ["Your card was declined."]}}),
        ),
        ("pm_card_visa", field_error("stripe_token", "is invalid")),
        ("tok_", field_error("stripe_token", "is invalid")),
        ("", field_error("stripe_token", "is invalid")),
    ] {
        let reply = put_card(&sim, DEMO, &key, token);
        assert_eq!(reply.status, 422, "{token}: {}", reply.text());
        assert_eq!(reply.json(), body, "{token}");
    }
    assert_eq!(card(&sim, DEMO, &key).json(), before);
}

#[test]
fn upgrading_makes_a_free_account_standard_with_a_card_and_promo_credit() {
    let sim = start();
    let email = "upgrader@example.com";
    let key = free_account(&sim, email);
    assert_eq!(card(&sim, email, &key).status, 404);
    let reply = upgrade(
        &sim,
        email,
        &key,
        json!({"stripe_token": "tok_visa", "promo_code": "welcome10"}),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"data": {}}));
    let user = sim.users(email, &key).json()["data"].clone();
    assert_eq!(user["tier"], "STANDARD");
    assert_eq!(user["credit_cents"], 1000);
    assert_eq!(card(&sim, email, &key).json()["data"]["last4"], 4242);

    let again = upgrade(&sim, email, &key, json!({"stripe_token": "tok_visa"}));
    assert_eq!(again.status, 422);
    assert_eq!(
        again.json(),
        json!({"errors": {"": ["Your account is already on the Standard tier."]}})
    );
}

#[test]
fn upgrade_without_a_promo_adds_no_credit() {
    let sim = start();
    for (email, body) in [
        (
            "plain@example.com",
            json!({"stripe_token": "tok_mastercard"}),
        ),
        (
            "null-promo@example.com",
            json!({"stripe_token": "tok_mastercard", "promo_code": null}),
        ),
        (
            "empty-promo@example.com",
            json!({"stripe_token": "tok_mastercard", "promo_code": ""}),
        ),
        (
            "half@example.com",
            json!({"stripe_token": "tok_visa", "promo_code": "STANDARD50"}),
        ),
    ] {
        let key = free_account(&sim, email);
        let reply = upgrade(&sim, email, &key, body);
        assert_eq!(reply.status, 200, "{email}: {}", reply.text());
        let user = sim.users(email, &key).json()["data"].clone();
        assert_eq!(user["tier"], "STANDARD", "{email}");
        assert_eq!(user["credit_cents"], 0, "{email}");
    }
}

#[test]
fn upgrade_errors_leave_the_account_free() {
    let sim = start();
    let email = "stays-free@example.com";
    let key = free_account(&sim, email);
    record_stripe_token(&sim.state.db().lock(), "tok_once", "Visa", 1881, 5, 2030).unwrap();
    for (body, expected) in [
        (
            json!({"stripe_token": "tok_once", "promo_code": "NOPE"}),
            field_error("promo_code", "is not a valid promo code"),
        ),
        (
            json!({"stripe_token": "tok_chargeDeclined"}),
            json!({"errors": {"": ["Your card was declined."]}}),
        ),
        (json!({}), field_error("stripe_token", "is invalid")),
        (
            json!({"stripe_token": "card_123"}),
            field_error("stripe_token", "is invalid"),
        ),
    ] {
        let reply = upgrade(&sim, email, &key, body.clone());
        assert_eq!(reply.status, 422, "{body}: {}", reply.text());
        assert_eq!(reply.json(), expected, "{body}");
    }
    assert_eq!(sim.users(email, &key).json()["data"]["tier"], "FREE");
    assert_eq!(card(&sim, email, &key).status, 404);
    // A bad promo is caught before the card token is spent.
    let reply = upgrade(&sim, email, &key, json!({"stripe_token": "tok_once"}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(card(&sim, email, &key).json()["data"]["last4"], 1881);
}

#[test]
fn demo_invoices_newest_first_with_pdfs_for_the_paid_ones() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let reply = get(&sim, "/api/invoices", DEMO, &key);
    assert_eq!(reply.status, 200, "{}", reply.text());
    let data = reply.json()["data"].clone();
    let invoices = data.as_array().unwrap();
    let summary: Vec<Value> = invoices
        .iter()
        .map(|i| {
            json!([
                i["period_start"],
                i["period_end"],
                i["amount_cents"],
                i["paid"]
            ])
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            json!(["2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", 1234, false]),
            json!(["2026-09-01T00:00:00Z", "2026-10-01T00:00:00Z", 2650, true]),
            json!(["2026-08-01T00:00:00Z", "2026-09-01T00:00:00Z", 2400, true]),
        ]
    );
    assert_eq!(invoices[0]["pdf"], Value::Null);
    for invoice in &invoices[1..] {
        let pdf = invoice["pdf"].as_str().unwrap();
        let path = pdf
            .strip_prefix(&format!("{}/__sim/invoices/", sim.base))
            .unwrap_or_else(|| panic!("{pdf}"));
        assert!(path.len() >= 32, "unguessable: {path}");
        let file = sim.get(&format!("/__sim/invoices/{path}"), &[]);
        assert_eq!(file.status, 200);
        assert_eq!(
            file.header("content-type").as_deref(),
            Some("application/pdf")
        );
        let text = file.text();
        assert!(text.starts_with("%PDF-1.4"), "{text}");
        assert!(text.contains("(Account: demo@example.com)"), "{text}");
        assert!(text.contains("(Status: paid)"), "{text}");
    }
    assert_eq!(sim.get("/__sim/invoices/nope", &[]).status, 404);
}

#[test]
fn demo_usage_and_empty_lists_for_others() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let reply = get(&sim, "/api/usage", DEMO, &key);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({"data": [
            {"app": "demo-app", "amount_cents": 523},
            {"app": "demo-worker", "amount_cents": 118}
        ]})
    );
    let key = sim.key_for("nocard@example.com", "nocard-password");
    for path in ["/api/usage", "/api/invoices"] {
        let reply = get(&sim, path, "nocard@example.com", &key);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.json(), json!({"data": []}), "{path}");
    }
}

#[test]
fn a_token_from_the_stripe_stand_in_stores_its_card() {
    let sim = start();
    let key = sim.key_for("nocard@example.com", "nocard-password");
    let reply = sim.send(
        "POST",
        "/__sim/stripe/v1/tokens",
        &[
            ("content-type", "application/x-www-form-urlencoded"),
            ("authorization", "Bearer pk_test_sim"),
        ],
        Some("card[number]=5555555555554444&card[exp_month]=7&card[exp_year]=2031&card[cvc]=123"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let token = reply.json()["id"].as_str().unwrap().to_string();
    let reply = put_card(&sim, "nocard@example.com", &key, &token);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        card(&sim, "nocard@example.com", &key).json(),
        json!({"data": {"brand": "MasterCard", "last4": 4444, "exp_month": 7, "exp_year": 2031}})
    );
    // Stripe tokens work once.
    let again = put_card(&sim, "nocard@example.com", &key, &token);
    assert_eq!(
        again.json(),
        field_error("stripe_token", "has already been used")
    );
}

#[test]
fn control_accounts_can_start_with_a_card() {
    let sim = start();
    sim.create_account(
        json!({"email": "carded@example.com", "password": "carded-password", "card": true}),
    );
    let key = sim.key_for("carded@example.com", "carded-password");
    assert_eq!(
        card(&sim, "carded@example.com", &key).json(),
        json!({"data": {"brand": "Visa", "last4": 4242, "exp_month": 12, "exp_year": default_exp_year()}})
    );
}
