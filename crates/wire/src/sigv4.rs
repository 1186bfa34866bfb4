//! Signature Version 4, checked as AWS checks it: the `Authorization`
//! header and the presigned query-string form, the credential scope (date,
//! region, service), the request time within 15 minutes, and the signature
//! over the canonical request (AWS doc "Create a signed AWS API request",
//! "Troubleshoot Signature Version 4 errors").
//!
//! Pure: the request's parts in, who signed it or why it is refused out;
//! the texts per protocol are the caller's ([`crate::auth`]).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The parts of a request the signature covers.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path as sent (still percent-encoded).
    pub path: &'a str,
    /// The query string as sent (no `?`).
    pub query: &'a str,
    /// Headers, names in any case, in arrival order.
    pub headers: &'a [(String, String)],
    /// The body.
    pub body: &'a [u8],
}

/// The parsed credential: `AKID/20261205/us-east-1/ec2/aws4_request`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    /// The access key ID.
    pub access_key: String,
    /// `YYYYMMDD`.
    pub date: String,
    /// The region.
    pub region: String,
    /// The signing name.
    pub service: String,
}

/// Why a request is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No `Authorization` header and no `X-Amz-Credential` parameter.
    Missing,
    /// The header or parameters cannot be read (AWS's `IncompleteSignature` text).
    Incomplete(String),
    /// The access key is not the account's.
    UnknownKey,
    /// The request time is outside the 15 minutes (`expired`: in the past);
    /// the text is AWS's.
    Skew(String),
    /// The scope names another region, or its date is not the request's (AWS's text).
    Scope(String),
    /// The signature is wrong; the canonical request and string to sign
    /// AWS would have used (query services print them).
    Mismatch {
        /// The canonical request.
        canonical: String,
        /// The string to sign.
        string_to_sign: String,
    },
}

/// How far a request's time may be from the server's (AWS: 15 minutes).
pub const SKEW_SECS: i64 = 15 * 60;

/// A header's value (joined with `,` when repeated), by lowercase name.
fn header(headers: &[(String, String)], name: &str) -> Option<String> {
    let values: Vec<&str> =
        headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str()).collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// The credential scope of a request, if it is signed at all (for choosing
/// the service before the signature is checked).
pub fn credential_of(req: &Request<'_>) -> Option<Credential> {
    if let Some(auth) = header(req.headers, "authorization") {
        // Also from a header that does not parse as a whole (a missing
        // Signature): the refusal must still be in the service's own form.
        let credential = match parse_authorization(&auth) {
            Ok(fields) => fields.credential,
            Err(_) => auth.split("Credential=").nth(1)?.split([',', ' ']).next()?.to_string(),
        };
        return parse_credential(&credential);
    }
    let params = query_pairs(req.query);
    let cred = params.iter().find(|(k, _)| k == "X-Amz-Credential")?;
    parse_credential(&cred.1)
}

struct AuthFields {
    credential: String,
    signed_headers: String,
    signature: String,
}

/// `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
fn parse_authorization(auth: &str) -> Result<AuthFields, String> {
    let Some(rest) = auth.strip_prefix("AWS4-HMAC-SHA256") else {
        // AWS's text for an Authorization header of another scheme.
        return Err(format!(
            "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={auth}"
        ));
    };
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let Some((k, v)) = part.split_once('=') else {
            return Err(format!(
                "'{part}' not a valid key=value pair (missing equal-sign) in Authorization header: '{auth}'."
            ));
        };
        match k.trim() {
            "Credential" => credential = Some(v.to_string()),
            "SignedHeaders" => signed_headers = Some(v.to_string()),
            "Signature" => signature = Some(v.to_string()),
            _ => {}
        }
    }
    let mut missing = String::new();
    for (name, v) in [("Credential", &credential), ("Signature", &signature), ("SignedHeaders", &signed_headers)] {
        if v.is_none() {
            missing.push_str(&format!("Authorization header requires '{name}' parameter. "));
        }
    }
    if !missing.is_empty() {
        return Err(format!("{missing}Authorization={auth}"));
    }
    Ok(AuthFields {
        credential: credential.unwrap_or_default(),
        signed_headers: signed_headers.unwrap_or_default(),
        signature: signature.unwrap_or_default(),
    })
}

fn parse_credential(c: &str) -> Option<Credential> {
    let parts: Vec<&str> = c.split('/').collect();
    if parts.len() != 5 || parts[4] != "aws4_request" {
        return None;
    }
    Some(Credential {
        access_key: parts[0].to_string(),
        date: parts[1].to_string(),
        region: parts[2].to_string(),
        service: parts[3].to_string(),
    })
}

