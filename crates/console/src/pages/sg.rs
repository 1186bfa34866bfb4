//! Security groups.

use super::{Page, Section, View};

/// Draws the Security groups pages.
pub fn render(path: &[&str], _view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(Page { title: "Security groups".into(), section: Section::Sg, body: "<h1>Security groups</h1>".into() }),
        _ => None,
    }
}
