//! The emailed code: typed, or sent by following the email's link; sent again on request.

use leptos::prelude::*;

use super::flow::{Flow, Stage, COOLDOWN_SECS};
use crate::components::{
    answered, button, effect, focus_soon, page_title, wait_asked, AuthForm, Problems, ResendButton,
    TextField,
};
use crate::data::Action;
use crate::messages::t;
use crate::validate;

/// Why the API refused a code, in our words.
fn code_problem(why: &str) -> String {
    if why.contains("expired") {
        t().signup_code_expired
    } else {
        t().signup_code_wrong
    }
    .to_string()
}

/// The 6-digit code, "Send again" and "Use a different email".
#[component]
pub fn CodeStep(flow: Flow) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let problems = flow.problems(Problems::new());
    let code_error = problems.field_saying("confirmation_code", code_problem);

    let verify = Action::new_local(move |c: &String| flow.send("confirmation_code", c));
    answered(verify, problems, move |()| flow.go(Stage::Password));
    let asking = flow.asking;
    let submit = Callback::new(move |()| {
        problems.clear();
        if asking.get_untracked() {
            // The effect below sends the link's code.
            return asking.set(false);
        }
        match validate::signup_code(&code.get_untracked()) {
            Ok(c) => verify.dispatch(c),
            Err(e) => {
                problems.check("confirmation_code", Err(e));
                problems.focus_first_invalid();
            }
        }
    });

    // A new code replaces the old one, and only the newest works.
    let resend = Action::new_local(move |address: &String| flow.start(address));
    answered(resend, problems, move |data| {
        if data.review {
            return flow.started(data);
        }
        flow.uuid.set(data.uuid);
        flow.cooldown.set(COOLDOWN_SECS);
        code.set(String::new());
        problems.tell(Some(t().signup_code_resent(&flow.email.get_untracked())));
        focus_soon("code", false);
    });
    // A 429 on either request holds "Send again" back for as long as the API asks.
    effect(move || {
        resend.version().track();
        if let Some(secs) = resend.with_value_untracked(wait_asked) {
            flow.cooldown.set(secs);
        }
    });
    effect(move || {
        verify.version().track();
        if let Some(secs) = verify.with_value_untracked(wait_asked) {
            flow.cooldown.set(secs);
        }
    });
    let (verifying, resending) = (verify.pending(), resend.pending());
    let pending = Signal::derive(move || verifying.get() || resending.get());
    let send_again = Callback::new(move |()| {
        if !pending.get_untracked() {
            problems.clear();
            resend.dispatch(flow.email.get_untracked().trim().to_string());
        }
    });

    // The emailed link: its code is filled in and sent, as if typed, once it is known to
    // be wanted.
    effect(move || {
        if asking.get() {
            return;
        }
        if let Some(c) = flow.link_code.get() {
            flow.link_code.set(None);
            code.set(c.clone());
            problems.clear();
            verify.dispatch(c);
        }
    });
    flow.focus(Some("code"));

    // Opened from the link in another browser, the address is not known here.
    let lede = move || match flow.typed_email() {
        Some(address) => t().signup_code_lede(&address),
        None => t().signup_code_lede_link.to_string(),
    };
    let labels = Signal::derive(move || {
        let label = if asking.get() {
            t().continue_button
        } else {
            t().verify_button
        };
        (label, t().verifying)
    });
    let fields = move || match asking.get() {
        true => page_title(t().signup_link_title, Some(t().signup_link_lede)),
        false => view! {
            {page_title(t().signup_code_title, None)}
            <p class="lede">{lede}</p>
            <TextField id="code" label=t().signup_code_label autocomplete="one-time-code"
                inputmode="numeric" value=code error=code_error class="code"/>
        }
        .into_any(),
    };
    view! {
        <AuthForm problems pending labels on_submit=submit>{fields}</AuthForm>
        {move || flow.typed_email().is_some().then(|| view! {
            <ResendButton remaining=flow.cooldown pending on_send=send_again/>
        }.into_any())}
        <ul class="links">
            <li>{button("linkish", t().signup_other_email, Callback::new(move |()| flow.restart()))}</li>
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::code_problem;
    use crate::messages::t;

    #[test]
    fn a_refused_code_is_told_in_our_words() {
        assert_eq!(code_problem("has expired"), t().signup_code_expired);
        assert_eq!(code_problem("is invalid"), t().signup_code_wrong);
    }
}
