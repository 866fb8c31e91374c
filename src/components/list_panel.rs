//! A list an account tab loads and acts on (SSH keys): drawn with its loading, failed and
//! empty states; each row's button opens one confirming dialog, which dispatches the page's
//! action.

use leptos::prelude::*;

use super::{
    answered, close_dialog, each, focus_selector, not_loaded, open_dialog, status, ConfirmDialog,
    Problems,
};
use crate::api::ApiError;
use crate::data::{Action, LocalResource};
use crate::messages::{fill, t};

/// One item of the list, as its row shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// What the row's action is given (a key's id, an app's name).
    pub id: String,
    /// What people call it, in bold.
    pub name: String,
    /// What tells it apart from others of the same name (a key's fingerprint).
    pub detail: Option<String>,
    /// The item itself, cut to the row's width by the stylesheet (the key).
    pub full: Option<String>,
}

impl Row {
    /// How the dialog and screen readers name the row: its name and what tells it apart.
    pub fn label(&self) -> String {
        match &self.detail {
            Some(detail) => [&self.name, " ", detail].concat(),
            None => self.name.clone(),
        }
    }
}

/// What a list panel says.
#[derive(Clone, Copy)]
pub struct ListText {
    /// Heading.
    pub title: &'static str,
    /// Under the heading, if anything.
    pub lede: Option<&'static str>,
    /// No rows.
    pub empty: &'static str,
    /// Each row's button, and whether it destroys (styled as danger).
    pub button: (&'static str, bool),
    /// The dialog's heading, text and confirm button.
    pub ask: (&'static str, &'static str, &'static str),
    /// The news once it is done: a template given the row's label as `{0}`.
    pub done: &'static str,
}

/// The panel (heading `#list-heading`) and its dialog. `said` is the panel's status
/// region, which the page's own form may speak through too.
#[component]
pub fn ListPanel(
    /// What the panel says.
    text: ListText,
    /// The rows, loaded by the page (again after each change).
    rows: LocalResource<Result<Vec<Row>, ApiError>>,
    /// What a confirmed row's button does, given the row's id.
    act: Action<String, Result<(), ApiError>>,
    /// News of what was done.
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let dialog = "list-dialog";
    // The picked row's id and label, as two strings (signals of a type the console has).
    let (picked, label) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let problems = Problems::new();
    answered(act, problems, move |()| {
        close_dialog(dialog);
        let label = label.get_untracked();
        said.set(Some(fill(text.done, &[&label])));
        // The button that opened the dialog goes with its row.
        focus_selector("#list-heading");
    });
    let confirm = Callback::new(move |()| {
        act.dispatch(picked.get_untracked());
    });
    let pick = Callback::new(move |row: Row| {
        label.set(row.label());
        picked.set(row.id);
        said.set(None);
        open_dialog(dialog);
    });
    let retry = Callback::new(move |()| rows.refetch());

    view! {
        {list_section(text, said, Box::new(move || rows.get()), pick, retry)}
        <ConfirmDialog id=dialog title=text.ask.0 lede=text.ask.1 confirm=(text.ask.2, t().please_wait) danger=true
            problems pending=act.pending() on_confirm=confirm>
            <p class="subject">{move || label.get()}</p>
        </ConfirmDialog>
    }
}

/// The list's section (heading `#list-heading`): its title and lede, its status region
/// `said`, and the rows `rows` gives (`None` while they load), each with a button that
/// hands its row to `pick`; a failed load offers `retry`. Every list in the console is
/// drawn here.
pub fn list_section(
    text: ListText,
    said: RwSignal<Option<String>>,
    rows: Box<dyn Fn() -> Option<Result<Vec<Row>, ApiError>> + Send + Sync>,
    pick: Callback<Row>,
    retry: Callback<()>,
) -> AnyView {
    view! {
        <section class="panel" aria-labelledby="list-heading">
            <h2 id="list-heading" tabindex="-1">{text.title}</h2>
            {text.lede.map(|l| view! { <p class="lede">{l}</p> }.into_any())}
            {status(said.into())}
            {move || match rows() {
                None => not_loaded(None, retry),
                Some(Err(error)) => not_loaded(Some(error), retry),
                Some(Ok(list)) if list.is_empty() => view! { <p class="empty">{text.empty}</p> }.into_any(),
                Some(Ok(list)) => view! {
                    <ul class="rows">
                        {each(list, |row| row_view(row, text.button, pick))}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
    .into_any()
}

/// One row: its name, what tells it apart, the item itself, and a button that says which
/// row it acts on to screen readers.
fn row_view(row: Row, button: (&'static str, bool), pick: Callback<Row>) -> AnyView {
    let class = if button.1 {
        "button danger small"
    } else {
        "button secondary small"
    };
    let label = row.label();
    let picked = row.clone();
    view! {
        <li class="row">
            <div class="row-main">
                <strong>{row.name}</strong>
                {row.detail.map(|d| view! { <code>{d}</code> }.into_any())}
                {row.full.map(|f| view! { <code class="clip">{f}</code> }.into_any())}
            </div>
            <button type="button" class=class on:click=move |_| pick.run(picked.clone())>
                {button.0}<span class="visually-hidden">{[" ", &label].concat()}</span>
            </button>
        </li>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::Row;

    #[test]
    fn a_row_is_named_by_its_name_and_what_tells_it_apart() {
        let mut row = Row {
            id: "7".into(),
            name: "me@laptop".into(),
            detail: Some("SHA256:x".into()),
            full: None,
        };
        assert_eq!(row.label(), "me@laptop SHA256:x");
        row.detail = None;
        assert_eq!(row.label(), "me@laptop");
    }
}
