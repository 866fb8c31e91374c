//! SQLite storage: users, API keys, recovery codes, pending MFA activations, failed logins,
//! emailed tokens, email request counts, sign-up sessions, Google sign-in sessions and the
//! email outbox. The account-settings tables (email changes, cards, card tokens, invoices,
//! usage, apps, SSH keys) are created here too; the queries on them live in the modules that
//! use them.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};

use crate::auth;

const SCHEMA: &str = "
PRAGMA foreign_keys = ON;
CREATE TABLE IF NOT EXISTS users (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash  TEXT NOT NULL,
    tier           TEXT NOT NULL CHECK (tier IN ('FREE', 'STANDARD')),
    credit_cents   INTEGER NOT NULL DEFAULT 0,
    mfa_enabled    INTEGER NOT NULL DEFAULT 0,
    totp_secret    TEXT,
    -- Last TOTP step accepted at login; a step at or before it is refused (replay).
    totp_last_step INTEGER,
    confirmed      INTEGER NOT NULL DEFAULT 1,
    created_at     INTEGER NOT NULL
);
-- API keys by SHA-256. A key is HMAC(key secret, nonce) (see `auth::derive_api_key`); the
-- secret is kept outside this file, so the file alone holds no working key. Keys stored in
-- plain text by older simulators are kept as hashes with no nonce: they keep working, and
-- the next login answers a new one.
CREATE TABLE IF NOT EXISTS api_key_hashes (
    hash       TEXT PRIMARY KEY,
    nonce      TEXT,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
-- Recovery codes by SHA-256 of their normalized form; the codes are shown once.
CREATE TABLE IF NOT EXISTS recovery_code_hashes (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash       TEXT NOT NULL,
    used_at    INTEGER
);
-- Failed password attempts; `email` holds a bucket, `email:<address>` or `ip:<address>`.
CREATE TABLE IF NOT EXISTS login_failures (
    email TEXT NOT NULL COLLATE NOCASE,
    at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_email ON login_failures(email, at);
-- Tokens sent in email links. Only a SHA-256 of each token is kept, so a copy of the
-- database does not hand out working reset links.
CREATE TABLE IF NOT EXISTS email_tokens (
    token_hash TEXT PRIMARY KEY,
    purpose    TEXT NOT NULL CHECK (purpose IN ('reset', 'confirm')),
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);
-- Accepted requests of email-sending endpoints, for their rate limits. `bucket` is
-- 'email:<lower-case address>' or 'ip:<client address>'.
CREATE TABLE IF NOT EXISTS email_requests (
    bucket TEXT NOT NULL,
    at     INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS email_requests_bucket ON email_requests(bucket, at);
-- Sign-up sessions (A4), one row per uuid. The emailed code is kept only as a SHA-256 and the
-- password as the same hash accounts use, so the table holds nothing a reader could replay.
-- `oauth` marks a sign-up started with Google: Google gives the address, so there is no code
-- or password step (the password hash is of a random value nobody knows).
CREATE TABLE IF NOT EXISTS signups (
    uuid            TEXT PRIMARY KEY,
    email           TEXT NOT NULL,
    code_hash       TEXT NOT NULL,
    code_expires_at INTEGER NOT NULL,
    wrong_codes     INTEGER NOT NULL DEFAULT 0,
    code_ok         INTEGER NOT NULL DEFAULT 0,
    password_hash   TEXT,
    promo_code      TEXT,
    has_card        INTEGER NOT NULL DEFAULT 0,
    vpn             INTEGER NOT NULL DEFAULT 0,
    spent           INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    oauth           INTEGER NOT NULL DEFAULT 0
);
-- Google sign-in sessions (A2/A3, and Google sign-up). Only a SHA-256 of the session id is
-- kept: once consent is given, the id alone fetches the account's API key.
CREATE TABLE IF NOT EXISTS oauth_sessions (
    session_hash TEXT PRIMARY KEY,
    purpose      TEXT NOT NULL CHECK (purpose IN ('login', 'signup')),
    signup_uuid  TEXT,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'done', 'cancelled', 'taken')),
    email        TEXT,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    -- When a sign-in's key was handed out: the poll answers it once.
    collected_at INTEGER
);
-- MFA activations begun (A13) and not yet confirmed (A14), one per user: the secret the user
-- is scanning, and the wrong codes tried against it (a new start replaces the row).
CREATE TABLE IF NOT EXISTS mfa_pending (
    user_id      INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret       TEXT NOT NULL,
    wrong_codes  INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    created_at   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS emails (
    id       INTEGER PRIMARY KEY,
    to_addr  TEXT NOT NULL,
    subject  TEXT NOT NULL,
    body     TEXT NOT NULL,
    sent_at  INTEGER NOT NULL
);
-- Email changes (A10). Each has two emailed tokens, kept as SHA-256 like email_tokens: one
-- for the new address to confirm, one for the current address to revoke. Their own table
-- because they carry the new address and two tokens, not one.
CREATE TABLE IF NOT EXISTS email_changes (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    next_email   TEXT NOT NULL,
    confirm_hash TEXT NOT NULL UNIQUE,
    revoke_hash  TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending'
                 CHECK (state IN ('pending', 'confirmed', 'revoked', 'superseded', 'failed')),
    finished_at  INTEGER
);
-- The card on file (A17), at most one per account.
CREATE TABLE IF NOT EXISTS payment_methods (
    user_id   INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    brand     TEXT NOT NULL,
    last4     INTEGER NOT NULL,
    exp_month INTEGER NOT NULL,
    exp_year  INTEGER NOT NULL
);
-- The card given at a sign-up's card step (A4), put on file when the account is made.
CREATE TABLE IF NOT EXISTS signup_cards (
    uuid      TEXT PRIMARY KEY REFERENCES signups(uuid) ON DELETE CASCADE,
    brand     TEXT NOT NULL,
    last4     INTEGER NOT NULL,
    exp_month INTEGER NOT NULL,
    exp_year  INTEGER NOT NULL
);
-- Card tokens handed out by the Stripe stand-in, with the card each stands for.
CREATE TABLE IF NOT EXISTS stripe_tokens (
    id        TEXT PRIMARY KEY,
    brand     TEXT NOT NULL,
    last4     INTEGER NOT NULL,
    exp_month INTEGER NOT NULL,
    exp_year  INTEGER NOT NULL,
    used_at   INTEGER
);
CREATE TABLE IF NOT EXISTS invoices (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    period_start INTEGER NOT NULL,
    period_end   INTEGER NOT NULL,
    amount_cents INTEGER NOT NULL,
    paid         INTEGER NOT NULL,
    -- Random id in the PDF's URL; NULL when the invoice has no PDF.
    pdf_id       TEXT UNIQUE
);
-- Usage of the current billing period per app. Kept apart from apps because a destroyed
-- app's usage still gets billed.
CREATE TABLE IF NOT EXISTS app_usage (
    user_id      INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    app          TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    PRIMARY KEY (user_id, app)
);
-- App names are global, as on Gigalixir (they are host names).
CREATE TABLE IF NOT EXISTS apps (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unique_name TEXT NOT NULL UNIQUE,
    size        REAL NOT NULL,
    replicas    INTEGER NOT NULL,
    region      TEXT NOT NULL,
    stack       TEXT NOT NULL,
    cloud       TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);
-- An app's custom domains (A28, A29); they go with the app.
CREATE TABLE IF NOT EXISTS domains (
    app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    fqdn   TEXT NOT NULL COLLATE NOCASE,
    PRIMARY KEY (app_id, fqdn)
);
-- An app's databases (A30, A31); they go with the app.
CREATE TABLE IF NOT EXISTS databases (
    id         TEXT PRIMARY KEY,
    app_id     INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    tier       TEXT NOT NULL CHECK (tier IN ('FREE', 'STANDARD')),
    size       REAL NOT NULL,
    created_at INTEGER NOT NULL
);
-- `blob_hash` is the SHA-256 of the decoded key, so the same key with another comment is
-- still a duplicate.
CREATE TABLE IF NOT EXISTS ssh_keys (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key        TEXT NOT NULL,
    blob_hash  TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (user_id, blob_hash)
);
";

/// Account tiers the API knows.
pub const TIERS: [&str; 2] = ["FREE", "STANDARD"];

/// The database handle shared by all requests.
///
/// One connection behind a mutex: every operation is a few microseconds, and holding the
/// lock across a whole login check makes "verify then mark used" atomic for free.
#[derive(Debug)]
pub struct Db {
    conn: Mutex<Connection>,
    upgraded: bool,
}

/// A user row.
#[derive(Debug, Clone)]
pub struct User {
    /// Row id.
    pub id: i64,
    /// Email as first registered (matching ignores case).
    pub email: String,
    /// Hash made by [`auth::hash_password`].
    pub password_hash: String,
    /// `FREE` or `STANDARD`.
    pub tier: String,
    /// Account credit in cents.
    pub credit_cents: i64,
    /// Whether login needs a second factor.
    pub mfa_enabled: bool,
    /// Base32 TOTP secret when MFA is set up.
    pub totp_secret: Option<String>,
    /// Last accepted TOTP step.
    pub totp_last_step: Option<i64>,
    /// Whether the email address has been confirmed.
    pub confirmed: bool,
}

/// Input for [`create_account`].
#[derive(Debug, Clone)]
pub struct NewAccount {
    /// Email address.
    pub email: String,
    /// Plain-text password (hashed before storing).
    pub password: String,
    /// `FREE` or `STANDARD`.
    pub tier: String,
    /// Credit in cents.
    pub credit_cents: i64,
    /// Turn MFA on; uses `totp_secret` or makes a new one.
    pub mfa: bool,
    /// Fixed TOTP secret (the seed account's is well known).
    pub totp_secret: Option<String>,
    /// Whether the email address counts as confirmed.
    pub confirmed: bool,
}

/// What [`create_account`] made, including the secrets a test needs.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CreatedAccount {
    /// Email address.
    pub email: String,
    /// Plain-text password, echoed back.
    pub password: String,
    /// The account's API key.
    pub api_key: String,
    /// Tier.
    pub tier: String,
    /// Credit in cents.
    pub credit_cents: i64,
    /// Base32 TOTP secret when MFA is on.
    pub totp_secret: Option<String>,
    /// Ten recovery codes when MFA is on, else empty.
    pub recovery_codes: Vec<String>,
    /// Whether the email address counts as confirmed.
    pub confirmed: bool,
}

/// Why an account could not be created.
#[derive(Debug)]
pub enum CreateError {
    /// The email is taken (case-insensitively).
    Exists,
    /// Any database failure.
    Db(rusqlite::Error),
}

impl From<rusqlite::Error> for CreateError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Db(e)
    }
}

