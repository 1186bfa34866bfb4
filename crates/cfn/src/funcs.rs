//! The intrinsic functions that compute values from their arguments:
//! Join, Select, Split, GetAZs, FindInMap, ImportValue, Base64, Cidr,
//! Length and ToJsonString. Ref, GetAtt, Sub and If live in `resolve`.
//!
//! AWS doc: "Intrinsic function reference".

use crate::node::{Node, Pos, Value};
use crate::resolve::{fail, ResolveError, Resolver};

/// Dispatches the functions of this module.
pub(crate) fn call(r: &Resolver<'_>, name: &str, arg: &Node, pos: Pos) -> Result<Option<Node>, ResolveError> {
    let list_of = |n: usize| -> Result<&[Node], ResolveError> {
        match arg.as_list() {
            Some(l) if l.len() == n => Ok(l),
            _ => fail(pos, format!("Template error: {name} requires a list of {n} elements")),
        }
    };
    let string_list =
        |items: Vec<String>| Node::new(Value::List(items.into_iter().map(|s| Node::string(s, pos)).collect()), pos);
    let out = match name {
        "Fn::Join" => {
            let l = list_of(2)?;
            let delim = r.resolve_string(&l[0], "Fn::Join")?;
            let items = r.resolve_string_list(&l[1], "Fn::Join").map_err(|e| ResolveError {
                // CloudFormation's own text for a malformed Fn::Join.
                message: "Template error: every Fn::Join object requires two parameters, (1) a string delimiter and (2) a list of strings to be joined or a function that returns a list of strings (such as Fn::GetAZs) to be joined.".into(),
                pos: e.pos,
            })?;
            Node::string(items.join(&delim), pos)
        }
        "Fn::Select" => {
            let l = list_of(2)?;
            let index = r.resolve_string(&l[0], "Fn::Select")?;
            let list = r.resolve_value(&l[1])?;
            let Some(items) = list.as_list() else {
                return fail(pos, "Template error: Fn::Select requires a list as its second argument");
            };
            let item = index.trim().parse::<usize>().ok().and_then(|i| items.get(i));
            match item {
                Some(n) => Node { pos, ..n.clone() },
                None => {
                    return fail(
                        pos,
                        format!("Template error: Fn::Select cannot select nonexistent value at index {index}"),
                    )
                }
            }
        }
        "Fn::Split" => {
            let l = list_of(2)?;
            let delim = r.resolve_string(&l[0], "Fn::Split")?;
            let text = r.resolve_string(&l[1], "Fn::Split")?;
            if delim.is_empty() {
                return fail(pos, "Template error: Fn::Split requires a non-empty delimiter");
            }
            string_list(text.split(delim.as_str()).map(str::to_string).collect())
        }
        "Fn::GetAZs" => {
            let region = match arg.value {
                Value::Null => String::new(),
                _ => r.resolve_string(arg, "Fn::GetAZs")?,
            };
            let region = if region.is_empty() { r.pseudo().region.clone() } else { region };
            string_list(r.ctx().availability_zones(&region))
        }
        "Fn::FindInMap" => find_in_map(r, arg, pos)?,
        "Fn::ImportValue" => {
            let export = r.resolve_string(arg, "Fn::ImportValue")?;
            match r.ctx().import_value(&export) {
                Some(v) => Node::string(v, pos),
                None => return fail(pos, format!("No export named {export} found")),
            }
        }
        "Fn::Base64" => Node::string(base64(r.resolve_string(arg, "Fn::Base64")?.as_bytes()), pos),
        "Fn::Cidr" => {
            let l = list_of(3)?;
            let block = r.resolve_string(&l[0], "Fn::Cidr")?;
            let count = r.resolve_string(&l[1], "Fn::Cidr")?;
            let bits = r.resolve_string(&l[2], "Fn::Cidr")?;
            match cidr(&block, &count, &bits) {
                Ok(items) => string_list(items),
                Err(msg) => return fail(pos, msg),
            }
        }
        "Fn::Length" => {
            let v = r.resolve_value(arg)?;
            match v.as_list() {
                Some(l) => Node::new(Value::Number(l.len().to_string()), pos),
                None => return fail(pos, "Template error: Fn::Length requires a list"),
            }
        }
        "Fn::ToJsonString" => Node::string(r.resolve_value(arg)?.to_json().to_string(), pos),
        _ => return fail(pos, format!("Template error: unsupported intrinsic function {name}")),
    };
    Ok(Some(out))
}

fn find_in_map(r: &Resolver<'_>, arg: &Node, pos: Pos) -> Result<Node, ResolveError> {
    let Some(l) = arg.as_list().filter(|l| l.len() == 3 || l.len() == 4) else {
        return fail(pos, "Template error: Fn::FindInMap requires a list of three elements");
    };
    let map = r.resolve_string(&l[0], "Fn::FindInMap")?;
    let top = r.resolve_string(&l[1], "Fn::FindInMap")?;
    let second = r.resolve_string(&l[2], "Fn::FindInMap")?;
    let found = r.mappings().and_then(|m| m.get(&map)).and_then(|m| m.get(&top)).and_then(|m| m.get(&second));
    match found {
        Some(n) => Ok(Node { pos, ..n.clone() }),
        None => {
            // AWS::LanguageExtensions adds a fourth argument: {DefaultValue: x}.
            if let Some(default) = l.get(3).and_then(|d| d.get("DefaultValue")) {
                return r.resolve_value(default);
            }
            fail(pos, format!("Template error: Unable to get mapping for {map}::{top}::{second}"))
        }
    }
}

