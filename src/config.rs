//! Runtime configuration read from `config.json`, so one build serves any API host.

use std::sync::OnceLock;

use serde::Deserialize;

static API_BASE: OnceLock<String> = OnceLock::new();

#[derive(Deserialize, Default)]
struct Config {
    #[serde(default)]
    api_base: String,
}

/// Loads `config.json` once; any failure leaves the default (the API on this origin).
pub async fn load() {
    let config = match gloo_net::http::Request::get("config.json").send().await {
        Ok(resp) if resp.ok() => resp.json::<Config>().await.unwrap_or_default(),
        _ => Config::default(),
    };
    let _ = API_BASE.set(config.api_base.trim_end_matches('/').to_string());
}

/// The API's base URL without a trailing slash; empty means same-origin.
pub fn api_base() -> &'static str {
    API_BASE.get().map(String::as_str).unwrap_or("")
}