impl Db {
    /// Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`.
    pub fn open(path: &str) -> Result<Self, String> {
        let conn = if path == ":memory:" {
            Connection::open_in_memory()
        } else {
            if let Some(parent) = Path::new(path).parent() {
                if !parent.as_os_str().is_empty() {
                    std::fs::create_dir_all(parent)
                        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
                }
            }
            Connection::open(path)
        }
        .map_err(|e| format!("cannot open database {path}: {e}"))?;
        // A database with users but no apps table predates the account-settings tables, so
        // seeding may add the demo's apps, card and invoices to it.
        let table_exists = |name: &str| {
            conn.query_row(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [name],
                |r| r.get::<_, bool>(0),
            )
        };
        let before_account_tables = (|| Ok(table_exists("users")? && !table_exists("apps")?))()
            .map_err(|e: rusqlite::Error| format!("cannot read the schema of {path}: {e}"))?;
        conn.execute_batch(SCHEMA)
            .map_err(|e| format!("cannot create schema in {path}: {e}"))?;
        let secret = key_secret(path)?;
        // The temp schema belongs to this connection and is never written to the file.
        conn.execute_batch("CREATE TEMP TABLE key_secret (secret BLOB NOT NULL)")
            .and_then(|()| conn.execute("INSERT INTO temp.key_secret VALUES (?1)", [&secret[..]]))
            .map_err(|e| format!("cannot keep the key secret: {e}"))?;
        let upgraded = migrate(&conn)
            .map_err(|e| format!("cannot upgrade the schema in {path}: {e}"))?
            || before_account_tables;
        Ok(Self {
            conn: Mutex::new(conn),
            upgraded,
        })
    }

