//! The constraint checks CloudFormation applies to one parameter value.
//!
//! AWS doc: "Parameters" — properties AllowedPattern, AllowedValues,
//! ConstraintDescription, MaxLength, MaxValue, MinLength, MinValue.
//!
//! Order, first failure reported (CloudFormation names one problem per
//! parameter): AllowedValues, number, length, pattern, value range.
//! Lengths before the pattern follows AWS's own resource handlers, which
//! evaluate length before pattern to avoid slow patterns on long input.

use super::decl::ParamDecl;
use regex::{Regex, RegexBuilder};

/// A failed check: code, AWS's message and a one-line fix.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Failure {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

/// An `AllowedPattern` made ready for matching.
#[derive(Debug, Clone)]
pub(crate) enum Pattern {
    /// Compiled, anchored on the whole value.
    Ready(Regex),
    /// Valid Java, but a construct the `regex` crate lacks: not checked.
    Unsupported(String),
    /// Not a regular expression at all.
    Invalid(String),
}

/// Java constructs the `regex` crate does not have. A pattern that fails
/// to compile and uses one of them is taken as valid Java we can't run.
const JAVA_ONLY: &[&str] = &[
    "(?=", "(?!", "(?<=", "(?<!", "(?>", "*+", "++", "?+", "}+", "\\k<", "\\Q", "\\E", "\\Z", "\\G", "\\R", "\\X",
    "\\h", "\\H", "\\V", "\\1", "\\2", "\\3", "\\4", "\\5", "\\6", "\\7", "\\8", "\\9", "\\p{java", "\\p{Is", "\\p{In",
];

/// Compiles an AllowedPattern the way CloudFormation applies it: a Java
/// regular expression (AWS doc: "Using regular expressions in
/// CloudFormation templates") that must match the entire value, as Java's
/// `Matcher.matches()` does; here `^(?:P)$`.
///
/// Where Java and Rust differ for the same pattern text:
/// - `\d`, `\w`, `\s` and `\b` are ASCII in Java, Unicode in Rust (a
///   non-ASCII digit passes `\d` here and fails on AWS);
/// - `.` in Java also excludes `\r`, `\u0085`, `\u2028`, `\u2029`;
/// - lookaround, backreferences, possessive quantifiers, atomic groups and
///   `\Q…\E` exist only in Java: such patterns are reported as not
///   checkable rather than as invalid.
pub(crate) fn compile_pattern(p: &str) -> Pattern {
    let anchored = format!("^(?:{p})$");
    match RegexBuilder::new(&anchored).size_limit(1 << 20).dfa_size_limit(1 << 20).build() {
        Ok(re) => Pattern::Ready(re),
        Err(regex::Error::CompiledTooBig(_)) => Pattern::Unsupported("the pattern is too large to check".into()),
        Err(e) => {
            if let Some(c) = JAVA_ONLY.iter().find(|c| p.contains(*c)) {
                Pattern::Unsupported(format!("it uses {c}, a Java construct tasknet cannot evaluate"))
            } else {
                // The regex crate's message spans lines; keep its last line.
                let why = e.to_string();
                let why = why.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("invalid").trim().to_string();
                Pattern::Invalid(why)
            }
        }
    }
}

/// Java's `String.length()`: UTF-16 code units, so an emoji counts twice.
pub(crate) fn java_len(s: &str) -> u64 {
    s.encode_utf16().count() as u64
}

/// Parses a Number parameter value. Inferred: CloudFormation accepts what
/// a Java double parses, finite; tasknet takes Rust's float syntax
/// (Java's also allows surrounding spaces, hex floats and a `d`/`f` suffix).
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Prints a bound as the template most likely wrote it: `8`, not `8.0`.
pub(crate) fn fmt_num(n: f64) -> String {
    format!("{n}")
}

/// Splits a list value given comma-separated. Inferred: no trimming, and an
/// empty string is one empty element (AllowedPattern is applied to it, as
/// cfn-lint's maintainers measured for CommaDelimitedList).
pub(crate) fn split_list(v: &str) -> Vec<&str> {
    v.split(',').collect()
}

