//! SSH public keys of the account, as the CLI's `account:ssh_keys`, `:add` and `:remove`
//! use them: `GET`, `POST {"ssh_key"}` (201) and `DELETE {"id"}` on `/api/ssh_keys`.
//!
//! A key is checked the way `ssh-keygen -l` would read it: a supported type, a base64 body
//! that decodes, and inside it the same type string followed by the fields that type has.
//! Listed keys carry their OpenSSH `SHA256:` fingerprint **[ours]**.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use rusqlite::{params, Connection};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::request::{empty_ok, text, SignedIn};
use crate::state::AppState;

/// Key types accepted, as they appear at the start of a `.pub` line.
pub const KEY_TYPES: [&str; 7] = [
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
    "sk-ssh-ed25519@openssh.com",
    "sk-ecdsa-sha2-nistp256@openssh.com",
];

/// The demo account's key (an Ed25519 public key made for the simulator).
pub const DEMO_KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK/PRDMi48eBH8TvdKq37TKe+KCkj/7Th58jrbAUmEEX demo@example.com";

/// Smallest RSA modulus accepted, in bits (what current OpenSSH still accepts).
pub const RSA_MIN_BITS: usize = 1024;

/// Why a key text was refused; each has the message the API answers on `ssh_key`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyError {
    /// Nothing but white space.
    Blank,
    /// A private key was pasted.
    Private,
    /// The first word is not one of [`KEY_TYPES`].
    UnsupportedType,
    /// The body does not decode, or decodes to something else than the type says.
    Malformed,
    /// An RSA key under [`RSA_MIN_BITS`].
    TooShort,
}

impl KeyError {
    /// The 422 message.
    pub fn message(self) -> &'static str {
        match self {
            Self::Blank => "can't be blank",
            Self::Private => {
                "looks like a private key: paste the public key (the .pub file) instead"
            }
            Self::UnsupportedType => {
                "is not a supported public key: it must start with ssh-ed25519, \
                 ecdsa-sha2-nistp256/384/521 or ssh-rsa"
            }
            Self::Malformed => "is not a valid SSH public key",
            Self::TooShort => "is too short: RSA keys need at least 1024 bits",
        }
    }
}

/// A checked key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKey {
    /// `type base64[ comment]`, single-spaced.
    pub text: String,
    /// The decoded body.
    pub blob: Vec<u8>,
}

impl PublicKey {
    /// OpenSSH's fingerprint: `SHA256:` and the unpadded base64 of the body's SHA-256.
    pub fn fingerprint(&self) -> String {
        format!(
            "SHA256:{}",
            STANDARD_NO_PAD.encode(Sha256::digest(&self.blob))
        )
    }
}

/// Splits an SSH wire-format blob into its length-prefixed strings; `None` when a length
/// runs past the end.
fn wire_strings(mut blob: &[u8]) -> Option<Vec<&[u8]>> {
    let mut out = Vec::new();
    while !blob.is_empty() {
        let len = u32::from_be_bytes(blob.get(..4)?.try_into().ok()?) as usize;
        let field = blob.get(4..4usize.checked_add(len)?)?;
        out.push(field);
        blob = &blob[4 + len..];
    }
    Some(out)
}

/// Bits in an SSH `mpint` (big-endian, maybe with a leading zero byte).
fn mpint_bits(bytes: &[u8]) -> usize {
    let bytes = match bytes.iter().position(|b| *b != 0) {
        Some(start) => &bytes[start..],
        None => return 0,
    };
    bytes.len() * 8 - bytes[0].leading_zeros() as usize
}

/// Checks one line of `authorized_keys` form: `type base64 [comment]`.
pub fn parse_public_key(text: &str) -> Result<PublicKey, KeyError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(KeyError::Blank);
    }
    if text.starts_with("-----BEGIN") {
        return Err(KeyError::Private);
    }
    if text.contains(['\n', '\r']) {
        return Err(KeyError::Malformed);
    }
    let mut words = text.split_whitespace();
    let key_type = words.next().unwrap_or("");
    if !KEY_TYPES.contains(&key_type) {
        return Err(KeyError::UnsupportedType);
    }
    let body = words.next().ok_or(KeyError::Malformed)?;
    let comment = words.collect::<Vec<_>>().join(" ");
    let blob = STANDARD.decode(body).map_err(|_| KeyError::Malformed)?;
    let fields = wire_strings(&blob).ok_or(KeyError::Malformed)?;
    if fields.first() != Some(&key_type.as_bytes()) {
        return Err(KeyError::Malformed);
    }
    let curve_point = |curve: &str, point_len: usize, rest: &[&[u8]]| {
        rest.len() >= 2
            && rest[0] == curve.as_bytes()
            && rest[1].len() == point_len
            && rest[1][0] == 4
    };
    let rest = &fields[1..];
    let well_formed = match key_type {
        "ssh-ed25519" => rest.len() == 1 && rest[0].len() == 32,
        "sk-ssh-ed25519@openssh.com" => rest.len() == 2 && rest[0].len() == 32,
        "ecdsa-sha2-nistp256" => rest.len() == 2 && curve_point("nistp256", 65, rest),
        "ecdsa-sha2-nistp384" => rest.len() == 2 && curve_point("nistp384", 97, rest),
        "ecdsa-sha2-nistp521" => rest.len() == 2 && curve_point("nistp521", 133, rest),
        "sk-ecdsa-sha2-nistp256@openssh.com" => {
            rest.len() == 3 && curve_point("nistp256", 65, rest)
        }
        "ssh-rsa" => {
            if rest.len() != 2 || mpint_bits(rest[0]) == 0 {
                false
            } else if mpint_bits(rest[1]) < RSA_MIN_BITS {
                return Err(KeyError::TooShort);
            } else {
                true
            }
        }
        _ => false,
    };
    if !well_formed {
        return Err(KeyError::Malformed);
    }
    let mut normalized = format!("{key_type} {body}");
    if !comment.is_empty() {
        normalized.push(' ');
        normalized.push_str(&comment);
    }
    Ok(PublicKey {
        text: normalized,
        blob,
    })
}