/// The query string's pairs, percent-decoded (undecodable ones kept raw).
fn query_pairs(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| crate::decode::percent_decode(s).unwrap_or_else(|| s.to_string());
            (dec(k), dec(v))
        })
        .collect()
}

/// RFC 3986 encoding of everything but the unreserved characters (and `/` when `keep_slash`).
pub(crate) fn uri_encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac = HmacSha256::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The signature of `string_to_sign` with `secret` for the scope.
pub fn signature(secret: &str, c: &Credential, string_to_sign: &str) -> String {
    let k = hmac(format!("AWS4{secret}").as_bytes(), c.date.as_bytes());
    let k = hmac(&k, c.region.as_bytes());
    let k = hmac(&k, c.service.as_bytes());
    let k = hmac(&k, b"aws4_request");
    hex(&hmac(&k, string_to_sign.as_bytes()))
}

/// The canonical request for the signed headers `signed`.
fn canonical_request(req: &Request<'_>, signed: &str, presigned: bool, s3: bool) -> String {
    let path = if req.path.is_empty() { "/" } else { req.path };
    // botocore (and AWS for every service but S3) encodes the path as sent
    // once more; S3 signs the path as sent (botocore's S3SigV4Auth does not
    // normalize it; AWS doc "Signature Calculations for the Authorization
    // Header": "Do not URI-encode any forward slash ... (S3) encode once").
    let uri = if s3 { path.to_string() } else { uri_encode(path, true) };
    let mut pairs: Vec<(String, String)> = query_pairs(req.query)
        .into_iter()
        .filter(|(k, _)| !(presigned && k == "X-Amz-Signature"))
        .map(|(k, v)| (uri_encode(&k, false), uri_encode(&v, false)))
        .collect();
    pairs.sort();
    let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut headers = String::new();
    for name in signed.split(';') {
        let value = header(req.headers, name).unwrap_or_default();
        let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
        headers.push_str(&format!("{name}:{value}\n"));
    }
    // Presigned or not, the payload is the body's hash unless the client
    // named one (`UNSIGNED-PAYLOAD` is S3's alone; botocore's SigV4QueryAuth
    // hashes the body, empty for a GET).
    // A presigned S3 URL signs `UNSIGNED-PAYLOAD` (AWS doc "Authenticating
    // Requests: Using Query Parameters"); S3's header form names the hash, or
    // UNSIGNED-PAYLOAD, or a STREAMING-… value, in `x-amz-content-sha256`.
    let payload = match header(req.headers, "x-amz-content-sha256") {
        Some(p) => p,
        None if s3 && presigned => "UNSIGNED-PAYLOAD".to_string(),
        None => sha256_hex(req.body),
    };
    format!("{}\n{uri}\n{}\n{headers}\n{signed}\n{payload}", req.method, query.join("&"))
}

/// `YYYYMMDD'T'HHMMSS'Z'` as epoch seconds.
fn amz_date_secs(d: &str) -> Option<i64> {
    if d.len() != 16 || !d.ends_with('Z') || d.as_bytes().get(8) != Some(&b'T') {
        return None;
    }
    let iso = format!("{}-{}-{}T{}:{}:{}Z", &d[0..4], &d[4..6], &d[6..8], &d[9..11], &d[11..13], &d[13..15]);
    crate::time::parse_iso(&iso).map(|ms| (ms / 1000) as i64)
}

/// `secs` (epoch seconds) in SigV4's `YYYYMMDD'T'HHMMSS'Z'`.
pub fn amz_date(secs: i64) -> String {
    let iso = crate::time::iso(u64::try_from(secs).unwrap_or(0) * 1000);
    // 2026-12-05T00:48:53.000Z → 20261205T004853Z
    format!("{}{}{}T{}{}{}Z", &iso[0..4], &iso[5..7], &iso[8..10], &iso[11..13], &iso[14..16], &iso[17..19])
}

/// Checks a request's signature at `now` (epoch seconds) against the
/// account's `region` and keys (`secret_of`): the credential on success.
pub fn verify(
    req: &Request<'_>,
    now: i64,
    region: &str,
    secret_of: &dyn Fn(&str) -> Option<String>,
) -> Result<Credential, Refusal> {
    verify_with(req, now, region, secret_of, false)
}

