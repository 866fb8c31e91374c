//! Runtime configuration read from `config.json`, so one build serves any API host.

use std::sync::OnceLock;

use crate::json::Json;

static CONFIG: OnceLock<Config> = OnceLock::new();

/// What `config.json` may set; every field is optional.
#[derive(Default)]
struct Config {
    api_base: String,
    /// Where Stripe.js comes from (`https://js.stripe.com/v3/` in production).
    stripe_js: String,
    /// Stripe's publishable key.
    stripe_key: String,
}

/// Loads `config.json` once; any failure leaves the default (the API on this origin).
pub async fn load() {
    let text = crate::files::text("config.json").await.unwrap_or_default();
    let mut config = Json::parse(&text)
        .map(|j| Config {
            api_base: j.string("api_base").unwrap_or_default(),
            stripe_js: j.string("stripe_js").unwrap_or_default(),
            stripe_key: j.string("stripe_key").unwrap_or_default(),
        })
        .unwrap_or_default();
    config.api_base = config.api_base.trim_end_matches('/').to_string();
    let _ = CONFIG.set(config);
}

fn get() -> Option<&'static Config> {
    CONFIG.get()
}

/// The API's base URL without a trailing slash; empty means same-origin.
pub fn api_base() -> &'static str {
    get().map(|c| c.api_base.as_str()).unwrap_or("")
}

/// Stripe.js's URL and publishable key, when both are configured.
pub fn stripe() -> Option<(&'static str, &'static str)> {
    get()
        .filter(|c| !c.stripe_js.is_empty() && !c.stripe_key.is_empty())
        .map(|c| (c.stripe_js.as_str(), c.stripe_key.as_str()))
}
