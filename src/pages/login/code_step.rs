//! Sign-in's second step, when the account has MFA: a code from the authenticator app, or
//! one of the recovery codes.

use leptos::prelude::*;

use super::{SignIn, Step};
use crate::components::{button, effect, focus_soon, page_title, AuthForm, TextField};
use crate::messages::t;
use crate::validate;

/// The code field, "Verify", and the switches to the other kind of code and back.
#[component]
pub(super) fn CodeStep(
    sign_in: SignIn,
    /// A recovery code rather than the app's.
    recovery: bool,
) -> impl IntoView {
    let problems = sign_in.problems;
    let code = sign_in.codes[usize::from(recovery)];
    let code_error = problems.field("code");
    // Said once, in the form's live region; the code stays, selected for retyping.
    problems.in_alert(
        "mfa_token",
        if recovery {
            |_: &str| t().recovery_wrong_code.to_string()
        } else {
            |why: &str| {
                let m = t();
                String::from(if why.starts_with("used") {
                    m.mfa_code_used
                } else {
                    m.mfa_wrong_code
                })
            }
        },
    );
    let input = if recovery { "recovery" } else { "otp" };
    effect(move || {
        sign_in.request.version().track();
        let refused = sign_in
            .request
            .with_value_untracked(|v| matches!(v, Some(Err(e)) if e.field("mfa_token").is_some()));
        if refused {
            focus_soon(input, true);
        }
    });
    let submit = Callback::new(move |()| {
        problems.clear();
        let typed = code.get_untracked();
        let checked = if recovery {
            validate::recovery_code(&typed)
        } else {
            validate::totp_code(&typed)
        };
        match checked {
            Ok(c) => sign_in.send(Some(c)),
            Err(e) => {
                problems.check("code", Err(e));
                problems.focus_first_invalid();
            }
        }
    });
    focus_soon(input, false);

    let (lede, other, other_step) = if recovery {
        (t().mfa_recovery_lede, t().use_authenticator, Step::Code)
    } else {
        (t().mfa_lede, t().use_recovery_code, Step::Recovery)
    };
    let field = if recovery {
        view! {
            <TextField id="recovery" label=t().recovery_code_label autocomplete="off"
                value=code error=code_error class="code"/>
        }
        .into_any()
    } else {
        view! {
            <TextField id="otp" label=t().mfa_code_label autocomplete="one-time-code"
                inputmode="numeric" value=code error=code_error class="code"/>
        }
        .into_any()
    };
    view! {
        <AuthForm problems pending=sign_in.request.pending() labels=(t().verify_button, t().verifying)
            on_submit=submit>
            {page_title(t().mfa_title, Some(lede))}
            {field}
        </AuthForm>
        <ul class="links">
            <li>{button("linkish", other, Callback::new(move |()| sign_in.go(other_step)))}</li>
            <li>{button("linkish", t().back_to_sign_in,
                Callback::new(move |()| sign_in.go(Step::Credentials)))}</li>
        </ul>
    }
}
