//! Sizes for the SVG: text widths estimated per character (no font files
//! are read, so the layout is the same everywhere) and the boxes built on them.

use super::model::{EniBox, Gateway, SubnetBox};
use super::text;

/// Font sizes, in px.
pub const TITLE: i32 = 14;
/// VPC header.
pub const VPC: i32 = 13;
/// A subnet's first line.
pub const SUBNET: i32 = 12;
/// An interface's first line; gateway names.
pub const NAME: i32 = 11;
/// Everything else.
pub const SMALL: i32 = 10;
/// A subnet kind's badge.
pub const BADGE: i32 = 9;

/// Inner padding of a subnet box.
pub const SUB_PAD: i32 = 10;
/// Gap between interfaces in a subnet.
pub const ENI_GAP: i32 = 8;
/// Height of a VPC's header band.
pub const VPC_HEADER: i32 = 34;

/// The height of one line of text of `size`.
pub fn lh(size: i32) -> i32 {
    size + 4
}

/// The estimated width of `s` in px, a little wide for Verdana and DejaVu
/// Sans (the fonts asked for), so text never runs out of its box.
pub fn text_width(s: &str, size: i32, bold: bool) -> i32 {
    let em: f64 = s
        .chars()
        .map(|c| match c {
            'i' | 'l' | 'j' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' | '·' => 0.34,
            'f' | 't' | 'r' | 'I' | '(' | ')' | '-' | '/' => 0.44,
            'm' | 'w' | 'M' | 'W' => 0.98,
            '→' => 0.86,
            'A'..='Z' => 0.74,
            '0'..='9' => 0.64,
            _ => 0.62,
        })
        .sum();
    let bold_factor = if bold { 1.12 } else { 1.0 };
    (em * f64::from(size) * bold_factor).ceil() as i32
}

/// The width of a subnet kind's badge.
pub fn badge_width(kind_name: &str) -> i32 {
    text_width(&kind_name.to_uppercase(), BADGE, true) + 10
}

/// An interface box's natural width and height.
pub fn eni_size(e: &EniBox) -> (i32, i32) {
    let lines = text::eni_lines(e);
    let w =
        lines.iter().map(|l| text_width(l, SMALL, false)).chain([text_width(&e.title, NAME, true)]).max().unwrap_or(0);
    (w + 16, 12 + lh(NAME) + lines.len() as i32 * lh(SMALL))
}

/// A subnet's header: natural width and height, down to where its interfaces start.
pub fn subnet_header(s: &SubnetBox) -> (i32, i32) {
    let lines = text::subnet_lines(s);
    let title = text_width(&text::subnet_title(s), SUBNET, true) + 8 + badge_width(s.kind.name());
    let w = lines.iter().map(|l| text_width(l, SMALL, false)).chain([title]).max().unwrap_or(0);
    (w + 2 * SUB_PAD, SUB_PAD + lh(SUBNET) + lines.len() as i32 * lh(SMALL) + 6)
}

/// A subnet's natural width and full height with its interfaces stacked.
pub fn subnet_size(s: &SubnetBox) -> (i32, i32) {
    let (mut w, mut h) = subnet_header(s);
    for e in &s.enis {
        let (ew, eh) = eni_size(e);
        w = w.max(ew + 2 * SUB_PAD);
        h += eh + ENI_GAP;
    }
    (w, h + SUB_PAD - if s.enis.is_empty() { 2 } else { ENI_GAP })
}

/// A gateway box's size.
pub fn gateway_size(g: &Gateway) -> (i32, i32) {
    let lines = text::gateway_lines(g);
    let w = lines
        .iter()
        .enumerate()
        .map(|(i, l)| text_width(l, if i == 0 { SMALL } else { NAME }, i > 0))
        .max()
        .unwrap_or(0);
    (w + 20, 16 + lh(SMALL) + lh(NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wider_text_measures_wider() {
        assert_eq!(text_width("", 10, false), 0);
        assert!(text_width("WWW", 10, false) > text_width("iii", 10, false));
        assert!(text_width("abc", 10, true) > text_width("abc", 10, false));
        assert!(text_width("abc", 12, false) > text_width("abc", 10, false));
    }
}
