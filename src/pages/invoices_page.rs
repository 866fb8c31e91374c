//! `#/account/billing` (once `#/account/invoices`): this period's usage per app (A21) with the whole period's bill at
//! today's rate (A22), and the invoices (A20), an unpaid one standing out with what to do.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::api::billing::{self, Invoice, Usage};
use crate::api::{Api, ApiError};
use crate::components::{
    bar_chart, download_link, each, not_loaded, page_title, set_title, today, Bar, Cell, TablePanel,
};
use crate::data::LocalResource;
use crate::messages::{dollars, plain_dollars, t};
use crate::routing::{AccountTab, Route};

use super::spending_line::SpendingLine;

/// The billing tab.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    set_title(t().nav_invoices);
    let api = Api::for_page();
    // One load: the page shows its parts together, or says why it can't.
    let lists = LocalResource::new(move || async move {
        let usage = billing::usage(api).await?;
        let invoices = billing::invoices(api).await?;
        let rate = billing::run_rate(api).await?;
        Ok::<_, ApiError>((usage, invoices, rate))
    });
    let retry = Callback::new(move |()| lists.refetch());
    let m = t();

    view! {
        {page_title(t().nav_invoices, None)}
        {move || match lists.get() {
            None => not_loaded(None, retry),
            Some(Err(error)) => not_loaded(Some(error), retry),
            Some(Ok((usage, invoices, rate))) => {
                let projected = rate.0;
                let usage_lede = period_line(&invoices, projected, day)
                    .map(|line| view! { <p class="lede">{line}</p> }.into_any());
                let unpaid = invoices.iter().any(|i| !i.paid).then(|| view! {
                    <p class="notice warn">{m.unpaid_note}" "
                        <a href=Route::Account { tab: Some(AccountTab::PaymentMethod) }.href()>
                            {m.nav_payment_method}
                        </a>
                    </p>
                }.into_any());
                let chart = bar_chart("invoice-chart", m.chart_label, invoice_bars(&invoices, month));
                let files = [usage_csv(&usage), invoices_csv(&invoices)];
                let (usage, total) = usage_rows(usage);
                view! {
                    <TablePanel id="usage-heading" title=m.usage_title columns=&m.usage_columns
                        rows=usage foot=total empty=m.usage_empty lede=usage_lede/>
                    <SpendingLine rate=projected/>
                    <TablePanel id="invoices-heading" title=m.invoices_title
                        columns=&m.invoice_columns rows=invoice_rows(invoices, day)
                        empty=m.invoices_empty lede=Some(view! { {unpaid} {chart} }.into_any())/>
                    <div class="actions csv">
                        {each(files, |(kind, label, text)| download_link("button secondary", label, "text/csv",
                            Box::new(move || (["gigalixir-", kind, "-", &today(), ".csv"].concat(), text.clone()))))}
                    </div>
                    <p><a href="#/account/stop-charges">{m.stop_title}</a></p>
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

/// A CSV field, quoted with its quotes doubled, so that a comma or a quote in it keeps it
/// one field.
fn csv_field(text: &str) -> String {
    ["\"", &text.replace('"', "\"\""), "\""].concat()
}

/// CSV lines from rows of fields, under a header, each line ended by CRLF as RFC 4180 has it.
fn csv(header: &str, rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut out = [header, "\r\n"].concat();
    for row in rows {
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

/// This period's usage as a CSV file: its name's kind, the link's words, the text.
fn usage_csv(usage: &[Usage]) -> (&'static str, &'static str, String) {
    let rows = usage
        .iter()
        .map(|u| vec![csv_field(&u.app), plain_dollars(u.amount_cents)]);
    ("usage", t().usage_csv, csv("app,amount_usd", rows))
}

/// The invoices as a CSV file, with their dates as the API sends them.
fn invoices_csv(invoices: &[Invoice]) -> (&'static str, &'static str, String) {
    let rows = invoices.iter().map(|i| {
        vec![
            csv_field(&i.period_start),
            csv_field(&i.period_end),
            plain_dollars(i.amount_cents),
            String::from(if i.paid { "true" } else { "false" }),
            csv_field(i.pdf.as_deref().unwrap_or("")),
        ]
    });
    let header = "period_start,period_end,amount_usd,paid,pdf";
    ("invoices", t().invoices_csv, csv(header, rows))
}

/// When this period began (the newest invoice's end) and what the whole period comes to
/// at today's rate, as far as each is known; dates written by `day`.
fn period_line(invoices: &[Invoice], rate: Option<i64>, day: fn(&str) -> String) -> Option<String> {
    let m = t();
    let since = invoices.first().map(|i| m.usage_since(&day(&i.period_end)));
    let projected = rate.map(|cents| m.run_rate_line(&dollars(cents)));
    let parts: Vec<String> = since.into_iter().chain(projected).collect();
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The latest twelve invoices as bars, newest first as in the table, each named by the
/// month its period starts in (written by `month`); an unpaid one is marked.
fn invoice_bars(invoices: &[Invoice], month: fn(&str) -> String) -> Vec<Bar> {
    invoices
        .iter()
        .take(12)
        .map(|i| Bar {
            label: month(&i.period_start),
            value: dollars(i.amount_cents),
            cents: i.amount_cents,
            marked: !i.paid,
        })
        .collect()
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
                if i.paid {
                    Cell::Text(m.paid[0].to_string())
                } else {
                    Cell::Strong(m.paid[1].to_string())
                },
                link,
            ]
        })
        .collect()
}

/// An RFC 3339 time as a date in the user's locale ("default" is the browser's own), or as
/// sent when it is not a date. Dates by the browser's `Intl`, not a date crate: it already
/// knows every locale, and costs no wasm.
fn day(time: &str) -> String {
    local_date(time, r#"{"dateStyle":"medium","timeZone":"UTC"}"#)
}

/// An RFC 3339 time as its month and year in the user's locale ("Nov 2026"), as [`day`].
fn month(time: &str) -> String {
    local_date(
        time,
        r#"{"month":"short","year":"numeric","timeZone":"UTC"}"#,
    )
}

/// `time` written by `Intl.DateTimeFormat` with `options` (JSON), or as sent when it is not
/// a date. Periods run from midnight UTC: in local time they would seem to start a day
/// early west of Greenwich, so the options name UTC.
fn local_date(time: &str, options: &str) -> String {
    let date = js_sys::Date::new(&JsValue::from_str(time));
    if date.get_time().is_nan() {
        return time.to_string();
    }
    let options = js_sys::JSON::parse(options).unwrap_or(JsValue::UNDEFINED);
    // Kept whole on a line: a narrow screen breaks the period at its dash, not mid-date.
    String::from(date.to_locale_date_string("default", &options)).replace(' ', "\u{a0}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::messages::decimal;

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
            (&Cell::Strong("Unpaid".into()), &Cell::Empty)
        );
    }

    #[test]
    fn the_chart_has_the_latest_twelve_invoices_as_the_table_writes_them() {
        let invoices: Vec<Invoice> = (0..14)
            .map(|n| Invoice {
                period_start: ["2026-", &decimal(12 - n, 2), "-01T00:00:00Z"].concat(),
                period_end: String::new(),
                amount_cents: n * 1000 + 5,
                paid: n != 1,
                pdf: None,
            })
            .collect();
        let bars = invoice_bars(&invoices, |t| t[..7].to_string());
        assert_eq!(bars.len(), 12);
        assert_eq!(
            bars[1],
            Bar {
                label: "2026-11".into(),
                value: "$10.05".into(),
                cents: 1005,
                marked: true,
            }
        );
        assert_eq!(bars[11].label, "2026-01");
        assert!(!bars[0].marked && !bars[11].marked);
    }

    #[test]
    fn csv_files_are_plain_numbers_and_quoted_text() {
        let usage = [Usage {
            app: "a,\"b\"".into(),
            amount_cents: -5,
        }];
        assert_eq!(
            usage_csv(&usage).2,
            "app,amount_usd\r\n\"a,\"\"b\"\"\",-0.05\r\n"
        );
        let invoice = Invoice {
            period_start: "2026-10-01T00:00:00Z".into(),
            period_end: "2026-11-01T00:00:00Z".into(),
            amount_cents: 123_456,
            paid: false,
            pdf: None,
        };
        assert_eq!(
            invoices_csv(&[invoice]).2,
            "period_start,period_end,amount_usd,paid,pdf\r\n\
             \"2026-10-01T00:00:00Z\",\"2026-11-01T00:00:00Z\",1234.56,false,\"\"\r\n"
        );
    }

    #[test]
    fn the_period_line_says_what_is_known() {
        let newest = Invoice {
            period_start: "2026-10-01T00:00:00Z".into(),
            period_end: "2026-11-01T00:00:00Z".into(),
            amount_cents: 1,
            paid: true,
            pdf: None,
        };
        let day = |t: &str| t[..10].to_string();
        assert_eq!(
            period_line(std::slice::from_ref(&newest), Some(15_000), day).as_deref(),
            Some("Since 2026-11-01. At today's rate, the whole period comes to $150.00.")
        );
        assert_eq!(
            period_line(&[newest], None, day).as_deref(),
            Some("Since 2026-11-01.")
        );
        assert_eq!(
            period_line(&[], Some(0), day).as_deref(),
            Some("At today's rate, the whole period comes to $0.00.")
        );
        assert_eq!(period_line(&[], None, day), None);
    }
}
