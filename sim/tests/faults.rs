//! Fault injection over real HTTP, by control API and by flag.

mod common;

use std::io::{ErrorKind, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use gigalixir_sim::faults::FaultSpec;
use serde_json::json;

fn add(sim: &TestServer, fault: serde_json::Value) -> u64 {
    let reply = sim.post_json("/__sim/faults", &fault);
    assert_eq!(reply.status, 201, "{}", reply.text());
    reply.json()["id"].as_u64().unwrap()
}

#[test]
fn status_fault_with_retry_after_and_times() {
    let sim = start();
    add(
        &sim,
        json!({"path": "/api/users", "kind": "status", "status": 429, "retry_after": 30, "times": 2}),
    );
    for _ in 0..2 {
        let reply = sim.get("/api/users", &[]);
        assert_eq!(reply.status, 429);
        assert_eq!(reply.header("retry-after").as_deref(), Some("30"));
        assert!(reply.json()["errors"][""][0].is_string());
    }
    // Used up: the real answer comes back.
    assert_eq!(sim.get("/api/users", &[]).status, 401);
    assert_eq!(sim.get("/__sim/faults", &[]).json(), json!({"data": []}));
}

#[test]
fn status_500_and_401_faults() {
    let sim = start();
    add(
        &sim,
        json!({"path": "/api/login", "kind": "status", "status": 500, "times": 1}),
    );
    let reply = sim.login("demo@example.com", "demo-password", None);
    assert_eq!(reply.status, 500);
    assert!(reply.header("retry-after").is_none());
    assert!(reply.json()["errors"][""][0].is_string());
    add(
        &sim,
        json!({"path": "/api/*", "method": "GET", "kind": "status", "status": 401}),
    );
    assert_eq!(
        sim.login("demo@example.com", "demo-password", None).status,
        401
    );
    // Method filter: a POST is not affected (and gets the ordinary 405).
    assert_eq!(sim.send("POST", "/api/users", &[], None).status, 405);
}

#[test]
fn malformed_fault() {
    let sim = start();
    add(&sim, json!({"path": "/api/users", "kind": "malformed"}));
    let reply = sim.get("/api/users", &[]);
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/json")
    );
    assert!(serde_json::from_slice::<serde_json::Value>(&reply.body).is_err());
    assert!(!reply.body.is_empty());
}

#[test]
fn latency_fault_delays_then_answers() {
    let sim = start();
    add(
        &sim,
        json!({"path": "/api/login", "kind": "latency", "latency_ms": 400, "times": 1}),
    );
    let started = Instant::now();
    let reply = sim.login("demo@example.com", "demo-password", None);
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(reply.status, 200);
    let started = Instant::now();
    sim.login("demo@example.com", "demo-password", None);
    assert!(started.elapsed() < Duration::from_millis(400));
}

fn assert_dropped(port: u16, path: &str) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n\r\n"
    )
    .unwrap();
    let mut buf = Vec::new();
    match stream.read_to_end(&mut buf) {
        Ok(n) => assert_eq!(n, 0, "got bytes: {:?}", String::from_utf8_lossy(&buf)),
        // A reset is also "no response at all".
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset, "{e}"),
    }
    assert!(buf.is_empty());
}

#[test]
fn drop_fault_closes_without_any_bytes() {
    let sim = start();
    add(
        &sim,
        json!({"path": "/api/users", "kind": "drop", "times": 2}),
    );
    assert_dropped(sim.port, "/api/users");
    // Through a real client it is a transport error, not a response.
    let err = sim.agent.get(sim.url("/api/users")).call();
    assert!(err.is_err(), "{err:?}");
    // Used up; the server is still fine.
    assert_eq!(sim.get("/api/users", &[]).status, 401);
}

#[test]
fn drop_on_a_kept_alive_connection_closes_it_after_earlier_answers() {
    let sim = start();
    let mut stream = TcpStream::connect(("127.0.0.1", sim.port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET /__sim/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    let mut first = [0u8; 512];
    let n = stream.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    add(&sim, json!({"path": "/api/*", "kind": "drop"}));
    write!(stream, "GET /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut rest = Vec::new();
    match stream.read_to_end(&mut rest) {
        Ok(_) => assert!(rest.is_empty()),
        Err(e) => assert_eq!(e.kind(), ErrorKind::ConnectionReset),
    }
}

#[test]
fn faults_apply_only_to_the_api() {
    let sim = start();
    add(&sim, json!({"path": "/api/*", "kind": "drop"}));
    assert_eq!(sim.get("/__sim/health", &[]).status, 200);
    assert_eq!(
        sim.get("/__sim/faults", &[]).json()["data"][0]["kind"],
        "drop"
    );
    let bad = sim.post_json(
        "/__sim/faults",
        &json!({"path": "/__sim/health", "kind": "drop"}),
    );
    assert_eq!(bad.status, 400);
    assert!(bad.json()["errors"][""][0].is_string());
}

#[test]
fn list_and_clear_faults() {
    let sim = start();
    let a = add(
        &sim,
        json!({"path": "/api/users", "kind": "status", "status": 503}),
    );
    let b = add(
        &sim,
        json!({"path": "/api/*", "method": "get", "kind": "latency", "latency_ms": 5, "times": 3}),
    );
    assert!(b > a);
    let list = sim.get("/__sim/faults", &[]).json();
    assert_eq!(list["data"][0]["status"], 503);
    assert_eq!(list["data"][1]["method"], "GET");
    assert_eq!(list["data"][1]["remaining"], 3);
    assert_eq!(sim.get("/api/users", &[]).status, 503);
    let cleared = sim.send("DELETE", "/__sim/faults", &[], None);
    assert_eq!(cleared.status, 204);
    assert_eq!(sim.get("/api/users", &[]).status, 401);
    for bad in [
        json!({"path": "/api/users", "kind": "status"}),
        json!({"path": "/api/users", "kind": "latency"}),
        json!({"path": "/api/users", "kind": "boom"}),
        json!({"path": "/api/users", "kind": "drop", "times": 0}),
        json!({"path": "/api/users", "kind": "status", "status": 42}),
        json!({"path": "/api/users", "kind": "drop", "extra": 1}),
    ] {
        assert_eq!(sim.post_json("/__sim/faults", &bad).status, 400, "{bad}");
    }
}

#[test]
fn faults_from_flags() {
    let mut config = gigalixir_sim::Config::ephemeral();
    config.faults = vec![
        FaultSpec::parse_flag("/api/users=status:500").unwrap(),
        FaultSpec::parse_flag("GET /api/login=status:429:7").unwrap(),
    ];
    let sim = start_with(config);
    assert_eq!(sim.get("/api/users", &[]).status, 500);
    let limited = sim.login("demo@example.com", "demo-password", None);
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after").as_deref(), Some("7"));
}
