//! S3's operations: which one a request is (method, bucket or key, the
//! query's subresources), and each as a thin adapter over `account::s3`.

use super::{bad, multipart, xml, Failure, Request, S3Response};
use crate::server::State;
use account::s3::{ListRequest, Object, ObjectAttributes};
use account::{Account, S3Error};
use std::sync::Arc;

/// The headers S3 stores with an object and answers with (AWS doc "PutObject").
const STORED_HEADERS: &[&str] =
    &["cache-control", "content-disposition", "content-encoding", "content-language", "expires"];

pub(super) type Answer = Result<S3Response, Failure>;

/// Runs the operation `r` is.
pub fn route(state: &Arc<State>, r: &Request<'_>) -> Answer {
    let q = |k: &str| r.query.contains_key(k);
    let method = r.http.method.as_str();
    if r.bucket.is_none() {
        return match method {
            "GET" => read(state, r, list_buckets),
            _ => Err(bad("MethodNotAllowed", "The specified method is not allowed against this resource.")),
        };
    }
    if r.key.is_empty() {
        return match method {
            "PUT" if r.query.is_empty() => write(state, r, create_bucket),
            "HEAD" => read(state, r, head_bucket),
            "DELETE" if r.query.is_empty() => write(state, r, delete_bucket),
            "GET" if q("location") => read(state, r, get_bucket_location),
            "GET" if r.query.get("list-type").map(String::as_str) == Some("2") => read(state, r, list_objects_v2),
            "GET" if !r.query.keys().any(|k| SUBRESOURCES.contains(&k.as_str())) => read(state, r, list_objects_v1),
            "POST" if q("delete") => write(state, r, delete_objects),
            _ => Err(not_implemented(r)),
        };
    }
    match method {
        "PUT" if q("partNumber") && q("uploadId") => write(state, r, multipart::upload_part),
        "PUT" if r.header("x-amz-copy-source").is_some() => write(state, r, copy_object),
        "PUT" if r.query.is_empty() => write(state, r, put_object),
        "GET" if !r.query.keys().any(|k| SUBRESOURCES.contains(&k.as_str())) => read(state, r, get_object),
        "HEAD" => read(state, r, get_object),
        "DELETE" if q("uploadId") => write(state, r, multipart::abort_multipart_upload),
        "DELETE" if r.query.is_empty() || r.query.keys().all(|k| k == "versionId") => write(state, r, delete_object),
        "POST" if q("uploads") => write(state, r, multipart::create_multipart_upload),
        "POST" if q("uploadId") => write(state, r, multipart::complete_multipart_upload),
        _ => Err(not_implemented(r)),
    }
}

/// Query parameters that name another operation of the same path
/// (`?acl`, `?tagging`, …), which tasknet does not implement.
const SUBRESOURCES: &[&str] = &[
    "accelerate",
    "acl",
    "analytics",
    "attributes",
    "cors",
    "encryption",
    "intelligent-tiering",
    "inventory",
    "legal-hold",
    "lifecycle",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "ownershipControls",
    "policy",
    "policyStatus",
    "publicAccessBlock",
    "replication",
    "requestPayment",
    "restore",
    "retention",
    "select",
    "tagging",
    "torrent",
    "uploads",
    "uploadId",
    "versioning",
    "versions",
    "website",
    "delete",
    "location",
];

/// tasknet's words for an S3 operation it lacks: 400, so SDKs do not retry.
fn not_implemented(r: &Request<'_>) -> Failure {
    let sub: Vec<&str> = r.query.keys().map(String::as_str).collect();
    bad(
        "NotImplemented",
        format!("tasknet does not implement this S3 operation ({} with {:?}) (yet)", r.http.method, sub),
    )
}

