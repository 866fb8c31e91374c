//! Reusable pieces of the interface, one per file.

mod auth_form;
mod auth_layout;
mod bar_chart;
mod buttons;
mod card_field;
mod copy_button;
mod download;
mod email_request;
mod flash_notice;
mod form_card;
mod form_message;
mod google_button;
mod language_switch;
mod list_panel;
mod logo;
mod offline_banner;
mod page_title;
mod panel;
mod password_dialog;
mod password_field;
mod problems;
mod qr_code;
mod recovery_codes;
mod resend_button;
mod shell;
mod svg;
mod table_panel;
mod text_field;
mod theme_toggle;

/// Effects are the data layer's (`data::effect`); re-exported for the components using them.
pub use crate::data::effect;
pub use auth_form::AuthForm;
pub use auth_layout::AuthLayout;
pub use bar_chart::{bar_chart, Bar};
pub use buttons::{button, submit_button};
pub use card_field::{Card, CardField};
pub use copy_button::CopyButton;
pub use download::{download_link, today};
pub use email_request::EmailRequest;
pub use flash_notice::FlashNotice;
pub use form_card::{status, FormCard};
pub use form_message::{form_alert, FormMessage};
pub use google_button::{GoogleButton, GoogleMode};
pub use language_switch::{apply_lang, fetch_lang, stored_lang, LangCtx, LanguageSwitch};
pub use list_panel::{list_section, ListPanel, ListText, Row};
pub use logo::Logo;
pub use offline_banner::{offline, OfflineBanner, Online};
pub use page_title::page_title;
pub use panel::panel;
pub use password_dialog::{close_dialog, open_dialog, ConfirmDialog, PasswordDialog, PASSWORD_ID};
pub use password_field::PasswordField;
pub use problems::{answered, not_loaded, sentence, wait_asked, Problems};
pub use qr_code::QrCode;
pub use recovery_codes::RecoveryCodes;
pub use resend_button::{use_countdown, ResendButton};
pub use shell::Shell;
pub use table_panel::{Cell, TablePanel};
pub use text_field::TextField;
pub use theme_toggle::ThemeToggle;

/// One view per item, as a list of `AnyView`: every list in the console is drawn through
/// here, so Leptos's list rendering is in the wasm once rather than once per row type.
pub fn each<T>(
    items: impl IntoIterator<Item = T>,
    row: impl FnMut(T) -> leptos::prelude::AnyView,
) -> Vec<leptos::prelude::AnyView> {
    items.into_iter().map(row).collect()
}

/// An ARIA state's value ("true" or "false"). Reactive attributes and text are `String`
/// throughout: each other value type a reactive closure returns brings its own copy of
/// Leptos's attribute and text code (docs/size-log.md).
pub fn truth(on: bool) -> String {
    String::from(if on { "true" } else { "false" })
}

/// Sets the document title to "<page> · Gigalixir".
pub fn set_title(page: &str) {
    let suffix = crate::messages::t().title_suffix;
    leptos::prelude::document().set_title(&[page, " · ", suffix].concat());
}

/// Moves keyboard focus to the input `id` once it is in the page (after the current
/// render), its text selected if `select`. By then the page may be gone (a 401 ends the
/// session meanwhile): then nothing happens. Inputs are found by id, not by node refs: a
/// node ref brings code of its own per element type (docs/size-log.md).
pub fn focus_soon(id: &'static str, select: bool) {
    use wasm_bindgen::JsCast;
    leptos::prelude::request_animation_frame(move || {
        let input = leptos::prelude::document().get_element_by_id(id);
        if let Some(el) = input.map(|el| el.unchecked_into::<web_sys::HtmlInputElement>()) {
            let _ = el.focus();
            if select {
                el.select();
            }
        }
    });
}

/// Moves keyboard focus to the page's heading once it is drawn, as a page load would.
pub fn focus_heading() {
    focus_selector("main h1");
}

/// Moves keyboard focus to the first element matching `selector` once it is drawn (e.g. the
/// heading of a part of the page that just appeared).
pub fn focus_selector(selector: &'static str) {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    request_animation_frame(move || {
        if let Ok(Some(el)) = document().query_selector(selector) {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir`, with its text up to its test module.
    fn shipped_sources(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                shipped_sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs")
                && !path.to_string_lossy().ends_with("_tests.rs")
            {
                let text = std::fs::read_to_string(&path).unwrap();
                let shipped = text.split("#[cfg(test)]").next().unwrap_or("").to_string();
                out.push((path.display().to_string(), shipped));
            }
        }
    }

    /// Markup is made by `view!` alone, which escapes what it is given: no `inner_html`,
    /// and no string that starts a tag.
    #[test]
    fn no_markup_is_assembled_from_strings() {
        let mut files = Vec::new();
        shipped_sources(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &mut files,
        );
        assert!(files.len() > 30, "{} files", files.len());
        for (path, text) in files {
            for (n, line) in text.lines().enumerate() {
                // A string given to a text builder (not `view!`'s own literals) holding a tag.
                // `[..].concat()` takes its strings before the call: every one on the line.
                let concatenated = line.contains(".concat()");
                let tag_in_string = ["format!(", "push_str(", "write!(", "concat!("]
                    .iter()
                    .filter_map(|b| line.find(b).map(|i| &line[i..]))
                    .filter_map(|rest| rest.split('"').nth(1))
                    .chain(line.split('"').skip(1).step_by(2).filter(|_| concatenated))
                    .any(|text| {
                        text.match_indices('<').any(|(i, _)| {
                            text[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
                        })
                    });
                let inner = line.contains("inner_html") && !line.contains("set_inner_html(\"\")");
                assert!(!tag_in_string && !inner, "{path}:{}: {line}", n + 1);
            }
        }
    }
}
