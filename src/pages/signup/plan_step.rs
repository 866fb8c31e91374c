//! The plan: Free, or Standard (a promo code chooses Standard).

use leptos::prelude::*;

use super::flow::{Flow, Stage};
use crate::components::{answered, page_title, AuthForm, Problems, TextField};
use crate::data::Action;
use crate::messages::t;
use crate::validate;

/// The two plans and the promo field; Free creates the account, Standard goes on to the card.
#[component]
pub fn PlanStep(flow: Flow) -> impl IntoView {
    let problems = flow.problems(Problems::new());
    let promo_error = problems.field_saying("promo_code", |_| t().promo_invalid.to_string());

    // The code as sent, for the line that says it was applied (a signal, read untracked:
    // a stored `String` would be a kind of its own).
    let applying = RwSignal::new(String::new());
    let apply = Action::new_local(move |code: &String| {
        applying.set(code.clone());
        flow.send_for_data("promo_code", code)
    });
    answered(apply, problems, move |data| {
        flow.promo_text.set(data.promo);
        flow.promo_applied.set(Some(applying.get_untracked()));
        flow.standard.set(true);
    });
    // Given the tier: an action of a kind the sign-up's other steps have.
    let create_free = Action::new_local(move |tier: &String| flow.send_for_data("tier", tier));
    answered(create_free, problems, move |data| flow.finish(data));
    let (applying_promo, creating) = (apply.pending(), create_free.pending());
    let pending = Signal::derive(move || applying_promo.get() || creating.get());

    let apply_promo = move || {
        problems.clear();
        match validate::promo_code(&flow.promo.get_untracked()) {
            Some(code) => apply.dispatch(code),
            None => {
                problems.check("promo_code", Err(t().promo_required));
                problems.focus_first_invalid();
            }
        }
    };
    let submit = Callback::new(move |()| {
        // A typed but unapplied promo is applied first, so Enter in its field does that.
        let typed = validate::promo_code(&flow.promo.get_untracked());
        let applied = flow.promo_applied.get_untracked();
        if typed.is_some() && typed != applied {
            apply_promo();
        } else if flow.standard.get_untracked() {
            flow.go(Stage::Card);
        } else {
            problems.clear();
            create_free.dispatch("FREE".to_string());
        }
    });
    // The plan's choice comes before its field: focus starts from the top.
    flow.focus(None);

    let standard = flow.standard;
    let locked = move || flow.promo_applied.with(Option::is_some);
    let labels = Signal::derive(move || {
        if standard.get() {
            (t().continue_button, t().saving)
        } else {
            (t().signup_create, t().signup_creating)
        }
    });
    view! {
        <AuthForm problems pending labels on_submit=submit>
            {page_title(t().plan_title, None)}
            <fieldset class="plans">
                <legend>{t().plan_legend}</legend>
                <label class="plan">
                    <input type="radio" name="tier" value="FREE"
                        prop:checked=move || !standard.get() prop:disabled=locked
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
            <TextField id="promo" label=t().promo_label value=flow.promo error=promo_error
                class="promo">
                <button type="button" class="button secondary inline" prop:disabled=move || pending.get()
                    on:click=move |_| apply_promo()>{t().promo_apply}</button>
            </TextField>
            <div role="status" class="promo-status">
                {move || flow.promo_applied.get().map(|c| view! {
                    <p class="promo-applied">{t().promo_applied(&c, &flow.promo_text.get_untracked())}</p>
                }.into_any())}
            </div>
        </AuthForm>
    }
}
