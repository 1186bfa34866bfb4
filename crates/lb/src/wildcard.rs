//! The `*` and `?` patterns of listener rule conditions.
//!
//! AWS doc: "Condition types for listener rules" and the CloudFormation
//! pages of the condition configs: `*` matches 0 or more characters, `?`
//! exactly 1; path patterns compare case sensitive, hosts, header values
//! and query strings case insensitive; in query strings a literal `*` or
//! `?` is escaped with `\`. Rules apply to visible ASCII, so `?` matches one
//! byte (inferred for other bytes).

/// One element of a compiled pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    /// This byte (already lower-cased when the pattern folds case).
    Byte(u8),
    /// `?`.
    One,
    /// `*`.
    Any,
}

/// A compiled wildcard pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wildcard {
    /// The pattern as written.
    pub source: String,
    toks: Vec<Tok>,
    fold_case: bool,
}

impl Wildcard {
    /// Compiles `pattern`; `fold_case` compares ASCII letters case
    /// insensitively; `escapes` makes `\x` the literal `x` (query strings).
    pub fn new(pattern: &str, fold_case: bool, escapes: bool) -> Wildcard {
        let mut toks = Vec::with_capacity(pattern.len());
        let mut bytes = pattern.bytes();
        while let Some(b) = bytes.next() {
            let tok = match b {
                b'\\' if escapes => Tok::Byte(bytes.next().unwrap_or(b'\\')),
                b'*' => Tok::Any,
                b'?' => Tok::One,
                _ => Tok::Byte(b),
            };
            // Consecutive stars match what one star matches.
            if tok == Tok::Any && toks.last() == Some(&Tok::Any) {
                continue;
            }
            toks.push(match tok {
                Tok::Byte(x) if fold_case => Tok::Byte(x.to_ascii_lowercase()),
                t => t,
            });
        }
        Wildcard { source: pattern.to_string(), toks, fold_case }
    }

    /// Whether the whole of `text` matches.
    pub fn matches(&self, text: &[u8]) -> bool {
        let toks = &self.toks;
        let (mut p, mut t) = (0usize, 0usize);
        // Where the last `*` was and how much text it has taken so far.
        let mut star: Option<(usize, usize)> = None;
        while t < text.len() {
            if let Some(tok) = toks.get(p) {
                match *tok {
                    Tok::Any => {
                        star = Some((p, t));
                        p += 1;
                        continue;
                    }
                    Tok::One => {
                        p += 1;
                        t += 1;
                        continue;
                    }
                    Tok::Byte(b) if b == self.fold(text[t]) => {
                        p += 1;
                        t += 1;
                        continue;
                    }
                    Tok::Byte(_) => {}
                }
            }
            // Mismatch: let the last star take one more byte, or fail.
            match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            }
        }
        toks[p..].iter().all(|x| *x == Tok::Any)
    }

    fn fold(&self, b: u8) -> u8 {
        if self.fold_case {
            b.to_ascii_lowercase()
        } else {
            b
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The obvious recursive definition, to check the fast one against.
    fn reference(p: &[u8], t: &[u8]) -> bool {
        match p.split_first() {
            None => t.is_empty(),
            Some((b'*', rest)) => (0..=t.len()).any(|i| reference(rest, &t[i..])),
            Some((b'?', rest)) => !t.is_empty() && reference(rest, &t[1..]),
            Some((c, rest)) => t.first() == Some(c) && reference(rest, &t[1..]),
        }
    }

    #[test]
    fn examples() {
        let w = |p: &str| Wildcard::new(p, false, false);
        assert!(w("/api/*").matches(b"/api/users"));
        assert!(w("/api/*").matches(b"/api/"));
        assert!(!w("/api/*").matches(b"/api"));
        assert!(w("/img/?.png").matches(b"/img/a.png"));
        assert!(!w("/img/?.png").matches(b"/img/ab.png"));
        assert!(!w("/API/*").matches(b"/api/x"), "paths are case sensitive");
        assert!(Wildcard::new("*.Example.com", true, false).matches(b"www.EXAMPLE.com"));
        assert!(w("*").matches(b""));
        assert!(!w("").matches(b"x"));
    }

    #[test]
    fn escapes_make_stars_literal() {
        let w = Wildcard::new("a\\*b", true, true);
        assert!(w.matches(b"a*b"));
        assert!(!w.matches(b"axb"));
        // Without escapes the backslash is an ordinary byte.
        assert!(Wildcard::new("a\\*", false, false).matches(b"a\\zzz"));
    }

    proptest! {
        #[test]
        fn agrees_with_the_reference(p in "[ab*?]{0,8}", t in "[ab]{0,10}") {
            let w = Wildcard::new(&p, false, false);
            prop_assert_eq!(w.matches(t.as_bytes()), reference(p.as_bytes(), t.as_bytes()));
        }
    }
}
