//! The root component: provides router, session and API client; guards routes; picks the page.

use leptos::prelude::*;

use crate::components::{effect, focus_heading, LangCtx, Online, Shell};
use crate::flash::Flash;
use crate::messages::{notice_for, t};
use crate::pages::{
    AccountPage, ApiKeyPage, ConfirmationResendPage, DeleteAccountPage, InvoicesPage, LoginPage,
    MfaPage, NotFoundPage, NoticePage, PasswordResetPage, PasswordSetPage, PaymentMethodPage,
    SignupPage, SshKeysPage, StopChargesPage, UpgradePage,
};
use crate::routing::{AccountTab, Route, Router};
use crate::session::SessionCtx;
use crate::spending::Warning;

/// The whole console.
#[component]
pub fn App() -> impl IntoView {
    let router = Router::provide();
    let flash = Flash::new();
    let session = SessionCtx::provide(flash);
    Online::provide();
    Warning::provide();
    let lang = crate::data::Choice::new(crate::messages::lang());
    provide_context(LangCtx(lang));

    let signed_in = Memo::new(move |_| session.signed_in());
    // Bumped when a link's message is sent to a page: even if that page is the one showing,
    // it is drawn again, so the message appears where the link said.
    let visit = RwSignal::new(0u32);

    // Redirects live here, in one place, so pages never decide where the user belongs.
    effect(move || {
        let route = router.route();
        let signed_in = signed_in.get();
        match &route {
            r if r.needs_session() && !signed_in => router.replace(&r.login_returning_here()),
            Route::Login { next, .. } if signed_in => {
                router.replace(next.as_deref().unwrap_or(&Route::Account { tab: None }))
            }
            // Signing up ends signed in; a signed-in visitor has nothing to sign up for.
            Route::Signup { .. } | Route::Register if signed_in => {
                router.replace(&Route::Account { tab: None })
            }
            // A link's message is shown where it leads, when it leads somewhere of ours.
            Route::Notify { msg, to: Some(to) } => {
                match msg.as_deref() {
                    // The key now works only with the new address: switch before any call.
                    Some("email_changed") => session.adopt_next_email(),
                    Some("email_change_revoked") => session.set_next_email(None),
                    _ => {}
                }
                let confirmed = matches!(
                    msg.as_deref(),
                    Some("email_confirmed" | "already_confirmed")
                );
                if confirmed && signed_in {
                    // "You can sign in now" would be wrong: they are, so to their account.
                    flash.set(t().msg_email_confirmed_signed_in);
                    router.replace(&Route::Account { tab: None });
                } else {
                    flash.set(notice_for(msg.as_deref()));
                    router.replace(to);
                }
                visit.update(|v| *v += 1);
            }
            Route::Home if signed_in => router.replace(&Route::Account { tab: None }),
            Route::Home => router.replace(&Route::Login {
                next: None,
                email: None,
            }),
            _ => {}
        }
    });

    // A page is identified by its route minus what only the guard cares about, so signing in
    // (which changes the session, not the route) doesn't rebuild the page mid-redirect.
    // A language switch draws the page again in the new language.
    let page = Memo::new(move |_| (router.route(), signed_in.get(), visit.get(), lang.get()));

    // After in-app navigation, move focus to the new page's heading, as a page load would.
    Effect::new(move |previous: Option<Route>| {
        let (route, ..) = page.get();
        if previous.as_ref().is_some_and(|p| p != &route) {
            focus_heading();
        }
        route
    });

    move || {
        let (route, signed_in, ..) = page.get();
        match route {
            Route::Login { email, .. } if !signed_in => view! { <LoginPage email/> }.into_any(),
            // One shell for every tab: each arm of its own would repeat the shell's code.
            Route::Account { tab } if signed_in => {
                let page = match tab {
                    Some(AccountTab::ApiKey) => view! { <ApiKeyPage/> }.into_any(),
                    Some(AccountTab::PaymentMethod) => view! { <PaymentMethodPage/> }.into_any(),
                    Some(AccountTab::Billing) => view! { <InvoicesPage/> }.into_any(),
                    Some(AccountTab::SshKeys) => view! { <SshKeysPage/> }.into_any(),
                    Some(AccountTab::Mfa) => view! { <MfaPage/> }.into_any(),
                    Some(AccountTab::Upgrade) => view! { <UpgradePage/> }.into_any(),
                    Some(AccountTab::Delete) => view! { <DeleteAccountPage/> }.into_any(),
                    Some(AccountTab::StopCharges) => view! { <StopChargesPage/> }.into_any(),
                    None | Some(AccountTab::Profile) => view! { <AccountPage/> }.into_any(),
                };
                view! { <Shell>{page}</Shell> }.into_any()
            }
            Route::Signup { email, .. } if !signed_in => view! { <SignupPage email/> }.into_any(),
            Route::Register if !signed_in => view! { <SignupPage email=None/> }.into_any(),
            Route::PasswordReset { email } => view! { <PasswordResetPage email/> }.into_any(),
            Route::PasswordSet { .. } => view! { <PasswordSetPage/> }.into_any(),
            Route::ConfirmationResend { email, msg } => {
                view! { <ConfirmationResendPage email msg/> }.into_any()
            }
            Route::Notify { msg, to: None } => view! { <NoticePage msg done=false/> }.into_any(),
            Route::Success { msg } => view! { <NoticePage msg done=true/> }.into_any(),
            // The guard is redirecting; render nothing for that instant.
            Route::Home
            | Route::Login { .. }
            | Route::Notify { .. }
            | Route::Signup { .. }
            | Route::Register => ().into_any(),
            r if r.needs_session() && !signed_in => ().into_any(),
            _ => view! { <NotFoundPage/> }.into_any(),
        }
    }
}
