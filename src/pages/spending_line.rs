//! The billing page's spending line (`spending.rs`): the amount this device warns past, set
//! or removed here, and said back together with whether today's rate already passes it.

use leptos::prelude::*;

use crate::components::{FormCard, Problems, TextField};
use crate::messages::{dollars, plain_dollars, t};
use crate::session::SessionCtx;
use crate::spending::{self, Warning};
use crate::validate;

/// What saving `limit` means, given the whole period's bill at today's `rate`: the
/// warning's own words too when the rate already passes it.
fn said(limit: Option<i64>, rate: Option<i64>) -> String {
    let m = t();
    let Some(cents) = limit else {
        return m.spend_off.to_string();
    };
    let set = m.spend_set(&dollars(cents));
    match spending::passed(limit, rate) {
        Some(passed) => [set, passed].join(" "),
        None => set,
    }
}

/// The spending line's form; `rate` is the whole period's bill at today's rate, if known.
#[component]
pub fn SpendingLine(rate: Option<i64>) -> impl IntoView {
    let email = expect_context::<SessionCtx>()
        .current_untracked()
        .map(|s| s.email)
        .unwrap_or_default();
    let typed = RwSignal::new(
        spending::limit(&email)
            .map(plain_dollars)
            .unwrap_or_default(),
    );
    // The page has just loaded today's rate: the account pages' warning follows it.
    let warning = expect_context::<Warning>();
    warning.judge(&email, rate);
    let problems = Problems::new();
    let done = RwSignal::new(None::<String>);
    let save = Callback::new(move |()| {
        problems.clear();
        done.set(None);
        match validate::dollars(&typed.get_untracked()) {
            Ok(limit) => {
                spending::set_limit(&email, limit);
                warning.judge(&email, rate);
                done.set(Some(said(limit, rate)));
            }
            Err(why) => {
                problems.check("spend-limit", Err(why));
                problems.focus_first_invalid();
            }
        }
    });
    let m = t();
    view! {
        <FormCard id="spend-heading" title=m.spend_title labels=(m.spend_save, m.spend_save)
            pending=false problems done on_submit=save>
            <TextField id="spend-limit" label=m.spend_label inputmode="decimal"
                value=typed error=problems.field("spend-limit")/>
        </FormCard>
    }
}

#[cfg(test)]
mod tests {
    use super::said;

    #[test]
    fn saving_says_whether_today_s_rate_already_passes_the_line() {
        assert_eq!(
            said(None, Some(1)),
            "Saved: no spending warning on this device."
        );
        let set = "Saved. On this device, the account pages will warn you when this period's bill at today's rate passes $100.00.";
        assert_eq!(said(Some(10_000), Some(10_000)), set);
        assert_eq!(said(Some(10_000), None), set);
        assert_eq!(
            said(Some(10_000), Some(14_900)),
            [
                set,
                " At today's rate, this period's bill comes to $149.00, past the $100.00 you set."
            ]
            .concat()
        );
    }
}
