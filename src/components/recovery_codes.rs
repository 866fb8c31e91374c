//! Recovery codes, shown once: numbered, with Copy, Download and Print, and a checkbox
//! confirming they were saved before Done.

use leptos::prelude::*;

use super::{each, CopyButton};
use crate::messages::{decimal, t};

/// Today's local date as `YYYY-MM-DD`, for the file's name and header.
fn today() -> String {
    let d = js_sys::Date::new_0();
    let (year, month, day) = (d.get_full_year(), d.get_month() + 1, d.get_date());
    [
        decimal(year.into(), 0),
        decimal(month.into(), 2),
        decimal(day.into(), 2),
    ]
    .join("-")
}

/// What the download link points at until it is pressed: an empty file, never a route.
const EMPTY_FILE: &str = "data:text/plain,";

/// An object URL for `text` as a UTF-8 text file.
fn text_blob_url(text: &str) -> Option<String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("text/plain;charset=utf-8");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()?;
    web_sys::Url::create_object_url_with_blob(&blob).ok()
}

/// The downloaded file: a header line, then the codes, one per line.
pub fn codes_file(email: &str, date: &str, codes: &str) -> String {
    [&t().codes_file_header(email, date), "\n", codes, "\n"].concat()
}

/// The codes block; Done is enabled once the user says the codes are saved.
#[component]
pub fn RecoveryCodes(
    /// The codes, in the API's order, one per line.
    codes: RwSignal<String>,
    /// Whether the user says they saved them (reset by the owner for new codes).
    saved: RwSignal<bool>,
    /// The account's email, named in the file.
    email: String,
    /// The page's status region (Copy all says there whether it copied).
    status: RwSignal<Option<String>>,
    /// Pressed after saving.
    on_done: Callback<()>,
) -> impl IntoView {
    // The file is made when the link is pressed (before the browser follows it), so it
    // always holds the codes shown and today's date, and nothing is drawn twice.
    let download = move |ev: leptos::ev::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(link) = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let date = today();
        let file = codes.with(|c| codes_file(&email, &date, c));
        // A `blob:` URL, revoked once the download has begun, rather than a `data:` URL that
        // would keep the codes in the page for as long as the link is there.
        let Some(url) = text_blob_url(&file) else {
            ev.prevent_default();
            return;
        };
        let _ = link.set_attribute("href", &url);
        let name = ["gigalixir-recovery-codes-", &email, "-", &date, ".txt"].concat();
        let _ = link.set_attribute("download", &name);
        set_timeout(
            move || {
                let _ = web_sys::Url::revoke_object_url(&url);
                let _ = link.set_attribute("href", EMPTY_FILE);
            },
            std::time::Duration::from_secs(1),
        );
    };
    view! {
        <div class="recovery-codes">
            <h2 id="codes-title" tabindex="-1">{t().codes_title}</h2>
            <p class="lede">{t().codes_lede}</p>
            <ol class="codes" aria-label=t().codes_list>
                {move || codes.with(|c| {
                    each(c.lines(), |code| view! { <li><code>{code.to_string()}</code></li> }.into_any())
                        .into_any()
                })}
            </ol>
        </div>
        <div class="actions no-print">
            <CopyButton text=codes label=t().copy_all status/>
            <a class="button secondary small" href=EMPTY_FILE download="" on:click=download>
                {t().download_txt}
            </a>
            {super::button("button secondary small", t().print,
                Callback::new(|()| { let _ = window().print(); }))}
        </div>
        <div class="check no-print">
            <input id="codes-saved" type="checkbox" prop:checked=saved
                on:change=move |ev| saved.set(event_target_checked(&ev))/>
            <label for="codes-saved">{t().codes_saved}</label>
        </div>
        <button type="button" class="button primary no-print" disabled=move || !saved.get()
            on:click=move |_| on_done.run(())>{t().done}</button>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_has_a_header_then_one_code_per_line() {
        let codes = "abcde-fghjk\nmnpqr-stuvw";
        assert_eq!(
            codes_file("me@example.com", "2026-11-23", codes),
            "Gigalixir recovery codes for me@example.com, saved 2026-11-23. Each code works once.\nabcde-fghjk\nmnpqr-stuvw\n"
        );
    }
}
