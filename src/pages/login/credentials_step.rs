//! Sign-in's first step: email, password and "Keep me signed in", or Google.

use leptos::prelude::*;

use super::SignIn;
use crate::api::signup::StepData;
use crate::api::ApiError;
use crate::components::{
    effect, focus_soon, page_title, AuthForm, GoogleButton, GoogleMode, PasswordField, TextField,
};
use crate::messages::t;
use crate::routing::Route;
use crate::session::Session;
use crate::validate;

/// The credentials form and the ways out of it (reset, resend, sign-up), each carrying
/// the typed email so it need not be typed again.
#[component]
pub(super) fn CredentialsStep(sign_in: SignIn) -> impl IntoView {
    let SignIn {
        email,
        password,
        keep,
        problems,
        ..
    } = sign_in;
    let (email_error, password_error) = (problems.field("email"), problems.field("password"));
    let password_input = "password";
    let submit = Callback::new(move |()| {
        problems.clear();
        let checks = [
            problems.check("email", validate::email(email.get_untracked().trim())),
            problems.check(
                "password",
                validate::current_password(&password.get_untracked()),
            ),
        ];
        if checks.iter().all(|ok| *ok) {
            sign_in.send(None);
        } else {
            problems.focus_first_invalid();
        }
    });
    // Wrong email or password (here, or after the code step sent us back): the password
    // is selected for retyping.
    effect(move || {
        sign_in.request.version().track();
        let refused = sign_in
            .request
            .with_value_untracked(|v| matches!(v, Some(Err(ApiError::BadCredentials))));
        if refused {
            focus_soon(password_input, true);
        }
    });

    let on_google = Callback::new(move |data: StepData| {
        if data.key.is_empty() || data.email.is_empty() {
            problems.tell(Some(ApiError::Malformed.message()));
            return;
        }
        let session = Session {
            email: data.email,
            api_key: data.key,
        };
        sign_in.session.sign_in(session, keep.get_untracked());
    });
    let typed_email = move || Some(email.get().trim().to_string()).filter(|e| !e.is_empty());
    let reset_href = move || {
        Route::PasswordReset {
            email: typed_email(),
        }
        .href()
    };
    let resend_href = move || {
        let (email, msg) = (typed_email(), None);
        Route::ConfirmationResend { email, msg }.href()
    };
    let signup_href = move || {
        let (uuid, code, email) = (None, None, typed_email());
        Route::Signup { uuid, code, email }.href()
    };
    let pending = sign_in.request.pending();
    // Back from the code step, the password is where to carry on.
    if sign_in.moves.get_value() > 0 {
        focus_soon(password_input, false);
    }

    view! {
        <AuthForm problems pending labels=(t().sign_in_button, t().signing_in) on_submit=submit>
            {page_title(t().sign_in_title, Some(t().sign_in_lede))}
            <TextField id="email" label=t().email_label kind="email" autocomplete="username"
                value=email error=email_error/>
            <PasswordField id="password" label=t().password_label autocomplete="current-password"
                value=password error=password_error/>
            <div class="check">
                <input id="keep" type="checkbox" prop:checked=keep
                    on:change=move |ev| keep.set(event_target_checked(&ev)) aria-describedby="keep-hint"/>
                <label for="keep">{t().keep_signed_in}</label>
                <p class="hint" id="keep-hint">{t().keep_signed_in_hint}</p>
            </div>
        </AuthForm>
        <div class="or" aria-hidden="true"><span>{t().or}</span></div>
        <GoogleButton mode=GoogleMode::SignIn problems on_done=on_google/>
        <ul class="links">
            <li><a href=reset_href>{t().forgot_password}</a></li>
            <li><a href=resend_href>{t().resend_confirmation}</a></li>
            <li>{t().no_account}" "<a href=signup_href>{t().create_account}</a></li>
        </ul>
    }
}