fn read(state: &Arc<State>, r: &Request<'_>, f: fn(&Account, &Request<'_>) -> Answer) -> Answer {
    let mut failure = None;
    let out = state.read(&r.caller, |read| match f(read.account, r) {
        Ok(resp) => Ok(Some(resp)),
        Err(e) => {
            failure = Some(e);
            Ok(None)
        }
    })?;
    out.ok_or_else(|| failure.unwrap_or_else(|| bad("InternalError", "no answer")))
}

fn write(state: &Arc<State>, r: &Request<'_>, f: fn(&mut Account, &Request<'_>) -> Answer) -> Answer {
    // A refused action changes nothing; the write is saved only when it succeeded.
    let mut failure = None;
    let out = state.write(&r.caller, |w| match f(&mut w.session.account, r) {
        Ok(resp) => Ok(Some(resp)),
        Err(e) => {
            failure = Some(e);
            Ok(None)
        }
    })?;
    out.ok_or_else(|| failure.unwrap_or_else(|| bad("InternalError", "no answer")))
}

/// The canonical user ID S3 shows as owner: 64 hex characters, here derived from the account ID.
fn owner(a: &Account) -> String {
    let id = crate::sigv4::sha256_hex(format!("tasknet canonical user {}", a.account_id).as_bytes());
    format!("<Owner>{}{}</Owner>", xml::el("ID", &id), xml::el("DisplayName", "tasknet"))
}

fn list_buckets(a: &Account, _: &Request<'_>) -> Answer {
    let mut inner = owner(a);
    inner.push_str("<Buckets>");
    for b in a.list_buckets() {
        inner.push_str(&format!(
            "<Bucket>{}{}{}</Bucket>",
            xml::el("Name", &b.name),
            xml::el("CreationDate", &crate::time::iso(b.creation_ms)),
            xml::el("BucketRegion", &b.region)
        ));
    }
    inner.push_str("</Buckets>");
    Ok(S3Response::xml(xml::doc("ListAllMyBucketsResult", &inner)))
}

fn create_bucket(a: &mut Account, r: &Request<'_>) -> Answer {
    let name = r.bucket()?;
    let location = match std::str::from_utf8(&r.body).ok().map(str::trim) {
        None => return Err(Failure::S3(S3Error::MalformedXml)),
        Some("") => None,
        Some(x) if x.contains("<CreateBucketConfiguration") => xml::text(x, "LocationConstraint"),
        Some(_) => return Err(Failure::S3(S3Error::MalformedXml)),
    };
    let b = a.create_bucket(name, location.as_deref())?;
    // AWS doc "CreateBucket": Location is `/bucket` (us-east-1) or the bucket's URL.
    let location =
        if b.region == "us-east-1" { format!("/{name}") } else { format!("http://{name}.s3.amazonaws.com/") };
    Ok(S3Response::new(200).header("Location", location))
}

fn head_bucket(a: &Account, r: &Request<'_>) -> Answer {
    let b = a.head_bucket(r.bucket()?)?;
    Ok(S3Response::new(200).header("x-amz-bucket-region", b.region.clone()))
}

fn get_bucket_location(a: &Account, r: &Request<'_>) -> Answer {
    let b = a.head_bucket(r.bucket()?)?;
    // us-east-1 answers an empty constraint (AWS doc "GetBucketLocation").
    let region = if b.region == "us-east-1" { "" } else { b.region.as_str() };
    Ok(S3Response::xml(xml::doc("LocationConstraint", &xml::escape(region))))
}

fn delete_bucket(a: &mut Account, r: &Request<'_>) -> Answer {
    a.delete_bucket(r.bucket()?)?;
    Ok(S3Response::new(204))
}

/// `max-keys`: 1,000 unless given (AWS doc "ListObjectsV2").
fn max_keys(r: &Request<'_>) -> Result<usize, Failure> {
    match r.query.get("max-keys") {
        None => Ok(account::s3::MAX_KEYS),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
            .ok_or_else(|| bad("InvalidArgument", "Provided max-keys not an integer or within integer range")),
    }
}