    /// True when this database was made by an older simulator and has just been upgraded, so
    /// seeding can add the accounts that version did not have.
    pub fn upgraded(&self) -> bool {
        self.upgraded
    }

    /// Locks the connection. A panic elsewhere does not make the database unusable: the
    /// connection itself stays consistent because SQLite statements are atomic.
    pub fn lock(&self) -> MutexGuard<'_, Connection> {
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The secret API keys are made with: random for `:memory:`; for a file, kept in
/// `<file>.key` beside it (made on first use, readable by its owner only), so that keys
/// survive a restart.
fn key_secret(path: &str) -> Result<[u8; 32], String> {
    if path == ":memory:" {
        return Ok(auth::random_bytes::<32>());
    }
    let key_path = format!("{path}.key");
    if let Ok(bytes) = std::fs::read(&key_path) {
        return bytes
            .try_into()
            .map_err(|_| format!("{key_path} is not a key secret: delete it to make a new one (every API key changes)"));
    }
    let secret = auth::random_bytes::<32>();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    std::io::Write::write_all(
        &mut options
            .open(&key_path)
            .map_err(|e| format!("cannot create {key_path}: {e}"))?,
        &secret,
    )
    .map_err(|e| format!("cannot write {key_path}: {e}"))?;
    Ok(secret)
}

/// Brings a database made by an older simulator up to [`SCHEMA`]; true when it changed
/// anything. `CREATE TABLE IF NOT EXISTS` adds new tables (such as `mfa_pending`) but not
/// new columns, which this adds.
fn migrate(conn: &Connection) -> rusqlite::Result<bool> {
    let has_column = |table: &str, column: &str| -> rusqlite::Result<bool> {
        conn.query_row(
            "SELECT COUNT(*) FROM pragma_table_info(?1) WHERE name = ?2",
            params![table, column],
            |r| r.get(0),
        )
    };
    let mut changed = false;
    if !has_column("users", "confirmed")? {
        conn.execute_batch("ALTER TABLE users ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 1")?;
        changed = true;
    }
    if !has_column("signups", "oauth")? {
        conn.execute_batch("ALTER TABLE signups ADD COLUMN oauth INTEGER NOT NULL DEFAULT 0")?;
        changed = true;
    }
    if !has_column("oauth_sessions", "collected_at")? {
        conn.execute_batch("ALTER TABLE oauth_sessions ADD COLUMN collected_at INTEGER")?;
        changed = true;
    }
    if has_column("api_keys", "key")? {
        hash_plain_secrets(conn)?;
        changed = true;
    }
    Ok(changed)
}

/// Moves the plain-text API keys and recovery codes of an older database into their hashed
/// tables and drops the plain ones.
fn hash_plain_secrets(conn: &Connection) -> rusqlite::Result<()> {
    let keys = conn
        .prepare("SELECT key, user_id, created_at, revoked_at FROM api_keys")?
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (key, user_id, created_at, revoked_at) in keys {
        conn.execute(
            "INSERT OR IGNORE INTO api_key_hashes (hash, nonce, user_id, created_at, revoked_at)
             VALUES (?1, NULL, ?2, ?3, ?4)",
            params![auth::token_hash(&key), user_id, created_at, revoked_at],
        )?;
    }
    let codes = conn
        .prepare("SELECT user_id, normalized, used_at FROM recovery_codes")?
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (user_id, normalized, used_at) in codes {
        conn.execute(
            "INSERT INTO recovery_code_hashes (user_id, hash, used_at) VALUES (?1, ?2, ?3)",
            params![user_id, auth::token_hash(&normalized), used_at],
        )?;
    }
    conn.execute_batch("DROP TABLE api_keys; DROP TABLE IF EXISTS recovery_codes;")
}

fn user_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<User> {
    Ok(User {
        id: row.get(0)?,
        email: row.get(1)?,
        password_hash: row.get(2)?,
        tier: row.get(3)?,
        credit_cents: row.get(4)?,
        mfa_enabled: row.get(5)?,
        totp_secret: row.get(6)?,
        totp_last_step: row.get(7)?,
        confirmed: row.get(8)?,
    })
}

const USER_COLUMNS: &str = "id, email, password_hash, tier, credit_cents, mfa_enabled, \
                            totp_secret, totp_last_step, confirmed";

/// Number of users.
pub fn user_count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))
}

