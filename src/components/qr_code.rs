//! A QR code drawn here, as inline SVG: the TOTP secret never leaves the browser for a
//! third-party image service.

use leptos::prelude::*;
use qrcodegen::{Mask, QrCode as Qr, QrCodeEcc, QrSegment, Version};

use super::svg::{append_all, svg_host, svg_node};
use crate::messages::push_decimal;

/// Modules of light margin around the code, as the QR standard asks for scanners.
const QUIET: usize = 4;

/// One fixed mask pattern. Any of the eight is valid; choosing the "best" one means scoring
/// all eight, code the wasm would carry for a code that scans fine either way.
const MASK: u8 = 0;

/// Encodes `text` and returns its size in modules and an SVG path drawing the dark ones;
/// `None` when the text is too long for any QR code.
///
/// Byte mode only (what a URI needs) and a fixed mask keep the encoder small; each row's
/// dark runs become one rectangle, so the path stays short.
pub fn qr_svg_path(text: &str) -> Option<(usize, String)> {
    let segments = [QrSegment::make_bytes(text.as_bytes())];
    let qr = Qr::encode_segments_advanced(
        &segments,
        QrCodeEcc::Medium,
        Version::MIN,
        Version::MAX,
        Some(Mask::new(MASK)),
        true,
    )
    .ok()?;
    let size = qr.size();
    let mut d = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !qr.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && qr.get_module(x, y) {
                x += 1;
            }
            // `M{start} {y}h{x - start}v1H{start}z`
            d.push('M');
            push_decimal(&mut d, start.into(), 0);
            d.push(' ');
            push_decimal(&mut d, y.into(), 0);
            d.push('h');
            push_decimal(&mut d, (x - start).into(), 0);
            d.push_str("v1H");
            push_decimal(&mut d, start.into(), 0);
            d.push('z');
        }
    }
    Some((size as usize, d))
}

/// The code for `text` as an inline SVG image named `label`, with its quiet zone, dark on
/// light whatever the theme; nothing when there is no code to draw.
#[component]
pub fn QrCode(
    /// What the code says (the TOTP Key URI).
    #[prop(into)]
    text: Signal<String>,
    /// The image's accessible name.
    label: &'static str,
) -> impl IntoView {
    svg_host("qr-code", move || text.with(|text| draw(text, label)))
}

/// The code as an `<svg>` element.
fn draw(text: &str, label: &str) -> Option<web_sys::Element> {
    let (size, d) = qr_svg_path(text).filter(|_| !text.is_empty())?;
    let side = size + 2 * QUIET;
    let (quiet, side) = (QUIET as i64, side as i64);
    let mut view_box = String::new();
    for (i, n) in [-quiet, -quiet, side, side].into_iter().enumerate() {
        if i > 0 {
            view_box.push(' ');
        }
        push_decimal(&mut view_box, n, 0);
    }
    let attributes = [
        ("class", "qr"),
        ("role", "img"),
        ("aria-label", label),
        ("viewBox", &view_box),
        ("shape-rendering", "crispEdges"),
    ];
    let svg = svg_node("svg", &attributes, None)?;
    append_all(&svg, &[svg_node("path", &[("d", &d)], None)])?;
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redraws the path as a module grid, to compare it with the encoder's own.
    fn paint(size: usize, d: &str) -> Vec<Vec<bool>> {
        let mut grid = vec![vec![false; size]; size];
        for rect in d.split('z').filter(|r| !r.is_empty()) {
            let rect = rect.strip_prefix('M').unwrap();
            let (xy, rest) = rect.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let width: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            assert_eq!(rest, format!("{width}v1H{x}"), "a one-module-high run");
            for cell in &mut grid[y][x..x + width] {
                assert!(!*cell, "runs never overlap");
                *cell = true;
            }
        }
        grid
    }

    #[test]
    fn the_path_draws_exactly_the_dark_modules() {
        let uri = "otpauth://totp/Gigalixir:someone%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Gigalixir&algorithm=SHA1&digits=6&period=30";
        let (size, d) = qr_svg_path(uri).unwrap();
        let segments = [QrSegment::make_bytes(uri.as_bytes())];
        let qr = Qr::encode_segments_advanced(
            &segments,
            QrCodeEcc::Medium,
            Version::MIN,
            Version::MAX,
            Some(Mask::new(MASK)),
            true,
        )
        .unwrap();
        assert_eq!(size, qr.size() as usize);
        // Version 7 or so: big enough for the URI, small enough for a phone at arm's length.
        assert!((41..=57).contains(&size), "{size}");
        let grid = paint(size, &d);
        for (y, row) in grid.iter().enumerate() {
            for (x, dark) in row.iter().enumerate() {
                assert_eq!(*dark, qr.get_module(x as i32, y as i32), "({x}, {y})");
            }
        }
        // The three finder patterns' corners are dark.
        assert!(grid[0][0] && grid[0][size - 1] && grid[size - 1][0]);
    }

    #[test]
    fn text_too_long_for_a_qr_code_draws_nothing() {
        assert_eq!(qr_svg_path(&"x".repeat(4000)), None);
        assert!(qr_svg_path("").is_some_and(|(size, _)| size == 21));
    }
}