/// With `encoding-type=url`, keys and prefixes are URL-encoded in the answer (botocore asks for it).
fn encoder(r: &Request<'_>) -> Result<impl Fn(&str) -> String, Failure> {
    let url = match r.query.get("encoding-type").map(String::as_str) {
        None => false,
        Some("url") => true,
        Some(_) => return Err(bad("InvalidArgument", "Invalid Encoding Method specified in Request")),
    };
    Ok(move |s: &str| if url { crate::sigv4::uri_encode(s, true) } else { s.to_string() })
}

fn contents(o: &Object, enc: &dyn Fn(&str) -> String, with_owner: Option<&str>) -> String {
    format!(
        "<Contents>{}{}{}{}{}<StorageClass>STANDARD</StorageClass></Contents>",
        xml::el("Key", &enc(&o.key)),
        xml::el("LastModified", &crate::time::iso(o.last_modified_ms)),
        xml::el("ETag", &format!("\"{}\"", o.etag)),
        xml::el("Size", &o.size.to_string()),
        with_owner.unwrap_or("")
    )
}

/// Continuation tokens are opaque to clients: here the hex of where the next page starts after.
fn token_of(last: &str) -> String {
    account::s3::hex(last.as_bytes())
}

fn after_token(token: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> =
        (0..token.len()).step_by(2).map(|i| u8::from_str_radix(token.get(i..i + 2)?, 16).ok()).collect();
    String::from_utf8(bytes?).ok()
}

fn list_objects_v2(a: &Account, r: &Request<'_>) -> Answer {
    let bucket = r.bucket()?;
    let enc = encoder(r)?;
    let prefix = r.query.get("prefix").map(String::as_str).unwrap_or("");
    let delimiter = r.query.get("delimiter").map(String::as_str).filter(|d| !d.is_empty());
    let token = r.query.get("continuation-token");
    let start_after = r.query.get("start-after").map(String::as_str);
    let from_token = match token {
        Some(t) => {
            Some(after_token(t).ok_or_else(|| bad("InvalidArgument", "The continuation token provided is incorrect"))?)
        }
        None => None,
    };
    let after = from_token.as_deref().or(start_after);
    let max = max_keys(r)?;
    let page = a.list_objects(bucket, &ListRequest { prefix, delimiter, after, max_keys: max })?;
    let with_owner = (r.query.get("fetch-owner").map(String::as_str) == Some("true")).then(|| owner(a));
    let mut inner = xml::el("Name", bucket);
    inner.push_str(&xml::el("Prefix", &enc(prefix)));
    if let Some(d) = delimiter {
        inner.push_str(&xml::el("Delimiter", &enc(d)));
    }
    inner.push_str(&xml::el("MaxKeys", &max.to_string()));
    if r.query.contains_key("encoding-type") {
        inner.push_str("<EncodingType>url</EncodingType>");
    }
    inner.push_str(&xml::el("KeyCount", &(page.contents.len() + page.common_prefixes.len()).to_string()));
    inner.push_str(&xml::el("IsTruncated", if page.is_truncated { "true" } else { "false" }));
    if let Some(t) = token {
        inner.push_str(&xml::el("ContinuationToken", t));
    }
    if let (true, Some(last)) = (page.is_truncated, page.last.as_deref()) {
        inner.push_str(&xml::el("NextContinuationToken", &token_of(last)));
    }
    if let Some(s) = start_after {
        inner.push_str(&xml::el("StartAfter", &enc(s)));
    }
    for o in &page.contents {
        inner.push_str(&contents(o, &enc, with_owner.as_deref()));
    }
    for p in &page.common_prefixes {
        inner.push_str(&format!("<CommonPrefixes>{}</CommonPrefixes>", xml::el("Prefix", &enc(p))));
    }
    Ok(S3Response::xml(xml::doc("ListBucketResult", &inner)))
}