/// Finds a user by email, ignoring case.
pub fn user_by_email(conn: &Connection, email: &str) -> rusqlite::Result<Option<User>> {
    conn.query_row(
        &format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1"),
        [email],
        user_from_row,
    )
    .optional()
}

/// Finds the user owning an active API key, provided the email matches too.
pub fn user_by_api_key(
    conn: &Connection,
    email: &str,
    key: &str,
) -> rusqlite::Result<Option<User>> {
    let columns = USER_COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    conn.query_row(
        &format!(
            "SELECT {columns} FROM users u JOIN api_key_hashes k ON k.user_id = u.id
             WHERE k.hash = ?1 AND k.revoked_at IS NULL AND u.email = ?2"
        ),
        params![auth::token_hash(key), email],
        user_from_row,
    )
    .optional()
}

/// The user's current API key, creating one if there is none. Login does not rotate keys:
/// the current key is made again from its nonce. A key that cannot be (stored by an older
/// simulator, or made with a secret since lost) stays valid, and a new one is added.
pub fn ensure_api_key(conn: &Connection, user_id: i64, now: i64) -> rusqlite::Result<String> {
    let secret: Vec<u8> = conn.query_row("SELECT secret FROM temp.key_secret", [], |r| r.get(0))?;
    let current: Option<(String, Option<String>)> = conn
        .query_row(
            "SELECT hash, nonce FROM api_key_hashes WHERE user_id = ?1 AND revoked_at IS NULL
             ORDER BY created_at DESC, rowid DESC LIMIT 1",
            [user_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    if let Some((hash, Some(nonce))) = current {
        let key = auth::derive_api_key(&secret, &nonce);
        if auth::token_hash(&key) == hash {
            return Ok(key);
        }
    }
    let nonce = auth::new_api_key();
    let key = auth::derive_api_key(&secret, &nonce);
    conn.execute(
        "INSERT INTO api_key_hashes (hash, nonce, user_id, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![auth::token_hash(&key), nonce, user_id, now],
    )?;
    Ok(key)
}

/// Creates an account with its API key and, when MFA is on, ten recovery codes.
pub fn create_account(
    conn: &mut Connection,
    new: &NewAccount,
    now: i64,
) -> Result<CreatedAccount, CreateError> {
    let tx = conn.transaction()?;
    if user_by_email(&tx, &new.email)?.is_some() {
        return Err(CreateError::Exists);
    }
    let totp_secret = new.mfa.then(|| {
        new.totp_secret
            .clone()
            .unwrap_or_else(auth::new_totp_secret)
    });
    tx.execute(
        "INSERT INTO users (email, password_hash, tier, credit_cents, mfa_enabled, totp_secret,
                            confirmed, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            new.email,
            auth::hash_password(&new.password),
            new.tier,
            new.credit_cents,
            new.mfa,
            totp_secret,
            new.confirmed,
            now
        ],
    )?;
    let user_id = tx.last_insert_rowid();
    let api_key = ensure_api_key(&tx, user_id, now)?;
    let recovery_codes = if new.mfa {
        replace_recovery_codes(&tx, user_id)?
    } else {
        Vec::new()
    };
    tx.commit()?;
    Ok(CreatedAccount {
        email: new.email.clone(),
        password: new.password.clone(),
        api_key,
        tier: new.tier.clone(),
        credit_cents: new.credit_cents,
        totp_secret,
        recovery_codes,
        confirmed: new.confirmed,
    })
}

/// Those of `codes` that are unused recovery codes of the user (only hashes are stored, so
/// the codes themselves must come from elsewhere: the seed's fixed ones).
pub fn unused_among(
    conn: &Connection,
    user_id: i64,
    codes: &[&str],
) -> rusqlite::Result<Vec<String>> {
    let mut unused = Vec::new();
    for code in codes {
        let found: i64 = conn.query_row(
            "SELECT COUNT(*) FROM recovery_code_hashes
             WHERE user_id = ?1 AND hash = ?2 AND used_at IS NULL",
            params![
                user_id,
                auth::token_hash(&auth::normalize_recovery_code(code))
            ],
            |r| r.get(0),
        )?;
        if found > 0 {
            unused.push(code.to_string());
        }
    }
    Ok(unused)
}

/// How many recovery codes an account gets at a time.
pub const RECOVERY_CODE_COUNT: usize = 10;

/// Deletes every recovery code of the user (used or not) and stores
/// [`RECOVERY_CODE_COUNT`] new ones; returns the new codes, which are not kept.
pub fn replace_recovery_codes(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<String>> {
    let codes: Vec<String> = (0..RECOVERY_CODE_COUNT)
        .map(|_| auth::new_recovery_code())
        .collect();
    set_recovery_codes(conn, user_id, &codes)?;
    Ok(codes)
}

/// Makes `codes` the user's only recovery codes, stored as hashes.
pub fn set_recovery_codes(
    conn: &Connection,
    user_id: i64,
    codes: &[String],
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM recovery_code_hashes WHERE user_id = ?1",
        [user_id],
    )?;
    for code in codes {
        conn.execute(
            "INSERT INTO recovery_code_hashes (user_id, hash) VALUES (?1, ?2)",
            params![
                user_id,
                auth::token_hash(&auth::normalize_recovery_code(code))
            ],
        )?;
    }
    Ok(())
}

/// Marks a recovery code used if it is valid and unused; true when it was.
pub fn use_recovery_code(
    conn: &Connection,
    user_id: i64,
    typed: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let normalized = auth::normalize_recovery_code(typed);
    if normalized.is_empty() {
        return Ok(false);
    }
    let changed = conn.execute(
        "UPDATE recovery_code_hashes SET used_at = ?3
         WHERE id = (SELECT id FROM recovery_code_hashes
                     WHERE user_id = ?1 AND hash = ?2 AND used_at IS NULL LIMIT 1)",
        params![user_id, auth::token_hash(&normalized), now],
    )?;
    Ok(changed == 1)
}

/// Records the TOTP step just accepted so it cannot be used again.
pub fn set_totp_last_step(conn: &Connection, user_id: i64, step: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET totp_last_step = ?2 WHERE id = ?1",
        params![user_id, step],
    )?;
    Ok(())
}

