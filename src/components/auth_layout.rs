//! The frame of every signed-out page: brand header, a centred card, a footer.

use leptos::prelude::*;

use super::{FlashNotice, LanguageSwitch, Logo, OfflineBanner, ThemeToggle};
use crate::messages::t;

/// Where help is asked for: an address, the same in every language.
const HELP_MAILTO: &str = "mailto:help@gigalixir.com";

/// Wraps a signed-out page's content in the brand frame.
#[component]
pub fn AuthLayout(children: Children) -> impl IntoView {
    view! {
        <div class="auth">
            <header class="auth-header">
                <span class="brand"><Logo/><span>{t().brand}</span></span>
            </header>
            <main id="main" class="card" tabindex="-1"><OfflineBanner/><FlashNotice/>{children()}</main>
            <footer class="footer"><p>{t().footer_help}" "<a href=HELP_MAILTO>{HELP_MAILTO.trim_start_matches("mailto:")}</a></p><div class="prefs"><LanguageSwitch/><ThemeToggle/></div></footer>
        </div>
    }
}
