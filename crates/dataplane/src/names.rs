//! Names of what the data plane creates: every namespace starts with the
//! scope's prefix (`tn-` for `up` on the user's default state directory), so
//! a sweep can find and remove leftovers.

use std::path::Path;

/// The namespace prefix a data plane instance owns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    prefix: String,
}

/// Scopes of tests start with this, so `up`'s sweep leaves running tests alone.
const TEST_MARK: &str = "tn-x";

/// Scopes of `up` on a state directory other than the user's default start with this.
const DIR_MARK: &str = "tn-d";

/// What follows the prefix in a namespace the data plane makes: a VPC's
/// router, an ENI, an internet gateway, a gateway VPC endpoint (each named by
/// its AWS ID), or the internet.
const KINDS: &[&str] = &["vpc-", "eni-", "igw-", "vpce-"];

/// The emulated internet's namespace, after the prefix.
const INTERNET: &str = "internet";

impl Scope {
    /// The scope of `tasknet up` on the user's default state directory: `tn-`.
    pub fn production() -> Scope {
        Scope { prefix: "tn-".into() }
    }

    /// The scope of `tasknet up` on another state directory: `tn-d<hash>-`,
    /// the hash of the directory's (canonical) path, so two accounts on one
    /// machine (whose IDs are deterministic, hence equal) never share a name.
    pub fn state_dir(dir: &Path) -> Scope {
        Scope { prefix: format!("{DIR_MARK}{:08x}-", short_hash(dir)) }
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

    /// The namespace name for an AWS ID (`vpc-…`, `eni-…`, `igw-…`, `vpce-…`) or `internet`.
    pub fn ns(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    /// Whether a namespace belongs to this scope: the prefix, then one of the
    /// names the data plane makes. Matching the kinds, not only the prefix, is
    /// what keeps `tn-` from owning `tn-x…`, `tn-d…` or anyone else's `tn-…`.
    pub fn owns(&self, ns: &str) -> bool {
        ns.strip_prefix(&self.prefix).is_some_and(|rest| rest == INTERNET || KINDS.iter().any(|k| rest.starts_with(k)))
    }
}

/// 32 bits of FNV-1a over the path's bytes: stable across Rust versions and
/// runs (std's hasher is neither), which a name that outlives its process needs.
fn short_hash(path: &Path) -> u32 {
    use std::os::unix::ffi::OsStrExt as _;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in path.as_os_str().as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // Folding keeps every input bit in the short form.
    ((h >> 32) ^ (h & 0xffff_ffff)) as u32
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
    fn production_does_not_own_other_scopes_or_other_tn_names() {
        let p = Scope::production();
        assert!(p.owns("tn-vpc-0abc") && p.owns("tn-igw-1") && p.owns("tn-internet") && p.owns("tn-vpce-0abc"));
        let d = Scope::state_dir(Path::new("/tmp/some/state"));
        assert!(d.prefix().starts_with("tn-d") && d.prefix().ends_with('-'), "{}", d.prefix());
        for other in [d.ns("vpc-0abc"), d.ns("internet"), "tn-test-stop-1-a".into(), "tn-internet2".into()] {
            assert!(!p.owns(&other), "{other}");
        }
        assert!(d.owns(&d.ns("eni-0abc")) && d.owns(&d.ns("internet")));
        assert!(!d.owns("tn-eni-0abc") && !d.owns("tn-internet"));
    }

    #[test]
    fn state_dir_scopes_are_stable_and_distinct() {
        let a = Scope::state_dir(Path::new("/home/u/a"));
        assert_eq!(a, Scope::state_dir(Path::new("/home/u/a")));
        assert_ne!(a, Scope::state_dir(Path::new("/home/u/b")));
        // Namespace names stay short whatever the path.
        assert_eq!(Scope::state_dir(Path::new(&"/x".repeat(500))).prefix().len(), "tn-d12345678-".len());
    }

    #[test]
    fn interface_names_fit_linux() {
        assert_eq!(ifname('e', "eni-0123456789abcdef0"), "e3456789abcdef0");
        assert!(ifname('e', "eni-0123456789abcdef0").len() <= 15);
        assert_eq!(ifname('g', "igw-1"), "g1");
        assert_eq!(nft_ident("sg-0a"), "sg_0a");
    }
}
