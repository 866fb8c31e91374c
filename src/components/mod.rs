//! Reusable pieces of the interface, one per file.

mod auth_layout;
mod card_field;
mod copy_button;
mod email_request;
mod flash_notice;
mod form_card;
mod form_message;
mod google_button;
mod language_switch;
mod logo;
mod offline_banner;
mod password_dialog;
mod password_field;
mod qr_code;
mod recovery_codes;
mod resend_button;
mod shell;
mod text_field;
mod theme_toggle;

pub use auth_layout::AuthLayout;
pub use card_field::{Card, CardField};
pub use copy_button::CopyButton;
pub use email_request::EmailRequest;
pub use flash_notice::FlashNotice;
pub use form_card::{report, run, start, status, FormCard, Job};
pub use form_message::FormMessage;
pub use google_button::{GoogleButton, GoogleMode};
pub use language_switch::{apply_lang, fetch_lang, stored_lang, LangCtx, LanguageSwitch};
pub use logo::Logo;
pub use offline_banner::{browser_online, offline, OfflineBanner, Online};
pub use password_dialog::{close_dialog, open_dialog, ConfirmDialog, PasswordDialog};
pub use password_field::PasswordField;
pub use qr_code::qr_svg;
pub use recovery_codes::RecoveryCodes;
pub use resend_button::{use_countdown, ResendButton};
pub use shell::Shell;
pub use text_field::TextField;
pub use theme_toggle::ThemeToggle;

/// Escapes text for HTML markup (element content and quoted attribute values).
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Sets the document title to "<page> · Gigalixir".
pub fn set_title(page: &str) {
    let suffix = crate::messages::t().title_suffix;
    leptos::prelude::document().set_title(&format!("{page} · {suffix}"));
}

/// Moves keyboard focus to an input once it is in the page (after the current render).
/// By then the page may be gone (a 401 ends the session meanwhile): then nothing happens.
pub fn focus_soon(input: leptos::prelude::NodeRef<leptos::html::Input>, select: bool) {
    use leptos::prelude::*;
    request_animation_frame(move || {
        if let Some(el) = input.try_get_untracked().flatten() {
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
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// Runs `f` now, and again whenever a signal it reads changes. Every effect of the console
/// goes through this one `Effect` type: each closure type given to `Effect::new` gets its
/// own copy of the effect machinery (about 1.4 KB of wasm each).
pub fn effect(f: impl Fn() + 'static) {
    let f: Box<dyn Fn()> = Box::new(f);
    leptos::prelude::Effect::new(move |_| f());
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            super::html_escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(super::html_escape("plain"), "plain");
    }
}
