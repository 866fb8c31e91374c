//! Apps as the account pages see them: the list (A23) and destroying one (A24).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::{params, Connection};
use serde_json::{json, Value};

use crate::error::ApiError;
use crate::request::SignedIn;
use crate::state::AppState;

/// A24 404 message: no such app, or not this account's (the two look the same).
pub const NO_APP: &str = "Sorry, that app does not exist or you do not have access to it.";

/// An app to create, as seeds and `POST /__sim/accounts` give them.
#[derive(Debug, Clone)]
pub struct NewApp {
    /// Globally unique name.
    pub unique_name: String,
    /// Replica size in GB of memory.
    pub size: f64,
    /// Number of replicas.
    pub replicas: i64,
}

impl NewApp {
    /// An app with the smallest paid size and one replica.
    pub fn named(name: &str) -> Self {
        Self {
            unique_name: name.to_string(),
            size: 0.5,
            replicas: 1,
        }
    }
}

/// Region, stack and cloud every simulated app gets.
pub const REGION: &str = "v2018-us-central1";
/// See [`REGION`].
pub const STACK: &str = "gigalixir-20";
/// See [`REGION`].
pub const CLOUD: &str = "gcp";

/// The demo account's apps.
pub fn demo_apps() -> [NewApp; 2] {
    [
        NewApp::named("demo-app"),
        NewApp {
            unique_name: "demo-worker".into(),
            size: 1.0,
            replicas: 2,
        },
    ]
}

/// Whether `name` can be an app name: 3 to 63 lower-case letters, digits and inner hyphens,
/// starting with a letter (it becomes a host name).
pub fn is_valid_app_name(name: &str) -> bool {
    (3..=63).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Whether an app of this name exists (on any account).
pub fn app_exists(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT COUNT(*) FROM apps WHERE unique_name = ?1",
        [name],
        |r| r.get(0),
    )
}

/// Creates `app` for the account unless an app of that name exists; true when it did.
pub fn create_app(
    conn: &Connection,
    user_id: i64,
    app: &NewApp,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "INSERT OR IGNORE INTO apps
             (user_id, unique_name, size, replicas, region, stack, cloud, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            user_id,
            app.unique_name,
            app.size,
            app.replicas,
            REGION,
            STACK,
            CLOUD,
            now
        ],
    )?;
    Ok(changed == 1)
}

/// A23 `GET /api/apps`: the account's apps by name, each
/// `{"unique_name","size","replicas","region","stack","cloud"}`.
pub async fn list(State(state): State<AppState>, request: SignedIn) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let mut stmt = conn.prepare(
        "SELECT unique_name, size, replicas, region, stack, cloud FROM apps
             WHERE user_id = ?1 ORDER BY unique_name",
    )?;
    let apps = stmt
        .query_map([user.id], |r| {
            Ok(json!({
                "unique_name": r.get::<_, String>(0)?,
                "size": r.get::<_, f64>(1)?,
                "replicas": r.get::<_, i64>(2)?,
                "region": r.get::<_, String>(3)?,
                "stack": r.get::<_, String>(4)?,
                "cloud": r.get::<_, String>(5)?,
            }))
        })
        .and_then(Iterator::collect::<rusqlite::Result<Vec<Value>>>)?;
    Ok(Json(json!({ "data": apps })).into_response())
}

/// A24 `DELETE /api/apps/{name}`: 200 `{"data":"deleted"}`; 404 when the account has no
/// such app. Its usage this period stays billed.
pub async fn destroy(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let deleted = conn.execute(
        "DELETE FROM apps WHERE user_id = ?1 AND unique_name = ?2",
        params![user.id, name],
    )?;
    if deleted == 0 {
        return Err(ApiError::new(StatusCode::NOT_FOUND, NO_APP));
    }
    Ok(Json(json!({ "data": "deleted" })).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_names() {
        for good in ["demo-app", "abc", "a1-b2"] {
            assert!(is_valid_app_name(good), "{good}");
        }
        for bad in ["ab", "Demo", "1app", "app-", "a_b", "a b", &"a".repeat(64)] {
            assert!(!is_valid_app_name(bad), "{bad}");
        }
    }
}