/// Failed password attempts in `bucket` (see [`crate::limits`]) at or after `since`: how
/// many, and the oldest one's time.
pub fn recent_failures(
    conn: &Connection,
    bucket: &str,
    since: i64,
) -> rusqlite::Result<(u32, Option<i64>)> {
    conn.query_row(
        "SELECT COUNT(*), MIN(at) FROM login_failures WHERE email = ?1 AND at >= ?2",
        params![bucket, since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
}

/// Counts a password attempt in `bucket`, dropping entries too old to matter; returns the
/// row, so that an attempt that turns out right can be taken back.
pub fn record_failure(
    conn: &Connection,
    bucket: &str,
    now: i64,
    window: i64,
) -> rusqlite::Result<i64> {
    conn.execute("DELETE FROM login_failures WHERE at < ?1", [now - window])?;
    conn.execute(
        "INSERT INTO login_failures (email, at) VALUES (?1, ?2)",
        params![bucket, now],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Takes back counted attempts (by row).
pub fn forget_failures(conn: &Connection, rows: &[i64]) -> rusqlite::Result<()> {
    for row in rows {
        conn.execute("DELETE FROM login_failures WHERE rowid = ?1", [row])?;
    }
    Ok(())
}

/// Forgets every failed attempt in `bucket`.
pub fn clear_failures(conn: &Connection, bucket: &str) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM login_failures WHERE email = ?1", [bucket])?;
    Ok(())
}

/// Replaces a user's password. API keys are left alone: a reset proves control of the
/// mailbox, and the contract keeps the key across a reset.
pub fn set_password(conn: &Connection, user_id: i64, password: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user_id, auth::hash_password(password)],
    )?;
    Ok(())
}

/// Marks a user's email address confirmed.
pub fn set_confirmed(conn: &Connection, user_id: i64) -> rusqlite::Result<()> {
    conn.execute("UPDATE users SET confirmed = 1 WHERE id = ?1", [user_id])?;
    Ok(())
}

/// What an emailed token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    /// Password reset (A7 sends it, A8 spends it).
    Reset,
    /// Email confirmation (A9 sends it, `GET /api/confirm` spends it).
    Confirm,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::Reset => "reset",
            Self::Confirm => "confirm",
        }
    }
}

/// A stored token, found by [`find_token`].
#[derive(Debug, Clone)]
pub struct TokenRow {
    /// Hash the token is stored under.
    pub token_hash: String,
    /// Owner.
    pub user_id: i64,
    /// Owner's email address.
    pub email: String,
    /// Unix time after which it no longer works.
    pub expires_at: i64,
    /// When it was spent, if it was.
    pub used_at: Option<i64>,
}

/// Stores a new token under its hash.
pub fn insert_token(
    conn: &Connection,
    token_hash: &str,
    purpose: TokenPurpose,
    user_id: i64,
    now: i64,
    ttl_secs: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO email_tokens (token_hash, purpose, user_id, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            token_hash,
            purpose.as_str(),
            user_id,
            now,
            now.saturating_add(ttl_secs)
        ],
    )?;
    Ok(())
}

/// Finds a token of `purpose` by its hash, with its owner's email.
pub fn find_token(
    conn: &Connection,
    token_hash: &str,
    purpose: TokenPurpose,
) -> rusqlite::Result<Option<TokenRow>> {
    conn.query_row(
        "SELECT t.token_hash, t.user_id, u.email, t.expires_at, t.used_at
         FROM email_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = ?1 AND t.purpose = ?2",
        params![token_hash, purpose.as_str()],
        |r| {
            Ok(TokenRow {
                token_hash: r.get(0)?,
                user_id: r.get(1)?,
                email: r.get(2)?,
                expires_at: r.get(3)?,
                used_at: r.get(4)?,
            })
        },
    )
    .optional()
}

/// Spends every unused token of `purpose` the user has: a new password or address makes the
/// reset links already sent useless.
pub fn void_tokens(
    conn: &Connection,
    user_id: i64,
    purpose: TokenPurpose,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE email_tokens SET used_at = ?3
         WHERE user_id = ?1 AND purpose = ?2 AND used_at IS NULL",
        params![user_id, purpose.as_str(), now],
    )?;
    Ok(())
}

/// Marks a token spent; true when it was still unused (so two racing requests cannot both
/// spend it).
pub fn use_token(conn: &Connection, token_hash: &str, now: i64) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE email_tokens SET used_at = ?2 WHERE token_hash = ?1 AND used_at IS NULL",
        params![token_hash, now],
    )?;
    Ok(changed == 1)
}

