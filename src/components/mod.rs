//! Reusable pieces of the interface, one per file.

mod auth_layout;
mod email_request;
mod flash_notice;
mod form_message;
mod logo;
mod password_field;
mod resend_button;
mod shell;
mod text_field;

pub use auth_layout::AuthLayout;
pub use email_request::EmailRequest;
pub use flash_notice::FlashNotice;
pub use form_message::FormMessage;
pub use logo::Logo;
pub use password_field::PasswordField;
pub use resend_button::ResendButton;
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
