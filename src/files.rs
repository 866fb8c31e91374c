//! The console's own files beside it (`config.json`, a language's strings), fetched as text.

use std::future::Future;
use std::pin::Pin;

/// The file's text, `None` when it could not be had (offline, an error status). Boxed, so
/// that the request's code is in the wasm once for every file.
pub fn text(url: &str) -> Pin<Box<dyn Future<Output = Option<String>>>> {
    // Built here rather than by gloo-net's builder, as the API's requests are (client.rs).
    let request = web_sys::Request::new_with_str_and_init(url, &web_sys::RequestInit::new())
        .map(gloo_net::http::Request::from);
    Box::pin(async move {
        match request.ok()?.send().await {
            Ok(resp) if resp.ok() => resp.text().await.ok(),
            _ => None,
        }
    })
}
