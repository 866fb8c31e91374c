//! A QR code drawn here, as inline SVG: the TOTP secret never leaves the browser for a
//! third-party image service.

use std::fmt::Write;

use super::html_escape;
use qrcodegen::{Mask, QrCode as Qr, QrCodeEcc, QrSegment, Version};

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
            let _ = write!(d, "M{start} {y}h{}v1H{start}z", x - start);
        }
    }
    Some((size as usize, d))
}

/// The code for `text` as SVG markup: an image named `label`, with its quiet zone, dark on
/// light whatever the theme. Empty when there is no code to draw.
///
/// Markup rather than a view: it is generated, never edited, and one `inner_html` binding
/// costs the wasm far less than a reactive SVG view.
pub fn qr_svg(text: &str, label: &str) -> String {
    match qr_svg_path(text) {
        Some((size, d)) if !text.is_empty() => {
            let side = size + 2 * QUIET;
            format!(
                r#"<svg class="qr" role="img" aria-label="{}" viewBox="-{QUIET} -{QUIET} {side} {side}" shape-rendering="crispEdges"><path d="{d}"/></svg>"#,
                html_escape(label)
            )
        }
        _ => String::new(),
    }
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
        assert_eq!(qr_svg(&"x".repeat(4000), "QR"), "");
        assert_eq!(qr_svg("", "QR"), "");
    }

    #[test]
    fn the_image_is_named_and_framed_by_its_quiet_zone() {
        let svg = qr_svg("otpauth://totp/x?secret=A", "QR \"code\" <for> you");
        let (size, d) = qr_svg_path("otpauth://totp/x?secret=A").unwrap();
        let side = size + 8;
        assert!(svg.starts_with(&format!(
            r#"<svg class="qr" role="img" aria-label="QR &quot;code&quot; &lt;for&gt; you" viewBox="-4 -4 {side} {side}""#
        )));
        assert!(svg.ends_with(&format!(r#"<path d="{d}"/></svg>"#)));
    }
}