/// Times of the accepted requests in `bucket` at or after `since`, oldest first.
pub fn email_requests_since(
    conn: &Connection,
    bucket: &str,
    since: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare("SELECT at FROM email_requests WHERE bucket = ?1 AND at >= ?2 ORDER BY at")?;
    let times = stmt
        .query_map(params![bucket, since], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    Ok(times)
}

/// Records an accepted request in each bucket, dropping entries too old to matter.
pub fn record_email_request(
    conn: &Connection,
    buckets: &[&str],
    now: i64,
    window: i64,
) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM email_requests WHERE at < ?1", [now - window])?;
    for bucket in buckets {
        conn.execute(
            "INSERT INTO email_requests (bucket, at) VALUES (?1, ?2)",
            params![bucket, now],
        )?;
    }
    Ok(())
}

/// Replaces a user's stored password hash with one made earlier (sign-up hashes the password
/// at its password step and never keeps the plain text).
pub fn set_password_hash(conn: &Connection, user_id: i64, hash: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE users SET password_hash = ?2 WHERE id = ?1",
        params![user_id, hash],
    )?;
    Ok(())
}

/// A sign-up session (A4), found by [`find_signup`].
#[derive(Debug, Clone)]
pub struct Signup {
    /// The id the client carries between steps.
    pub uuid: String,
    /// Address given at step 1.
    pub email: String,
    /// SHA-256 of the emailed code ([`auth::token_hash`]).
    pub code_hash: String,
    /// Unix time from which the code no longer works.
    pub code_expires_at: i64,
    /// Wrong codes tried so far.
    pub wrong_codes: i64,
    /// Whether the code step has succeeded.
    pub code_ok: bool,
    /// Hash of the chosen password, once the password step has succeeded.
    pub password_hash: Option<String>,
    /// Accepted promo code, upper case.
    pub promo_code: Option<String>,
    /// Whether a card token has been accepted.
    pub has_card: bool,
    /// Whether this is the manual-review (VPN) path.
    pub vpn: bool,
    /// Whether the final step has used it up.
    pub spent: bool,
    /// Whether it was started with Google (no code or password step).
    pub oauth: bool,
}

/// Stores a new sign-up session.
pub fn insert_signup(
    conn: &Connection,
    uuid: &str,
    email: &str,
    code_hash: &str,
    code_expires_at: i64,
    vpn: bool,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO signups (uuid, email, code_hash, code_expires_at, vpn, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![uuid, email, code_hash, code_expires_at, vpn, now],
    )?;
    Ok(())
}

/// Finds a sign-up session by uuid.
pub fn find_signup(conn: &Connection, uuid: &str) -> rusqlite::Result<Option<Signup>> {
    conn.query_row(
        "SELECT uuid, email, code_hash, code_expires_at, wrong_codes, code_ok, password_hash,
                promo_code, has_card, vpn, spent, oauth
         FROM signups WHERE uuid = ?1",
        [uuid],
        |r| {
            Ok(Signup {
                uuid: r.get(0)?,
                email: r.get(1)?,
                code_hash: r.get(2)?,
                code_expires_at: r.get(3)?,
                wrong_codes: r.get(4)?,
                code_ok: r.get(5)?,
                password_hash: r.get(6)?,
                promo_code: r.get(7)?,
                has_card: r.get(8)?,
                vpn: r.get(9)?,
                spent: r.get(10)?,
                oauth: r.get(11)?,
            })
        },
    )
    .optional()
}

/// One change to a sign-up session, applied by [`update_signup`].
#[derive(Debug, Clone)]
pub enum SignupChange {
    /// A wrong code was tried.
    WrongCode,
    /// The code step succeeded.
    CodeOk,
    /// The password step succeeded with this hash.
    Password(String),
    /// This promo code was accepted.
    Promo(String),
    /// A card token was accepted.
    Card,
    /// The final step used the session up.
    Spent,
    /// Google gave the address of a Google sign-up: it stands for the code and password
    /// steps (`password_hash` is random).
    GoogleIdentity {
        /// The Google account's address.
        email: String,
        /// Hash of a password nobody knows.
        password_hash: String,
        /// Whether the address takes the manual-review path.
        vpn: bool,
    },
}

/// Applies one change to the sign-up session `uuid`.
pub fn update_signup(conn: &Connection, uuid: &str, change: &SignupChange) -> rusqlite::Result<()> {
    match change {
        SignupChange::WrongCode => conn.execute(
            "UPDATE signups SET wrong_codes = wrong_codes + 1 WHERE uuid = ?1",
            [uuid],
        ),
        SignupChange::CodeOk => {
            conn.execute("UPDATE signups SET code_ok = 1 WHERE uuid = ?1", [uuid])
        }
        SignupChange::Password(hash) => conn.execute(
            "UPDATE signups SET password_hash = ?2 WHERE uuid = ?1",
            params![uuid, hash],
        ),
        SignupChange::Promo(code) => conn.execute(
            "UPDATE signups SET promo_code = ?2 WHERE uuid = ?1",
            params![uuid, code],
        ),
        SignupChange::Card => {
            conn.execute("UPDATE signups SET has_card = 1 WHERE uuid = ?1", [uuid])
        }
        SignupChange::Spent => conn.execute("UPDATE signups SET spent = 1 WHERE uuid = ?1", [uuid]),
        SignupChange::GoogleIdentity {
            email,
            password_hash,
            vpn,
        } => conn.execute(
            "UPDATE signups SET email = ?2, code_ok = 1, password_hash = ?3, vpn = ?4
             WHERE uuid = ?1",
            params![uuid, email, password_hash, vpn],
        ),
    }?;
    Ok(())
}

