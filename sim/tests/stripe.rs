//! The Stripe stand-in over real HTTP: card tokens as the `stripe` library and Stripe.js ask
//! for them, Stripe's error shapes, the declined test card end to end, and CORS.

mod common;

use common::*;
use gigalixir_sim::outbox::civil_date;
use gigalixir_sim::state::now_unix;
use gigalixir_sim::Config;
use serde_json::{json, Value};

const TOKENS: &str = "/__sim/stripe/v1/tokens";
const KEY: &str = "Bearer pk_test_sim";

fn this_year() -> i64 {
    civil_date(now_unix()).0
}

/// A form-encoded body the way the `stripe` library writes it (brackets left literal).
fn card_form(number: &str, month: &str, year: &str, cvc: &str) -> String {
    format!("card[number]={number}&card[exp_month]={month}&card[exp_year]={year}&card[cvc]={cvc}")
}

fn tokenise(sim: &TestServer, auth: Option<&str>, body: &str) -> Reply {
    let mut headers = vec![("content-type", "application/x-www-form-urlencoded")];
    if let Some(auth) = auth {
        headers.push(("authorization", auth));
    }
    sim.send("POST", TOKENS, &headers, Some(body))
}

fn card_error(code: &str, message: &str, param: &str) -> Value {
    json!({"error": {"type": "card_error", "code": code, "message": message, "param": param}})
}

fn expect(reply: Reply, status: u16, body: Value) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert_eq!(reply.json(), body);
}

