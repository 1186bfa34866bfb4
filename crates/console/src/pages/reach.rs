//! Reachability.

use super::{Page, Section, View};

/// Draws the Reachability pages.
pub fn render(path: &[&str], _view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(Page { title: "Reachability".into(), section: Section::Reach, body: "<h1>Reachability</h1>".into() }),
        _ => None,
    }
}
