//! The console's drawings (the two-factor QR code, the invoices' bar chart) as inline SVG,
//! built through the DOM rather than `view!`: each value is set as an attribute or as text,
//! never parsed as markup, and every drawing shares this one piece of code where `view!`
//! would bring render code of its own for each SVG element and attribute kind
//! (docs/size-log.md).

use leptos::prelude::*;
use web_sys::Element;

use super::effect;

/// A new SVG element `tag` with `attributes`, holding `text` if there is some.
pub fn svg_node(tag: &str, attributes: &[(&str, &str)], text: Option<&str>) -> Option<Element> {
    let node = document()
        .create_element_ns(Some("http://www.w3.org/2000/svg"), tag)
        .ok()?;
    for (name, value) in attributes {
        node.set_attribute(name, value).ok()?;
    }
    if text.is_some() {
        node.set_text_content(text);
    }
    Some(node)
}

/// Adds `children` to `parent`, in order; `None` if any of them could not be made.
pub fn append_all(parent: &Element, children: &[Option<Element>]) -> Option<()> {
    for child in children {
        parent.append_child(child.as_ref()?).ok()?;
    }
    Some(())
}

/// A `<div id=…>` that holds what `draw` returns, drawn once the div is in the page and
/// drawn again whenever a signal `draw` reads changes; empty while `draw` gives nothing.
pub fn svg_host(id: &'static str, draw: impl Fn() -> Option<Element> + 'static) -> AnyView {
    // Effects run after the view is in the page, so the host is there to be found.
    effect(move || {
        let Some(host) = document().get_element_by_id(id) else {
            return;
        };
        host.set_text_content(None);
        if let Some(svg) = draw() {
            let _ = host.append_child(&svg);
        }
    });
    view! { <div id=id></div> }.into_any()
}
