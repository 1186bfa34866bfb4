//! Set and map elements over nfnetlink, without libnftables: the change an
//! ENI coming or going makes to its router's table is elements only, and
//! libnftables would first fetch every chain, set and counter of the table
//! to parse a few lines. One batch is one transaction, as `nft -f` makes.
//! Any element this module cannot encode sends the caller back to libnftables.

use super::cmd::CmdError;
use super::netlink::{self, Request, NLM_F_CREATE};
use crate::wiring::nft::{Set, Table};
use std::collections::HashMap;
use std::net::Ipv4Addr;
use std::os::fd::{AsRawFd, OwnedFd};

const NETLINK_NETFILTER: i32 = 12;
const NFNL_SUBSYS_NFTABLES: u16 = 10;
const NFNL_MSG_BATCH_BEGIN: u16 = 0x10;
const NFNL_MSG_BATCH_END: u16 = 0x11;
const NFT_MSG_NEWSETELEM: u16 = 12;
const NFT_MSG_DELSETELEM: u16 = 14;
const NFTA_SET_ELEM_LIST_TABLE: u16 = 1;
const NFTA_SET_ELEM_LIST_SET: u16 = 2;
const NFTA_SET_ELEM_LIST_ELEMENTS: u16 = 3;
const NFTA_LIST_ELEM: u16 = 1;
const NFTA_SET_ELEM_KEY: u16 = 1;
const NFTA_SET_ELEM_DATA: u16 = 2;
const NFTA_DATA_VALUE: u16 = 1;
const NFTA_DATA_VERDICT: u16 = 2;
const NFTA_VERDICT_CODE: u16 = 1;
const NFTA_VERDICT_CHAIN: u16 = 2;
const NFT_JUMP: i32 = -3;
const NFT_GOTO: i32 = -4;
const IFNAMSIZ: usize = 16;
/// The table's family and name (`ip tn`).
const FAMILY: u8 = 2;
const TABLE_NAME: &str = "tn";

/// One set's element changes: keys to delete, then elements to add.
struct SetChange<'a> {
    name: &'a str,
    set: &'a Set,
    delete: Vec<&'a str>,
    add: Vec<(&'a str, Option<&'a str>)>,
}

/// The element changes turning `old` into `new`, when nothing else differs.
fn element_changes<'a>(old: &'a Table, new: &'a Table) -> Option<Vec<SetChange<'a>>> {
    let same_shape = old.counters == new.counters
        && old.chains == new.chains
        && old.sets.len() == new.sets.len()
        && old.sets.iter().all(|(n, s)| new.sets.get(n).is_some_and(|t| t.decl == s.decl));
    if !same_shape {
        return None;
    }
    let mut out = Vec::new();
    for (name, n) in &new.sets {
        let o = old.sets.get(name)?;
        if o.elements == n.elements {
            continue;
        }
        let (delete, add) = o.changes(n);
        out.push(SetChange { name, set: n, delete, add });
    }
    Some(out)
}

/// A key literal's bytes for a set of `decl`'s key type (`ifname`,
/// `ipv4_addr`, or their concatenation), as the kernel stores them: an
/// interface name in 16 bytes, zero padded; each part of a concatenation
/// padded to 4 bytes.
fn key_bytes(decl: &str, key: &str) -> Option<Vec<u8>> {
    let ty = decl.strip_prefix("type ")?.trim_end_matches(';');
    let key_type = ty.split(" : ").next()?;
    let types: Vec<&str> = key_type.split(" . ").collect();
    let parts: Vec<&str> = key.split(" . ").collect();
    if types.len() != parts.len() {
        return None;
    }
    let mut out = Vec::new();
    for (t, p) in types.iter().zip(parts) {
        match *t {
            "ifname" => {
                let name = p.strip_prefix('"')?.strip_suffix('"')?;
                if name.len() >= IFNAMSIZ || name.contains('"') {
                    return None;
                }
                let mut b = name.as_bytes().to_vec();
                b.resize(IFNAMSIZ, 0);
                out.extend(b);
            }
            "ipv4_addr" => out.extend(p.parse::<Ipv4Addr>().ok()?.octets()),
            _ => return None,
        }
    }
    Some(out)
}

