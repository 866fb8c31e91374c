//! Bodies. A request's is read whole up to one limit; past it the rest is read and dropped,
//! up to a bound, before the 413 is sent: a server that answers with part of the body unread
//! closes the connection on data the client is still sending, and the client sees a reset
//! instead of the answer. A response's may carry the mark that asks for compression.

use axum::body::{Body, Bytes};
use http_body_util::BodyExt;

/// Largest body any endpoint reads.
pub const BODY_LIMIT: usize = 64 * 1024;

/// How much of a too-large body is drained before answering; past this the connection is
/// closed as it is.
const DRAIN_LIMIT: usize = 8 * 1024 * 1024;

/// The whole body, or `None` when it is larger than [`BODY_LIMIT`] or could not be read.
pub async fn read_limited(mut body: Body) -> Option<Bytes> {
    let mut kept = Vec::new();
    let mut seen = 0usize;
    while let Some(frame) = body.frame().await {
        let Ok(data) = frame.ok()?.into_data() else {
            continue;
        };
        seen = seen.saturating_add(data.len());
        if seen > DRAIN_LIMIT {
            return None;
        }
        if seen <= BODY_LIMIT {
            kept.extend_from_slice(&data);
        }
    }
    (seen <= BODY_LIMIT).then(|| Bytes::from(kept))
}

/// Response extension marking a body worth compressing; the compression layer only touches
/// responses carrying it, so API answers stay byte-for-byte what handlers wrote.
#[derive(Debug, Clone, Copy)]
pub struct Compressible;
