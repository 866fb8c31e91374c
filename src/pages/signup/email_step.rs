//! The first step: the address the code goes to, or Google instead.

use leptos::prelude::*;

use super::flow::Flow;
use crate::components::{
    answered, page_title, AuthForm, GoogleButton, GoogleMode, Problems, TextField,
};
use crate::data::Action;
use crate::messages::t;
use crate::validate;

/// Email, then "Email me a code"; or "Continue with Google".
#[component]
pub fn EmailStep(flow: Flow) -> impl IntoView {
    let problems = flow.problems(Problems::new());
    let email_error = problems.field("email");
    let start = Action::new_local(move |address: &String| flow.start(address));
    answered(start, problems, move |data| flow.started(data));
    let submit = Callback::new(move |()| {
        let address = flow.email.get_untracked().trim().to_string();
        problems.clear();
        if problems.check("email", validate::email(&address)) {
            start.dispatch(address);
        } else {
            problems.focus_first_invalid();
        }
    });
    flow.focus(Some("email"));

    view! {
        <AuthForm problems pending=start.pending() labels=(t().signup_send_code, t().sending)
            on_submit=submit>
            {page_title(t().signup_title, Some(t().signup_lede))}
            <TextField id="email" label=t().email_label kind="email" autocomplete="email"
                value=flow.email error=email_error/>
        </AuthForm>
        <div class="or" aria-hidden="true"><span>{t().or}</span></div>
        <GoogleButton mode=GoogleMode::SignUp problems
            on_done=Callback::new(move |data| flow.google_answered(data))/>
        <ul class="links">
            <li>{t().have_account}" "<a href=move || flow.sign_in_href()>{t().sign_in_button}</a></li>
        </ul>
    }
}
