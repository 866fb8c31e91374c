//! `#/account/invoices`: this period's usage per app (A21) and the invoices (A20).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::billing::{self, Invoice, Usage};
use crate::api::{Api, ApiError};
use crate::components::{page_title, set_title, Cell, LoadProblem, TablePanel};
use crate::data::LocalResource;
use crate::messages::{dollars, t};

/// The invoices and usage tab.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    set_title(t().nav_invoices);
    let api = Api::for_page();
    // Both lists in one load: the page shows them together, or says why it can't.
    let lists = LocalResource::new(move || async move {
        let (usage, invoices) = (billing::usage(api).await?, billing::invoices(api).await?);
        Ok::<_, ApiError>((usage, invoices))
    });
    let retry = Callback::new(move |()| lists.refetch());
    let m = t();

    view! {
        {page_title(t().nav_invoices, None)}
        {move || match lists.get() {
            None => view! { <p class="loading" role="status">{t().loading}</p> }.into_any(),
            Some(Err(error)) => view! { <LoadProblem error retry/> }.into_any(),
            Some(Ok((usage, invoices))) => {
                let (usage, total) = usage_rows(usage);
                view! {
                    <TablePanel id="usage-heading" title=m.usage_title columns=&m.usage_columns
                        rows=usage foot=total empty=m.usage_empty/>
                    <TablePanel id="invoices-heading" title=m.invoices_title
                        columns=&m.invoice_columns rows=invoice_rows(invoices, day)
                        empty=m.invoices_empty/>
                }.into_any()
            }
        }}
    }
}

/// The usage rows and their total.
fn usage_rows(usage: Vec<Usage>) -> (Vec<Vec<Cell>>, Vec<Cell>) {
    let total = usage
        .iter()
        .fold(0i64, |sum, u| sum.saturating_add(u.amount_cents));
    let rows = usage
        .into_iter()
        .map(|u| vec![Cell::Text(u.app), Cell::Amount(dollars(u.amount_cents))])
        .collect();
    let foot = vec![
        Cell::Text(t().total.to_string()),
        Cell::Amount(dollars(total)),
    ];
    (rows, foot)
}

/// The invoices' rows, their dates written by `day` (the browser's, outside tests). Every
/// row's link says PDF; the hidden period tells them apart when read out.
fn invoice_rows(invoices: Vec<Invoice>, day: fn(&str) -> String) -> Vec<Vec<Cell>> {
    let m = t();
    invoices
        .into_iter()
        .map(|i| {
            let when = m.period(&day(&i.period_start), &day(&i.period_end));
            let link = i
                .pdf
                .map_or(Cell::Empty, |href| Cell::Link(href, m.pdf, when.clone()));
            vec![
                Cell::Text(when),
                Cell::Amount(dollars(i.amount_cents)),
                Cell::Text(m.paid[usize::from(!i.paid)].to_string()),
                link,
            ]
        })
        .collect()
}

/// An RFC 3339 time as a date in the user's locale ("default" is the browser's own), or as
/// sent when it is not a date. Dates by the browser's `Intl`, not a date crate: it already
/// knows every locale, and costs no wasm.
fn day(time: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(time));
    if date.get_time().is_nan() {
        return time.to_string();
    }
    // Periods run from midnight UTC: in local time they would seem to start a day early
    // west of Greenwich.
    let options = js_sys::JSON::parse(r#"{"dateStyle":"medium","timeZone":"UTC"}"#)
        .unwrap_or(JsValue::UNDEFINED);
    // Kept whole on a line: a narrow screen breaks the period at its dash, not mid-date.
    String::from(date.to_locale_date_string("default", &options)).replace(' ', "\u{a0}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_rows_add_up_to_a_total() {
        let usage = vec![
            Usage {
                app: "a".into(),
                amount_cents: 523,
            },
            Usage {
                app: "<b>".into(),
                amount_cents: 118,
            },
        ];
        let (rows, foot) = usage_rows(usage);
        assert_eq!(
            rows[1],
            vec![Cell::Text("<b>".into()), Cell::Amount("$1.18".into())]
        );
        assert_eq!(
            foot,
            vec![Cell::Text("Total".into()), Cell::Amount("$6.41".into())]
        );
    }

    #[test]
    fn invoices_link_only_to_their_pdfs() {
        let invoice = |pdf: Option<&str>, paid| Invoice {
            period_start: "2026-10-01T00:00:00Z".into(),
            period_end: "2026-11-01T00:00:00Z".into(),
            amount_cents: 123_456,
            paid,
            pdf: pdf.map(str::to_string),
        };
        let rows = invoice_rows(
            vec![
                invoice(Some("https://x.example/a.pdf"), true),
                invoice(None, false),
            ],
            |t| t[..10].to_string(),
        );
        let when = "2026-10-01\u{a0}– 2026-11-01".to_string();
        assert_eq!(rows[0][0], Cell::Text(when.clone()));
        assert_eq!(rows[0][1], Cell::Amount("$1,234.56".into()));
        assert_eq!(rows[0][2], Cell::Text("Paid".into()));
        assert_eq!(
            rows[0][3],
            Cell::Link("https://x.example/a.pdf".into(), "PDF", when)
        );
        assert_eq!(
            (&rows[1][2], &rows[1][3]),
            (&Cell::Text("Unpaid".into()), &Cell::Empty)
        );
    }
}
