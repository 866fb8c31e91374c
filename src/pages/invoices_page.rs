//! `#/account/invoices`: this period's usage per app (A21) and the invoices (A20).

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use super::account_page::load_problem;
use crate::api::account::Call;
use crate::api::billing::{self, Invoice, Usage};
use crate::api::json::Json;
use crate::api::{Api, ApiError, FromJson, PageScope};
use crate::components::{html_escape, set_title, start, Job};
use crate::messages::{dollars, t};

/// The invoices and usage tab.
#[component]
pub fn InvoicesPage() -> impl IntoView {
    set_title(t().nav_invoices);
    let api = expect_context::<Api>();
    let scope = PageScope::new();
    // Each list arrives as its panel's markup, through the account calls' one request path,
    // into the signal type the payment page uses too: a new request future or signal type
    // would each add wasm.
    let lists = [
        (billing::USAGE, usage_panel as fn(&[Json]) -> String),
        (billing::INVOICES, invoices_panel),
    ]
    .map(|(path, show)| {
        let slot = RwSignal::new(None::<Result<Option<String>, ApiError>>);
        let busy = RwSignal::new(false);
        let done = Callback::new(move |r| slot.set(Some(r)));
        (slot, move || {
            slot.set(None);
            start(api, busy, Job::Call(Call::List(path, show)), scope, done);
        })
    });
    let [(usage, load_usage), (invoices, load_invoices)] = lists;
    // Try again asks for both again.
    let load = Callback::new(move |_| {
        load_usage();
        load_invoices();
    });
    load.run(());

    view! {
        <h1 tabindex="-1">{t().nav_invoices}</h1>
        {move || match (usage.get(), invoices.get()) {
            (Some(Err(e)), _) | (_, Some(Err(e))) => load_problem(e, load),
            (Some(Ok(u)), Some(Ok(i))) => {
                let panels = u.unwrap_or_default() + &i.unwrap_or_default();
                view! { <div inner_html=panels></div> }.into_any()
            }
            _ => view! { <p class="loading" role="status">{t().loading}</p> }.into_any(),
        }}
    }
}

// The panels are markup, generated once and drawn by one `inner_html` binding (as the MFA
// page's key facts are): views per row and cell cost more wasm than two read-only tables are
// worth. Everything from the API is escaped.

/// The usage panel: a table with the total, or the sentence for no usage.
fn usage_panel(rows: &[Json]) -> String {
    let m = t();
    let (mut body, mut total) = (String::new(), 0i64);
    for row in rows {
        let Some(u) = Usage::from_json(row) else {
            continue;
        };
        body += &cells("td", &[&html_escape(&u.app), &dollars(u.amount_cents)]);
        total = total.saturating_add(u.amount_cents);
    }
    let foot = format!(
        "<tfoot>{}</tfoot>",
        cells("td", &[m.total, &dollars(total)])
    );
    let table = table(&m.usage_columns, &body, &foot, m.usage_empty);
    panel("usage-heading", m.usage_title, &table)
}

/// The invoices panel: a table, or the sentence for no invoices.
fn invoices_panel(rows: &[Json]) -> String {
    invoices_markup(rows, day)
}

/// [`invoices_panel`] with its dates written by `day` (the browser's, outside tests).
fn invoices_markup(rows: &[Json], day: fn(&str) -> String) -> String {
    let m = t();
    let mut body = String::new();
    for row in rows {
        let Some(i) = Invoice::from_json(row) else {
            continue;
        };
        let when = html_escape(&m.period(&day(&i.period_start), &day(&i.period_end)));
        // Every row's link says PDF; the hidden period tells them apart when read out.
        let link = i.pdf.as_deref().map_or(String::new(), |url| {
            format!(
                r#"<a href="{}">{}<span class="visually-hidden"> {when}</span></a>"#,
                html_escape(url),
                m.pdf
            )
        });
        let amount = dollars(i.amount_cents);
        body += &cells("td", &[&when, &amount, m.paid[usize::from(!i.paid)], &link]);
    }
    let table = table(&m.invoice_columns, &body, "", m.invoices_empty);
    panel("invoices-heading", m.invoices_title, &table)
}