fn blob_hash(key: &PublicKey) -> String {
    Sha256::digest(&key.blob)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Adds a key to the account: its id, or `None` when the account already has it (with
/// any comment).
pub fn add_key(
    conn: &Connection,
    user_id: i64,
    key: &PublicKey,
    now: i64,
) -> rusqlite::Result<Option<i64>> {
    let changed = conn.execute(
        "INSERT OR IGNORE INTO ssh_keys (user_id, key, blob_hash, created_at)
         VALUES (?1, ?2, ?3, ?4)",
        params![user_id, key.text, blob_hash(key), now],
    )?;
    Ok((changed == 1).then(|| conn.last_insert_rowid()))
}

fn key_json(id: i64, text: &str) -> Value {
    let fingerprint = parse_public_key(text)
        .map(|key| key.fingerprint())
        .unwrap_or_default();
    json!({ "id": id, "key": text, "fingerprint": fingerprint })
}

/// `POST /api/ssh_keys` body.
#[derive(Deserialize)]
pub struct AddKey {
    #[serde(default, deserialize_with = "text")]
    ssh_key: String,
}

/// `DELETE /api/ssh_keys` body.
#[derive(Deserialize)]
pub struct RemoveKey {
    #[serde(default)]
    id: Option<KeyId>,
}

/// A key id as a JSON number or, as the CLI sends it, a string.
#[derive(Deserialize)]
#[serde(untagged)]
pub enum KeyId {
    /// `3`.
    Number(serde_json::Number),
    /// `"3"`.
    Text(String),
}

/// `GET /api/ssh_keys`: `{"data":[{"id","key","fingerprint"}]}`, oldest first.
pub async fn list(State(state): State<AppState>, request: SignedIn) -> Result<Response, ApiError> {
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let mut stmt = conn.prepare("SELECT id, key FROM ssh_keys WHERE user_id = ?1 ORDER BY id")?;
    let keys = stmt
        .query_map([user.id], |r| {
            Ok(key_json(r.get(0)?, &r.get::<_, String>(1)?))
        })
        .and_then(Iterator::collect::<rusqlite::Result<Vec<Value>>>)?;
    Ok(Json(json!({ "data": keys })).into_response())
}

/// `POST /api/ssh_keys {"ssh_key"}`: 201 `{"data":{"id","key","fingerprint"}}`; a key the
/// account already has is a 422 **[ours]** (other accounts may hold the same key).
pub async fn add(
    State(state): State<AppState>,
    request: SignedIn<AddKey>,
) -> Result<Response, ApiError> {
    let invalid = |message| ApiError::unprocessable("ssh_key", message);
    let key = parse_public_key(&request.body.ssh_key).map_err(|e| invalid(e.message()))?;
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let Some(id) = add_key(&conn, user.id, &key, state.now())? else {
        return Err(invalid("has already been added"));
    };
    Ok((
        StatusCode::CREATED,
        Json(json!({ "data": key_json(id, &key.text) })),
    )
        .into_response())
}

/// `DELETE /api/ssh_keys {"id"}` with the id as a number or, as the CLI sends it, a string:
/// 200 `{"data":{}}`; 404 when the account has no such key.
pub async fn remove(
    State(state): State<AppState>,
    request: SignedIn<RemoveKey>,
) -> Result<Response, ApiError> {
    let id = match &request.body.id {
        Some(KeyId::Number(n)) => n.as_i64(),
        Some(KeyId::Text(s)) => s.trim().parse().ok(),
        None => None,
    }
    .ok_or_else(|| ApiError::unprocessable("id", "is invalid"))?;
    let conn = state.db().lock();
    let user = request.user(&conn)?;
    let deleted = conn.execute(
        "DELETE FROM ssh_keys WHERE id = ?1 AND user_id = ?2",
        params![id, user.id],
    )?;
    if deleted == 0 {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "Sorry, that SSH key does not exist.",
        ));
    }
    Ok(empty_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Made with ssh-keygen; the fingerprints are what `ssh-keygen -lf` prints.
    const ED25519: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINitJF5zecPIDJZDKGAyA6lZ52HCp/Uu1z4VXNnmyeQS me@laptop";
    const ECDSA256: &str = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEwDSqMezTpwg2moIY8HEmwwZ4VozQS7YYuWWuuUAkY5/d8c5uV+it1ehca/SVHZxfFiOsssc85uszzx7/tVG3E= ec@x";
    const ECDSA521: &str = "ecdsa-sha2-nistp521 AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAFPVQeFtCuzK/gq4UsZMJxKP2HFnkAGVaLavVL8vJ9jxnXCQ9dfN9IXGOE1yx1sCFPCrTAjeoGEA9+VmGRobR6XOgG3QAXtU5VH0jVqEpqOYDDFsg7tdkWbTeC8GcWQOQK9duUQvteGkUWYjSmH3DgTQdwGaEKg+BNojbsp9AkOJbKCFw== ec5@x";
    const RSA2048: &str = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQCOBoZ+A+U3zurqeoIP205EQVR07iTYCixwwwI76auQ7uJDdXPoTmY6kbgxy4hFmigC71XWimXTUhFtalJquCwi9gBo/4DR60lsnAWEnmzKDZikbQKrN+vRwQdTJ+GFzAi64GZAjcML8gjbOfqOppk/gDjTRbl8FhRr3xCiHHMMLPk531xu6rYyls7GQ2+8b0c2Lx76PTmM86PBBSdpk/3pKuzaC5h8iUpe3SQScnLNsmbyWb6lCIs6pAmeqqxmGT1mQANaPJgZqxdVUmV6rnpFBtHCxPbkDraudI3i8RkOZx9sabHBp6RwCj9KgSfOZgl3eSRgOrfJtDqNp908TKxz rsa@x";

    fn blob_of(fields: &[&[u8]]) -> String {
        let mut blob = Vec::new();
        for field in fields {
            blob.extend_from_slice(&(field.len() as u32).to_be_bytes());
            blob.extend_from_slice(field);
        }
        STANDARD.encode(blob)
    }

    #[test]
    fn real_keys_are_accepted_with_ssh_keygen_fingerprints() {
        for (text, fingerprint) in [
            (
                ED25519,
                "SHA256:PhIwNh++rrtf98IliOpctT1oDDMiLGPkAokHKZlVm4I",
            ),
            (
                ECDSA256,
                "SHA256:QYe7ptcHk67L5UoKSkOMPVjNwvS99TgAYD6ACg5b9ow",
            ),
            (
                ECDSA521,
                "SHA256:6f6eNzEScky4zlPGu4WN3gCXmyNARyVUkNsDUIm8vRk",
            ),
            (
                RSA2048,
                "SHA256:Dhs1J1LG6SMIZIi4VLblagxQWQuy9h0ey/CcZFeDOYw",
            ),
            (
                DEMO_KEY,
                "SHA256:op7wzV14vtd8OjiTyfHNYu9ZYdE+cn+tYEpApSyRKGw",
            ),
        ] {
            let key = parse_public_key(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(key.text, text);
            assert_eq!(key.fingerprint(), fingerprint);
        }
        // Surrounding and inner runs of white space are tidied; a comment may have spaces.
        let messy = format!("  {}   my   laptop \n", &ED25519[..ED25519.len() - 10]);
        let key = parse_public_key(&messy).unwrap();
        assert!(key.text.ends_with("yeQS my laptop"), "{}", key.text);
        // No comment at all is fine.
        let bare = ED25519.rsplit_once(' ').unwrap().0;
        assert_eq!(parse_public_key(bare).unwrap().text, bare);
    }

    #[test]
    fn bad_keys_are_refused_with_a_reason() {
        let ed_body = ED25519.split(' ').nth(1).unwrap();
        let short_rsa = blob_of(&[b"ssh-rsa", &[1, 0, 1], &[0xff; 64]]);
        let cases = [
            ("   ".to_string(), KeyError::Blank),
            (
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn...".to_string(),
                KeyError::Private,
            ),
            ("~/.ssh/id_rsa.pub".to_string(), KeyError::UnsupportedType),
            (format!("ssh-dss {ed_body}"), KeyError::UnsupportedType),
            ("ssh-ed25519".to_string(), KeyError::Malformed),
            ("ssh-ed25519 not*base64".to_string(), KeyError::Malformed),
            // The body says ed25519, the prefix says RSA.
            (format!("ssh-rsa {ed_body}"), KeyError::Malformed),
            // Two keys pasted as one.
            (format!("{ED25519}\n{ED25519}"), KeyError::Malformed),
            // Truncated body.
            (
                format!("ssh-ed25519 {}", blob_of(&[b"ssh-ed25519", &[7; 31]])),
                KeyError::Malformed,
            ),
            (
                format!("ssh-ed25519 {}", &ed_body[..ed_body.len() - 8]),
                KeyError::Malformed,
            ),
            (
                format!(
                    "ecdsa-sha2-nistp256 {}",
                    blob_of(&[b"ecdsa-sha2-nistp256", b"nistp384", &[4; 65]])
                ),
                KeyError::Malformed,
            ),
            (format!("ssh-rsa {short_rsa}"), KeyError::TooShort),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_public_key(&text), Err(expected), "{text:?}");
        }
    }
}