/// [`verify`] with S3's rules when `s3` (the path signed as sent, the
/// payload hash from `x-amz-content-sha256`, `UNSIGNED-PAYLOAD` in presigned URLs).
pub fn verify_with(
    req: &Request<'_>,
    now: i64,
    region: &str,
    secret_of: &dyn Fn(&str) -> Option<String>,
    s3: bool,
) -> Result<Credential, Refusal> {
    let (fields, presigned, date, expires) = match header(req.headers, "authorization") {
        Some(auth) => {
            let f = parse_authorization(&auth).map_err(Refusal::Incomplete)?;
            let date = header(req.headers, "x-amz-date").or_else(|| header(req.headers, "date"));
            let Some(date) = date else {
                return Err(Refusal::Incomplete(format!(
                    "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization={auth}"
                )));
            };
            (f, false, date, None)
        }
        None => {
            let q = query_pairs(req.query);
            let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
            let Some(credential) = get("X-Amz-Credential") else { return Err(Refusal::Missing) };
            let mut missing = Vec::new();
            for k in ["X-Amz-Algorithm", "X-Amz-Date", "X-Amz-SignedHeaders", "X-Amz-Signature"] {
                if get(k).is_none() {
                    missing.push(format!("AWS query-string parameters must include '{k}'."));
                }
            }
            if !missing.is_empty() {
                return Err(Refusal::Incomplete(format!(
                    "{} Re-examine the query-string parameters.",
                    missing.join(" ")
                )));
            }
            let f = AuthFields {
                credential,
                signed_headers: get("X-Amz-SignedHeaders").unwrap_or_default(),
                signature: get("X-Amz-Signature").unwrap_or_default(),
            };
            (f, true, get("X-Amz-Date").unwrap_or_default(), get("X-Amz-Expires"))
        }
    };
    let Some(cred) = parse_credential(&fields.credential) else {
        return Err(Refusal::Incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{}'",
            fields.credential
        )));
    };
    let Some(secret) = secret_of(&cred.access_key) else { return Err(Refusal::UnknownKey) };
    let Some(at) = amz_date_secs(&date) else {
        return Err(Refusal::Incomplete(format!(
            "Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601"
        )));
    };
    if !date.starts_with(&cred.date) {
        return Err(Refusal::Scope(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{}' != '{}', from '{date}'.",
            cred.date,
            &date[..8.min(date.len())]
        )));
    }
    let window = match expires.as_deref().map(str::parse::<i64>) {
        Some(Ok(e)) if presigned => e,
        _ => SKEW_SECS,
    };
    if presigned && at + window < now {
        return Err(Refusal::Skew("Request has expired".to_string()));
    }
    if !presigned && at + SKEW_SECS < now {
        return Err(Refusal::Skew(format!(
            "Signature expired: {date} is now earlier than {} ({} - 15 min.)",
            amz_date(now - SKEW_SECS),
            amz_date(now)
        )));
    }
    if at - SKEW_SECS > now {
        return Err(Refusal::Skew(format!(
            "Signature not yet current: {date} is still later than {} ({} + 15 min.)",
            amz_date(now + SKEW_SECS),
            amz_date(now)
        )));
    }
    if cred.region != region {
        return Err(Refusal::Scope(format!("Credential should be scoped to a valid region, not '{}'. ", cred.region)));
    }
    let canonical = canonical_request(req, &fields.signed_headers, presigned, s3);
    let scope = format!("{}/{}/{}/aws4_request", cred.date, cred.region, cred.service);
    let string_to_sign = format!("AWS4-HMAC-SHA256\n{date}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
    let expected = signature(&secret, &cred, &string_to_sign);
    // Constant-time comparison: the signature is a secret's function.
    let same = expected.len() == fields.signature.len()
        && expected.bytes().zip(fields.signature.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0;
    if !same {
        return Err(Refusal::Mismatch { canonical, string_to_sign });
    }
    Ok(cred)
}

/// Signs a request as botocore does (for tests and tasknet's own client):
/// the headers to add (`x-amz-date`, `authorization`).
pub fn sign(req: &Request<'_>, cred: &Credential, secret: &str, amz_date: &str) -> (String, String) {
    sign_with(req, cred, secret, amz_date, false)
}

/// [`sign`] with S3's rules when `s3`.
pub fn sign_with(req: &Request<'_>, cred: &Credential, secret: &str, amz_date: &str, s3: bool) -> (String, String) {
    let mut names: Vec<String> = req.headers.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
    names.push("x-amz-date".into());
    names.sort();
    names.dedup();
    let signed = names.join(";");
    let mut headers = req.headers.to_vec();
    headers.push(("x-amz-date".into(), amz_date.to_string()));
    let with_date = Request { headers: &headers, ..req.clone() };
    let canonical = canonical_request(&with_date, &signed, false, s3);
    let scope = format!("{}/{}/{}/aws4_request", cred.date, cred.region, cred.service);
    let sts = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}", sha256_hex(canonical.as_bytes()));
    let sig = signature(secret, cred, &sts);
    (
        amz_date.to_string(),
        format!("AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed}, Signature={sig}", cred.access_key),
    )
}

#[cfg(test)]
mod tests;
