//! The signed-in frame: banner with the account and sign-out, navigation, main content.

use leptos::prelude::*;

use super::{each, FlashNotice, LanguageSwitch, Logo, OfflineBanner, ThemeToggle};
use crate::data::effect;
use crate::messages::t;
use crate::routing::{AccountTab, Route, Router};
use crate::session::SessionCtx;
use crate::spending::Warning;

/// Wraps a signed-in page with the header and navigation.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let session = expect_context::<SessionCtx>();
    let router = expect_context::<Router>();
    let email = move || session.current().map(|s| s.email).unwrap_or_default();
    // The tab showing; a bare `#/account` is the profile.
    let current = move || match router.route() {
        Route::Account { tab } => Some(tab.unwrap_or(AccountTab::Profile)),
        _ => None,
    };
    // The spending line's warning (spending.rs): Billing judges it from the rate it loads.
    let warning = expect_context::<Warning>();
    let on_billing = current() == Some(AccountTab::Billing);
    if !on_billing {
        if let Some(s) = session.current_untracked() {
            warning.check(s.email);
        }
    }
    let billing = Route::Account {
        tab: Some(AccountTab::Billing),
    }
    .href();
    let tabs = [
        (AccountTab::Profile, t().nav_profile),
        (AccountTab::PaymentMethod, t().nav_payment_method),
        (AccountTab::Billing, t().nav_invoices),
        (AccountTab::ApiKey, t().nav_api_key),
        (AccountTab::SshKeys, t().nav_ssh_keys),
        (AccountTab::Mfa, t().nav_mfa),
        (AccountTab::Delete, t().nav_delete),
    ];
    // On a phone the tabs are one row that scrolls sideways: keep the current one in view.
    effect(move || {
        if current().is_some() {
            if let Ok(Some(link)) = document().query_selector(".sidenav [aria-current]") {
                // The options as JSON, which the console parses anyway: each setter of
                // `ScrollIntoViewOptions` would be an import of its own.
                use wasm_bindgen::JsCast;
                let options = js_sys::JSON::parse(r#"{"block":"nearest","inline":"nearest"}"#);
                if let Ok(options) = options {
                    link.scroll_into_view_with_scroll_into_view_options(options.unchecked_ref());
                }
            }
        }
    });
    let skip = move |ev: leptos::ev::MouseEvent| {
        // A plain `#main` link would be taken for a route.
        ev.prevent_default();
        if let Some(main) = document().get_element_by_id("main") {
            use wasm_bindgen::JsCast;
            let _ = main.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    view! {
        <div class="app">
            <header class="topbar">
                // Inside the banner landmark, so that no content sits outside every landmark.
                <a class="skip" href="#main" on:click=skip>{t().skip_to_content}</a>
                <a class="brand" href=Route::Account { tab: None }.href()><Logo/><span>{t().brand}</span></a>
                <div class="whoami">
                    <span class="visually-hidden">{t().signed_in_as}" "</span>
                    <span class="email">{email}</span>
                    <div class="prefs"><LanguageSwitch/><ThemeToggle/></div>
                    <button type="button" class="button secondary" on:click=move |_| {
                        // Unsaved recovery codes would be lost: ask, as leaving the page does.
                        if router.may_leave() {
                            router.set_leave_guard(None);
                            session.sign_out();
                            // Plain sign-in, not one returning here: the next person to sign
                            // in on this device should not land on this account's page.
                            router.replace(&Route::Login { next: None, email: None });
                        }
                    }>
                        {t().sign_out}
                    </button>
                </div>
            </header>
            <div class="layout">
                <nav class="sidenav" aria-label=t().nav_label>
                    <ul>
                        {each(tabs, |(tab, label)| view! {
                            <li>
                                <a
                                    href=Route::Account { tab: Some(tab) }.href()
                                    aria-current=move || (current() == Some(tab)).then(|| "page".to_string())
                                >
                                    {label}
                                </a>
                            </li>
                        }.into_any())}
                    </ul>
                </nav>
                <main id="main" class="content" tabindex="-1"><OfflineBanner/><FlashNotice/>
                    // A status region from the start, so that the warning is announced when it comes.
                    <div class="spend-warning" role="status">
                        {move || warning.text().map(|text| view! {
                            // On Billing itself the way there would lead nowhere.
                            <p class="notice warn">{text}{(!on_billing).then(|| view! {
                                " "<a href=billing.clone()>{t().nav_invoices}</a>
                            }.into_any())}</p>
                        }.into_any())}
                    </div>
                    {children()}
                </main>
            </div>
        </div>
    }
}
