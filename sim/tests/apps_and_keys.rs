//! Apps (A23, A24) and SSH keys (`/api/ssh_keys`) over real HTTP.

mod common;

use common::*;
use gigalixir_sim::ssh_keys::DEMO_KEY;
use serde_json::{json, Value};

const DEMO: &str = "demo@example.com";
const DEMO_PW: &str = "demo-password";
// Made with ssh-keygen.
const LAPTOP_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINitJF5zecPIDJZDKGAyA6lZ52HCp/Uu1z4VXNnmyeQS me@laptop";
const LAPTOP_FINGERPRINT: &str = "SHA256:PhIwNh++rrtf98IliOpctT1oDDMiLGPkAokHKZlVm4I";

fn apps(sim: &TestServer, email: &str, key: &str) -> Value {
    let reply = sim.signed_in("GET", "/api/apps", email, key, None);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()
}

fn destroy_app(sim: &TestServer, email: &str, key: &str, name: &str) -> Reply {
    sim.signed_in("DELETE", &format!("/api/apps/{name}"), email, key, None)
}

#[test]
fn demo_has_two_apps() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    assert_eq!(
        apps(&sim, DEMO, &key),
        json!({"data": [
            {"unique_name": "demo-app", "size": 0.5, "replicas": 1,
             "region": "v2018-us-central1", "stack": "gigalixir-20", "cloud": "gcp"},
            {"unique_name": "demo-worker", "size": 1.0, "replicas": 2,
             "region": "v2018-us-central1", "stack": "gigalixir-20", "cloud": "gcp"}
        ]})
    );
    let other = sim.key_for("nocard@example.com", "nocard-password");
    assert_eq!(
        apps(&sim, "nocard@example.com", &other),
        json!({"data": []})
    );
}

#[test]
fn destroying_an_app_removes_it_once() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let reply = destroy_app(&sim, DEMO, &key, "demo-worker");
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"data": "deleted"}));
    let names: Vec<Value> = apps(&sim, DEMO, &key)["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|app| app["unique_name"].clone())
        .collect();
    assert_eq!(names, vec![json!("demo-app")]);
    let again = destroy_app(&sim, DEMO, &key, "demo-worker");
    assert_eq!(again.status, 404);
    assert_eq!(
        again.json(),
        json!({"errors": {"": ["Sorry, that app does not exist or you do not have access to it."]}})
    );
    // Usage this period still lists it: it ran, so it is billed.
    let usage = sim.signed_in("GET", "/api/usage", DEMO, &key, None).json();
    assert_eq!(usage["data"][1]["app"], "demo-worker");
}

#[test]
fn another_accounts_app_looks_like_no_app() {
    let sim = start();
    sim.create_account(
        json!({"email": "owner@example.com", "password": "owner-password", "apps": ["owned-app"]}),
    );
    let key = sim.key_for(DEMO, DEMO_PW);
    for name in ["owned-app", "no-such-app", "na%C3%AFve"] {
        let reply = destroy_app(&sim, DEMO, &key, name);
        assert_eq!(reply.status, 404, "{name}");
        assert!(reply.json()["errors"][""][0].is_string());
    }
    let owner = sim.key_for("owner@example.com", "owner-password");
    assert_eq!(
        apps(&sim, "owner@example.com", &owner)["data"][0]["unique_name"],
        "owned-app"
    );
    // The control API refuses a name that is taken or malformed.
    for (apps, status) in [(json!(["owned-app"]), 409), (json!(["Bad_Name"]), 400)] {
        let reply = sim.post_json(
            "/__sim/accounts",
            &json!({"email": "late@example.com", "password": "late-password", "apps": apps}),
        );
        assert_eq!(reply.status, status, "{}", reply.text());
        assert!(reply.json()["errors"]["apps"][0].is_string());
    }
    assert_eq!(
        sim.login("late@example.com", "late-password", None).status,
        401
    );
}

fn keys(sim: &TestServer, key: &str) -> Vec<Value> {
    let reply = sim.signed_in("GET", "/api/ssh_keys", DEMO, key, None);
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["data"].as_array().unwrap().clone()
}

