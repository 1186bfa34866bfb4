//! Names of what the data plane creates: every namespace starts with the
//! scope's prefix (`tn-` for `up`), so a sweep can find and remove leftovers.

/// The namespace prefix a data plane instance owns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    prefix: String,
}

/// Scopes of tests start with this, so `up`'s sweep leaves running tests alone.
const TEST_MARK: &str = "tn-x";

impl Scope {
    /// The scope of `tasknet up`: `tn-`.
    pub fn production() -> Scope {
        Scope { prefix: "tn-".into() }
    }

    /// A scope for one test run: `tn-x<tag>-` (the tag: letters and digits).
    pub fn test(tag: &str) -> Scope {
        let tag: String = tag.chars().filter(char::is_ascii_alphanumeric).take(10).collect();
        Scope { prefix: format!("{TEST_MARK}{tag}-") }
    }

    /// The prefix.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The namespace name for an AWS ID (`vpc-…`, `eni-…`, `igw-…`) or `internet`.
    pub fn ns(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    /// Whether a namespace belongs to this scope (production does not own test scopes).
    pub fn owns(&self, ns: &str) -> bool {
        ns.starts_with(&self.prefix) && (self.prefix != "tn-" || !ns.starts_with(TEST_MARK))
    }

    /// The file `up` locks so that two of them never share the scope.
    pub fn lock_path(&self) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("tasknet-{}up.lock", self.prefix))
    }
}

/// An interface name from an AWS ID: a letter and the ID's last 14 characters
/// (Linux allows 15).
pub fn ifname(letter: char, id: &str) -> String {
    let tail: String = id.rsplit('-').next().unwrap_or(id).chars().filter(char::is_ascii_alphanumeric).collect();
    let start = tail.len().saturating_sub(14);
    format!("{letter}{}", &tail[start..])
}

/// An nftables identifier from an AWS ID (`sg-0ab` → `sg_0ab`).
pub fn nft_ident(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn production_does_not_own_test_scopes() {
        let p = Scope::production();
        assert!(p.owns("tn-eni-0abc"));
        assert!(!p.owns("tn-x1-eni-0abc"));
        assert!(!p.owns("other"));
        let t = Scope::test("1");
        assert!(t.owns("tn-x1-eni-0abc"));
        assert!(!t.owns("tn-eni-0abc"));
        assert!(!t.owns("tn-x12-eni"));
    }

    #[test]
    fn interface_names_fit_linux() {
        assert_eq!(ifname('e', "eni-0123456789abcdef0"), "e3456789abcdef0");
        assert!(ifname('e', "eni-0123456789abcdef0").len() <= 15);
        assert_eq!(ifname('g', "igw-1"), "g1");
        assert_eq!(nft_ident("sg-0a"), "sg_0a");
    }
}
