//! S3's presigned URLs in Signature Version 2 (`?AWSAccessKeyId=…&Expires=…&Signature=…`),
//! which boto3's `generate_presigned_url` still writes for S3 unless the
//! client is configured for `s3v4`. AWS doc "Authenticating Requests (AWS
//! Signature Version 2)": the signature is Base64(HMAC-SHA1(secret,
//! StringToSign)), and StringToSign is `VERB\nContent-MD5\nContent-Type\nExpires\n`,
//! then the `x-amz-*` headers, then the canonical resource (`/bucket/key`
//! and the subresources of the query). SHA-1 and Base64 are written here
//! (no crate for forty lines each), checked against RFC 3174's and RFC
//! 4648's examples.

use crate::dispatch::HttpRequest;
use crate::sigv4::Refusal;

/// The query parameters that are part of the canonical resource (the same doc).
const SUBRESOURCES: &[&str] = &[
    "acl",
    "delete",
    "lifecycle",
    "location",
    "logging",
    "notification",
    "partNumber",
    "policy",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
];

/// Whether `query` is a SigV2 presigned URL's.
pub fn is_presigned_v2(query: &str) -> bool {
    let has = |k: &str| query.split('&').any(|p| p.split_once('=').map_or(p, |(n, _)| n) == k);
    has("AWSAccessKeyId") && has("Signature") && has("Expires")
}

fn sha1(data: &[u8]) -> [u8; 20] {
    let mut h: [u32; 5] = [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0];
    let mut msg = data.to_vec();
    let bits = (data.len() as u64).wrapping_mul(8);
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&bits.to_be_bytes());
    for block in msg.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (i, c) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..80 {
            w[i] = (w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = h;
        for (i, wi) in w.iter().enumerate() {
            let (f, k) = match i / 20 {
                0 => ((b & c) | (!b & d), 0x5A82_7999),
                1 => (b ^ c ^ d, 0x6ED9_EBA1),
                2 => ((b & c) | (b & d) | (c & d), 0x8F1B_BCDC),
                _ => (b ^ c ^ d, 0xCA62_C1D6),
            };
            let t = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wi);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = t;
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 20];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

fn hmac_sha1(key: &[u8], data: &[u8]) -> [u8; 20] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..20].copy_from_slice(&sha1(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner: Vec<u8> = k.iter().map(|b| b ^ 0x36).collect();
    inner.extend_from_slice(data);
    let mut outer: Vec<u8> = k.iter().map(|b| b ^ 0x5c).collect();
    outer.extend_from_slice(&sha1(&inner));
    sha1(&outer)
}

/// Standard Base64 with padding.
pub(super) fn base64(data: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The StringToSign of a presigned SigV2 request; `bucket_in_host`: the
/// virtual-hosted bucket (the canonical resource starts with `/bucket`).
fn string_to_sign(req: &HttpRequest, expires: &str, bucket_in_host: Option<&str>) -> String {
    let mut amz: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.trim().to_string()))
        .filter(|(n, _)| n.starts_with("x-amz-"))
        .collect();
    amz.sort();
    let amz: String = amz.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let mut resource = bucket_in_host.map(|b| format!("/{b}")).unwrap_or_default();
    resource.push_str(if req.path.is_empty() { "/" } else { &req.path });
    let mut subs: Vec<(String, Option<String>)> = req
        .query
        .split('&')
        .filter_map(|p| {
            let (k, v) = p.split_once('=').map_or((p, None), |(k, v)| (k, Some(v)));
            let k = crate::decode::percent_decode(k)?;
            let v = v.and_then(crate::decode::percent_decode);
            SUBRESOURCES.contains(&k.as_str()).then_some((k, v))
        })
        .collect();
    subs.sort();
    if !subs.is_empty() {
        let parts: Vec<String> =
            subs.iter().map(|(k, v)| v.as_ref().map_or_else(|| k.clone(), |v| format!("{k}={v}"))).collect();
        resource.push('?');
        resource.push_str(&parts.join("&"));
    }
    let md5 = req.header("content-md5").unwrap_or("");
    let ctype = req.header("content-type").unwrap_or("");
    format!("{}\n{md5}\n{ctype}\n{expires}\n{amz}{resource}", req.method)
}

/// Checks a presigned SigV2 request at `now`: the access key on success.
pub fn verify(
    req: &HttpRequest,
    now: i64,
    secret_of: &dyn Fn(&str) -> Option<String>,
    bucket_in_host: Option<&str>,
) -> Result<String, Refusal> {
    let q = crate::decode::form(&req.query)
        .ok_or_else(|| Refusal::Incomplete("Query-string authentication parameters could not be read".into()))?;
    let (Some(key), Some(sig), Some(expires)) = (q.get("AWSAccessKeyId"), q.get("Signature"), q.get("Expires")) else {
        return Err(Refusal::Missing);
    };
    let secret = secret_of(key).ok_or(Refusal::UnknownKey)?;
    let Ok(at) = expires.parse::<i64>() else {
        return Err(Refusal::Incomplete(format!("Invalid date (should be seconds since epoch): {expires}")));
    };
    if at < now {
        return Err(Refusal::Skew("Request has expired".into()));
    }
    let sts = string_to_sign(req, expires, bucket_in_host);
    let expected = base64(&hmac_sha1(secret.as_bytes(), sts.as_bytes()));
    let same =
        expected.len() == sig.len() && expected.bytes().zip(sig.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same {
        return Err(Refusal::Mismatch { canonical: sts.clone(), string_to_sign: sts });
    }
    Ok(key.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn sha1_hmac_and_base64_match_their_rfcs() {
        assert_eq!(hex(&sha1(b"abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(hex(&sha1(b"")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(
            hex(&sha1(b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "84983e441c3bd26ebaae4aa1f95129e5e54670f1"
        );
        // RFC 2202, test case 2.
        assert_eq!(
            hex(&hmac_sha1(b"Jefe", b"what do ya want for nothing?")),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        for (input, want) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn the_docs_presigned_example_verifies() {
        // AWS doc "Authenticating Requests (AWS Signature Version 2)", the query string example (johnsmith's puppy).
        let req = HttpRequest {
            method: "GET".into(),
            path: "/photos/puppy.jpg".into(),
            query: "AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE&Expires=1175139620&Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D"
                .into(),
            headers: vec![("Host".into(), "johnsmith.s3.amazonaws.com".into())],
            body: Vec::new(),
        };
        let secret =
            |k: &str| (k == "AKIAIOSFODNN7EXAMPLE").then(|| "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_string());
        assert_eq!(verify(&req, 1_175_139_000, &secret, Some("johnsmith")).as_deref(), Ok("AKIAIOSFODNN7EXAMPLE"));
        assert_eq!(
            verify(&req, 1_175_139_621, &secret, Some("johnsmith")),
            Err(Refusal::Skew("Request has expired".into()))
        );
        assert!(is_presigned_v2(&req.query));
    }
}
