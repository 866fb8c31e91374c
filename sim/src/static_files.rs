//! Serves the built console (`--serve-dir`) with the caching and security headers the
//! production host would send.
//!
//! Not `tower-http`'s `ServeDir`: the headers differ per file (the index's CSP is read from
//! its own `<meta>`, hashed names are immutable, the index is `no-store`), which would mean a
//! layer re-deriving the path after `ServeDir` resolved it; reading a small file whole and
//! setting them here is shorter. Compression does come from `tower-http`.

use std::path::{Component, Path, PathBuf};

use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::auth::percent_decode;
use crate::body::Compressible;
use crate::error::ApiError;

/// Maps a request path to a file under `root`, refusing anything that could escape it.
pub fn resolve(root: &Path, request_path: &str) -> Option<PathBuf> {
    let decoded = percent_decode(request_path)?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let relative = decoded.trim_start_matches('/');
    let relative = if relative.is_empty() {
        "index.html"
    } else {
        relative
    };
    let mut path = root.to_path_buf();
    for component in Path::new(relative).components() {
        match component {
            Component::Normal(part) => path.push(part),
            Component::CurDir => {}
            _ => return None,
        }
    }
    Some(path)
}

/// Content type from the file extension; the few types a Trunk build produces.
pub fn content_type(path: &Path) -> &'static str {
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("ico") => "image/x-icon",
        Some("webp") => "image/webp",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// True when a file name carries a Trunk content hash, e.g. `app-3f2a9c0d1e4b5a67_bg.wasm`:
/// such files never change, so they can be cached forever.
pub fn has_content_hash(file_name: &str) -> bool {
    let stem = file_name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    match stem.rsplit_once('-') {
        Some((name, hash)) => {
            !name.is_empty()
                && (12..=16).contains(&hash.len())
                && hash
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        }
        None => false,
    }
}

/// The `content` of `<meta http-equiv="Content-Security-Policy">` in an HTML document.
pub fn meta_csp(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let mut from = 0;
    while let Some(start) = lower[from..].find("<meta") {
        let start = from + start;
        let end = start + lower[start..].find('>')?;
        let tag = &html[start..end];
        let tag_lower = &lower[start..end];
        from = end;
        let equiv = attribute(tag, tag_lower, "http-equiv");
        if equiv.is_some_and(|v| v.eq_ignore_ascii_case("content-security-policy")) {
            return attribute(tag, tag_lower, "content").map(|v| unescape_attribute(&v));
        }
    }
    None
}

fn attribute(tag: &str, tag_lower: &str, name: &str) -> Option<String> {
    let mut search = 0;
    while let Some(at) = tag_lower[search..].find(name) {
        let at = search + at;
        search = at + name.len();
        let before_ok = tag_lower[..at]
            .chars()
            .next_back()
            .is_some_and(char::is_whitespace);
        let rest = tag[at + name.len()..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let rest = rest[1..].trim_start();
        let quote = rest.chars().next()?;
        return if quote == '"' || quote == '\'' {
            rest[1..]
                .find(quote)
                .map(|end| rest[1..1 + end].to_string())
        } else {
            Some(
                rest.split(|c: char| c.is_whitespace() || c == '/')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            )
        };
    }
    None
}

fn unescape_attribute(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `GET /config.json` while the simulator serves the console: answered here instead of from
/// the build, so the console uses this simulator's API and its Stripe.js stand-in
/// (`/__sim/stripe/v3/` with key `pk_test_sim`) and never loads js.stripe.com.
pub fn console_config() -> Response {
    let body = serde_json::json!({
        "api_base": "",
        "stripe_js": crate::stripe::STRIPE_JS_PATH,
        "stripe_key": crate::stripe::SIM_PUBLISHABLE_KEY,
    });
    (
        [
            (header::CACHE_CONTROL, "no-cache"),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        ],
        axum::Json(body),
    )
        .into_response()
}

/// Whether a path that names no file is a console route someone typed (`/login`,
/// `/account/billing`): no file extension in its last part. The index answers it, and the
/// console moves the path into its hash route. `/missing.js` stays a 404.
pub fn is_route_like(request_path: &str) -> bool {
    let last = request_path.rsplit('/').next().unwrap_or("");
    !last.contains('.')
}

/// Serves one static file, the index for a route-like path, or a JSON 404.
pub async fn serve(root: &Path, request_path: &str) -> Response {
    let Some(mut path) = resolve(root, request_path) else {
        return ApiError::not_found().into_response();
    };
    if !path.is_file() && is_route_like(request_path) {
        path = root.join("index.html");
    }
    let bytes = match tokio::fs::read(&path).await {
        Ok(bytes) => bytes,
        Err(_) => return ApiError::not_found().into_response(),
    };
    let file_name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_string();
    let is_index = file_name == "index.html";
    let cache = if is_index {
        "no-store"
    } else if has_content_hash(&file_name) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(&path)),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if is_index {
        let html = String::from_utf8_lossy(&bytes);
        let policy = match meta_csp(&html) {
            Some(csp) => format!(
                "{}; frame-ancestors 'none'",
                csp.trim().trim_end_matches(';')
            ),
            None => "frame-ancestors 'none'".to_string(),
        };
        if let Ok(value) = HeaderValue::from_str(&policy) {
            headers.insert(header::CONTENT_SECURITY_POLICY, value);
        }
    }
    let mut response = (StatusCode::OK, headers, bytes).into_response();
    response.extensions_mut().insert(Compressible);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_like_paths() {
        for route in ["/login", "/account/billing", "/password/set", "/x/"] {
            assert!(is_route_like(route), "{route}");
        }
        for file in ["/missing.js", "/a/b.wasm", "/favicon.svg"] {
            assert!(!is_route_like(file), "{file}");
        }
    }

    #[test]
    fn hashed_names() {
        assert!(has_content_hash(
            "gigalixir-console-3f2a9c0d1e4b5a67_bg.wasm"
        ));
        assert!(has_content_hash("gigalixir-console-3f2a9c0d1e4b5a67.js"));
        assert!(has_content_hash("style-0123456789abcdef.css"));
        assert!(!has_content_hash("config.json"));
        assert!(!has_content_hash("index.html"));
        assert!(!has_content_hash("my-file.css"));
        assert!(!has_content_hash("-0123456789abcdef.css"));
    }

    #[test]
    fn resolve_refuses_escapes() {
        let root = Path::new("/srv/dist");
        assert_eq!(
            resolve(root, "/").unwrap(),
            PathBuf::from("/srv/dist/index.html")
        );
        assert_eq!(
            resolve(root, "/a%20b.js").unwrap(),
            PathBuf::from("/srv/dist/a b.js")
        );
        assert!(resolve(root, "/../etc/passwd").is_none());
        assert!(resolve(root, "/%2e%2e/etc/passwd").is_none());
        assert!(resolve(root, "/a/..%2F..%2Fx").is_none());
        assert!(resolve(root, "/a%5C..%5Cb").is_none());
        assert!(resolve(root, "/%00").is_none());
    }

    #[test]
    fn csp_from_meta() {
        let html = r#"<head><meta charset="utf-8"><META http-equiv="Content-Security-Policy"
            content="default-src 'none'; script-src 'self' &#39;sha384-x&#39;"></head>"#;
        assert_eq!(
            meta_csp(html).unwrap(),
            "default-src 'none'; script-src 'self' 'sha384-x'"
        );
        assert!(meta_csp("<meta name=x content=y>").is_none());
        let single = "<meta http-equiv='content-security-policy' content=\"a 'b'\">";
        assert_eq!(meta_csp(single).unwrap(), "a 'b'");
    }
}
