//! What an account pays and how it stops: the run rate (A22), one app (A26), scaling (A27),
//! domains (A28, A29), databases (A30, A31), and deletion refused while apps remain (A11).

mod common;

use common::*;
use serde_json::{json, Value};

const DEMO: &str = "demo@example.com";
const DEMO_PW: &str = "demo-password";
const APPS_REMAIN: &str = "You must first destroy all apps and databases. Scale each app to 0, remove its domains, delete its databases, then destroy it.";

fn call(sim: &TestServer, method: &str, path: &str, key: &str, body: Option<Value>) -> Reply {
    sim.signed_in(method, path, DEMO, key, body.as_ref())
}

fn run_rate(sim: &TestServer, key: &str) -> i64 {
    let reply = call(sim, "GET", "/api/usage/run_rate", key, None);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["data"]["amount_cents"].as_i64().unwrap()
}

#[test]
fn the_run_rate_follows_scale_and_databases_to_zero() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    // demo-app 0.5 × 1 and demo-worker 1.0 × 2 at $50 a size-period, a Standard 0.6 database
    // at $40 a size-period.
    assert_eq!(run_rate(&sim, &key), 12_500 + 2_400);

    let info = call(&sim, "GET", "/api/apps/demo-worker", &key, None);
    assert_eq!(info.status, 200);
    assert_eq!(info.json()["data"]["replicas"], 2);
    assert_eq!(info.json()["data"]["size"], 1.0);

    for app in ["demo-app", "demo-worker"] {
        let scaled = call(
            &sim,
            "PUT",
            &format!("/api/apps/{app}/scale"),
            &key,
            Some(json!({"replicas": 0})),
        );
        assert_eq!(scaled.status, 200, "{}", scaled.text());
        assert_eq!(scaled.json()["data"]["replicas"], 0);
        assert_eq!(scaled.json()["data"]["unique_name"], app);
    }
    assert_eq!(run_rate(&sim, &key), 2_400);

    let databases =
        call(&sim, "GET", "/api/apps/demo-app/databases", &key, None).json()["data"].clone();
    let databases = databases.as_array().unwrap();
    assert_eq!(databases.len(), 1);
    let db = &databases[0];
    assert_eq!(db["state"], "AVAILABLE");
    assert_eq!(db["tier"], "STANDARD");
    assert!(db["url"].as_str().unwrap().starts_with("postgresql://"));
    let id = db["id"].as_str().unwrap();
    let path = format!("/api/apps/demo-app/databases/{id}");
    assert_eq!(
        call(&sim, "DELETE", &path, &key, None).json(),
        json!({"data": {}})
    );
    assert_eq!(call(&sim, "DELETE", &path, &key, None).status, 404);
    assert_eq!(run_rate(&sim, &key), 0);
    assert_eq!(
        call(&sim, "GET", "/api/apps/demo-app/databases", &key, None).json(),
        json!({"data": []})
    );
}

#[test]
fn scaling_is_checked() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    for (body, field) in [
        (json!({"replicas": 17}), "replicas"),
        (json!({"replicas": -1}), "replicas"),
        (json!({"size": 0.1}), "size"),
        (json!({"size": 16.5}), "size"),
    ] {
        let reply = call(
            &sim,
            "PUT",
            "/api/apps/demo-app/scale",
            &key,
            Some(body.clone()),
        );
        assert_eq!(reply.status, 422, "{body}");
        assert!(reply.json()["errors"][field][0].is_string(), "{body}");
    }
    // The CLI sends only the flags given: a size alone keeps the replicas.
    let sized = call(
        &sim,
        "PUT",
        "/api/apps/demo-worker/scale",
        &key,
        Some(json!({"size": 0.5})),
    );
    assert_eq!(sized.json()["data"]["replicas"], 2);
    assert_eq!(sized.json()["data"]["size"], 0.5);
    assert_eq!(
        call(
            &sim,
            "PUT",
            "/api/apps/no-such-app/scale",
            &key,
            Some(json!({"replicas": 0}))
        )
        .status,
        404
    );
    // Another account's app looks the same as none.
    sim.create_account(
        json!({"email": "other@example.com", "password": "pw", "apps": ["other-app"]}),
    );
    assert_eq!(
        call(&sim, "GET", "/api/apps/other-app", &key, None).status,
        404
    );

    // A Free account runs one replica of 0.2, or none.
    let free = sim.create_account(
        json!({"email": "free@example.com", "password": "pw", "apps": ["free-app"]}),
    );
    let free_key = free["api_key"].as_str().unwrap();
    let scale = |body: Value| {
        sim.signed_in(
            "PUT",
            "/api/apps/free-app/scale",
            "free@example.com",
            free_key,
            Some(&body),
        )
    };
    let refused = scale(json!({"replicas": 2}));
    assert_eq!(refused.status, 422);
    assert!(refused.json()["errors"][""][0]
        .as_str()
        .unwrap()
        .contains("Free tier"));
    assert_eq!(scale(json!({"replicas": 0})).status, 200);
    let run_rate = sim.signed_in(
        "GET",
        "/api/usage/run_rate",
        "free@example.com",
        free_key,
        None,
    );
    assert_eq!(run_rate.json(), json!({"data": {"amount_cents": 0}}));
}

