//! ECS.

use super::{Page, Section, View};

/// Draws the ECS pages.
pub fn render(path: &[&str], _view: &View<'_>) -> Option<Page> {
    match path {
        [] => Some(Page { title: "ECS".into(), section: Section::Ecs, body: "<h1>ECS</h1>".into() }),
        _ => None,
    }
}
