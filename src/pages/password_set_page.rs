//! `#/password/set?token=`: choose a new password from the emailed link (A8).
//!
//! The router has already taken the token out of the address bar; this page asks it once.

use leptos::prelude::*;

use crate::api::password::reset;
use crate::api::Public;
use crate::components::{
    answered, effect, page_title, set_title, AuthForm, AuthLayout, PasswordField, Problems,
};
use crate::data::Action;
use crate::messages::t;
use crate::routing::{LinkSecret, Route, Router};
use crate::session::{forget_reset_email, reset_email, SessionCtx};
use crate::validate;

/// Why a token was refused, in our words, from the API's `errors.token`.
fn token_problem(why: &str) -> String {
    let why = why.to_ascii_lowercase();
    let m = t();
    if why.contains("expired") {
        m.reset_token_expired
    } else if why.contains("used") {
        m.reset_token_used
    } else {
        m.reset_token_invalid
    }
    .to_string()
}

/// The set-password page.
#[component]
pub fn PasswordSetPage() -> impl IntoView {
    set_title(t().set_title);
    let router = expect_context::<Router>();
    let flash = expect_context::<SessionCtx>().flash();
    let public = Public::for_page();
    let first_token = router.take_token();
    let problem = RwSignal::new(
        first_token
            .is_none()
            .then(|| t().reset_token_invalid.to_string()),
    );
    let token = RwSignal::new(first_token);

    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let problems = Problems::new();
    // Whether this link has been asked about already: once is enough.
    let asked = RwSignal::new(false);
    // A refused token is no field of this form: the page says why instead of the form, with
    // a way to a new link.
    problems.field_in("token", problem, token_problem);
    let (password_error, repeat_error) = (problems.field("password"), problems.field("repeat"));
    let change = Action::new_local(move |(token, password): &(String, String)| {
        reset(public, token, password)
    });
    let pending = change.pending();

    // Another reset link opened while this page shows: start over with its token.
    effect(move || {
        if matches!(router.secret(), Some(LinkSecret::ResetToken(_))) {
            token.set(router.take_token());
            problem.set(None);
            asked.set(false);
            problems.clear();
        }
    });

    answered(change, problems, move |()| {
        let email = reset_email();
        forget_reset_email();
        flash.set(t().password_changed);
        router.replace(&Route::Login { next: None, email });
    });
    let submit = Callback::new(move |()| {
        let first = password.get_untracked();
        problems.clear();
        let checks = [
            problems.check("password", validate::new_password(&first)),
            problems.check(
                "repeat",
                validate::password_repeat(&first, &repeat.get_untracked()),
            ),
        ];
        let link = token.get_untracked().unwrap_or_default();
        if checks.iter().all(|ok| *ok) {
            change.dispatch((link, first));
        } else {
            problems.focus_first_invalid();
            // Whether the link still works is asked at once, not once both passwords are
            // right: with no password the API checks the token first and spends nothing.
            // Only a dead link is news here; the fields already say what to fix.
            if asked.get_untracked() {
                return;
            }
            asked.set(true);
            let asking = reset(public, &link, "");
            leptos::task::spawn_local(async move {
                if let Some(why) = asking.await.err().and_then(|e| e.field("token")) {
                    problem.try_set(Some(token_problem(&why)));
                }
            });
        }
    });

    let new_link = move || {
        Route::PasswordReset {
            email: reset_email(),
        }
        .href()
    };

    view! {
        <AuthLayout>
            {page_title(t().set_title, None)}
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
                    <AuthForm problems pending
                        labels=(t().change_password_button, t().changing_password) on_submit=submit>
                        <PasswordField id="new-password" label=t().new_password_label autocomplete="new-password"
                            value=password error=password_error/>
                        <PasswordField id="repeat-password" label=t().confirm_password_label autocomplete="new-password"
                            value=repeat error=repeat_error/>
                    </AuthForm>
                }
                .into_any(),
            }}
        </AuthLayout>
    }
}

#[cfg(test)]
mod tests {
    use super::token_problem;
    use crate::messages::t;

    #[test]
    fn a_refused_token_is_told_in_our_words() {
        assert_eq!(token_problem("has expired"), t().reset_token_expired);
        assert_eq!(token_problem("Has already been USED"), t().reset_token_used);
        assert_eq!(token_problem("is invalid"), t().reset_token_invalid);
    }
}