/// Stores a new Google sign-up session: no address yet, and a code nobody can type (its
/// hash is of a random value that is thrown away).
pub fn insert_oauth_signup(conn: &Connection, uuid: &str, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO signups (uuid, email, code_hash, code_expires_at, created_at, oauth)
         VALUES (?1, '', ?2, ?3, ?3, 1)",
        params![uuid, auth::token_hash(&auth::new_api_key()), now],
    )?;
    Ok(())
}

/// What a Google sign-in session is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OauthPurpose {
    /// Signing in to an existing account (A2/A3).
    Login,
    /// Step 1 of a Google sign-up (A4 `{"oauth":"google"}`).
    Signup,
}

/// Where a Google sign-in session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OauthStatus {
    /// Waiting for the consent page.
    Pending,
    /// Consent given for `email`.
    Done,
    /// The person pressed Cancel.
    Cancelled,
    /// Sign-up only: consent given for an address that already has an account.
    Taken,
}

impl OauthStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Cancelled => "cancelled",
            Self::Taken => "taken",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "done" => Self::Done,
            "cancelled" => Self::Cancelled,
            "taken" => Self::Taken,
            _ => Self::Pending,
        }
    }
}

/// A Google sign-in session, found by [`find_oauth_session`].
#[derive(Debug, Clone)]
pub struct OauthSession {
    /// Hash the session id is stored under.
    pub session_hash: String,
    /// Login or sign-up.
    pub purpose: OauthPurpose,
    /// The sign-up it belongs to (sign-up only).
    pub signup_uuid: Option<String>,
    /// Where it stands.
    pub status: OauthStatus,
    /// The Google address given on the consent page.
    pub email: Option<String>,
    /// Unix time from which it no longer answers.
    pub expires_at: i64,
}

/// Stores a new pending Google sign-in session, dropping sessions expired for a day (those
/// then poll as unknown).
pub fn insert_oauth_session(
    conn: &Connection,
    session_hash: &str,
    purpose: OauthPurpose,
    signup_uuid: Option<&str>,
    now: i64,
    ttl_secs: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "DELETE FROM oauth_sessions WHERE expires_at < ?1",
        [now.saturating_sub(86_400)],
    )?;
    let purpose = match purpose {
        OauthPurpose::Login => "login",
        OauthPurpose::Signup => "signup",
    };
    conn.execute(
        "INSERT INTO oauth_sessions (session_hash, purpose, signup_uuid, created_at, expires_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            session_hash,
            purpose,
            signup_uuid,
            now,
            now.saturating_add(ttl_secs)
        ],
    )?;
    Ok(())
}

/// Finds a Google sign-in session by the hash of its id.
pub fn find_oauth_session(
    conn: &Connection,
    session_hash: &str,
) -> rusqlite::Result<Option<OauthSession>> {
    conn.query_row(
        "SELECT session_hash, purpose, signup_uuid, status, email, expires_at
         FROM oauth_sessions WHERE session_hash = ?1",
        [session_hash],
        |r| {
            let purpose: String = r.get(1)?;
            let status: String = r.get(3)?;
            Ok(OauthSession {
                session_hash: r.get(0)?,
                purpose: if purpose == "signup" {
                    OauthPurpose::Signup
                } else {
                    OauthPurpose::Login
                },
                signup_uuid: r.get(2)?,
                status: OauthStatus::parse(&status),
                email: r.get(4)?,
                expires_at: r.get(5)?,
            })
        },
    )
    .optional()
}

/// Marks a finished sign-in's key as handed out; true the first time only.
pub fn collect_oauth_session(
    conn: &Connection,
    session_hash: &str,
    now: i64,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE oauth_sessions SET collected_at = ?2
         WHERE session_hash = ?1 AND collected_at IS NULL",
        params![session_hash, now],
    )?;
    Ok(changed == 1)
}

/// Moves a pending session to `status`; true when it was still pending (so two answers
/// racing on the consent page cannot both land).
pub fn finish_oauth_session(
    conn: &Connection,
    session_hash: &str,
    status: OauthStatus,
    email: Option<&str>,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE oauth_sessions SET status = ?2, email = ?3
         WHERE session_hash = ?1 AND status = 'pending'",
        params![session_hash, status.as_str(), email],
    )?;
    Ok(changed == 1)
}

/// An MFA activation begun with A13 and not confirmed yet.
#[derive(Debug, Clone)]
pub struct MfaPending {
    /// Base32 secret the user is adding to their authenticator app.
    pub secret: String,
    /// Wrong codes tried against this secret since it was made (or since the last lock).
    pub wrong_codes: i64,
    /// Simulated time until which codes are refused, after too many wrong ones.
    pub locked_until: Option<i64>,
}

/// Stores `secret` as the user's pending MFA secret, replacing any earlier one and its count
/// of wrong codes.
pub fn set_mfa_pending(
    conn: &Connection,
    user_id: i64,
    secret: &str,
    now: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO mfa_pending (user_id, secret, created_at) VALUES (?1, ?2, ?3)",
        params![user_id, secret, now],
    )?;
    Ok(())
}

/// The user's pending MFA activation, if any.
pub fn mfa_pending(conn: &Connection, user_id: i64) -> rusqlite::Result<Option<MfaPending>> {
    conn.query_row(
        "SELECT secret, wrong_codes, locked_until FROM mfa_pending WHERE user_id = ?1",
        [user_id],
        |r| {
            Ok(MfaPending {
                secret: r.get(0)?,
                wrong_codes: r.get(1)?,
                locked_until: r.get(2)?,
            })
        },
    )
    .optional()
}