/// What a map element's value is, in its nested attribute's payload.
enum Data {
    Verdict(i32, String),
    Value(Vec<u8>),
}

fn data_of(decl: &str, value: &str) -> Option<Data> {
    let value_type = decl.strip_prefix("type ")?.trim_end_matches(';').split(" : ").nth(1)?;
    match value_type {
        "verdict" => {
            let (word, chain) = value.split_once(' ')?;
            let code = match word {
                "jump" => NFT_JUMP,
                "goto" => NFT_GOTO,
                _ => return None,
            };
            Some(Data::Verdict(code, chain.to_string()))
        }
        "ipv4_addr" => Some(Data::Value(value.parse::<Ipv4Addr>().ok()?.octets().to_vec())),
        _ => None,
    }
}

/// A message of the nftables subsystem (or a batch's begin or end): the
/// netlink header, then `struct nfgenmsg`.
fn message(ty: u16, flags: u16, family: u8, res_id: u16, what: String) -> Request {
    let mut m = Request::new(ty, flags, what);
    m.raw(&[family, 0]).raw(&res_id.to_be_bytes());
    m
}

/// The messages for one set's deletions or additions (None: an element it cannot encode).
fn elements_msg(c: &SetChange<'_>, add: bool, seq: u32) -> Option<Vec<u8>> {
    let msg = if add { NFT_MSG_NEWSETELEM } else { NFT_MSG_DELSETELEM };
    let flags = if add { NLM_F_CREATE } else { 0 };
    let ty = (NFNL_SUBSYS_NFTABLES << 8) | msg;
    let mut m = message(ty, flags, FAMILY, 0, String::new());
    m.attr_str(NFTA_SET_ELEM_LIST_TABLE, TABLE_NAME).attr_str(NFTA_SET_ELEM_LIST_SET, c.name);
    m.begin(NFTA_SET_ELEM_LIST_ELEMENTS);
    let items: Vec<(&str, Option<&str>)> =
        if add { c.add.clone() } else { c.delete.iter().map(|k| (*k, None)).collect() };
    for (key, value) in items {
        m.begin(NFTA_LIST_ELEM);
        m.begin(NFTA_SET_ELEM_KEY).attr(NFTA_DATA_VALUE, &key_bytes(&c.set.decl, key)?).end();
        if let (true, Some(v)) = (add, value) {
            m.begin(NFTA_SET_ELEM_DATA);
            match data_of(&c.set.decl, v)? {
                Data::Verdict(code, chain) => {
                    m.begin(NFTA_DATA_VERDICT)
                        .attr(NFTA_VERDICT_CODE, &code.to_be_bytes())
                        .attr_str(NFTA_VERDICT_CHAIN, &chain)
                        .end();
                }
                Data::Value(bytes) => {
                    m.attr(NFTA_DATA_VALUE, &bytes);
                }
            }
            m.end();
        }
        m.end();
    }
    m.end();
    Some(m.sealed(seq))
}

/// An nfnetlink socket of one namespace (the one its opener's thread was in).
#[derive(Debug)]
pub struct Nfnl {
    fd: OwnedFd,
    seq: u32,
}

impl Nfnl {
    /// A socket in the calling thread's namespace.
    pub fn open() -> Result<Nfnl, CmdError> {
        let fd = netlink::socket(NETLINK_NETFILTER)
            .map_err(|e| CmdError { command: "nfnetlink socket".into(), stderr: e.to_string() })?;
        Ok(Nfnl { fd, seq: 1 })
    }

