//! Aligned columns for the text views, `kubectl get` style: a header line in
//! capitals, then one line per item, columns two spaces apart.

/// What a table cell shows when there is nothing to show.
pub const NONE: &str = "-";

/// A table being built: a header and rows of the same width.
#[derive(Clone, Debug)]
pub struct Table {
    /// Column titles.
    header: Vec<&'static str>,
    /// The rows, each as wide as the header.
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these column titles.
    pub fn new(header: &[&'static str]) -> Table {
        Table { header: header.to_vec(), rows: Vec::new() }
    }

    /// Adds a row; missing cells show as `-`, extra cells are dropped, so a
    /// caller's miscount cannot break the alignment.
    pub fn row(&mut self, cells: Vec<String>) {
        let mut cells: Vec<String> =
            cells.into_iter().map(|c| if c.is_empty() { NONE.to_string() } else { c }).collect();
        cells.resize(self.header.len(), NONE.to_string());
        self.rows.push(cells);
    }

    /// True when no row was added.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as text, each line ending in a newline and without trailing
    /// blanks (the last column is not padded).
    pub fn render(&self) -> String {
        let width = |s: &str| s.chars().count();
        let mut widths: Vec<usize> = self.header.iter().map(|h| width(h)).collect();
        for row in &self.rows {
            for (w, cell) in widths.iter_mut().zip(row) {
                *w = (*w).max(width(cell));
            }
        }
        let mut out = String::new();
        let header: Vec<String> = self.header.iter().map(|h| h.to_string()).collect();
        for row in std::iter::once(&header).chain(&self.rows) {
            let last = row.len().saturating_sub(1);
            let mut line = String::new();
            for (i, (cell, w)) in row.iter().zip(&widths).enumerate() {
                line.push_str(cell);
                if i < last {
                    line.extend(std::iter::repeat_n(' ', w - width(cell) + 2));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }

    /// The table, or `empty` on a line of its own when it has no rows.
    pub fn render_or(&self, empty: &str) -> String {
        if self.is_empty() {
            format!("{empty}\n")
        } else {
            self.render()
        }
    }
}

/// `-` for an absent value, the value otherwise.
pub fn or_none<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| NONE.to_string(), |v| v.to_string())
}

/// `yes` or `no`.
pub fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The last `/`-separated part of an ARN: a task's or container instance's
/// 32-hex ID, a service's name.
pub fn arn_tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// `family:revision` of a task definition ARN (what people call it).
pub fn task_definition_name(arn: &str) -> &str {
    arn.split_once(":task-definition/").map_or(arn, |(_, rest)| rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_and_lines_have_no_trailing_blanks() {
        let mut t = Table::new(&["NAME", "STATUS", "REASON"]);
        t.row(vec!["web".into(), "RUNNING".into(), String::new()]);
        t.row(vec!["a-long-name".into(), "STOPPED".into(), "Essential container in task exited".into()]);
        assert_eq!(
            t.render(),
            "NAME         STATUS   REASON\n\
             web          RUNNING  -\n\
             a-long-name  STOPPED  Essential container in task exited\n"
        );
    }

    #[test]
    fn short_and_long_rows_keep_the_header_width() {
        let mut t = Table::new(&["A", "B"]);
        t.row(vec!["1".into()]);
        t.row(vec!["2".into(), "x".into(), "dropped".into()]);
        assert_eq!(t.render(), "A  B\n1  -\n2  x\n");
    }

    #[test]
    fn empty_tables_say_so() {
        let t = Table::new(&["TASK"]);
        assert!(t.is_empty());
        assert_eq!(t.render_or("no tasks"), "no tasks\n");
    }

    #[test]
    fn width_counts_characters_not_bytes() {
        let mut t = Table::new(&["K", "V"]);
        t.row(vec!["→é".into(), "1".into()]);
        t.row(vec!["ab".into(), "2".into()]);
        assert_eq!(t.render(), "K   V\n→é  1\nab  2\n");
    }

    #[test]
    fn helpers() {
        assert_eq!(or_none(None::<u32>), "-");
        assert_eq!(or_none(Some(3)), "3");
        assert_eq!(yes_no(true), "yes");
        assert_eq!(arn_tail("arn:aws:ecs:us-east-1:123456789012:task/default/0123abcd"), "0123abcd");
        assert_eq!(arn_tail("plain"), "plain");
        assert_eq!(task_definition_name("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3"), "web:3");
        assert_eq!(task_definition_name("web:3"), "web:3");
    }
}
