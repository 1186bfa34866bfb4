//! Load balancing.

use super::{Page, Section, View};

/// Draws the Load balancing pages.
pub fn render(path: &[&str], _view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(Page { title: "Load balancing".into(), section: Section::Lb, body: "<h1>Load balancing</h1>".into() }),
        _ => None,
    }
}
