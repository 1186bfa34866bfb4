//! VPC map.

use super::{Page, Section, View};

/// Draws the VPC map pages.
pub fn render(path: &[&str], _view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(Page { title: "VPC map".into(), section: Section::Vpc, body: "<h1>VPC map</h1>".into() }),
        _ => None,
    }
}
