//! Entry point: load the runtime config, then replace the static shell with the app.

// In the browser the page's loader calls `start`; without Rust's `main` the wasm carries no
// process start-up or exit (stdout flushing, thread naming) that a page never uses.
#![cfg_attr(target_arch = "wasm32", no_main)]

mod api;
mod app;
mod components;
mod config;
mod data;
mod flash;
mod messages;
mod pages;
mod routing;
mod session;
mod url;
mod validate;

#[cfg(test)]
mod properties;

/// Native builds (clippy, tests) need an entry point; the console only runs in a browser.
#[cfg(not(target_arch = "wasm32"))]
fn main() {
    start();
}

/// Starts the console once the wasm is instantiated.
#[cfg_attr(target_arch = "wasm32", wasm_bindgen::prelude::wasm_bindgen(start))]
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
        if let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() {
            leptos::mount::mount_to(root, app::App).forget();
        }
    });
}
