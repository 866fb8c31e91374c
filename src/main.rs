//! The Gigalixir account console: a Leptos app (client-side rendering) built by Trunk.
//!
//! [`start`] loads the runtime config, then replaces the page's static shell with
//! [`app::App`]. Components are tested in a browser with `wasm-bindgen-test`
//! (`cargo test --target wasm32-unknown-unknown --bin gigalixir-console`).
//!
//! One binary crate rather than a library and a binary: the split made the same code
//! larger (docs/size-log.md), and the tests run in the binary as well.

// In the browser the page's loader calls `start`; without Rust's `main` the wasm carries no
// process start-up or exit (stdout flushing, thread naming) that a page never uses. The
// browser tests bring their own entry point.
#![cfg_attr(all(target_arch = "wasm32", not(test)), no_main)]

mod api;
mod app;
mod components;
mod config;
mod data;
mod files;
mod flash;
mod json;
mod messages;
mod pages;
mod routing;
mod session;
mod spending;
mod url;
mod used_codes;
mod validate;

#[cfg(test)]
mod properties;

/// Native builds (clippy, tests) need an entry point; the console only runs in a browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    start();
}

/// Starts the console once the wasm is instantiated (not in the browser tests, which mount
/// components of their own).
#[cfg_attr(
    all(target_arch = "wasm32", not(test)),
    wasm_bindgen::prelude::wasm_bindgen(start)
)]
pub fn start() {
    #[cfg(all(debug_assertions, target_arch = "wasm32"))]
    console_error_panic_hook::set_once();
    // The device's choice, else the browser's preferences (`navigator.languages`).
    let preferred = leptos::prelude::window().navigator().languages();
    let tags: Vec<String> = preferred.iter().filter_map(|v| v.as_string()).collect();
    let lang = components::stored_lang()
        .unwrap_or_else(|| messages::Lang::pick(tags.iter().map(String::as_str)));
    wasm_bindgen_futures::spawn_local(async move {
        config::load().await;
        // Before the first draw, so that a Spanish reader never sees English flash by; if the
        // file cannot be had, the console opens in English.
        components::fetch_lang(lang).await;
        components::apply_lang(lang);
        let document = leptos::prelude::document();
        let Some(root) = document.get_element_by_id("app") else {
            return;
        };
        // The static shell painted while wasm loaded; the app takes its place.
        root.set_inner_html("");
        use wasm_bindgen::JsCast;
        leptos::mount::mount_to(root.unchecked_into(), app::App).forget();
    });
}
