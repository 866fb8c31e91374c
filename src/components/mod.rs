//! Reusable pieces of the interface, one per file.

mod auth_layout;
mod card_field;
mod email_request;
mod flash_notice;
mod form_card;
mod form_message;
mod google_button;
mod logo;
mod password_field;
mod resend_button;
mod shell;
mod text_field;

pub use auth_layout::AuthLayout;
pub use card_field::{Card, CardField};
pub use email_request::EmailRequest;
pub use flash_notice::FlashNotice;
pub use form_card::{report, start, status, FormCard, Job, PasswordDialog};
pub use form_message::FormMessage;
pub use google_button::{GoogleButton, GoogleMode};
pub use logo::Logo;
pub use password_field::PasswordField;
pub use resend_button::{use_countdown, ResendButton};
pub use shell::Shell;
pub use text_field::TextField;

/// Sets the document title to "<page> · Gigalixir".
pub fn set_title(page: &str) {
    let suffix = crate::messages::t().title_suffix;
    leptos::prelude::document().set_title(&format!("{page} · {suffix}"));
}

/// Moves keyboard focus to an input once it is in the page (after the current render).
pub fn focus_soon(input: leptos::prelude::NodeRef<leptos::html::Input>, select: bool) {
    use leptos::prelude::*;
    request_animation_frame(move || {
        if let Some(el) = input.get_untracked() {
            let _ = el.focus();
            if select {
                el.select();
            }
        }
    });
}

/// Moves keyboard focus to the page's heading once it is drawn, as a page load would.
pub fn focus_heading() {
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    request_animation_frame(|| {
        if let Ok(Some(h1)) = document().query_selector("main h1") {
            if let Ok(h1) = h1.dyn_into::<web_sys::HtmlElement>() {
                let _ = h1.focus();
            }
        }
    });
}
