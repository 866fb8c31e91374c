//! `#/account/upgrade`: Free to Standard with a card and an optional promo code (A19).
//! Only a Free account is shown the card form, so only then is Stripe.js loaded.

use leptos::prelude::*;

use super::account_page::load_problem;
use crate::api::account::Call;
use crate::api::users;
use crate::api::{Api, ApiError, PageScope};
use crate::components::{
    focus_heading, set_title, start, status, Card, CardField, FormCard, Job, TextField,
};
use crate::messages::t;

/// The upgrade tab.
#[component]
pub fn UpgradePage() -> impl IntoView {
    set_title(t().upgrade_title);
    let api = expect_context::<Api>();
    let scope = PageScope::new();
    // From A5: `Some` for a Free account, which gets the form; `None` for Standard, which
    // the status line explains. Tiers are FREE or STANDARD, so anything else has nothing to
    // upgrade either.
    let free = RwSignal::new(None::<Result<Option<String>, ApiError>>);
    let done = RwSignal::new(None::<String>);
    let load = Callback::new(move |_| {
        let signal = scope.signal();
        leptos::task::spawn_local(async move {
            let answer = users::get(api, &signal).await;
            if matches!(&answer, Ok(u) if u.tier != "FREE") {
                done.try_set(Some(t().standard_already.to_string()));
            }
            free.try_set(Some(answer.map(|u| (u.tier == "FREE").then_some(u.tier))));
        });
    });
    load.run(());

    // Kept by the page, not the form: a failed attempt leaves what was typed in place.
    let card = Card::new();
    let promo = RwSignal::new(String::new());
    let promo_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let upgraded = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(_) => {
            // A 200 is the new tier: shown at once, with no second request. The form goes,
            // so the page's heading takes the focus its button had.
            done.set(Some(t().upgraded.to_string()));
            free.set(Some(Ok(None)));
            focus_heading();
        }
        Err(e) if e.field("promo_code").is_some() => {
            promo_error.set(Some(t().promo_invalid.to_string()));
        }
        Err(e) => card.refused(&e),
    });
    let submit = Callback::new(move |_| {
        promo_error.set(None);
        if !card.ready() {
            return;
        }
        // Codes are upper-case; ASCII is enough for them and keeps Unicode tables out.
        let code = promo.get_untracked().trim().to_ascii_uppercase();
        let job = Job::WithCard(
            card,
            Call::Upgrade(String::new(), Some(code).filter(|c| !c.is_empty())),
        );
        start(api, busy, job, scope, upgraded);
    });

    view! {
        <h1 tabindex="-1">{t().upgrade_title}</h1>
        {status(done)}
        {move || match free.get() {
            None => view! { <p class="loading" role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => load_problem(e, load),
            Some(Ok(Some(_))) => view! {
                <section class="panel" aria-labelledby="adds-heading" inner_html=standard_adds()></section>
                <FormCard id="upgrade-heading" title=t().card_title
                    labels=(t().upgrade_title, t().upgrading) pending=busy
                    error=RwSignal::new(None) done=RwSignal::new(None) on_submit=submit>
                    <CardField card/>
                    <TextField id="promo-code" label=t().promo_label value=promo error=promo_error/>
                </FormCard>
            }.into_any(),
            Some(Ok(None)) => ().into_any(),
        }}
    }
}

/// What Standard adds and how it is billed. Fixed text, so markup for one `inner_html`
/// binding: a view per element would cost more wasm than the text itself.
fn standard_adds() -> String {
    let m = t();
    let items: String = m
        .standard_benefits
        .iter()
        .map(|b| format!("<li>{b}</li>"))
        .collect();
    format!(
        r#"<h2 id="adds-heading">{}</h2><ul class="benefits">{items}</ul><p>{} <a href="{}">{}</a></p>"#,
        m.standard_adds, m.standard_price, m.pricing_url, m.pricing_link
    )
}
