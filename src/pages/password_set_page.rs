//! `#/password/set?token=`: choose a new password from the emailed link (A8).
//!
//! The router has already taken the token out of the address bar; this page asks it once.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::password::reset;
use crate::api::{ApiError, PageScope};
use crate::components::{
    effect, focus_soon, offline, run, set_title, AuthLayout, FormMessage, PasswordField,
};
use crate::flash::Flash;
use crate::messages::t;
use crate::routing::{LinkSecret, Route, Router};
use crate::session::{forget_reset_email, reset_email};
use crate::validate;

/// Why a token was refused, from the API's `errors.token`.
fn token_problem(e: &ApiError) -> Option<&'static str> {
    let text = e.field("token")?.to_ascii_lowercase();
    Some(if text.contains("expired") {
        t().reset_token_expired
    } else if text.contains("used") {
        t().reset_token_used
    } else {
        t().reset_token_invalid
    })
}

/// The set-password page.
#[component]
pub fn PasswordSetPage() -> impl IntoView {
    set_title(t().set_title);
    let router = expect_context::<Router>();
    let flash = expect_context::<Flash>();
    let scope = PageScope::new();
    let first_token = router.take_token();
    let problem = RwSignal::new(first_token.is_none().then_some(t().reset_token_invalid));
    let token = RwSignal::new(first_token);

    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let password_error = RwSignal::new(None::<String>);
    let repeat_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let password_ref = NodeRef::<Input>::new();
    let repeat_ref = NodeRef::<Input>::new();

    let pending = RwSignal::new(false);

    // Another reset link opened while this page shows: start over with its token.
    effect(move || {
        if matches!(router.secret(), Some(LinkSecret::ResetToken(_))) {
            token.set(router.take_token());
            problem.set(None);
            message.set(None);
        }
    });

    let finished = Callback::new(move |result: Result<(), ApiError>| match result {
        Ok(()) => {
            let email = reset_email();
            forget_reset_email();
            flash.set(t().password_changed);
            router.replace(&Route::Login { next: None, email });
        }
        Err(ApiError::Aborted) => {}
        Err(e) => {
            if let Some(p) = token_problem(&e) {
                problem.set(Some(p));
            } else if let Some(field) = e.field("password") {
                password_error.set(Some(field));
                focus_soon(password_ref, true);
            } else {
                message.set(Some(e.to_string()));
            }
        }
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let first = password.get_untracked();
        let p = validate::new_password(&first).err();
        let r = validate::password_repeat(&first, &repeat.get_untracked()).err();
        password_error.set(p.map(str::to_string));
        repeat_error.set(r.map(str::to_string));
        if p.is_some() {
            focus_soon(password_ref, false);
        } else if r.is_some() {
            focus_soon(repeat_ref, false);
        } else {
            message.set(None);
            let token = token.get_untracked().unwrap_or_default();
            let signal = scope.signal();
            let job = async move { reset(&token, &first, &signal).await };
            run(pending, job, finished);
        }
    };

    let new_link = move || {
        Route::PasswordReset {
            email: reset_email(),
        }
        .href()
    };

    view! {
        <AuthLayout>
            <h1 tabindex="-1">{t().set_title}</h1>
            {move || match problem.get() {
                Some(p) => view! {
                    <div class="problem" role="alert">
                        <p>{p}</p>
                        <a class="button secondary" href=new_link>{t().send_new_link}</a>
                    </div>
                }
                .into_any(),
                None => view! {
                    <p class="lede">{t().set_lede}</p>
                    <form class="form" on:submit=submit novalidate>
                        <PasswordField id="new-password" label=t().new_password_label autocomplete="new-password"
                            value=password error=password_error node_ref=password_ref/>
                        <PasswordField id="repeat-password" label=t().confirm_password_label autocomplete="new-password"
                            value=repeat error=repeat_error node_ref=repeat_ref/>
                        <FormMessage message=message/>
                        <button type="submit" class="button primary wide" disabled=move || pending.get() || offline()>
                            {move || if pending.get() { t().changing_password } else { t().change_password_button }}
                        </button>
                    </form>
                }
                .into_any(),
            }}
        </AuthLayout>
    }
}
