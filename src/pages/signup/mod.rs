//! `#/signup` (and the legacy `#/register`): A4's steps, one component each, over a shared
//! [`flow::Flow`].
//!
//! Email → (a note, when the API wants a manual review) → the emailed code (or its link) →
//! password → plan, with an optional promo code → card (Standard only) → signed in. Google
//! sign-up replaces the code and password steps.

mod card_step;
mod code_step;
mod email_step;
mod flow;
mod password_step;
mod plan_step;
mod review_step;

use leptos::prelude::*;

use crate::components::{effect, page_title, set_title, use_countdown, AuthLayout};
use crate::messages::t;
use crate::routing::{LinkSecret, Router};
use card_step::CardStep;
use code_step::CodeStep;
use email_step::EmailStep;
use flow::{Flow, Stage};
use password_step::PasswordStep;
use plan_step::PlanStep;
use review_step::ReviewStep;

/// The sign-up page.
#[component]
pub fn SignupPage(
    /// Email to prefill (from a link).
    email: Option<String>,
) -> impl IntoView {
    set_title(t().signup_title);
    let router = expect_context::<Router>();
    let flow = Flow::new(email);
    use_countdown(flow.cooldown);

    // The emailed link: to the code step, which sends the link's code.
    let follow_link = move || {
        if let Some((uuid, code)) = router.take_signup_code() {
            flow.follow_link(uuid, code);
        }
    };
    follow_link();
    effect(move || {
        if matches!(router.secret(), Some(LinkSecret::SignupCode { .. })) {
            follow_link();
        }
    });

    view! {
        <AuthLayout>
            {move || progress(flow)}
            {move || match flow.stage.get() {
                Stage::Email => view! { <EmailStep flow/> }.into_any(),
                Stage::Review => view! { <ReviewStep flow/> }.into_any(),
                Stage::Code => view! { <CodeStep flow/> }.into_any(),
                Stage::Password => view! { <PasswordStep flow/> }.into_any(),
                Stage::Plan => view! { <PlanStep flow/> }.into_any(),
                Stage::Card => view! { <CardStep flow/> }.into_any(),
                Stage::UnderReview => view! {
                    {page_title(t().review_done_title, None)}
                    <p class="lede">{move || t().review_done_lede(flow.email.get().trim())}</p>
                    <a class="button primary wide" href=move || flow.sign_in_href()>{t().go_to_sign_in}</a>
                }.into_any(),
            }}
        </AuthLayout>
    }
}

/// "Step n of m" for the steps the user sees counted: email, code, password, plan, and the
/// card for Standard; Google stands in for the code and password.
fn progress(flow: Flow) -> Option<AnyView> {
    let card = u8::from(flow.standard.get());
    let (n, of) = match (flow.stage.get(), flow.google.get()) {
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
    Some(view! { <p class="progress">{t().step_of(n, of)}</p> }.into_any())
}