/// Checks one value (the whole value given for scalar types, each element
/// for list types) against the declaration's constraints.
pub(crate) fn check_value(decl: &ParamDecl, value: &str, pattern: Option<&Pattern>) -> Option<Failure> {
    let ty = decl.ty;
    let name = &decl.name;
    let fail = |code: &'static str, aws_text: String, hint: String| {
        let message = match &decl.constraint_description {
            // Seen: "Parameter EnvironmentSuffix failed to satisfy
            // constraint: Must be one of: dev, staging, prod" and "Parameter
            // CreateVPNEndpoint failed to satisfy constraint: Must specify
            // 'true' or 'false'" (AllowedValues) in CreateStack /
            // CreateChangeSet ValidationErrors users pasted; no quotes
            // around the name. Applied to every constraint: inferred.
            Some(d) => format!("Parameter {name} failed to satisfy constraint: {d}"),
            None => aws_text,
        };
        Some(Failure { code, message, hint })
    };
    // AWS doc: "AllowedValues … For a CommaDelimitedList, each value in
    // the list" (per element since December 2022, per AWS's announcement
    // and cfn-lint PR 2521 by an AWS engineer).
    if !decl.allowed_values.is_empty() && !decl.allowed_values.iter().any(|a| a == value) {
        // Seen: "Parameter 'Environment' must be one of AllowedValues".
        return fail(
            "TN1102",
            format!("Parameter '{name}' must be one of AllowedValues"),
            format!("allowed values: {}", decl.allowed_values.join(", ")),
        );
    }
    let number = if ty.is_number() {
        match parse_number(value) {
            Some(n) => Some(n),
            // Seen (aws-cli issue 7992, CreateStack ValidationError):
            // "Parameter 'NumberParameter' must be a number."
            None => {
                return fail("TN1105", format!("Parameter '{name}' must be a number."), "give a number, e.g. 2".into())
            }
        }
    } else {
        None
    };
    // Lengths apply to String and the other scalar string types (AWS
    // accepts and enforces them on AWS-specific types too); not to lists.
    if !ty.is_number() && !ty.given_is_list() {
        let len = java_len(value);
        if let Some(min) = decl.min_length.filter(|m| len < *m) {
            // Seen (cloudformation-coverage-roadmap issue 930):
            // "Parameter 'XYZ' must contain at least N characters".
            return fail(
                "TN1104",
                format!("Parameter '{name}' must contain at least {min} characters"),
                format!("give at least {min} characters (this value has {len})"),
            );
        }
        if let Some(max) = decl.max_length.filter(|m| len > *m) {
            // Inferred from the MinLength text.
            return fail(
                "TN1104",
                format!("Parameter '{name}' must contain at most {max} characters"),
                format!("give at most {max} characters (this value has {len})"),
            );
        }
    }
    if let (Some(Pattern::Ready(re)), Some(p)) = (pattern, &decl.allowed_pattern) {
        if !ty.is_number() && !re.is_match(value) {
            // AWS doc "Parameters" (ConstraintDescription) shows the console
            // form "Malformed input-Parameter MyParameter must match pattern
            // [A-Za-z0-9]+"; the API form with the quoted name: inferred.
            return fail(
                "TN1103",
                format!("Parameter '{name}' must match pattern {p}"),
                format!("the whole value must match {p}"),
            );
        }
    }
    if let Some(n) = number {
        if let Some(min) = decl.min_value.filter(|m| n < *m) {
            // Inferred (the form other CloudFormation emulators use).
            let min = fmt_num(min);
            return fail(
                "TN1104",
                format!("Parameter '{name}' must be a number not less than {min}"),
                format!("give a number of at least {min}"),
            );
        }
        if let Some(max) = decl.max_value.filter(|m| n > *m) {
            // Inferred, as MinValue.
            let max = fmt_num(max);
            return fail(
                "TN1104",
                format!("Parameter '{name}' must be a number not greater than {max}"),
                format!("give a number of at most {max}"),
            );
        }
    }
    None
}

/// Checks a whole value given for a parameter: split for list types, each
/// element checked; the first failure.
pub(crate) fn check_given(decl: &ParamDecl, value: &str, pattern: Option<&Pattern>) -> Option<Failure> {
    if decl.ty.given_is_list() {
        split_list(value).into_iter().find_map(|e| check_value(decl, e, pattern))
    } else {
        check_value(decl, value, pattern)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_are_anchored_on_the_whole_value() {
        let Pattern::Ready(re) = compile_pattern("[a-z]+") else { panic!() };
        assert!(re.is_match("abc"));
        assert!(!re.is_match("abc1"));
        let Pattern::Ready(re) = compile_pattern("a|b") else { panic!() };
        assert!(!re.is_match("ab"), "alternation stays inside the anchors");
        let Pattern::Ready(re) = compile_pattern("^[0-9]+$") else { panic!() };
        assert!(re.is_match("42"));
    }

    #[test]
    fn java_only_patterns_are_not_checked_and_broken_ones_are_invalid() {
        assert!(matches!(compile_pattern("(?!admin).*"), Pattern::Unsupported(_)));
        assert!(matches!(compile_pattern("(a)\\1"), Pattern::Unsupported(_)));
        assert!(matches!(compile_pattern("[a-z"), Pattern::Invalid(_)));
        assert!(matches!(compile_pattern("(ab"), Pattern::Invalid(_)));
    }

    #[test]
    fn lengths_count_utf16_units() {
        assert_eq!(java_len("abc"), 3);
        assert_eq!(java_len("é"), 1);
        assert_eq!(java_len("😀"), 2);
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_number("2"), Some(2.0));
        assert_eq!(parse_number("-1.5e3"), Some(-1500.0));
        assert_eq!(parse_number("two"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("inf"), None);
        assert_eq!(fmt_num(8.0), "8");
        assert_eq!(fmt_num(0.5), "0.5");
        assert_eq!(split_list(""), vec![""]);
        assert_eq!(split_list("a, b"), vec!["a", " b"]);
    }
}
