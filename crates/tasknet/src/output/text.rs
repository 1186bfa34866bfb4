//! Compiler-style text: `error[CODE]: message`, `--> file:line:col`, the
//! source line with a caret under the column, then `= label: text` notes.
//! Our own renderer rather than miette's graphical one: its layout and
//! glyphs change between versions, and users' scripts grep this output.

use cfn::Pos;
use std::fmt::Write as _;
use std::io::IsTerminal;
use std::path::Path;

/// Longest stretch of a source line shown; minified JSON is one huge line.
const MAX_SNIPPET: usize = 160;
/// How much of a long line is kept before the column.
const BEFORE_COLUMN: usize = 60;

/// Whether to colour output, decided once per stream.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    color: bool,
}

impl Style {
    /// Plain text, for tests.
    #[cfg(test)]
    pub const PLAIN: Style = Style { color: false };

    /// Colours when the stream is a terminal and `NO_COLOR` is unset or empty (no-color.org).
    pub fn detect(is_terminal: bool) -> Style {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Style { color: is_terminal && !no_color }
    }

    /// For what goes to stdout.
    pub fn stdout() -> Style {
        Style::detect(std::io::stdout().is_terminal())
    }

    /// For what goes to stderr.
    pub fn stderr() -> Style {
        Style::detect(std::io::stderr().is_terminal())
    }

    fn paint(&self, codes: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{codes}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
}

/// Error or warning, for the header and the caret's colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `error`.
    Error,
    /// `warning`.
    Warning,
}

impl Level {
    fn word(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
        }
    }

    fn color(self) -> &'static str {
        match self {
            Level::Error => "1;31",
            Level::Warning => "1;33",
        }
    }
}

/// One message to render.
#[derive(Clone, Debug)]
pub struct Report<'a> {
    /// Error or warning.
    pub level: Level,
    /// The diagnostic code, if any.
    pub code: Option<&'a str>,
    /// The message; later lines are printed as they are.
    pub message: &'a str,
    /// The file concerned.
    pub file: Option<&'a Path>,
    /// Where in the file.
    pub pos: Option<Pos>,
    /// The file's text, for the snippet.
    pub source: Option<&'a str>,
    /// `= label: text` lines, in order.
    pub notes: Vec<(&'static str, String)>,
}

impl Report<'_> {
    /// Renders the report, ending with a newline.
    pub fn render(&self, style: Style) -> String {
        let mut out = String::new();
        let head = match self.code {
            Some(code) => format!("{}[{code}]", self.level.word()),
            None => self.level.word().to_string(),
        };
        let _ = writeln!(
            out,
            "{}{}",
            style.paint(self.level.color(), &head),
            style.paint("1", &format!(": {}", self.message))
        );
        let snippet = self.snippet();
        let width = snippet.as_ref().map_or(1, |(n, _, _)| n.to_string().len());
        let pad = " ".repeat(width);
        let gutter = |s: &str| style.paint("1;34", s);
        if let Some(file) = self.file {
            let location = match self.pos {
                Some(p) => format!("{}:{}:{}", file.display(), p.line, p.col),
                None => file.display().to_string(),
            };
            let _ = writeln!(out, "{pad}{} {location}", gutter("-->"));
        }
        if let Some((line_no, text, (start, len))) = snippet {
            let _ = writeln!(out, "{pad} {}", gutter("|"));
            let _ = writeln!(out, "{} {}", gutter(&format!("{line_no} |")), text.trim_end());
            let marks = format!("{}{}", " ".repeat(start), "^".repeat(len.max(1)));
            let _ = writeln!(out, "{pad} {} {}", gutter("|"), style.paint(self.level.color(), &marks));
        }
        for (label, text) in &self.notes {
            let _ = writeln!(out, "{pad} {} {text}", style.paint("1", &format!("= {label}:")));
        }
        out
    }

    /// The line number, the line as shown and the caret's (start, length) in shown characters.
    fn snippet(&self) -> Option<(u32, String, (usize, usize))> {
        let pos = self.pos?;
        let line = self.source?.split('\n').nth(usize::try_from(pos.line).ok()?.checked_sub(1)?)?;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let col = usize::try_from(pos.col).ok()?.saturating_sub(1);
        // Tabs become spaces and control characters a visible mark, keeping one
        // shown column per source character except tabs.
        let mut shown = String::new();
        let mut caret_at = None;
        let mut chars = 0usize;
        for (i, c) in line.chars().enumerate() {
            if i == col {
                caret_at = Some(chars);
            }
            match c {
                '\t' => {
                    shown.push_str("    ");
                    chars += 4;
                }
                c if c.is_control() => {
                    shown.push('\u{fffd}');
                    chars += 1;
                }
                c => {
                    shown.push(c);
                    chars += 1;
                }
            }
        }
        // A column just past the end (e.g. "unexpected end of line") gets the caret there.
        let start = caret_at.unwrap_or(chars);
        let len = token_len(line.chars().skip(col));
        let (shown, start) = window(&shown, start);
        // The caret stops where the shown text (or its window) does.
        let visible = shown.trim_end_matches('…').chars().count().saturating_sub(start);
        Some((pos.line, shown, (start, len.min(visible))))
    }
}