/// Standard base64 with padding, as Fn::Base64 produces.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// FNV-1a, for deterministic identifiers derived from names.
pub fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// `Fn::Cidr [ipBlock, count, cidrBits]`: the first `count` subnets with
/// `cidrBits` host bits inside `ipBlock`. IPv4 only.
/// AWS doc: "Fn::Cidr" (count 1–256; cidrBits is the number of host bits).
pub fn cidr(block: &str, count: &str, bits: &str) -> Result<Vec<String>, String> {
    let bad = || format!("Template error: Fn::Cidr {block} is not a valid CIDR block");
    let (addr, len) = block.split_once('/').ok_or_else(bad)?;
    let octets: Vec<u32> =
        addr.split('.').map(|o| o.parse::<u8>().map(u32::from)).collect::<Result<_, _>>().map_err(|_| bad())?;
    let [a, b, c, d] = octets.as_slice() else { return Err(bad()) };
    let prefix: u32 = len.parse().ok().filter(|p| *p <= 32).ok_or_else(bad)?;
    let count: u32 = count
        .trim()
        .parse()
        .ok()
        .filter(|c| (1..=256).contains(c))
        .ok_or_else(|| format!("Template error: Fn::Cidr count {count} must be between 1 and 256"))?;
    let host_bits: u32 = bits
        .trim()
        .parse()
        .ok()
        .filter(|b| (1..=32).contains(b))
        .ok_or_else(|| format!("Template error: Fn::Cidr cidrBits {bits} must be between 1 and 32"))?;
    let sub_prefix = 32 - host_bits;
    if sub_prefix < prefix {
        return Err(format!("Template error: Fn::Cidr cannot split {block} into /{sub_prefix} subnets"));
    }
    let base = (a << 24) | (b << 16) | (c << 8) | d;
    let base = if prefix == 0 { 0 } else { base & (u32::MAX << (32 - prefix)) };
    let available = 1u64 << (sub_prefix - prefix);
    if u64::from(count) > available {
        return Err(format!("Template error: Fn::Cidr cannot make {count} /{sub_prefix} subnets in {block}"));
    }
    Ok((0..count)
        .map(|i| {
            let net = u64::from(base) + (u64::from(i) << host_bits);
            let n = u32::try_from(net).unwrap_or(u32::MAX);
            format!("{}.{}.{}.{}/{sub_prefix}", n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }

    #[test]
    fn cidr_splits_like_aws() {
        // The example from the Fn::Cidr documentation.
        assert_eq!(
            cidr("192.168.0.0/24", "6", "5").expect("ok"),
            vec![
                "192.168.0.0/27",
                "192.168.0.32/27",
                "192.168.0.64/27",
                "192.168.0.96/27",
                "192.168.0.128/27",
                "192.168.0.160/27"
            ]
        );
        assert_eq!(cidr("10.0.0.0/16", "2", "8").expect("ok"), vec!["10.0.0.0/24", "10.0.1.0/24"]);
        assert!(cidr("10.0.0.0/24", "2", "12").is_err());
        assert!(cidr("10.0.0.0/24", "300", "4").is_err());
        assert!(cidr("10.0.0/24", "1", "4").is_err());
    }

    proptest::proptest! {
        #[test]
        fn cidr_never_panics(block in ".{0,20}", count in ".{0,4}", bits in ".{0,3}") {
            let _ = cidr(&block, &count, &bits);
        }

        #[test]
        fn cidr_subnets_are_disjoint_and_inside(a in 0u8..=255, b in 0u8..=255, prefix in 8u32..=28, count in 1u32..=16, host in 1u32..=8) {
            let block = format!("{a}.{b}.0.0/{prefix}");
            if let Ok(subnets) = cidr(&block, &count.to_string(), &host.to_string()) {
                proptest::prop_assert_eq!(subnets.len(), count as usize);
                let mut prev: Option<u32> = None;
                for s in &subnets {
                    let (ip, len) = s.split_once('/').expect("slash");
                    proptest::prop_assert_eq!(len.parse::<u32>().expect("len"), 32 - host);
                    let o: Vec<u32> = ip.split('.').map(|x| x.parse().expect("octet")).collect();
                    let n = (o[0] << 24) | (o[1] << 16) | (o[2] << 8) | o[3];
                    let mask = if prefix == 0 { 0 } else { u32::MAX << (32 - prefix) };
                    proptest::prop_assert_eq!(n & mask, ((u32::from(a) << 24) | (u32::from(b) << 16)) & mask);
                    if let Some(p) = prev { proptest::prop_assert!(n > p); }
                    prev = Some(n);
                }
            }
        }
    }
}