/// A titled panel. A table wider than the screen scrolls inside its own box, never the page.
fn panel(id: &str, title: &str, content: &str) -> String {
    format!(
        r#"<section class="panel" aria-labelledby="{id}"><h2 id="{id}">{title}</h2><div class="table-box">{content}</div></section>"#
    )
}

/// A table with a head row, the body's rows and a foot (markup, possibly empty); `empty`
/// in its place when the body has no rows.
fn table(head: &[&str], body: &str, foot: &str, empty: &str) -> String {
    if body.is_empty() {
        return format!("<p>{empty}</p>");
    }
    format!(
        "<table><thead>{}</thead><tbody>{body}</tbody>{foot}</table>",
        cells("th scope=col", head)
    )
}

/// One row of `tag` cells holding `content` (markup already). The second column holds
/// amounts: aligned right, so they compare at a glance.
fn cells(tag: &str, content: &[&str]) -> String {
    let mut out = String::from("<tr>");
    for (i, cell) in content.iter().enumerate() {
        let class = if i == 1 { " class=num" } else { "" };
        out += &format!("<{tag}{class}>{cell}</{}>", &tag[..2]);
    }
    out + "</tr>"
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

    fn rows(text: &str) -> Vec<Json> {
        Json::parse(text).unwrap().items().to_vec()
    }

    #[test]
    fn usage_is_a_table_with_a_total() {
        assert_eq!(
            usage_panel(&[]),
            "<section class=\"panel\" aria-labelledby=\"usage-heading\">\
             <h2 id=\"usage-heading\">Usage this period</h2>\
             <div class=\"table-box\"><p>No usage this period.</p></div></section>"
        );
        let html = usage_panel(&rows(
            r#"[{"app":"demo-app","amount_cents":523},{"app":"<b>&","amount_cents":118},{"x":1}]"#,
        ));
        assert!(html.contains(
            "<table><thead><tr><th scope=col>App</th><th scope=col class=num>Amount</th></tr></thead>\
             <tbody><tr><td>demo-app</td><td class=num>$5.23</td></tr>\
             <tr><td>&lt;b&gt;&amp;</td><td class=num>$1.18</td></tr></tbody>\
             <tfoot><tr><td>Total</td><td class=num>$6.41</td></tr></tfoot></table>"
        ), "{html}");
    }

    #[test]
    fn invoices_are_rows_with_links_only_to_their_pdfs() {
        assert!(invoices_markup(&[], str::to_string).contains("<p>No invoices yet.</p>"));
        let html = invoices_markup(
            &rows(
                r#"[{"period_start":"2026-10-01T00:00:00Z","period_end":"2026-11-01T00:00:00Z",
                     "amount_cents":123456,"paid":true,"pdf":"https://x.example/a?b=1&c=\"2\""},
                    {"period_start":"2026-09-01T00:00:00Z","period_end":"2026-10-01T00:00:00Z",
                     "amount_cents":5,"paid":false,"pdf":"javascript:alert(1)"}]"#,
            ),
            |t| t[..10].to_string(),
        );
        assert!(
            html.contains(
                "<table><thead><tr><th scope=col>Period</th><th scope=col class=num>Amount</th>\
             <th scope=col>Status</th><th scope=col>PDF</th></tr></thead>"
            ),
            "{html}"
        );
        let oct = "2026-10-01\u{a0}– 2026-11-01";
        assert!(html.contains(&format!(
            r#"<tr><td>{oct}</td><td class=num>$1,234.56</td><td>Paid</td><td><a href="https://x.example/a?b=1&amp;c=&quot;2&quot;">PDF<span class="visually-hidden"> {oct}</span></a></td></tr>"#
        )), "{html}");
        assert!(html.contains(
            "<tr><td>2026-09-01\u{a0}– 2026-10-01</td><td class=num>$0.05</td><td>Unpaid</td><td></td></tr></tbody></table>"
        ), "{html}");
        assert_eq!(html.matches("<a ").count(), 1);
    }
}