    /// Applies the change from `old` to `new` in one transaction when it is
    /// set and map elements only and every element can be encoded here; Ok(false)
    /// when it is not (nothing was sent), Err when the kernel refused (nothing changed).
    pub fn apply_elements(&mut self, old: &Table, new: &Table) -> Result<bool, CmdError> {
        let Some(changes) = element_changes(old, new) else { return Ok(false) };
        let mut seq = || {
            self.seq = self.seq.wrapping_add(1);
            self.seq
        };
        let begin = message(NFNL_MSG_BATCH_BEGIN, 0, 0, NFNL_SUBSYS_NFTABLES, String::new()).sealed(seq());
        let mut batch = begin;
        let mut pending: HashMap<u32, String> = HashMap::new();
        // Deletions first, so a key whose value changed is free to add again.
        for add in [false, true] {
            for c in &changes {
                if (add && c.add.is_empty()) || (!add && c.delete.is_empty()) {
                    continue;
                }
                let s = seq();
                let Some(m) = elements_msg(c, add, s) else { return Ok(false) };
                pending.insert(s, format!("{} element ip tn {}", if add { "add" } else { "delete" }, c.name));
                batch.extend_from_slice(&m);
            }
        }
        if pending.is_empty() {
            return Ok(true);
        }
        batch.extend_from_slice(&message(NFNL_MSG_BATCH_END, 0, 0, NFNL_SUBSYS_NFTABLES, String::new()).sealed(seq()));
        self.round_trip(&batch, pending).map(|()| true)
    }

    fn round_trip(&mut self, batch: &[u8], mut pending: HashMap<u32, String>) -> Result<(), CmdError> {
        let fail = |stderr: String| CmdError { command: "nfnetlink set elements".into(), stderr };
        let mut failures = Vec::new();
        // A refused batch is aborted whole: the kernel acknowledges no more of it.
        netlink::exchange(self.fd.as_raw_fd(), batch, &mut pending, &mut failures, true, |_| {})
            .map_err(|e| fail(e.to_string()))?;
        if failures.is_empty() {
            Ok(())
        } else {
            Err(fail(failures.join("; ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn set(decl: &str, elements: &[(&str, Option<&str>)]) -> Set {
        Set {
            decl: decl.into(),
            elements: elements.iter().map(|(k, v)| (k.to_string(), v.map(str::to_string))).collect(),
        }
    }

    #[test]
    fn keys_are_encoded_as_the_kernel_stores_them() {
        let mut want = b"e1".to_vec();
        want.resize(16, 0);
        assert_eq!(key_bytes("type ifname;", "\"e1\"").as_deref(), Some(&want[..]));
        want.extend([10, 0, 7, 14]);
        assert_eq!(key_bytes("type ifname . ipv4_addr;", "\"e1\" . 10.0.7.14").as_deref(), Some(&want[..]));
        assert_eq!(key_bytes("type ipv4_addr : ipv4_addr;", "203.0.113.5"), Some(vec![203, 0, 113, 5]));
        assert_eq!(key_bytes("type ifname;", "e1"), None, "unquoted");
        assert_eq!(key_bytes("type ifname;", "\"a-name-far-too-long\""), None);
        assert_eq!(key_bytes("type ipv4_addr;", "\"e1\""), None);
        assert_eq!(key_bytes("type inet_service;", "80"), None, "a type it does not know");
        assert!(
            matches!(data_of("type ifname : verdict;", "goto in_c1"), Some(Data::Verdict(NFT_GOTO, c)) if c == "in_c1")
        );
        assert!(data_of("type ifname : verdict;", "accept").is_none());
    }

    #[test]
    fn only_element_changes_go_this_way() {
        let old = Table {
            sets: BTreeMap::from([("s".to_string(), set("type ipv4_addr;", &[("10.0.0.1", None)]))]),
            ..Table::default()
        };
        let mut new = old.clone();
        if let Some(s) = new.sets.get_mut("s") {
            s.elements.insert("10.0.0.2".into(), None);
        }
        let changes = element_changes(&old, &new).expect("elements only");
        assert_eq!((changes.len(), changes[0].add.len(), changes[0].delete.len()), (1, 1, 0));
        let m = elements_msg(&changes[0], true, 7).expect("encodes");
        assert_eq!(u32::from_ne_bytes([m[0], m[1], m[2], m[3]]) as usize, m.len());
        assert_eq!(u16::from_ne_bytes([m[4], m[5]]), (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWSETELEM);
        let mut chained = new.clone();
        chained.counters.insert("c_x".into());
        assert!(element_changes(&old, &chained).is_none(), "a counter is not an element");
        let mut redeclared = new.clone();
        if let Some(s) = redeclared.sets.get_mut("s") {
            s.decl = "type ifname;".into();
        }
        assert!(element_changes(&old, &redeclared).is_none());
    }
}