fn add_key(sim: &TestServer, key: &str, ssh_key: &str) -> Reply {
    sim.signed_in(
        "POST",
        "/api/ssh_keys",
        DEMO,
        key,
        Some(&json!({ "ssh_key": ssh_key })),
    )
}

fn remove_key(sim: &TestServer, email: &str, key: &str, id: Value) -> Reply {
    sim.signed_in(
        "DELETE",
        "/api/ssh_keys",
        email,
        key,
        Some(&json!({ "id": id })),
    )
}

#[test]
fn ssh_keys_list_add_and_remove() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let seeded = keys(&sim, &key);
    assert_eq!(seeded.len(), 1);
    assert_eq!(seeded[0]["key"], DEMO_KEY);
    assert_eq!(
        seeded[0]["fingerprint"],
        "SHA256:op7wzV14vtd8OjiTyfHNYu9ZYdE+cn+tYEpApSyRKGw"
    );
    assert!(seeded[0]["id"].is_i64());

    let reply = add_key(&sim, &key, &format!("  {LAPTOP_KEY}\n"));
    assert_eq!(reply.status, 201, "{}", reply.text());
    let added = reply.json()["data"].clone();
    assert_eq!(added["key"], LAPTOP_KEY);
    assert_eq!(added["fingerprint"], LAPTOP_FINGERPRINT);
    let id = added["id"].as_i64().unwrap();
    assert_eq!(keys(&sim, &key).len(), 2);

    // The same key under another comment is still the same key.
    let body = LAPTOP_KEY.rsplit_once(' ').unwrap().0;
    let duplicate = add_key(&sim, &key, &format!("{body} other-comment"));
    assert_eq!(duplicate.status, 422);
    assert_eq!(
        duplicate.json(),
        field_error("ssh_key", "has already been added")
    );

    // The CLI sends the id as a string.
    let reply = remove_key(&sim, DEMO, &key, json!(id.to_string()));
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json(), json!({"data": {}}));
    assert_eq!(keys(&sim, &key), seeded);
    let again = remove_key(&sim, DEMO, &key, json!(id));
    assert_eq!(again.status, 404);
    assert!(again.json()["errors"][""][0].is_string());
}

#[test]
fn bad_ssh_keys_are_422_on_ssh_key() {
    let sim = start();
    let key = sim.key_for(DEMO, DEMO_PW);
    let body = LAPTOP_KEY.split(' ').nth(1).unwrap();
    for (text, message) in [
        ("", "can't be blank"),
        (
            "~/.ssh/id_ed25519.pub",
            "is not a supported public key: it must start with ssh-ed25519, ecdsa-sha2-nistp256/384/521 or ssh-rsa",
        ),
        (
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "looks like a private key: paste the public key (the .pub file) instead",
        ),
        ("ssh-ed25519 AAAA", "is not a valid SSH public key"),
        (&format!("ssh-rsa {body}"), "is not a valid SSH public key"),
    ] {
        let reply = add_key(&sim, &key, text);
        assert_eq!(reply.status, 422, "{text}: {}", reply.text());
        assert_eq!(reply.json(), field_error("ssh_key", message), "{text}");
    }
    assert_eq!(keys(&sim, &key).len(), 1);
}

#[test]
fn another_accounts_ssh_key_cannot_be_removed() {
    let sim = start();
    let demo_key = sim.key_for(DEMO, DEMO_PW);
    let demo_id = keys(&sim, &demo_key)[0]["id"].clone();
    let other = sim.key_for("nocard@example.com", "nocard-password");
    let reply = remove_key(&sim, "nocard@example.com", &other, demo_id);
    assert_eq!(reply.status, 404);
    for id in [json!("abc"), json!(null), json!(1.5)] {
        let reply = remove_key(&sim, "nocard@example.com", &other, id.clone());
        assert_eq!(reply.status, 422, "{id}");
        assert_eq!(reply.json(), field_error("id", "is invalid"));
    }
    assert_eq!(keys(&sim, &demo_key).len(), 1);
    // Another account may hold the same key.
    let reply = sim.signed_in(
        "POST",
        "/api/ssh_keys",
        "nocard@example.com",
        &other,
        Some(&json!({ "ssh_key": DEMO_KEY })),
    );
    assert_eq!(reply.status, 201, "{}", reply.text());
}
