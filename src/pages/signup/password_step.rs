//! The new account's password, with how strong it is.

use leptos::prelude::*;

use super::flow::{Flow, Stage};
use crate::components::{answered, page_title, AuthForm, PasswordField, Problems};
use crate::data::Action;
use crate::messages::{decimal, t};
use crate::validate;

/// A new password and its strength meter.
#[component]
pub fn PasswordStep(flow: Flow) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let problems = flow.problems(Problems::new());
    let password_error = problems.field("password");
    let choose = Action::new_local(move |p: &String| flow.send("password", p));
    answered(choose, problems, move |()| flow.go(Stage::Plan));
    let submit = Callback::new(move |()| {
        let p = password.get_untracked();
        problems.clear();
        if problems.check("password", validate::new_password(&p)) {
            choose.dispatch(p);
        } else {
            problems.focus_first_invalid();
        }
    });
    flow.focus(Some("new-password"));

    let strength = move || {
        let score = password.with(|p| {
            flow.email
                .with_untracked(|e| validate::password_strength(p, e))
        });
        (score > 0).then(|| {
            let [label, hint] = t().strength[usize::from(score - 1)];
            view! {
                <div class="strength" data-score=decimal(score.into(), 0)>
                    <div class="meter" aria-hidden="true"><span></span></div>
                    <p id="strength-text" role="status">
                        <strong>{t().strength_label(label)}</strong>" "{hint}
                    </p>
                </div>
            }
            .into_any()
        })
    };
    view! {
        <AuthForm problems pending=choose.pending() labels=(t().continue_button, t().saving)
            on_submit=submit>
            {page_title(t().signup_password_title, Some(t().signup_password_lede))}
            // Lets password managers save the new password under the right account.
            <input type="email" hidden autocomplete="username" prop:value=move || flow.email.get()/>
            <PasswordField id="new-password" label=t().password_label autocomplete="new-password"
                value=password error=password_error/>
            {strength}
        </AuthForm>
    }
}
