//! The card, for Standard: tokenised by Stripe, then the plan is created with it.

use leptos::prelude::*;

use super::flow::{Flow, Stage};
use crate::api::signup::{step, step_data};
use crate::components::{answered, page_title, AuthForm, Card, CardField};
use crate::data::Action;
use crate::messages::t;

/// The card field; "Create my account" sends the card, then Standard.
#[component]
pub fn CardStep(flow: Flow) -> impl IntoView {
    let card = Card::new();
    // Everything about a payment is said by the card, a lost sign-up session included.
    let problems = flow.problems(card.problems());
    let public = flow.public();
    // Given the sign-up's uuid: an action of a kind the sign-up's other steps have.
    let create = Action::new_local(move |uuid: &String| {
        let uuid = uuid.clone();
        async move {
            let token = card.api_token().await?;
            step(public, &uuid, "stripe_token", &token).await?;
            step_data(public, &uuid, "tier", "STANDARD").await
        }
    });
    answered(create, problems, move |data| flow.finish(data));
    let pending = create.pending();
    let submit = Callback::new(move |()| {
        if card.ready() {
            create.dispatch(flow.uuid.get_untracked());
        }
    });
    flow.focus(None);

    view! {
        <AuthForm problems pending labels=(t().signup_create, t().signup_creating)
            on_submit=submit>
            {page_title(t().card_title, Some(t().card_lede))}
            <CardField card/>
        </AuthForm>
        <ul class="links">
            // Held while the account is created: its answer belongs to this step.
            <li><button type="button" class="linkish" prop:disabled=move || pending.get()
                on:click=move |_| flow.go(Stage::Plan)>
                {t().back_to_plans}
            </button></li>
        </ul>
    }
}
