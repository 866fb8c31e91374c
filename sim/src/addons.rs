//! What an app carries besides its replicas, and what keeps costing until it is gone: custom
//! domains (A28 list, A29 remove) and databases (A30 list, A31 delete). Both go with their
//! app when it is destroyed.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::{params, Connection};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::apps::owned_app;
use crate::auth;
use crate::error::ApiError;
use crate::request::{empty_ok, ok, text, SignedIn};
use crate::state::AppState;

/// A29 404: the app has no such domain.
pub const NO_DOMAIN: &str = "Sorry, that domain is not one of this app's.";
/// A31 404: the app has no such database.
pub const NO_DATABASE: &str = "Sorry, that database does not exist or is not this app's.";
/// Size of a Free database, and the smallest Standard one [ours].
pub const DATABASE_SIZE: f64 = 0.6;

/// Adds `fqdn` to the app (seeds and `POST /__sim/accounts`).
pub fn add_domain(conn: &Connection, app_id: i64, fqdn: &str) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO domains (app_id, fqdn) VALUES (?1, ?2)",
        params![app_id, fqdn],
    )?;
    Ok(())
}

/// Adds a database of `tier` to the app (seeds and `POST /__sim/accounts`); returns its id.
pub fn add_database(
    conn: &Connection,
    app_id: i64,
    tier: &str,
    now: i64,
) -> rusqlite::Result<String> {
    let id = auth::new_uuid();
    conn.execute(
        "INSERT INTO databases (id, app_id, tier, size, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, app_id, tier, DATABASE_SIZE, now],
    )?;
    Ok(id)
}

/// Gives the account's app `name` a domain `www.<name>.example.com` and, unless it has one
/// already, a database of `tier` (the demo's seed and `POST /__sim/accounts`).
pub fn add_both(
    conn: &Connection,
    user_id: i64,
    name: &str,
    tier: &str,
    now: i64,
) -> rusqlite::Result<()> {
    let app: i64 = conn.query_row(
        "SELECT id FROM apps WHERE user_id = ?1 AND unique_name = ?2",
        params![user_id, name],
        |r| r.get(0),
    )?;
    add_domain(conn, app, &format!("www.{name}.example.com"))?;
    let databases: i64 = conn.query_row(
        "SELECT COUNT(*) FROM databases WHERE app_id = ?1",
        [app],
        |r| r.get(0),
    )?;
    if databases == 0 {
        add_database(conn, app, tier, now)?;
    }
    Ok(())
}

/// A28 `GET /api/apps/{name}/domains`: the app's domain names, sorted.
pub async fn domains(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let app = owned_app(&conn, &request.user(&conn)?, &name)?;
    let names = conn
        .prepare("SELECT fqdn FROM domains WHERE app_id = ?1 ORDER BY fqdn")?
        .query_map([app], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?;
    Ok(ok(json!(names)))
}

/// A29 body.
#[derive(Deserialize)]
pub struct RemoveDomain {
    #[serde(default, deserialize_with = "text")]
    fqdn: String,
}

/// A29 `DELETE /api/apps/{name}/domains {"fqdn"}`: 200 `{"data":{}}`; 404 when the app has
/// no such domain.
pub async fn remove_domain(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: SignedIn<RemoveDomain>,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let app = owned_app(&conn, &request.user(&conn)?, &name)?;
    let removed = conn.execute(
        "DELETE FROM domains WHERE app_id = ?1 AND fqdn = ?2",
        params![app, request.body.fqdn.trim()],
    )?;
    if removed == 0 {
        return Err(ApiError::new(StatusCode::NOT_FOUND, NO_DOMAIN));
    }
    Ok(empty_ok())
}

/// A database as A30 lists it: what `gigalixir pg` prints and `pg:psql` reads (`id`,
/// `state`, `url`). The password is made from the id, so it is the same on every answer.
fn database_json(app: &str, r: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
    let id: String = r.get(0)?;
    let password = &auth::token_hash(&id)[..24];
    let (host, database) = ("postgres.gigalixir-sim.invalid", id.replace('-', "_"));
    let username = format!("u_{}", &database[..8]);
    Ok(json!({
        "id": id,
        "app_name": app,
        "tier": r.get::<_, String>(1)?,
        "size": r.get::<_, f64>(2)?,
        "state": "AVAILABLE",
        "host": host,
        "port": 5432,
        "database": database,
        "username": username,
        "password": password,
        "url": format!("postgresql://{username}:{password}@{host}:5432/{database}"),
    }))
}

/// A30 `GET /api/apps/{name}/databases`: the app's databases, oldest first.
pub async fn databases(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let app = owned_app(&conn, &request.user(&conn)?, &name)?;
    let list = conn
        .prepare("SELECT id, tier, size FROM databases WHERE app_id = ?1 ORDER BY created_at, id")?
        .query_map([app], |r| database_json(&name, r))?
        .collect::<rusqlite::Result<Vec<Value>>>()?;
    Ok(ok(json!(list)))
}

/// A31 `DELETE /api/apps/{name}/databases/{id}`: 200 `{"data":{}}`; 404 when the app has no
/// such database. Deleting is immediate here: no backups are kept [ours].
pub async fn destroy_database(
    State(state): State<AppState>,
    Path((name, id)): Path<(String, String)>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let app = owned_app(&conn, &request.user(&conn)?, &name)?;
    let deleted = conn.execute(
        "DELETE FROM databases WHERE app_id = ?1 AND id = ?2",
        params![app, id],
    )?;
    if deleted == 0 {
        return Err(ApiError::new(StatusCode::NOT_FOUND, NO_DATABASE));
    }
    Ok(empty_ok())
}
