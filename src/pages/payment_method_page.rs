//! `#/account/payment-method`: the card on file (A17; a 404 means none) and replacing it
//! (A18) through Stripe.js, which this page loads only once the card form is opened.

use leptos::prelude::*;

use super::account_page::load_problem;
use crate::api::account::Call;
use crate::api::{Api, ApiError, PageScope};
use crate::components::{focus_heading, set_title, start, status, Card, CardField, FormCard, Job};
use crate::messages::t;

/// The payment method tab.
#[component]
pub fn PaymentMethodPage() -> impl IntoView {
    set_title(t().nav_payment_method);
    let api = expect_context::<Api>();
    let scope = PageScope::new();
    // None while loading; then the card line, or `Ok(None)` for no card. A reload keeps the
    // old line until the new one arrives.
    let current = RwSignal::new(None::<Result<Option<String>, ApiError>>);
    let loading = RwSignal::new(false);
    let loaded = Callback::new(move |r| current.set(Some(r)));
    let load =
        Callback::new(move |_| start(api, loading, Job::Call(Call::LoadCard), scope, loaded));
    load.run(());

    let editing = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let card = Card::new();
    let saved = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(_) => {
            editing.set(false);
            // The Save button is gone with the form; the page's heading keeps focus in place.
            focus_heading();
            done.set(Some(t().card_updated.to_string()));
            load.run(());
        }
        Err(e) => card.refused(&e),
    });
    let submit = Callback::new(move |_| {
        done.set(None);
        if !card.ready() {
            return;
        }
        let job = Job::WithCard(card, Call::SaveCard(String::new()));
        start(api, saving, job, scope, saved);
    });

    view! {
        <h1 tabindex="-1">{t().nav_payment_method}</h1>
        {move || match current.get() {
            None => view! { <p class="loading" role="status">{t().loading}</p> }.into_any(),
            Some(Ok(line)) => {
                let label = if line.is_some() { t().edit_card } else { t().add_card };
                view! {
                    <section class="panel" aria-labelledby="card-heading">
                        <h2 id="card-heading" class="visually-hidden">{t().nav_payment_method}</h2>
                        <p>{line.unwrap_or_else(|| t().no_card.to_string())}</p>
                        <button type="button" class="button secondary" hidden=move || editing.get()
                            on:click=move |_| { done.set(None); editing.set(true) }>{label}</button>
                    </section>
                }.into_any()
            }
            Some(Err(e)) => load_problem(e, load),
        }}
        {status(done)}
        {move || editing.get().then(|| view! {
            <FormCard id="card-form-heading" title=t().edit_card labels=(t().save, t().saving)
                pending=saving error=RwSignal::new(None) on_submit=submit
                on_cancel=Callback::new(move |_| { editing.set(false); focus_heading() })>
                <CardField card/>
            </FormCard>
        })}
    }
}