#[test]
fn a_good_card_becomes_a_token_shaped_like_stripes() {
    let sim = start();
    let year = (this_year() + 4).to_string();
    let reply = tokenise(
        &sim,
        Some(KEY),
        &card_form("4242+4242+4242+4242", "02", &year, "023"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(
        reply.header("cache-control").as_deref(),
        Some("no-cache, no-store")
    );
    assert!(reply.header("request-id").unwrap().starts_with("req_"));
    let token = reply.json();
    let id = token["id"].as_str().unwrap();
    assert!(id.starts_with("tok_") && id.len() == 28, "{id}");
    assert!(id[4..].bytes().all(|b| b.is_ascii_alphanumeric()));
    assert_eq!(token["object"], "token");
    assert_eq!(token["type"], "card");
    assert_eq!(token["livemode"], false);
    assert_eq!(token["used"], false);
    assert!((token["created"].as_i64().unwrap() - now_unix()).abs() < 60);
    let card = &token["card"];
    assert!(card["id"].as_str().unwrap().starts_with("card_"));
    assert_eq!(card["object"], "card");
    assert_eq!(card["brand"], "Visa");
    assert_eq!(card["last4"], "4242");
    assert_eq!(card["exp_month"], 2);
    assert_eq!(card["exp_year"], this_year() + 4);
    assert_eq!(card["funding"], "credit");

    // Two tokens for the same card are different tokens of the same card.
    let again = tokenise(
        &sim,
        Some(KEY),
        &card_form("4242424242424242", "2", &year, "023"),
    )
    .json();
    assert_ne!(again["id"], token["id"]);
    assert_eq!(again["card"]["fingerprint"], card["fingerprint"]);

    for (number, brand, last4) in [
        ("5555555555554444", "MasterCard", "4444"),
        ("378282246310005", "American Express", "0005"),
        ("6011111111111117", "Discover", "1117"),
    ] {
        let reply = tokenise(&sim, Some(KEY), &card_form(number, "12", &year, "1234"));
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.json()["card"]["brand"], brand);
        assert_eq!(reply.json()["card"]["last4"], last4);
    }
}

#[test]
fn the_declined_test_card_tokenises_and_the_api_then_declines_it() {
    let sim = start();
    let year = (this_year() + 1).to_string();
    let reply = tokenise(
        &sim,
        Some(KEY),
        &card_form("4000000000000002", "12", &year, "123"),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json()["id"], "tok_chargeDeclined");

    // The sign-up card step refuses that token and takes a good one.
    let email = "stripe.declined@example.com";
    let uuid = sim
        .post_json("/api/signup", &json!({ "email": email }))
        .json()["data"]["uuid"]
        .as_str()
        .unwrap()
        .to_string();
    let body = sim.emails_to(email)[0]["body"]
        .as_str()
        .unwrap()
        .to_string();
    let code = body
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .unwrap()
        .to_string();
    for step in [
        json!({"confirmation_code": code, "uuid": uuid}),
        json!({"password": "password-123", "uuid": uuid}),
    ] {
        assert_eq!(sim.post_json("/api/signup", &step).status, 200);
    }
    let declined = sim.post_json(
        "/api/signup",
        &json!({"stripe_token": reply.json()["id"], "uuid": uuid}),
    );
    expect(
        declined,
        422,
        json!({"errors": {"": ["Your card was declined."]}}),
    );
    let good = tokenise(
        &sim,
        Some(KEY),
        &card_form("4242424242424242", "12", &year, "123"),
    );
    let accepted = sim.post_json(
        "/api/signup",
        &json!({"stripe_token": good.json()["id"], "uuid": uuid}),
    );
    assert_eq!(accepted.status, 200, "{}", accepted.text());
}

#[test]
fn card_errors_are_402_with_stripes_codes() {
    let sim = start();
    let year = (this_year() + 2).to_string();
    let last_year = (this_year() - 1).to_string();
    let cases = [
        (
            card_form("4242424242424241", "12", &year, "123"),
            card_error(
                "incorrect_number",
                "Your card number is incorrect.",
                "number",
            ),
        ),
        (
            card_form("4242", "12", &year, "123"),
            card_error(
                "incorrect_number",
                "Your card number is incorrect.",
                "number",
            ),
        ),
        (
            card_form("4242424242424242", "13", &year, "123"),
            card_error(
                "invalid_expiry_month",
                "Your card's expiration month is invalid.",
                "exp_month",
            ),
        ),
        (
            card_form("4242424242424242", "12", "20x0", "123"),
            card_error(
                "invalid_expiry_year",
                "Your card's expiration year is invalid.",
                "exp_year",
            ),
        ),
        (
            card_form("4242424242424242", "12", &last_year, "123"),
            card_error("expired_card", "Your card has expired.", "exp_year"),
        ),
        (
            card_form("4242424242424242", "12", &year, "12"),
            card_error(
                "invalid_cvc",
                "Your card's security code is invalid.",
                "cvc",
            ),
        ),
    ];
    for (form, body) in cases {
        expect(tokenise(&sim, Some(KEY), &form), 402, body);
    }
}

#[test]
fn expiry_follows_the_simulated_clock() {
    let sim = start();
    let (year, month, _) = civil_date(now_unix());
    let form = card_form(
        "4242424242424242",
        &month.to_string(),
        &year.to_string(),
        "123",
    );
    assert_eq!(tokenise(&sim, Some(KEY), &form).status, 200);
    // Two months on, this month's expiry has passed.
    sim.advance_clock(62 * 86_400);
    let reply = tokenise(&sim, Some(KEY), &form);
    assert_eq!(reply.status, 402, "{}", reply.text());
    assert_eq!(reply.json()["error"]["code"], "expired_card");
}

#[test]
fn missing_key_and_missing_params() {
    let sim = start();
    let year = (this_year() + 1).to_string();
    let form = card_form("4242424242424242", "12", &year, "123");
    let no_key = json!({"error": {"type": "invalid_request_error", "message": "You did not provide an API key."}});
    expect(tokenise(&sim, None, &form), 401, no_key.clone());
    expect(tokenise(&sim, Some("Bearer  "), &form), 401, no_key);
    let wrong = tokenise(&sim, Some("Bearer nonsense-key"), &form);
    assert_eq!(wrong.status, 401);
    assert_eq!(
        wrong.json()["error"]["message"],
        "Invalid API Key provided: nons****-key"
    );

    // Stripe's other ways of giving the key.
    assert_eq!(
        tokenise(&sim, Some(&raw_basic("pk_test_sim", "")), &form).status,
        200
    );
    assert_eq!(
        tokenise(&sim, None, &format!("{form}&key=pk_test_sim")).status,
        200
    );

    let missing = |param: &str| {
        json!({"error": {
            "type": "invalid_request_error",
            "code": "parameter_missing",
            "message": format!("Missing required param: {param}."),
            "param": param,
        }})
    };
    expect(tokenise(&sim, Some(KEY), ""), 400, missing("card"));
    expect(
        tokenise(
            &sim,
            Some(KEY),
            &format!("card[exp_month]=12&card[exp_year]={year}"),
        ),
        400,
        missing("card[number]"),
    );
    expect(
        tokenise(
            &sim,
            Some(KEY),
            &format!(
                "card%5Bnumber%5D=4242424242424242&card%5Bexp_month%5D=&card%5Bexp_year%5D={year}"
            ),
        ),
        400,
        missing("card[exp_month]"),
    );
    // No CVC is fine, as at Stripe.
    let no_cvc = tokenise(
        &sim,
        Some(KEY),
        &format!("card[number]=4242424242424242&card[exp_month]=12&card[exp_year]={year}"),
    );
    assert_eq!(no_cvc.status, 200, "{}", no_cvc.text());
    assert_eq!(no_cvc.json()["card"]["cvc_check"], Value::Null);
}

#[test]
fn the_console_origin_may_call_it_cross_origin() {
    let mut config = Config::ephemeral();
    config.console_origins = vec!["http://localhost:8080".into()];
    let sim = start_with(config);
    let preflight = sim.send(
        "OPTIONS",
        TOKENS,
        &[
            ("origin", "http://localhost:8080"),
            ("access-control-request-method", "POST"),
            (
                "access-control-request-headers",
                "authorization, content-type",
            ),
        ],
        None,
    );
    assert_eq!(preflight.status, 200);
    assert_eq!(
        preflight.header("access-control-allow-origin").as_deref(),
        Some("http://localhost:8080")
    );
    assert!(preflight
        .header("access-control-allow-headers")
        .unwrap()
        .contains("authorization"));
    let year = (this_year() + 1).to_string();
    let reply = sim.send(
        "POST",
        TOKENS,
        &[
            ("origin", "http://localhost:8080"),
            ("authorization", KEY),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        Some(&card_form("4242424242424242", "12", &year, "123")),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("access-control-allow-origin").as_deref(),
        Some("http://localhost:8080")
    );
}

#[test]
fn the_stripe_js_stand_in_is_served() {
    let sim = start();
    for path in ["/__sim/stripe/v3/", "/__sim/stripe/v3"] {
        let reply = sim.get(path, &[]);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type").as_deref(),
            Some("text/javascript; charset=utf-8")
        );
        assert_eq!(reply.header("cache-control").as_deref(), Some("no-cache"));
        assert_eq!(
            reply.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        let js = reply.text();
        assert_eq!(js, gigalixir_sim::stripe::STRIPE_JS);
        for needed in [
            "window.Stripe = Stripe",
            "document.currentScript",
            "'/__sim/stripe/v1/tokens'",
            "'Bearer ' + key",
            "sim-stripe-card",
            "'Card number'",
            "'Expiry (MM / YY)'",
            "'cc-csc'",
            "Could not connect to Stripe. Please try again.",
        ] {
            assert!(js.contains(needed), "{needed} missing");
        }
        // What the console's CSP would refuse, and what would put user data into markup.
        for banned in [
            "eval(",
            "innerHTML",
            "setAttribute('style'",
            "createElement('style')",
            "new Function",
        ] {
            assert!(!js.contains(banned), "{banned} found");
        }
    }
    // Brotli like the console's own files.
    let br = sim.get("/__sim/stripe/v3/", &[("accept-encoding", "br")]);
    assert_eq!(br.header("content-encoding").as_deref(), Some("br"));
}

#[test]
fn a_served_console_gets_a_config_pointing_at_the_stand_in() {
    let dist = std::env::temp_dir().join(format!("gx-sim-stripe-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(
        dist.join("config.json"),
        r#"{"api_base":"https://api.gigalixir.com","stripe_js":"https://js.stripe.com/v3/"}"#,
    )
    .unwrap();
    let mut config = Config::ephemeral();
    config.serve_dir = Some(dist);
    let sim = start_with(config);
    let reply = sim.get("/config.json", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("cache-control").as_deref(), Some("no-cache"));
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        reply.json(),
        json!({"api_base": "", "stripe_js": "/__sim/stripe/v3/", "stripe_key": "pk_test_sim"})
    );
    let head = sim.send("HEAD", "/config.json", &[], None);
    assert_eq!(head.status, 200);
    assert_eq!(
        sim.send("POST", "/config.json", &[], Some("{}")).status,
        405
    );

    // Without a console to serve, there is no config either.
    let plain = start();
    assert_eq!(plain.get("/config.json", &[]).status, 404);
}
