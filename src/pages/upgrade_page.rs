//! `#/account/upgrade`: Free to Standard with a card and an optional promo code (A19).
//! Only a Free account is shown the card form, so only then is Stripe.js loaded.

use leptos::prelude::*;

use crate::api::{account, users, Api};
use crate::components::{
    answered, each, focus_heading, not_loaded, page_title, panel, set_title, status, Card,
    CardField, FormCard, TextField,
};
use crate::data::{Action, LocalResource};
use crate::messages::t;
use crate::routing::{AccountTab, Route};

/// The upgrade tab.
#[component]
pub fn UpgradePage() -> impl IntoView {
    set_title(t().upgrade_title);
    let api = Api::for_page();
    // Kept by the page, not the form: a failed attempt leaves what was typed in place.
    let card = Card::new();
    let promo = RwSignal::new(String::new());
    // The promo as typed and upper-cased; empty when there is none.
    let upgrade = Action::new_local(move |promo: &String| {
        let promo = Some(promo.clone()).filter(|p| !p.is_empty());
        async move {
            let token = card.api_token().await?;
            account::upgrade(api, &token, promo).await
        }
    });
    // From A5, whether the account is Free, which gets the form; Standard is told so.
    // Tiers are FREE or STANDARD, so anything else has nothing to upgrade either. Not
    // loaded again after upgrading: a 200 is the new tier, shown with no second request.
    // The user as the other tabs load it (one resource type for all of them).
    let user = LocalResource::new(move || users::get(api));
    let free = move || user.get().map(|u| u.map(|u| u.tier == "FREE"));
    let retry = Callback::new(move |()| user.refetch());
    let pending = upgrade.pending();
    let upgraded = Memo::new(move |_| upgrade.with_value(|v| matches!(v, Some(Ok(())))));
    let done = move || {
        let standard = upgraded.get() || matches!(free(), Some(Ok(false)));
        standard.then(|| {
            if upgraded.get() {
                t().upgraded
            } else {
                t().standard_already
            }
            .to_string()
        })
    };

    let problems = card.problems();
    let promo_error = problems.field_saying("promo_code", |_| t().promo_invalid.to_string());
    // The form goes, so the page's heading takes the focus its button had.
    answered(upgrade, problems, move |()| focus_heading());
    let submit = Callback::new(move |()| {
        promo_error.set(None);
        if card.ready() {
            // Codes are upper-case; ASCII is enough for them and keeps Unicode tables out.
            upgrade.dispatch(promo.get_untracked().trim().to_ascii_uppercase());
        }
    });

    let m = t();
    view! {
        {page_title(m.upgrade_title, None)}
        {status(Signal::derive(done))}
        {move || match free() {
            None => Some(not_loaded(None, retry)),
            Some(Err(error)) => Some(not_loaded(Some(error), retry)),
            Some(Ok(true)) if !upgraded.get() => Some(view! {
                {panel("adds-heading", m.standard_adds, false, view! {
                    <ul class="benefits">
                        {each(m.standard_benefits, |b| view! { <li>{b}</li> }.into_any())}
                    </ul>
                    <p>{[m.standard_price, " "].concat()}<a href=m.pricing_url>{m.pricing_link}</a></p>
                }.into_any())}
                <FormCard id="upgrade-heading" title=m.card_title
                    labels=(m.upgrade_title, m.upgrading) pending
                    problems on_submit=submit>
                    <CardField card/>
                    <TextField id="promo-code" label=m.promo_label value=promo error=promo_error/>
                </FormCard>
            }.into_any()),
            // Standard, now or already: on to what it costs, rather than a page with no way on.
            Some(Ok(_)) => Some(view! {
                <p class="onward"><a href=Route::Account { tab: Some(AccountTab::Billing) }.href()>{m.standard_next}</a></p>
            }.into_any()),
        }}
    }
}
