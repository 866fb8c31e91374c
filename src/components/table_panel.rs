//! A titled panel holding one read-only table (usage, invoices): every table of the
//! console is drawn by this one component from rows of [`Cell`]s.

use leptos::prelude::*;

use super::each;

/// One cell of a table.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Text as it is.
    Text(String),
    /// An amount, aligned right so that amounts compare at a glance.
    Amount(String),
    /// Text that must stand out (an unpaid invoice).
    Strong(String),
    /// A link (an `http(s)` address: the API layer keeps no other), its words, and what
    /// screen readers hear after them to tell the rows' links apart.
    Link(String, &'static str, String),
    /// Nothing.
    Empty,
}

/// One cell as a `<td>` (or `<th>` in the head).
fn cell_view(cell: Cell) -> AnyView {
    match cell {
        Cell::Text(text) => view! { <td>{text}</td> }.into_any(),
        Cell::Amount(text) => view! { <td class="num">{text}</td> }.into_any(),
        Cell::Strong(text) => view! { <td><strong class="due">{text}</strong></td> }.into_any(),
        Cell::Link(href, words, hidden) => view! {
            <td><a href=href>{words}<span class="visually-hidden">{[" ", &hidden].concat()}</span></a></td>
        }
        .into_any(),
        Cell::Empty => view! { <td></td> }.into_any(),
    }
}

/// A row of cells.
fn row_view(cells: Vec<Cell>) -> AnyView {
    view! { <tr>{each(cells, cell_view)}</tr> }.into_any()
}

/// The panel: a heading, then the table, or `empty` when there are no rows. A table wider
/// than the screen scrolls inside its own box, never the page. The second column holds
/// amounts.
#[component]
pub fn TablePanel(
    /// The heading's id.
    id: &'static str,
    /// The heading.
    title: &'static str,
    /// The column headings.
    columns: &'static [&'static str],
    /// The rows.
    rows: Vec<Vec<Cell>>,
    /// A last row under the others (a total), if any.
    #[prop(optional)]
    foot: Option<Vec<Cell>>,
    /// Said instead of an empty table.
    empty: &'static str,
    /// What the table means or asks for, above it.
    #[prop(default = None)]
    lede: Option<AnyView>,
) -> impl IntoView {
    let table = (!rows.is_empty()).then(|| {
        let head = each(columns.iter().enumerate(), |(i, c)| {
            view! { <th scope="col" class=(i == 1).then_some("num")>{*c}</th> }.into_any()
        });
        view! {
            <table>
                <thead><tr>{head}</tr></thead>
                <tbody>{each(rows, row_view)}</tbody>
                {foot.map(|cells| view! { <tfoot>{row_view(cells)}</tfoot> }.into_any())}
            </table>
        }
    });
    let body = view! {
        {lede}
        <div class="table-box">
            {table.map_or_else(|| view! { <p>{empty}</p> }.into_any(), IntoAny::into_any)}
        </div>
    };
    super::panel(id, title, false, body.into_any())
}