fn list_objects_v1(a: &Account, r: &Request<'_>) -> Answer {
    let bucket = r.bucket()?;
    let enc = encoder(r)?;
    let prefix = r.query.get("prefix").map(String::as_str).unwrap_or("");
    let delimiter = r.query.get("delimiter").map(String::as_str).filter(|d| !d.is_empty());
    let marker = r.query.get("marker").map(String::as_str).filter(|m| !m.is_empty());
    let max = max_keys(r)?;
    let page = a.list_objects(bucket, &ListRequest { prefix, delimiter, after: marker, max_keys: max })?;
    let owner = owner(a);
    let mut inner = xml::el("Name", bucket);
    inner.push_str(&xml::el("Prefix", &enc(prefix)));
    inner.push_str(&xml::el("Marker", &enc(marker.unwrap_or(""))));
    if let (true, Some(_), Some(last)) = (page.is_truncated, delimiter, page.last.as_deref()) {
        // AWS doc "ListObjects": NextMarker only when a delimiter was given.
        inner.push_str(&xml::el("NextMarker", &enc(last)));
    }
    inner.push_str(&xml::el("MaxKeys", &max.to_string()));
    if let Some(d) = delimiter {
        inner.push_str(&xml::el("Delimiter", &enc(d)));
    }
    if r.query.contains_key("encoding-type") {
        inner.push_str("<EncodingType>url</EncodingType>");
    }
    inner.push_str(&xml::el("IsTruncated", if page.is_truncated { "true" } else { "false" }));
    for o in &page.contents {
        inner.push_str(&contents(o, &enc, Some(&owner)));
    }
    for p in &page.common_prefixes {
        inner.push_str(&format!("<CommonPrefixes>{}</CommonPrefixes>", xml::el("Prefix", &enc(p))));
    }
    Ok(S3Response::xml(xml::doc("ListBucketResult", &inner)))
}

/// What the request's headers ask an object to carry.
pub(super) fn attributes(r: &Request<'_>) -> ObjectAttributes {
    let mut a = ObjectAttributes { content_type: r.header("content-type").map(str::to_string), ..Default::default() };
    for (name, value) in &r.http.headers {
        let lower = name.to_ascii_lowercase();
        if let Some(meta) = lower.strip_prefix("x-amz-meta-") {
            a.metadata.insert(meta.to_string(), value.clone());
        } else if STORED_HEADERS.contains(&lower.as_str()) {
            // `aws-chunked` is the transfer's encoding, not the object's (AWS doc "PutObject").
            let kept: Vec<&str> =
                value.split(',').map(str::trim).filter(|e| !e.is_empty() && *e != "aws-chunked").collect();
            if !kept.is_empty() {
                a.headers.insert(lower, kept.join(","));
            }
        }
    }
    a
}

/// `Content-MD5`, when sent, must be the body's (AWS doc "PutObject": BadDigest).
pub(super) fn check_md5(r: &Request<'_>) -> Result<(), Failure> {
    match r.header("content-md5") {
        Some(sent) if sent.trim() != super::sigv2::base64(&account::s3::md5(&r.body)) => {
            Err(bad("BadDigest", "The Content-MD5 you specified did not match what we received."))
        }
        _ => Ok(()),
    }
}

fn put_object(a: &mut Account, r: &Request<'_>) -> Answer {
    check_md5(r)?;
    let o = a.put_object(r.bucket()?, &r.key, r.body.clone(), attributes(r))?;
    Ok(S3Response::new(200).header("ETag", format!("\"{}\"", o.etag)))
}

/// The headers of an object's GET and HEAD.
fn object_headers(o: &Object, mut resp: S3Response) -> S3Response {
    let content_type = o.content_type.clone().unwrap_or_else(|| "binary/octet-stream".to_string());
    resp = resp
        .header("Content-Type", content_type)
        .header("ETag", format!("\"{}\"", o.etag))
        .header("Last-Modified", xml::http_date(o.last_modified_ms))
        .header("Accept-Ranges", "bytes");
    for (k, v) in &o.headers {
        resp = resp.header(k, v.clone());
    }
    for (k, v) in &o.metadata {
        resp = resp.header(&format!("x-amz-meta-{k}"), v.clone());
    }
    resp
}

