//! `#/login`: email and password, then (when the API asks) a TOTP or recovery code.
//!
//! One sign-in request serves both steps: the code step sends the same email and password
//! again, with the code.

mod code_step;
mod credentials_step;

use leptos::prelude::*;

use crate::api::auth::login;
use crate::api::{ApiError, Public};
use crate::components::{answered, effect, set_title, AuthLayout, Problems};
use crate::data::{Action, Choice, Choices};
use crate::messages::t;
use crate::session::{Session, SessionCtx};
use crate::used_codes;
use code_step::CodeStep;
use credentials_step::CredentialsStep;

/// Which part of sign-in the user is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Credentials,
    Code,
    Recovery,
}

impl Choices for Step {
    const ALL: &'static [Step] = &[Step::Credentials, Step::Code, Step::Recovery];
}

/// What one press of a submit button sends.
struct Attempt {
    email: String,
    password: String,
    /// A TOTP or recovery code, after the API asked for one.
    code: Option<String>,
}

/// What a sign-in can end in, besides a problem.
#[derive(Clone)]
enum Outcome {
    /// The new session: the email and the account's API key.
    SignedIn(Session),
    /// The account has MFA: a code is needed.
    NeedsCode,
}

/// What the steps share: what was typed, the step, the one request and where its problems go.
#[derive(Clone, Copy)]
struct SignIn {
    email: RwSignal<String>,
    password: RwSignal<String>,
    keep: RwSignal<bool>,
    /// The authenticator's code and a recovery code, each kept while the other is shown.
    codes: [RwSignal<String>; 2],
    step: Choice<Step>,
    problems: Problems,
    request: Action<Attempt, Result<Outcome, ApiError>>,
    session: SessionCtx,
    /// How often the user has moved between steps: once they have, a step that appears
    /// takes focus (a count, as in sign-up's flow).
    moves: StoredValue<u32>,
}

impl SignIn {
    /// Sends the typed email and password, with `code` on the code step.
    fn send(&self, code: Option<String>) {
        self.request.dispatch(Attempt {
            email: self.email.get_untracked().trim().to_string(),
            password: self.password.get_untracked(),
            code,
        });
    }

    /// Shows `step`, with nothing said about the last one.
    fn go(&self, step: Step) {
        self.moves.update_value(|m| *m += 1);
        self.problems.clear();
        self.step.set(step);
    }
}

/// Sends an attempt. A code asked for is an outcome, not a problem; a code refused is said
/// as the API's refusal of its `mfa_token` field (the step words it).
fn attempt(
    public: Public,
    a: &Attempt,
) -> impl std::future::Future<Output = Result<Outcome, ApiError>> {
    let sending = login(public, &a.email, &a.password, a.code.as_deref());
    let (email, code) = (a.email.clone(), a.code.clone());
    async move {
        let result = sending.await;
        let now = js_sys::Date::now();
        match (result, code) {
            (Ok(key), code) => {
                if let Some(code) = code {
                    used_codes::note(&code, now);
                }
                Ok(Outcome::SignedIn(Session {
                    email,
                    api_key: key.0,
                }))
            }
            (Err(ApiError::MfaRequired), None) => Ok(Outcome::NeedsCode),
            // The step words it (the field's message reads "used." or "refused."): used when
            // this tab had the code accepted a moment ago.
            (Err(ApiError::MfaRequired), Some(code)) => {
                let why = if used_codes::just_used(&code, now) {
                    "used"
                } else {
                    "refused"
                };
                Err(ApiError::Fields(vec![(
                    "mfa_token".to_string(),
                    vec![why.to_string()],
                )]))
            }
            (Err(e), _) => Err(e),
        }
    }
}

/// The sign-in page. After success the app's guard sends the user on to `next`.
#[component]
pub fn LoginPage(
    /// Email to prefill (from a link).
    email: Option<String>,
) -> impl IntoView {
    set_title(t().sign_in_title);
    let public = Public::for_page();
    let step = Choice::new(Step::Credentials);
    let problems = Problems::new();
    let sign_in = SignIn {
        email: RwSignal::new(email.unwrap_or_default()),
        password: RwSignal::new(String::new()),
        keep: RwSignal::new(false),
        codes: [RwSignal::new(String::new()), RwSignal::new(String::new())],
        step,
        problems,
        request: Action::new_local(move |a: &Attempt| attempt(public, a)),
        session: expect_context(),
        moves: StoredValue::new(0),
    };
    answered(sign_in.request, problems, move |outcome| match outcome {
        Outcome::SignedIn(session) => {
            if step.get_untracked() == Step::Recovery {
                expect_context::<SessionCtx>()
                    .flash()
                    .set(t().recovery_code_spent);
            }
            sign_in
                .session
                .sign_in(session, sign_in.keep.get_untracked())
        }
        Outcome::NeedsCode => sign_in.go(Step::Code),
    });
    // The password changed while the user looked for a code: start over, saying why.
    effect(move || {
        sign_in.request.version().track();
        let refused = sign_in
            .request
            .with_value_untracked(|v| matches!(v, Some(Err(ApiError::BadCredentials))));
        if refused && step.get_untracked() != Step::Credentials {
            sign_in.moves.update_value(|m| *m += 1);
            step.set(Step::Credentials);
        }
    });

    view! {
        <AuthLayout>
            {move || match step.get() {
                Step::Credentials => view! { <CredentialsStep sign_in/> }.into_any(),
                Step::Code => view! { <CodeStep sign_in recovery=false/> }.into_any(),
                Step::Recovery => view! { <CodeStep sign_in recovery=true/> }.into_any(),
            }}
        </AuthLayout>
    }
}
