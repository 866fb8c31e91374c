//! Apps as the account pages see them: the list (A23), one app (A26), scaling it (A27) and
//! destroying it (A24). Its domains and databases are in [`crate::addons`].

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use rusqlite::{params, Connection, OptionalExtension};
use serde_json::{json, Value};

use serde::Deserialize;

use crate::db::User;
use crate::error::ApiError;
use crate::request::{ok, SignedIn};
use crate::state::AppState;

/// A24 404 message: no such app, or not this account's (the two look the same).
pub const NO_APP: &str = "Sorry, that app does not exist or you do not have access to it.";

/// Fewest and most replicas A27 takes, and the size range (GB) [ours, from the console's scale
/// dialog: 0.2 to 16].
pub const REPLICAS: std::ops::RangeInclusive<i64> = 0..=16;
/// See [`REPLICAS`].
pub const SIZES: std::ops::RangeInclusive<f64> = 0.2..=16.0;
/// A27 422 on a Free account asking for more than one replica of the smallest size.
pub const FREE_SCALE: &str =
    "The Free tier runs one replica of size 0.2 or none. Upgrade to Standard to scale further.";

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

/// The columns [`app_json`] reads, in its order.
const APP_COLUMNS: &str = "unique_name, size, replicas, region, stack, cloud";

/// An app as A23, A26 and A27 answer it.
fn app_json(r: &rusqlite::Row<'_>) -> rusqlite::Result<Value> {
    Ok(json!({
        "unique_name": r.get::<_, String>(0)?,
        "size": r.get::<_, f64>(1)?,
        "replicas": r.get::<_, i64>(2)?,
        "region": r.get::<_, String>(3)?,
        "stack": r.get::<_, String>(4)?,
        "cloud": r.get::<_, String>(5)?,
    }))
}

/// The app of row `id`, as A26 and A27 answer it.
fn app_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Value> {
    conn.query_row(
        &format!("SELECT {APP_COLUMNS} FROM apps WHERE id = ?1"),
        [id],
        app_json,
    )
}

/// The row id of the account's app `name`, or the 404 (another account's app looks the same
/// as none).
pub fn owned_app(conn: &Connection, user: &User, name: &str) -> Result<i64, ApiError> {
    conn.query_row(
        "SELECT id FROM apps WHERE user_id = ?1 AND unique_name = ?2",
        params![user.id, name],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, NO_APP))
}

/// A23 `GET /api/apps`: the account's apps by name, each
/// `{"unique_name","size","replicas","region","stack","cloud"}`.
pub async fn list(State(state): State<AppState>, request: SignedIn) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT {APP_COLUMNS} FROM apps WHERE user_id = ?1 ORDER BY unique_name"
    ))?;
    let apps = stmt
        .query_map([user.id], app_json)
        .and_then(Iterator::collect::<rusqlite::Result<Vec<Value>>>)?;
    Ok(Json(json!({ "data": apps })).into_response())
}

/// A26 `GET /api/apps/{name}`: the app as A23 lists it; 404 when the account has no such app.
pub async fn info(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: SignedIn,
) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let id = owned_app(&conn, &user, &name)?;
    Ok(ok(app_by_id(&conn, id)?))
}

/// A27 body: either or both, as the CLI sends only the flags given.
#[derive(Deserialize)]
pub struct Scale {
    #[serde(default)]
    replicas: Option<i64>,
    #[serde(default)]
    size: Option<f64>,
}

/// A27 `PUT /api/apps/{name}/scale {"replicas"?,"size"?}`: 200 with the app as it now runs.
/// Replicas 0 to 16, size 0.2 to 16; a Free account runs at most one replica of 0.2 [ours].
/// Usage already billed this period stays billed; the run rate (A22) follows at once.
pub async fn scale(
    State(state): State<AppState>,
    Path(name): Path<String>,
    request: SignedIn<Scale>,
) -> Result<Response, ApiError> {
    let body = &request.body;
    if body.replicas.is_some_and(|r| !REPLICAS.contains(&r)) {
        return Err(ApiError::unprocessable(
            "replicas",
            "must be between 0 and 16",
        ));
    }
    if body.size.is_some_and(|s| !SIZES.contains(&s)) {
        return Err(ApiError::unprocessable(
            "size",
            "must be between 0.2 and 16",
        ));
    }
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let id = owned_app(&conn, &user, &name)?;
    let (size, replicas): (f64, i64) =
        conn.query_row("SELECT size, replicas FROM apps WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (size, replicas) = (body.size.unwrap_or(size), body.replicas.unwrap_or(replicas));
    if user.tier == "FREE" && (replicas > 1 || (replicas > 0 && size > *SIZES.start())) {
        return Err(ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, FREE_SCALE));
    }
    conn.execute(
        "UPDATE apps SET size = ?2, replicas = ?3 WHERE id = ?1",
        params![id, size, replicas],
    )?;
    Ok(ok(app_by_id(&conn, id)?))
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