/// A `Range: bytes=…` header's one range within `size`: (first, last) inclusive.
/// `Ok(None)`: no usable range (S3 ignores a header it cannot parse).
pub(super) fn range(header: Option<&str>, size: u64) -> Result<Option<(u64, u64)>, ()> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Ok(None) };
    if spec.contains(',') {
        // Several ranges: S3 answers the whole object.
        return Ok(None);
    }
    let Some((a, b)) = spec.split_once('-') else { return Ok(None) };
    let (a, b) = (a.trim(), b.trim());
    let parsed = match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(first), Ok(last)) if first <= last => (first, last.min(size.saturating_sub(1))),
        (Ok(first), Err(_)) if b.is_empty() => (first, size.saturating_sub(1)),
        (Err(_), Ok(n)) if a.is_empty() => {
            if n == 0 {
                return Err(());
            }
            (size.saturating_sub(n), size.saturating_sub(1))
        }
        _ => return Ok(None),
    };
    if parsed.0 >= size {
        return Err(());
    }
    Ok(Some(parsed))
}

/// `If-Match` / `If-None-Match` (AWS doc "GetObject"): a failed If-Match is
/// 412 PreconditionFailed, a matched If-None-Match is 304 Not Modified. The
/// date conditions (`If-Modified-Since`, `If-Unmodified-Since`) are not read.
fn preconditions(o: &Object, r: &Request<'_>) -> Result<Option<S3Response>, Failure> {
    let matches = |list: &str| list.split(',').map(str::trim).any(|t| t == "*" || t.trim_matches('"') == o.etag);
    if r.header("if-match").is_some_and(|l| !matches(l)) {
        return Err(Failure::Wire(crate::error::WireError::new(
            412,
            "PreconditionFailed",
            "At least one of the pre-conditions you specified did not hold",
        )));
    }
    if r.header("if-none-match").is_some_and(matches) {
        let resp = S3Response::new(304)
            .header("ETag", format!("\"{}\"", o.etag))
            .header("Last-Modified", xml::http_date(o.last_modified_ms));
        return Ok(Some(resp));
    }
    Ok(None)
}

/// The `response-*` query parameters a (presigned) GET uses to override headers (AWS doc "GetObject").
fn overrides(r: &Request<'_>, mut resp: S3Response) -> S3Response {
    for (param, name) in [
        ("response-content-type", "Content-Type"),
        ("response-content-disposition", "content-disposition"),
        ("response-cache-control", "cache-control"),
        ("response-content-encoding", "content-encoding"),
        ("response-content-language", "content-language"),
        ("response-expires", "expires"),
    ] {
        if let Some(v) = r.query.get(param) {
            resp.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
            resp.headers.push((name.to_string(), v.clone()));
        }
    }
    resp
}

fn get_object(a: &Account, r: &Request<'_>) -> Answer {
    let bucket = r.bucket()?;
    let o = a.head_object(bucket, &r.key)?;
    if let Some(not_modified) = preconditions(o, r)? {
        return Ok(not_modified);
    }
    if r.http.method == "HEAD" {
        return Ok(overrides(r, object_headers(o, S3Response::new(200)).header("Content-Length", o.size.to_string())));
    }
    let (o, body) = a.get_object(bucket, &r.key)?;
    let spec = r.header("range");
    match range(spec, o.size) {
        Ok(Some((first, last))) => {
            let slice = body.get(first as usize..=last as usize).unwrap_or(&[]).to_vec();
            Ok(overrides(r, object_headers(o, S3Response::new(206)))
                .header("Content-Range", format!("bytes {first}-{last}/{}", o.size))
                .with_body(slice))
        }
        Ok(None) => Ok(overrides(r, object_headers(o, S3Response::new(200))).with_body(body.to_vec())),
        Err(()) => Err(Failure::S3(S3Error::InvalidRange(spec.unwrap_or_default().to_string()))),
    }
}

