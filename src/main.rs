//! Entry point: load the runtime config, then replace the static shell with the app.

mod api;
mod app;
mod components;
mod config;
mod flash;
mod messages;
mod pages;
mod routing;
mod session;
mod url;
mod validate;

#[cfg(test)]
mod properties;

fn main() {
    // The device's choice, else the browser's preferences (`navigator.languages`).
    let preferred = leptos::prelude::window().navigator().languages();
    let tags: Vec<String> = preferred.iter().filter_map(|v| v.as_string()).collect();
    let lang = components::stored_lang()
        .unwrap_or_else(|| messages::Lang::pick(tags.iter().map(String::as_str)));
    components::apply_lang(lang);
    wasm_bindgen_futures::spawn_local(async {
        config::load().await;
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
