//! `#/login`: email and password, then (when the API asks) a TOTP or recovery code.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::auth::login;
use crate::api::signup::StepData;
use crate::api::{ApiError, PageScope};
use crate::components::{
    focus_soon, offline, run, set_title, AuthLayout, FormMessage, GoogleButton, GoogleMode,
    PasswordField, TextField,
};
use crate::messages::t;
use crate::routing::Route;
use crate::session::{Session, SessionCtx};
use crate::validate;

/// Which part of sign-in the user is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Credentials,
    Code,
    Recovery,
}

/// What one press of the submit button sends.
struct Attempt {
    email: String,
    password: String,
    token: Option<String>,
}

/// The sign-in page. After success the app's guard sends the user on to `next`.
#[component]
pub fn LoginPage(
    /// Email to prefill (from a link).
    email: Option<String>,
) -> impl IntoView {
    set_title(t().sign_in_title);
    let session = expect_context::<SessionCtx>();
    let scope = PageScope::new();

    let email = RwSignal::new(email.unwrap_or_default());
    let password = RwSignal::new(String::new());
    let keep = RwSignal::new(false);
    let code = RwSignal::new(String::new());
    let recovery = RwSignal::new(String::new());
    let step = RwSignal::new(Step::Credentials);

    let email_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let code_error = RwSignal::new(None::<String>);
    let recovery_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);

    let email_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let code_ref = NodeRef::<Input>::new();
    let recovery_ref = NodeRef::<Input>::new();

    let pending = RwSignal::new(false);
    let finished = Callback::new(move |result: Result<Session, ApiError>| {
        match result {
            Ok(new_session) => session.sign_in(new_session, keep.get_untracked()),
            Err(ApiError::Aborted) => {}
            Err(ApiError::MfaRequired) => match step.get_untracked() {
                Step::Credentials => {
                    message.set(None);
                    step.set(Step::Code);
                    focus_soon(code_ref, false);
                }
                // Said once, in the live region; the code stays selected for retyping.
                Step::Code => {
                    message.set(Some(t().mfa_wrong_code.to_string()));
                    focus_soon(code_ref, true);
                }
                Step::Recovery => {
                    message.set(Some(t().recovery_wrong_code.to_string()));
                    focus_soon(recovery_ref, true);
                }
            },
            Err(ApiError::BadCredentials) => {
                // The password changed while the user looked for a code: start over.
                step.set(Step::Credentials);
                message.set(Some(ApiError::BadCredentials.to_string()));
                focus_soon(password_ref, true);
            }
            Err(e) => message.set(Some(e.to_string())),
        }
    });
    let attempt = move |a: Attempt| {
        let signal = scope.signal();
        let job = async move {
            let key = login(&a.email, &a.password, a.token.as_deref(), &signal).await?;
            Ok(Session {
                email: a.email,
                api_key: key,
            })
        };
        run(pending, job, finished);
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let email_value = email.get_untracked().trim().to_string();
        let password_value = password.get_untracked();
        let token = match step.get_untracked() {
            Step::Credentials => {
                let e = validate::email(&email_value).err();
                let p = validate::current_password(&password_value).err();
                email_error.set(e.map(str::to_string));
                password_error.set(p.map(str::to_string));
                if e.is_some() {
                    focus_soon(email_ref, false);
                    return;
                }
                if p.is_some() {
                    focus_soon(password_ref, false);
                    return;
                }
                None
            }
            Step::Code => match validate::totp_code(&code.get_untracked()) {
                Ok(c) => Some(c),
                Err(e) => {
                    code_error.set(Some(e.to_string()));
                    focus_soon(code_ref, false);
                    return;
                }
            },
            Step::Recovery => match validate::recovery_code(&recovery.get_untracked()) {
                Ok(c) => Some(c),
                Err(e) => {
                    recovery_error.set(Some(e.to_string()));
                    focus_soon(recovery_ref, false);
                    return;
                }
            },
        };
        message.set(None);
        attempt(Attempt {
            email: email_value,
            password: password_value,
            token,
        });
    };

    // Links carry what the user typed so they need not type it again.
    let typed_email = move || Some(email.get().trim().to_string()).filter(|e| !e.is_empty());
    let on_google = Callback::new(move |data: StepData| {
        if data.key.is_empty() || data.email.is_empty() {
            message.set(Some(ApiError::Malformed.to_string()));
            return;
        }
        session.sign_in(
            Session {
                email: data.email,
                api_key: data.key,
            },
            keep.get_untracked(),
        );
    });
    let signup_href = move || {
        Route::Signup {
            uuid: None,
            code: None,
            email: typed_email(),
        }
        .href()
    };

    let switch_to = move |next: Step| {
        message.set(None);
        code_error.set(None);
        recovery_error.set(None);
        step.set(next);
        match next {
            Step::Credentials => focus_soon(password_ref, false),
            Step::Code => focus_soon(code_ref, false),
            Step::Recovery => focus_soon(recovery_ref, false),
        }
    };

    let reset_href = move || {
        Route::PasswordReset {
            email: typed_email(),
        }
        .href()
    };
    let resend_href = move || {
        Route::ConfirmationResend {
            email: typed_email(),
            msg: None,
        }
        .href()
    };

    let submit_label = move || match (step.get(), pending.get()) {
        (Step::Credentials, false) => t().sign_in_button,
        (Step::Credentials, true) => t().signing_in,
        (_, false) => t().verify_button,
        (_, true) => t().verifying,
    };

    let credentials = move || {
        view! {
            <h1 tabindex="-1">{t().sign_in_title}</h1>
            <p class="lede">{t().sign_in_lede}</p>
            <TextField id="email" label=t().email_label kind="email" autocomplete="username"
                value=email error=email_error node_ref=email_ref/>
            <PasswordField id="password" label=t().password_label autocomplete="current-password"
                value=password error=password_error node_ref=password_ref/>
            <div class="check">
                <input id="keep" type="checkbox" prop:checked=keep
                    on:change=move |ev| keep.set(event_target_checked(&ev)) aria-describedby="keep-hint"/>
                <label for="keep">{t().keep_signed_in}</label>
                <p class="hint" id="keep-hint">{t().keep_signed_in_hint}</p>
            </div>
        }
    };

    let code_step = move || {
        let recovering = step.get() == Step::Recovery;
        view! {
            <h1 tabindex="-1">{t().mfa_title}</h1>
            <p class="lede">{if recovering { t().mfa_recovery_lede } else { t().mfa_lede }}</p>
            {if recovering {
                view! {
                    <TextField id="recovery" label=t().recovery_code_label autocomplete="off"
                        value=recovery error=recovery_error node_ref=recovery_ref class="code"/>
                }.into_any()
            } else {
                view! {
                    <TextField id="otp" label=t().mfa_code_label autocomplete="one-time-code"
                        inputmode="numeric" value=code error=code_error node_ref=code_ref class="code"/>
                }.into_any()
            }}
        }
    };

    view! {
        <AuthLayout>
            <form class="form" on:submit=submit novalidate>
                {move || if step.get() == Step::Credentials { credentials().into_any() } else { code_step().into_any() }}
                <FormMessage message=message/>
                <button type="submit" class="button primary wide" disabled=move || pending.get() || offline()>
                    {submit_label}
                </button>
            </form>
            {move || match step.get() {
                Step::Credentials => view! {
                    <div class="or" aria-hidden="true"><span>{t().or}</span></div>
                    <GoogleButton mode=GoogleMode::SignIn message on_done=on_google/>
                    <ul class="links">
                        <li><a href=reset_href>{t().forgot_password}</a></li>
                        <li><a href=resend_href>{t().resend_confirmation}</a></li>
                        <li>{t().no_account}" "<a href=signup_href>{t().create_account}</a></li>
                    </ul>
                }.into_any(),
                current => view! {
                    <ul class="links">
                        <li>
                            <button type="button" class="linkish" on:click=move |_| switch_to(
                                if current == Step::Code { Step::Recovery } else { Step::Code })>
                                {if current == Step::Code { t().use_recovery_code } else { t().use_authenticator }}
                            </button>
                        </li>
                        <li>
                            <button type="button" class="linkish" on:click=move |_| switch_to(Step::Credentials)>
                                {t().back_to_sign_in}
                            </button>
                        </li>
                    </ul>
                }.into_any(),
            }}
        </AuthLayout>
    }
}