fn delete_object(a: &mut Account, r: &Request<'_>) -> Answer {
    a.delete_object(r.bucket()?, &r.key)?;
    Ok(S3Response::new(204))
}

/// DeleteObjects (AWS doc "DeleteObjects"): up to 1,000 keys; each deleted or its error listed.
fn delete_objects(a: &mut Account, r: &Request<'_>) -> Answer {
    let bucket = r.bucket()?;
    a.head_bucket(bucket)?;
    let text = std::str::from_utf8(&r.body).map_err(|_| Failure::S3(S3Error::MalformedXml))?;
    if !text.contains("<Delete") {
        return Err(Failure::S3(S3Error::MalformedXml));
    }
    let mut keys = Vec::new();
    for object in xml::blocks(text, "Object") {
        keys.push(xml::text(object, "Key").ok_or(Failure::S3(S3Error::MalformedXml))?);
    }
    if keys.is_empty() || keys.len() > 1000 {
        return Err(Failure::S3(S3Error::MalformedXml));
    }
    let quiet = xml::text(text, "Quiet").is_some_and(|q| q.eq_ignore_ascii_case("true"));
    let mut inner = String::new();
    for key in keys {
        a.delete_object(bucket, &key)?;
        if !quiet {
            inner.push_str(&format!("<Deleted>{}</Deleted>", xml::el("Key", &key)));
        }
    }
    Ok(S3Response::xml(xml::doc("DeleteResult", &inner)))
}

/// `x-amz-copy-source`: `[/]bucket/key[?versionId=…]`, URL-encoded.
pub(super) fn copy_source(r: &Request<'_>) -> Result<(String, String), Failure> {
    let raw = r.header("x-amz-copy-source").unwrap_or_default();
    let raw = raw.split_once("?versionId=").map_or(raw, |(s, _)| s);
    let decoded =
        account::s3::percent_decode_path(raw).ok_or_else(|| bad("InvalidArgument", "Invalid copy source encoding"))?;
    let decoded = decoded.strip_prefix('/').unwrap_or(&decoded);
    match decoded.split_once('/') {
        Some((b, k)) if !b.is_empty() && !k.is_empty() => Ok((b.to_string(), k.to_string())),
        // AWS's text for a source without a key.
        _ => Err(bad("InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")),
    }
}

fn copy_object(a: &mut Account, r: &Request<'_>) -> Answer {
    let (sb, sk) = copy_source(r)?;
    let replace = match r.header("x-amz-metadata-directive").map(str::to_ascii_uppercase).as_deref() {
        None | Some("COPY") => None,
        Some("REPLACE") => Some(attributes(r)),
        Some(_) => return Err(bad("InvalidArgument", "Unknown metadata directive.")),
    };
    let o = a.copy_object((&sb, &sk), r.bucket()?, &r.key, replace)?;
    let inner = format!(
        "{}{}",
        xml::el("LastModified", &crate::time::iso(o.last_modified_ms)),
        xml::el("ETag", &format!("\"{}\"", o.etag))
    );
    Ok(S3Response::xml(xml::doc("CopyObjectResult", &inner)))
}

#[cfg(test)]
mod tests {
    use super::range;

    #[test]
    fn ranges_as_s3_reads_them() {
        assert_eq!(range(Some("bytes=0-9"), 100), Ok(Some((0, 9))));
        assert_eq!(range(Some("bytes=90-200"), 100), Ok(Some((90, 99))));
        assert_eq!(range(Some("bytes=95-"), 100), Ok(Some((95, 99))));
        assert_eq!(range(Some("bytes=-10"), 100), Ok(Some((90, 99))));
        assert_eq!(range(Some("bytes=100-"), 100), Err(()));
        assert_eq!(range(Some("items=0-1"), 100), Ok(None));
        assert_eq!(range(None, 100), Ok(None));
    }
}
