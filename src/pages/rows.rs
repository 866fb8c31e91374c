//! The list panel shared by the SSH-key and delete-account tabs: rows loaded as markup,
//! drawn with their loading, failed and empty states; each row's button opens one confirm
//! dialog (asking, when the rows are apps, for the name to be typed), which makes the call.
//!
//! Rows are generated markup with one `inner_html` binding, and their buttons share one
//! click handler on the list. A view per row pulled Leptos's list rendering into the wasm,
//! and a signal per row type its own copy of the signal code (together about 10 KiB
//! brotli), for short lists that are redrawn whole anyway. The panel is one function for
//! both tabs rather than a copy in each.

use leptos::html::{Dialog, Input};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::account_page::load_problem;
use crate::api::account::Call;
use crate::api::json::Json;
use crate::api::{Api, ApiError, PageScope};
use crate::components::{
    close_dialog, focus_selector, focus_soon, html_escape, open_dialog, report, start, status,
    ConfirmDialog, Job, TextField,
};
use crate::messages::{fill, t};
use crate::validate;

/// What a list panel shows and does.
pub struct ListPanel {
    /// The list's endpoint (A23, A25).
    pub path: &'static str,
    /// The rows' markup (see [`each`] and [`row_markup`]); empty when there are none.
    pub rows: fn(&[Json]) -> String,
    /// Heading.
    pub title: &'static str,
    /// Under the heading, if anything.
    pub lede: Option<&'static str>,
    /// No rows.
    pub empty: &'static str,
    /// The dialog's heading, text and confirm button.
    pub ask: (&'static str, &'static str, &'static str),
    /// When set, the label of a field where the row's id must be typed to confirm.
    pub typed: Option<&'static str>,
    /// The call that acts on the row with this id.
    pub call: fn(String) -> Call,
    /// The news once it is done: a template given the row's label as `{0}`.
    pub done: &'static str,
}

/// The panel (heading `#list-heading`) and its dialog; also the callback that reloads the
/// rows and the panel's status region, for the page's own form.
pub fn list_panel(
    api: Api,
    scope: PageScope,
    panel: ListPanel,
) -> (impl IntoView, Callback<()>, RwSignal<Option<String>>) {
    let (rows, load) = load_rows(api, scope, panel.path, panel.rows);
    let said = RwSignal::new(None::<String>);
    let dialog = NodeRef::<Dialog>::new();
    let input = NodeRef::<Input>::new();
    let picked = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let typed = RwSignal::new(String::new());
    let typed_error = RwSignal::new(None::<String>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let acted = Callback::new(move |r: Result<Option<String>, ApiError>| match r {
        Ok(_) => {
            close_dialog(dialog);
            said.set(Some(fill(panel.done, &[&picked.1.get_untracked()])));
            load.run(());
            // The button that opened the dialog goes with its row.
            focus_selector("#list-heading");
        }
        Err(e) => report(&e, &[], problem),
    });
    let confirm = Callback::new(move |()| {
        let id = picked.0.get_untracked();
        if panel.typed.is_some() && !validate::typed_match(&typed.get_untracked(), &id) {
            typed_error.set(Some(t().app_name_mismatch.to_string()));
            focus_soon(input, true);
        } else {
            start(api, busy, Job::Call((panel.call)(id)), scope, acted);
        }
    });
    let forget = Callback::new(move |()| {
        typed.set(String::new());
        typed_error.set(None);
    });
    let view = view! {
        <section class="panel" aria-labelledby="list-heading">
            <h2 id="list-heading" tabindex="-1">{panel.title}</h2>
            {panel.lede.map(|l| view! { <p class="lede">{l}</p> })}
            {status(said)}
            {rows_view(rows, load, panel.empty, picked, said, dialog)}
        </section>
        <ConfirmDialog dialog title=panel.ask.0 lede=panel.ask.1 confirm=panel.ask.2 danger=true
            message=problem pending=busy.into() on_confirm=confirm on_close=forget>
            <p class="subject">{picked.1}</p>
            {panel.typed.map(|label| view! {
                <TextField id="typed-name" label value=typed error=typed_error node_ref=input/>
            })}
        </ConfirmDialog>
    };
    (view, load, said)
}

/// A list as markup: `None` until the first answer, `Ok(None)` when empty. A reload keeps
/// the old rows until the new ones arrive.
type Rows = RwSignal<Option<Result<Option<String>, ApiError>>>;

/// Loads `path` into new [`Rows`], made by `markup`, now and again each time the callback
/// runs (Try again, or after a change).
fn load_rows(
    api: Api,
    scope: PageScope,
    path: &'static str,
    markup: fn(&[Json]) -> String,
) -> (Rows, Callback<()>) {
    let rows = RwSignal::new(None);
    let loading = RwSignal::new(false);
    let loaded = Callback::new(move |r: Result<Option<String>, ApiError>| {
        rows.set(Some(r.map(|text| text.filter(|t| !t.is_empty()))))
    });
    let load = Callback::new(move |_| {
        start(
            api,
            loading,
            Job::Call(Call::List(path, markup)),
            scope,
            loaded,
        )
    });
    load.run(());
    (rows, load)
}

/// The markup of every item that `row` reads (it skips an item of another shape with `None`).
pub fn each(items: &[Json], row: fn(&Json) -> Option<String>) -> String {
    items.iter().filter_map(row).collect()
}

/// One row: `main` (markup, already escaped) and a button saying `action` that carries the
/// row's `id` and `label` (what its dialog names), and tells screen readers which row it is.
pub fn row_markup(main: &str, action: &str, class: &str, id: &str, label: &str) -> String {
    let (id, label) = (html_escape(id), html_escape(label));
    format!(
        r#"<li class="row"><div class="row-main">{main}</div><button type="button" class="button {class} small" data-id="{id}" data-label="{label}">{action}<span class="visually-hidden"> {label}</span></button></li>"#
    )
}

/// Loading…, the load problem with Try again, `empty`, or the rows. A row's button puts its
/// id and label into `picked`, clears `said` and opens `dialog` (which focuses its first
/// field, or else its confirm button).
fn rows_view(
    rows: Rows,
    load: Callback<()>,
    empty: &'static str,
    picked: (RwSignal<String>, RwSignal<String>),
    said: RwSignal<Option<String>>,
    dialog: NodeRef<Dialog>,
) -> impl IntoView {
    let click = move |ev: leptos::ev::MouseEvent| {
        let button = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("[data-id]").ok().flatten());
        if let Some(b) = button {
            let attr = |name| b.get_attribute(name).unwrap_or_default();
            picked.0.set(attr("data-id"));
            picked.1.set(attr("data-label"));
            said.set(None);
            open_dialog(dialog);
        }
    };
    // Loading, empty and the rows are all markup, so one view draws them.
    move || match rows.get() {
        Some(Err(e)) => load_problem(e, load),
        other => {
            let html = match other {
                Some(Ok(Some(rows))) => format!(r#"<ul class="rows">{rows}</ul>"#),
                Some(Ok(None)) => format!(r#"<p class="empty">{empty}</p>"#),
                _ => format!(r#"<p class="loading" role="status">{}</p>"#, t().loading),
            };
            view! { <div on:click=click inner_html=html></div> }.into_any()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::row_markup;

    #[test]
    fn a_row_carries_what_its_button_acts_on() {
        assert_eq!(
            row_markup("<strong>x</strong>", "Remove", "secondary", "7", "a\"<b"),
            "<li class=\"row\"><div class=\"row-main\"><strong>x</strong></div>\
             <button type=\"button\" class=\"button secondary small\" data-id=\"7\" \
             data-label=\"a&quot;&lt;b\">Remove<span class=\"visually-hidden\"> a&quot;&lt;b</span>\
             </button></li>"
        );
    }
}
