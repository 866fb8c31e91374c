//! A bar chart of amounts (the invoices'), one row per bar: its label and its value as
//! written on a line, and under them a bar as long as its share of the largest. Rows rather
//! than columns, and the texts above their bar rather than beside it, so that twelve of
//! them keep readable text and whole bars on the narrowest phone; lengths in `em` and `%`
//! rather than a scaled `viewBox`, so that the text stays the page's size at any width.

use web_sys::Element;

use super::svg::{append_all, svg_host, svg_node};
use crate::messages::decimal;

/// One bar.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    /// What it is (a month).
    pub label: String,
    /// Its amount as the page writes it ("$12.34").
    pub value: String,
    /// Its amount in cents, which sets its length.
    pub cents: i64,
    /// Drawn in the warning colour (an unpaid invoice).
    pub marked: bool,
}

/// The longest bar, in percent of the chart's width.
const LONGEST: i64 = 100;

/// Each amount's bar length in percent of the chart's width: the largest is [`LONGEST`], any
/// amount above zero at least 1 so that it shows, nothing and credits 0.
pub fn bar_lengths(cents: &[i64]) -> Vec<i64> {
    // Past ten billion dollars, every amount is as long as the largest: nothing overflows.
    let clamp = |c: i64| c.clamp(0, 1 << 40);
    let largest = cents.iter().copied().map(clamp).max().unwrap_or(0).max(1);
    cents
        .iter()
        // Rounded up: a small amount beside a large one still shows.
        .map(|&c| (clamp(c) * LONGEST + largest - 1) / largest)
        .collect()
}

/// `tenths` tenths of an em, as an SVG length ("2.5em").
fn em(tenths: i64) -> String {
    [
        decimal(tenths / 10, 0),
        ".".into(),
        decimal(tenths % 10, 0),
        "em".into(),
    ]
    .concat()
}

/// The chart as an `<svg>` image named `label`.
fn draw(label: &str, bars: &[Bar]) -> Option<Element> {
    // Each row is 2.8em high: the texts' line, then the bar, then a gap.
    let height = em(28 * bars.len() as i64);
    let attributes = [
        ("class", "chart"),
        ("role", "img"),
        ("aria-label", label),
        ("width", "100%"),
        ("height", &height),
    ];
    let svg = svg_node("svg", &attributes, None)?;
    let lengths = bar_lengths(&bars.iter().map(|b| b.cents).collect::<Vec<_>>());
    for (row, (bar, length)) in bars.iter().zip(lengths).enumerate() {
        let top = 28 * row as i64;
        let (baseline, bar_top) = (em(top + 11), em(top + 15));
        let width = [decimal(length, 0), "%".into()].concat();
        let class = if bar.marked { "marked" } else { "bar" };
        append_all(
            &svg,
            &[
                svg_node("text", &[("y", &baseline)], Some(&bar.label)),
                svg_node(
                    "text",
                    &[("x", "100%"), ("y", &baseline), ("text-anchor", "end")],
                    Some(&bar.value),
                ),
                svg_node(
                    "rect",
                    &[
                        ("class", class),
                        ("y", &bar_top),
                        ("height", "0.8em"),
                        ("width", &width),
                    ],
                    None,
                ),
            ],
        )?;
    }
    Some(svg)
}

/// The chart in a `<div id=…>`; nothing is drawn for no bars.
pub fn bar_chart(
    id: &'static str,
    label: &'static str,
    bars: Vec<Bar>,
) -> leptos::prelude::AnyView {
    svg_host(id, move || {
        (!bars.is_empty()).then(|| draw(label, &bars)).flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_amount_has_the_longest_bar_and_small_ones_still_show() {
        assert_eq!(
            bar_lengths(&[10_000, 5_000, 1, 0, -300]),
            [100, 50, 1, 0, 0]
        );
        assert_eq!(bar_lengths(&[0, 0]), [0, 0]);
        assert_eq!(bar_lengths(&[]), Vec::<i64>::new());
        assert_eq!(bar_lengths(&[i64::MAX, 1]), [100, 1]);
    }

    #[test]
    fn lengths_in_em_keep_one_decimal() {
        assert_eq!(em(25), "2.5em");
        assert_eq!(em(240), "24.0em");
        assert_eq!(em(5), "0.5em");
    }
}