/// Sets the pending activation's wrong-code count and lock (A14 keeps the arithmetic).
pub fn set_mfa_pending_wrong(
    conn: &Connection,
    user_id: i64,
    wrong_codes: i64,
    locked_until: Option<i64>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE mfa_pending SET wrong_codes = ?2, locked_until = ?3 WHERE user_id = ?1",
        params![user_id, wrong_codes, locked_until],
    )?;
    Ok(())
}

/// What [`enable_mfa`] hands back to show the user once.
#[derive(Debug, Clone)]
pub struct MfaEnabled {
    /// The key that replaces every key the user had.
    pub api_key: String,
    /// The fresh recovery codes.
    pub recovery_codes: Vec<String>,
}

/// Turns MFA on with `secret`, in one transaction: the pending activation is spent, `step`
/// (the step of the code that confirmed it) counts as used so that code cannot sign in,
/// the recovery codes are replaced, and every API key is revoked in favour of a new one.
pub fn enable_mfa(
    conn: &mut Connection,
    user_id: i64,
    secret: &str,
    step: i64,
    now: i64,
) -> rusqlite::Result<MfaEnabled> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE users SET mfa_enabled = 1, totp_secret = ?2, totp_last_step = ?3 WHERE id = ?1",
        params![user_id, secret, step],
    )?;
    tx.execute("DELETE FROM mfa_pending WHERE user_id = ?1", [user_id])?;
    let recovery_codes = replace_recovery_codes(&tx, user_id)?;
    revoke_api_keys(&tx, user_id, now)?;
    let api_key = ensure_api_key(&tx, user_id, now)?;
    tx.commit()?;
    Ok(MfaEnabled {
        api_key,
        recovery_codes,
    })
}

/// Turns MFA off: forgets the secret, its last used step, any pending activation and every
/// recovery code. API keys are kept.
pub fn disable_mfa(conn: &mut Connection, user_id: i64) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    tx.execute(
        "UPDATE users SET mfa_enabled = 0, totp_secret = NULL, totp_last_step = NULL
         WHERE id = ?1",
        [user_id],
    )?;
    tx.execute("DELETE FROM mfa_pending WHERE user_id = ?1", [user_id])?;
    tx.execute(
        "DELETE FROM recovery_code_hashes WHERE user_id = ?1",
        [user_id],
    )?;
    tx.commit()
}

/// Revokes every active API key of the user; they answer 401 from then on.
pub fn revoke_api_keys(conn: &Connection, user_id: i64, now: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE api_key_hashes SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
        params![user_id, now],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_db(name: &str) -> String {
        let dir = std::env::temp_dir().join(format!(
            "gigalixir-sim-{name}-{}-{}",
            std::process::id(),
            auth::new_api_key()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("sim.sqlite").to_str().unwrap().to_string()
    }

    #[test]
    fn plain_keys_and_codes_of_an_older_database_become_hashes_and_keep_working() {
        let path = temp_db("plain");
        {
            // An older database: keys and recovery codes in plain text.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE,
                     password_hash TEXT NOT NULL, tier TEXT NOT NULL, credit_cents INTEGER NOT NULL DEFAULT 0,
                     mfa_enabled INTEGER NOT NULL DEFAULT 0, totp_secret TEXT, totp_last_step INTEGER,
                     confirmed INTEGER NOT NULL DEFAULT 1, created_at INTEGER NOT NULL);
                 CREATE TABLE api_keys (key TEXT PRIMARY KEY, user_id INTEGER NOT NULL,
                     created_at INTEGER NOT NULL, revoked_at INTEGER);
                 CREATE TABLE recovery_codes (id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL,
                     code TEXT NOT NULL, normalized TEXT NOT NULL, used_at INTEGER);
                 INSERT INTO users (id, email, password_hash, tier, created_at)
                     VALUES (1, 'old@example.com', 'x', 'FREE', 0);
                 INSERT INTO api_keys VALUES ('old-live-key', 1, 0, NULL), ('old-dead-key', 1, 0, 5);
                 INSERT INTO recovery_codes (user_id, code, normalized)
                     VALUES (1, 'abcde-fghjk', 'abcdefghjk');",
            )
            .unwrap();
        }
        let db = Db::open(&path).unwrap();
        assert!(db.upgraded());
        let conn = db.lock();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(
            !tables
                .iter()
                .any(|t| t == "api_keys" || t == "recovery_codes"),
            "{tables:?}"
        );
        assert!(user_by_api_key(&conn, "old@example.com", "old-live-key")
            .unwrap()
            .is_some());
        assert!(user_by_api_key(&conn, "old@example.com", "old-dead-key")
            .unwrap()
            .is_none());
        // Login cannot answer the old key again: it adds a new one, and both work.
        let new = ensure_api_key(&conn, 1, 10).unwrap();
        assert_ne!(new, "old-live-key");
        assert!(user_by_api_key(&conn, "old@example.com", &new)
            .unwrap()
            .is_some());
        assert_eq!(ensure_api_key(&conn, 1, 11).unwrap(), new);
        assert!(use_recovery_code(&conn, 1, "ABCDE FGHJK", 12).unwrap());
        assert!(!use_recovery_code(&conn, 1, "abcde-fghjk", 13).unwrap());
        drop(conn);
        let _ = std::fs::remove_dir_all(std::path::Path::new(&path).parent().unwrap());
    }
}
