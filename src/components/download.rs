//! Files made in the browser and saved through a link (recovery codes, billing CSVs). The
//! file is made when the link is pressed, before the browser follows it, so it always holds
//! what the page shows; it is handed over as a `blob:` URL that is revoked a second later,
//! so nothing sensitive stays reachable from the page.

use leptos::prelude::*;

/// What a download link points at until it is pressed: an empty file, never a route.
const EMPTY_FILE: &str = "data:text/plain,";

/// Today's local date as `YYYY-MM-DD`, for files' names and headers: as the Swedish locale
/// writes dates, which is ISO 8601's order. The browser's `Intl` does the calendar and the
/// time zone, with date calls the console makes anyway (each call kind is an import).
pub fn today() -> String {
    let now = js_sys::Date::new(&js_sys::Date::now().into());
    now.to_locale_date_string("sv-SE", &wasm_bindgen::JsValue::UNDEFINED)
        .into()
}

/// An object URL for `text` as a UTF-8 file of type `mime`.
fn blob_url(text: &str, mime: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(&[mime, ";charset=utf-8"].concat());
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// Makes a file when its link is pressed: its name and its text. Boxed, so that the link's
/// code is in the wasm once for every kind of file.
pub type MakeFile = Box<dyn Fn() -> (String, String)>;

/// A link that saves the file `file()` makes when pressed.
pub fn download_link(
    class: &'static str,
    label: &'static str,
    mime: &'static str,
    file: MakeFile,
) -> AnyView {
    let save = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(link) = ev
            .current_target()
            .map(|t| t.unchecked_into::<web_sys::Element>())
        else {
            return;
        };
        let (name, text) = file();
        let Some(url) = blob_url(&text, mime) else {
            ev.prevent_default();
            return;
        };
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", &name);
        set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&url);
                let _ = link.set_attribute("href", EMPTY_FILE);
            },
            std::time::Duration::from_secs(1),
        );
    };
    view! { <a class=class href=EMPTY_FILE download="" on:click=save>{label}</a> }.into_any()
}
