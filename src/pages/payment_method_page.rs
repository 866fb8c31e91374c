//! `#/account/payment-method`: the card on file (A17; a 404 means none) and replacing it
//! (A18) through Stripe.js, which this page loads only once the card form is opened.

use leptos::prelude::*;

use crate::api::{account, Api};
use crate::components::{
    answered, focus_heading, not_loaded, page_title, panel, set_title, status, Card, CardField,
    FormCard,
};
use crate::data::{Action, LocalResource};
use crate::messages::t;

/// The payment method tab.
#[component]
pub fn PaymentMethodPage() -> impl IntoView {
    set_title(t().nav_payment_method);
    let api = Api::for_page();
    let card = Card::new();
    let save = Action::new_local(move |()| async move {
        let token = card.api_token().await?;
        account::save_card(api, &token).await
    });
    // Loaded again after each save; a reload keeps the old line until the new one arrives.
    let current = LocalResource::new(move || {
        save.version().track();
        account::card(api)
    });
    let retry = Callback::new(move |()| current.refetch());

    let editing = RwSignal::new(false);
    // The first card is added, not edited: the form and its outcome say so.
    let adding = RwSignal::new(false);
    let done = RwSignal::new(None::<String>);
    let problems = card.problems();
    answered(save, problems, move |()| {
        editing.set(false);
        // The Save button is gone with the form; the page's heading keeps focus in place.
        focus_heading();
        let said = if adding.get_untracked() {
            t().card_added
        } else {
            t().card_updated
        };
        done.set(Some(said.to_string()));
    });
    let submit = Callback::new(move |()| {
        done.set(None);
        if card.ready() {
            save.dispatch(());
        }
    });

    view! {
        {page_title(t().nav_payment_method, None)}
        {move || match current.get() {
            None => not_loaded(None, retry),
            Some(Ok(on_file)) => {
                let first = on_file.is_none();
                let label = if first { t().add_card } else { t().edit_card };
                let line = on_file.map_or_else(
                    || t().no_card.to_string(),
                    |c| t().card_on_file(&c.brand, c.last4, c.exp_month, c.exp_year),
                );
                let body = view! {
                        <p>{line}</p>
                        <button type="button" class="button secondary" prop:hidden=move || editing.get()
                            on:click=move |_| { done.set(None); adding.set(first); editing.set(true) }>{label}</button>
                };
                panel("card-heading", t().nav_payment_method, true, body.into_any())
            }
            Some(Err(error)) => not_loaded(Some(error), retry),
        }}
        {status(done.into())}
        {move || editing.get().then(|| view! {
            <FormCard id="card-form-heading"
                title=if adding.get_untracked() { t().add_card } else { t().edit_card }
                labels=(t().save, t().saving)
                pending=save.pending() problems on_submit=submit
                on_cancel=Callback::new(move |()| { editing.set(false); focus_heading() })>
                <CardField card/>
            </FormCard>
        }.into_any())}
    }
}