/// Length of the token at the caret: up to whitespace, without a trailing `:` or `,`.
fn token_len(rest: impl Iterator<Item = char>) -> usize {
    let token: String = rest.take_while(|c| !c.is_whitespace()).collect();
    let token = token.trim_end_matches([':', ',']);
    token.chars().count().max(1)
}

/// Cuts a long line down to a window around `start`, marking the cuts with `…`.
fn window(line: &str, start: usize) -> (String, usize) {
    let total = line.chars().count();
    if total <= MAX_SNIPPET {
        return (line.to_string(), start);
    }
    let from = start.saturating_sub(BEFORE_COLUMN);
    let to = (from + MAX_SNIPPET).min(total);
    let mut s: String = line.chars().skip(from).take(to - from).collect();
    let mut start = start - from;
    if from > 0 {
        s.insert(0, '…');
        start += 1;
    }
    if to < total {
        s.push('…');
    }
    (s, start)
}

/// `n word` or `n words`.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// `N errors, M warnings`, or `no errors` when there is nothing at all.
pub fn summary(errors: usize, warnings: usize) -> String {
    match (errors, warnings) {
        (0, 0) => "no errors".to_string(),
        (0, w) => format!("no errors, {}", plural(w, "warning")),
        (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report<'a>(source: &'a str, pos: Pos) -> Report<'a> {
        Report {
            level: Level::Error,
            code: Some("TN0000"),
            message: "bad",
            file: Some(Path::new("t.yml")),
            pos: Some(pos),
            source: Some(source),
            notes: vec![("help", "fix it".into())],
        }
    }

    #[test]
    fn caret_under_the_token() {
        let out = report("a: 1\n  Type: AWS::X::Y\n", Pos::new(2, 9)).render(Style::PLAIN);
        assert_eq!(
            out,
            "error[TN0000]: bad\n --> t.yml:2:9\n  |\n2 |   Type: AWS::X::Y\n  |         ^^^^^^^^^\n  = help: fix it\n"
        );
    }

    #[test]
    fn tabs_and_crlf_keep_the_caret_aligned() {
        let out = report("\tKey: v\r\n", Pos::new(1, 2)).render(Style::PLAIN);
        assert!(out.contains("1 |     Key: v\n  |     ^^^\n"), "{out}");
    }

    #[test]
    fn positions_past_the_text_render_without_a_snippet() {
        let out = report("one line", Pos::new(9, 1)).render(Style::PLAIN);
        assert_eq!(out, "error[TN0000]: bad\n --> t.yml:9:1\n  = help: fix it\n");
    }

    #[test]
    fn long_lines_are_windowed() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let out = report(&line, Pos::new(1, 501)).render(Style::PLAIN);
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[3].chars().count() < 200, "{out}");
        let x = lines[3].chars().position(|c| c == 'X');
        assert!(x.is_some());
        assert_eq!(x, lines[4].chars().position(|c| c == '^'));
        assert!(lines[4].chars().count() <= lines[3].chars().count(), "{out}");
    }

    #[test]
    fn summaries() {
        assert_eq!(summary(0, 0), "no errors");
        assert_eq!(summary(1, 0), "1 error, 0 warnings");
        assert_eq!(summary(2, 1), "2 errors, 1 warning");
        assert_eq!(summary(0, 3), "no errors, 3 warnings");
    }
}