#[test]
fn domains_are_listed_and_removed() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let path = "/api/apps/demo-app/domains";
    assert_eq!(
        call(&sim, "GET", path, &key, None).json(),
        json!({"data": ["www.demo-app.example.com"]})
    );
    let body = json!({"fqdn": "www.demo-app.example.com"});
    assert_eq!(
        call(&sim, "DELETE", path, &key, Some(body.clone())).json(),
        json!({"data": {}})
    );
    assert_eq!(call(&sim, "DELETE", path, &key, Some(body)).status, 404);
    assert_eq!(
        call(&sim, "GET", path, &key, None).json(),
        json!({"data": []})
    );
    assert_eq!(
        call(&sim, "GET", "/api/apps/demo-worker/domains", &key, None).json(),
        json!({"data": []})
    );
}

#[test]
fn the_account_can_be_deleted_only_once_its_apps_are_gone() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let destroy = json!({"email": DEMO, "current_password": DEMO_PW});
    let refused = call(
        &sim,
        "DELETE",
        "/api/users/destroy",
        &key,
        Some(destroy.clone()),
    );
    assert_eq!(refused.status, 422);
    assert_eq!(refused.json(), json!({"errors": {"": [APPS_REMAIN]}}));
    assert_eq!(sim.users(DEMO, &key).status, 200, "nothing was deleted");
    for app in ["demo-app", "demo-worker"] {
        assert_eq!(
            call(&sim, "DELETE", &format!("/api/apps/{app}"), &key, None).status,
            200
        );
    }
    assert_eq!(
        call(&sim, "DELETE", "/api/users/destroy", &key, Some(destroy)).status,
        200
    );
    assert_eq!(sim.users(DEMO, &key).status, 401);
}

#[test]
fn every_new_endpoint_needs_a_live_key() {
    let sim = start();
    for (method, path) in [
        ("GET", "/api/usage/run_rate"),
        ("GET", "/api/apps/demo-app"),
        ("PUT", "/api/apps/demo-app/scale"),
        ("GET", "/api/apps/demo-app/domains"),
        ("DELETE", "/api/apps/demo-app/domains"),
        ("GET", "/api/apps/demo-app/databases"),
        ("DELETE", "/api/apps/demo-app/databases/x"),
    ] {
        let reply = sim.signed_in(method, path, DEMO, "not-a-key", Some(&json!({})));
        assert_eq!(reply.status, 401, "{method} {path}");
        assert_eq!(reply.json(), no_access_body(), "{method} {path}");
    }
}

#[test]
fn addons_for_test_accounts() {
    let sim = start();
    let created = sim.create_account(json!({
        "email": "full@example.com", "password": "pw", "tier": "STANDARD",
        "apps": ["full-app"], "addons": true,
    }));
    let key = created["api_key"].as_str().unwrap();
    let get = |path: &str| {
        sim.signed_in("GET", path, "full@example.com", key, None)
            .json()["data"]
            .clone()
    };
    assert_eq!(
        get("/api/apps/full-app/domains"),
        json!(["www.full-app.example.com"])
    );
    assert_eq!(get("/api/apps/full-app/databases")[0]["tier"], "STANDARD");
    assert_eq!(
        get("/api/usage/run_rate"),
        json!({"amount_cents": 2_500 + 2_400})
    );
}
