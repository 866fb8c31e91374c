//! `#/signup` (and the legacy `#/register`): A4's steps as one page.
//!
//! Email → (a note, when the API wants a manual review) → the emailed code (or its link) →
//! password → plan, with an optional promo code → card (Standard only) → signed in. Google
//! sign-up replaces the code and password steps.

use leptos::html::Input;
use leptos::prelude::*;

use crate::api::signup::{step, step_for_status, Step as Body, StepData};
use crate::api::{ApiError, PageScope};
use crate::components::{
    effect, focus_heading, focus_soon, offline, run, set_title, use_countdown, AuthLayout, Card,
    CardField, FormMessage, GoogleButton, GoogleMode, PasswordField, ResendButton, TextField,
};
use crate::flash::Flash;
use crate::messages::t;
use crate::routing::{LinkSecret, Route, Router};
use crate::session::{Session, SessionCtx};
use crate::validate;

/// Seconds before another code may be requested.
const COOLDOWN_SECS: u32 = 30;

/// Where the user is in the sign-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Email,
    Review,
    Code,
    Password,
    Plan,
    Card,
    UnderReview,
}

/// One request the page makes.
#[derive(Clone)]
enum Request {
    Start(String),
    Explain(String),
    Code(String),
    Password(String),
    Promo(String),
    Finish(&'static str),
    Standard,
}

/// What a request ended in, besides success.
#[derive(Clone)]
enum Failure {
    Api(ApiError),
    /// Stripe refused the card before our API saw it.
    Card(String),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

/// Success of a request: the step's data and whether the API asked for a manual review.
type Answer = (StepData, bool);

/// The sign-up page.
#[component]
pub fn SignupPage(
    /// Email to prefill (from a link).
    email: Option<String>,
) -> impl IntoView {
    set_title(t().signup_title);
    let router = expect_context::<Router>();
    let session = expect_context::<SessionCtx>();
    let flash = expect_context::<Flash>();
    let scope = PageScope::new();

    let stage = RwSignal::new(Stage::Email);
    let uuid = RwSignal::new(String::new());
    // Came through Google: no code or password of ours.
    let google = RwSignal::new(false);
    let email = RwSignal::new(email.unwrap_or_default());
    let note = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let promo = RwSignal::new(String::new());
    let promo_applied = RwSignal::new(None::<(String, String)>);
    let standard = RwSignal::new(false);
    let card = Card::new();

    let email_error = RwSignal::new(None::<String>);
    let note_error = RwSignal::new(None::<String>);
    let code_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let promo_error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let remaining = RwSignal::new(0u32);
    use_countdown(remaining);

    let email_ref = NodeRef::<Input>::new();
    let note_ref = NodeRef::<Input>::new();
    let code_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let promo_ref = NodeRef::<Input>::new();

    // A request's future, made when it is sent (see `dispatch`).
    let job = move |request: Request| {
        let signal = scope.signal();
        let id = uuid.get_untracked();
        async move {
            let none = (StepData::default(), false);
            let answer: Result<Answer, Failure> = async {
                match &request {
                    Request::Start(address) => {
                        let body = Body {
                            email: Some(address),
                            ..Body::default()
                        };
                        Ok(step(&body, &signal).await?)
                    }
                    Request::Explain(text) => {
                        let body = Body {
                            uuid: Some(&id),
                            explanation: Some(text),
                            ..Body::default()
                        };
                        step_for_status(&body, &signal).await?;
                        Ok(none)
                    }
                    Request::Code(c) => {
                        let body = Body {
                            uuid: Some(&id),
                            confirmation_code: Some(c),
                            ..Body::default()
                        };
                        step_for_status(&body, &signal).await?;
                        Ok(none)
                    }
                    Request::Password(p) => {
                        let body = Body {
                            uuid: Some(&id),
                            password: Some(p),
                            ..Body::default()
                        };
                        step_for_status(&body, &signal).await?;
                        Ok(none)
                    }
                    Request::Promo(p) => {
                        let body = Body {
                            uuid: Some(&id),
                            promo_code: Some(p),
                            ..Body::default()
                        };
                        Ok(step(&body, &signal).await?)
                    }
                    Request::Finish(tier) => {
                        let body = Body {
                            uuid: Some(&id),
                            tier: Some(tier),
                            ..Body::default()
                        };
                        Ok(step(&body, &signal).await?)
                    }
                    Request::Standard => match card.token().await {
                        Err(text) => Err(Failure::Card(text)),
                        Ok(token) => {
                            let body = Body {
                                uuid: Some(&id),
                                stripe_token: Some(&token),
                                ..Body::default()
                            };
                            step_for_status(&body, &signal).await?;
                            let body = Body {
                                uuid: Some(&id),
                                tier: Some("STANDARD"),
                                ..Body::default()
                            };
                            Ok(step(&body, &signal).await?)
                        }
                    },
                }
            }
            .await;
            (request, answer)
        }
    };
    let pending = RwSignal::new(false);

    let show_stage = move |next: Stage| {
        message.set(None);
        stage.set(next);
        let field = match next {
            Stage::Email => email_ref,
            Stage::Review => note_ref,
            Stage::Code => code_ref,
            Stage::Password => password_ref,
            Stage::Plan => promo_ref,
            Stage::Card | Stage::UnderReview => return focus_heading(),
        };
        if next == Stage::Plan {
            // The plan's choice comes before its field: start from the top.
            focus_heading();
        } else {
            focus_soon(field, false);
        }
    };

    let finish = move |data: StepData, review: bool| {
        if review || data.key.is_empty() {
            stage.set(Stage::UnderReview);
            return;
        }
        flash.set(t().signup_welcome);
        let address = if data.email.is_empty() {
            email.get_untracked()
        } else {
            data.email
        };
        // Signed in, the app sends the user on to the account.
        session.sign_in(
            Session {
                email: address,
                api_key: data.key,
            },
            false,
        );
    };

    let finished = Callback::new(
        move |(request, answer): (Request, Result<Answer, Failure>)| {
            let error = match answer {
                Ok((data, review)) => {
                    match request {
                        Request::Start(_) => {
                            uuid.set(data.uuid);
                            remaining.set(COOLDOWN_SECS);
                            code.set(String::new());
                            if review {
                                show_stage(Stage::Review);
                            } else if stage.get_untracked() == Stage::Code {
                                message.set(Some(t().signup_code_resent(&email.get_untracked())));
                                focus_soon(code_ref, false);
                            } else {
                                show_stage(Stage::Code);
                            }
                        }
                        Request::Explain(_) if google.get_untracked() => show_stage(Stage::Plan),
                        Request::Explain(_) => show_stage(Stage::Code),
                        Request::Code(_) => show_stage(Stage::Password),
                        Request::Password(_) => show_stage(Stage::Plan),
                        Request::Promo(applied) => {
                            promo_applied.set(Some((applied, data.promo)));
                            standard.set(true);
                        }
                        Request::Finish(_) | Request::Standard => finish(data, review),
                    }
                    return;
                }
                Err(Failure::Card(text)) => {
                    card.error.set(Some(text));
                    return;
                }
                Err(Failure::Api(ApiError::Aborted)) => return,
                Err(Failure::Api(e)) => e,
            };
            if let ApiError::RateLimited(Some(secs)) = error {
                remaining.set(secs);
            }
            // A field's error goes next to it (in our words where we have them) and focus
            // follows; the rest to the form.
            let field = match request {
                Request::Start(_) => Some(("email", email_error, email_ref, None)),
                Request::Code(_) => {
                    let expired = error
                        .field("confirmation_code")
                        .is_some_and(|m| m.contains("expired"));
                    let ours = if expired {
                        t().signup_code_expired
                    } else {
                        t().signup_code_wrong
                    };
                    Some(("confirmation_code", code_error, code_ref, Some(ours)))
                }
                Request::Password(_) => Some(("password", password_error, password_ref, None)),
                Request::Promo(_) => Some((
                    "promo_code",
                    promo_error,
                    promo_ref,
                    Some(t().promo_invalid),
                )),
                Request::Standard => {
                    // A decline belongs next to the card.
                    if let ApiError::Fields(_) = error {
                        card.error.set(Some(error.to_string()));
                        return;
                    }
                    None
                }
                Request::Explain(_) | Request::Finish(_) => None,
            };
            if let Some((name, slot, input, ours)) = field {
                if let Some(text) = error.field(name) {
                    slot.set(Some(ours.map_or(text, str::to_string)));
                    focus_soon(input, true);
                    return;
                }
            }
            if matches!(&error, ApiError::Fields(_)) && error.field("uuid").is_some() {
                // The sign-up session is gone (spent, unknown or expired): start over.
                message.set(Some(t().signup_session_lost.to_string()));
                return;
            }
            message.set(Some(error.to_string()));
        },
    );
    let dispatch = move |request: Request| run(pending, job(request), finished);

    // The emailed link: fill in the code and send it, as if typed.
    let follow_link = move || {
        if let Some((id, c)) = router.take_signup_code() {
            uuid.set(id);
            google.set(false);
            code.set(c.clone());
            code_error.set(None);
            show_stage(Stage::Code);
            dispatch(Request::Code(c));
        }
    };
    follow_link();
    effect(move || {
        if matches!(router.secret(), Some(LinkSecret::SignupCode { .. })) {
            follow_link();
        }
    });

    let on_google = Callback::new(move |data: StepData| {
        google.set(true);
        uuid.set(data.uuid);
        if !data.email.is_empty() {
            email.set(data.email);
        }
        show_stage(if data.vpn_detected {
            Stage::Review
        } else {
            Stage::Plan
        });
    });

    let apply_promo = move || {
        let typed = promo.get_untracked();
        match validate::promo_code(&typed) {
            None => {
                promo_error.set(Some(t().promo_required.to_string()));
                focus_soon(promo_ref, false);
            }
            Some(p) => {
                promo_error.set(None);
                dispatch(Request::Promo(p));
            }
        }
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        message.set(None);
        let request = match stage.get_untracked() {
            Stage::Email => {
                let address = email.get_untracked().trim().to_string();
                if let Err(e) = validate::email(&address) {
                    email_error.set(Some(e.to_string()));
                    focus_soon(email_ref, false);
                    return;
                }
                Request::Start(address)
            }
            Stage::Review => match validate::explanation(&note.get_untracked()) {
                Ok(text) => Request::Explain(text),
                Err(e) => {
                    note_error.set(Some(e.to_string()));
                    focus_soon(note_ref, false);
                    return;
                }
            },
            Stage::Code => match validate::signup_code(&code.get_untracked()) {
                Ok(c) => Request::Code(c),
                Err(e) => {
                    code_error.set(Some(e.to_string()));
                    focus_soon(code_ref, false);
                    return;
                }
            },
            Stage::Password => {
                let p = password.get_untracked();
                if let Err(e) = validate::new_password(&p) {
                    password_error.set(Some(e.to_string()));
                    focus_soon(password_ref, false);
                    return;
                }
                Request::Password(p)
            }
            Stage::Plan => {
                // A typed but unapplied promo is applied first, so Enter in it does that.
                let typed = validate::promo_code(&promo.get_untracked());
                let applied = promo_applied.with_untracked(|a| a.as_ref().map(|a| a.0.clone()));
                if typed.is_some() && typed != applied {
                    apply_promo();
                    return;
                }
                if standard.get_untracked() {
                    show_stage(Stage::Card);
                    return;
                }
                Request::Finish("FREE")
            }
            Stage::Card => {
                if !card.complete.get_untracked() && card.error.get_untracked().is_none() {
                    card.error.set(Some(t().card_incomplete.to_string()));
                }
                if !card.complete.get_untracked() {
                    return;
                }
                card.error.set(None);
                Request::Standard
            }
            Stage::UnderReview => return,
        };
        dispatch(request);
    };

    let resend = Callback::new(move |()| {
        if !pending.get_untracked() {
            dispatch(Request::Start(email.get_untracked().trim().to_string()));
        }
    });

    let restart = move |_| {
        uuid.set(String::new());
        google.set(false);
        promo_applied.set(None);
        standard.set(false);
        show_stage(Stage::Email);
    };

    let typed_email = move || Some(email.get().trim().to_string()).filter(|e| !e.is_empty());
    let sign_in_href = move || {
        Route::Login {
            next: None,
            email: typed_email(),
        }
        .href()
    };

    // Steps the user sees counted: email, code, password, plan, and card for Standard;
    // Google stands in for the code and password.
    let progress = move || {
        let card = u8::from(standard.get());
        let (n, of) = match (stage.get(), google.get()) {
            (Stage::UnderReview, _) => return None,
            (Stage::Email | Stage::Review, false) => (1, 4 + card),
            (Stage::Code, _) => (2, 4 + card),
            (Stage::Password, _) => (3, 4 + card),
            (Stage::Plan, false) => (4, 4 + card),
            (Stage::Card, false) => (5, 5),
            (Stage::Email | Stage::Review, true) => (1, 2 + card),
            (Stage::Plan, true) => (2, 2 + card),
            (Stage::Card, true) => (3, 3),
        };
        Some(view! { <p class="progress">{t().step_of(n, of)}</p> })
    };

    let strength = move || {
        let score = password.with(|p| validate::password_strength(p, &email.get_untracked()));
        (score > 0).then(|| {
            let [label, hint] = t().strength[usize::from(score - 1)];
            view! {
                <div class="strength" data-score=score>
                    <div class="meter" aria-hidden="true"><span></span></div>
                    <p id="strength-text" aria-live="polite">
                        <strong>{t().strength_label(label)}</strong>" "{hint}
                    </p>
                </div>
            }
        })
    };

    let submit_label = move || {
        let (idle, busy) = match stage.get() {
            Stage::Email => (t().signup_send_code, t().sending),
            Stage::Code => (t().verify_button, t().verifying),
            Stage::Plan if !standard.get() => (t().signup_create, t().signup_creating),
            Stage::Card => (t().signup_create, t().signup_creating),
            _ => (t().continue_button, t().saving),
        };
        if pending.get() {
            busy
        } else {
            idle
        }
    };

    let email_stage = move || {
        view! {
            <h1 tabindex="-1">{t().signup_title}</h1>
            <p class="lede">{t().signup_lede}</p>
            <TextField id="email" label=t().email_label kind="email" autocomplete="email"
                value=email error=email_error node_ref=email_ref/>
        }
    };

    let review_stage = move || {
        view! {
            <h1 tabindex="-1">{t().review_title}</h1>
            <p class="lede">{t().review_lede}</p>
            <TextField id="note" label=t().review_note_label value=note error=note_error
                node_ref=note_ref/>
        }
    };

    let code_stage = move || {
        let known = email.with(|e| !e.trim().is_empty());
        view! {
            <h1 tabindex="-1">{t().signup_code_title}</h1>
            <p class="lede">
                {move || if known { t().signup_code_lede(email.get().trim()) } else { t().signup_code_lede_link.to_string() }}
            </p>
            <TextField id="code" label=t().signup_code_label autocomplete="one-time-code"
                inputmode="numeric" value=code error=code_error node_ref=code_ref class="code"/>
        }
    };

    let password_stage = move || {
        view! {
            <h1 tabindex="-1">{t().signup_password_title}</h1>
            <p class="lede">{t().signup_password_lede}</p>
            // Lets password managers save the new password under the right account.
            <input type="email" hidden autocomplete="username" prop:value=move || email.get()
                readonly/>
            <PasswordField id="new-password" label=t().password_label autocomplete="new-password"
                value=password error=password_error node_ref=password_ref/>
            {strength}
        }
    };

    let plan_stage = move || {
        let locked = move || promo_applied.with(Option::is_some);
        view! {
            <h1 tabindex="-1">{t().plan_title}</h1>
            <fieldset class="plans">
                <legend>{t().plan_legend}</legend>
                <label class="plan">
                    <input type="radio" name="tier" value="FREE"
                        prop:checked=move || !standard.get() disabled=locked
                        on:change=move |_| standard.set(false)/>
                    <span class="plan-name">{t().tier_free}</span>
                    <span class="plan-text">{t().plan_free_text}</span>
                </label>
                <label class="plan">
                    <input type="radio" name="tier" value="STANDARD"
                        prop:checked=move || standard.get()
                        on:change=move |_| standard.set(true)/>
                    <span class="plan-name">{t().tier_standard}</span>
                    <span class="plan-text">{t().plan_standard_text}</span>
                </label>
            </fieldset>
            <TextField id="promo" label=t().promo_label value=promo error=promo_error
                node_ref=promo_ref class="promo">
                <button type="button" class="button secondary inline" disabled=move || pending.get()
                    on:click=move |_| apply_promo()>{t().promo_apply}</button>
            </TextField>
            <div role="status" class="promo-status">
                {move || promo_applied.get().map(|(c, text)| view! {
                    <p class="promo-applied">{t().promo_applied(&c, &text)}</p>
                })}
            </div>
        }
    };

    let card_stage = move || {
        view! {
            <h1 tabindex="-1">{t().card_title}</h1>
            <p class="lede">{t().card_lede}</p>
            <CardField card/>
        }
    };

    let under_review = move || {
        view! {
            <h1 tabindex="-1">{t().review_done_title}</h1>
            <p class="lede">{move || t().review_done_lede(email.get().trim())}</p>
            <a class="button primary wide" href=sign_in_href>{t().go_to_sign_in}</a>
        }
    };

    view! {
        <AuthLayout>
            {progress}
            {move || match stage.get() {
                Stage::UnderReview => under_review().into_any(),
                current => view! {
                    <form class="form" on:submit=submit novalidate>
                        {match current {
                            Stage::Email => email_stage().into_any(),
                            Stage::Review => review_stage().into_any(),
                            Stage::Code => code_stage().into_any(),
                            Stage::Password => password_stage().into_any(),
                            Stage::Plan => plan_stage().into_any(),
                            _ => card_stage().into_any(),
                        }}
                        <FormMessage message=message/>
                        <button type="submit" class="button primary wide" disabled=move || pending.get() || offline()>
                            {submit_label}
                        </button>
                    </form>
                }.into_any(),
            }}
            {move || match stage.get() {
                Stage::Email => view! {
                    <div class="or" aria-hidden="true"><span>{t().or}</span></div>
                    <GoogleButton mode=GoogleMode::SignUp message on_done=on_google/>
                    <ul class="links">
                        <li>{t().have_account}" "<a href=sign_in_href>{t().sign_in_button}</a></li>
                    </ul>
                }.into_any(),
                Stage::Code => view! {
                    {move || email.with(|e| !e.trim().is_empty()).then(|| view! {
                        <ResendButton remaining pending on_send=resend/>
                    })}
                    <ul class="links">
                        <li><button type="button" class="linkish" on:click=restart>{t().signup_other_email}</button></li>
                    </ul>
                }.into_any(),
                Stage::Card => view! {
                    <ul class="links">
                        <li><button type="button" class="linkish" on:click=move |_| show_stage(Stage::Plan)>
                            {t().back_to_plans}
                        </button></li>
                    </ul>
                }.into_any(),
                _ => ().into_any(),
            }}
        </AuthLayout>
    }
}
