//! S3's multipart uploads (AWS doc "Uploading and copying objects using
//! multipart upload"): CreateMultipartUpload, UploadPart, UploadPartCopy,
//! CompleteMultipartUpload, AbortMultipartUpload, over `account::s3`.

use super::objects::{attributes, check_md5, copy_source, range, Answer};
use super::{bad, xml, Failure, Request, S3Response};
use account::{Account, S3Error};

pub(super) fn create_multipart_upload(a: &mut Account, r: &Request<'_>) -> Answer {
    let bucket = r.bucket()?;
    let id = a.create_multipart_upload(bucket, &r.key, attributes(r))?;
    let inner = format!("{}{}{}", xml::el("Bucket", bucket), xml::el("Key", &r.key), xml::el("UploadId", &id));
    Ok(S3Response::xml(xml::doc("InitiateMultipartUploadResult", &inner)))
}

pub(super) fn upload_part(a: &mut Account, r: &Request<'_>) -> Answer {
    let id = r.query.get("uploadId").cloned().unwrap_or_default();
    let number = r
        .query
        .get("partNumber")
        .and_then(|n| n.parse::<u32>().ok())
        .ok_or_else(|| bad("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive"))?;
    if r.header("x-amz-copy-source").is_some() {
        // UploadPartCopy (AWS doc "UploadPartCopy"): the part is (a range of) another object.
        let (sb, sk) = copy_source(r)?;
        let (source, body) = a.get_object(&sb, &sk)?;
        let spec = r.header("x-amz-copy-source-range");
        let part = match range(spec, source.size) {
            Ok(Some((first, last))) => body.get(first as usize..=last as usize).unwrap_or(&[]).to_vec(),
            Ok(None) if spec.is_none() => body.to_vec(),
            // AWS's text for a copy range it cannot read.
            _ => return Err(bad("InvalidArgument", "The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")),
        };
        let etag = a.upload_part(r.bucket()?, &r.key, &id, number, part)?;
        let inner = format!(
            "{}{}",
            xml::el("ETag", &format!("\"{etag}\"")),
            xml::el("LastModified", &crate::time::iso(a.clock_ms))
        );
        return Ok(S3Response::xml(xml::doc("CopyPartResult", &inner)));
    }
    check_md5(r)?;
    let etag = a.upload_part(r.bucket()?, &r.key, &id, number, r.body.clone())?;
    Ok(S3Response::new(200).header("ETag", format!("\"{etag}\"")))
}

pub(super) fn complete_multipart_upload(a: &mut Account, r: &Request<'_>) -> Answer {
    let bucket = r.bucket()?;
    let id = r.query.get("uploadId").cloned().unwrap_or_default();
    let text = std::str::from_utf8(&r.body).map_err(|_| Failure::S3(S3Error::MalformedXml))?;
    let mut parts = Vec::new();
    for part in xml::blocks(text, "Part") {
        let number = xml::text(part, "PartNumber").and_then(|n| n.parse::<u32>().ok());
        let etag = xml::text(part, "ETag");
        match (number, etag) {
            (Some(n), Some(e)) => parts.push((n, e)),
            _ => return Err(Failure::S3(S3Error::MalformedXml)),
        }
    }
    let o = a.complete_multipart_upload(bucket, &r.key, &id, &parts)?;
    let inner = format!(
        "{}{}{}{}",
        xml::el("Location", &format!("http://{}/{bucket}/{}", r.host, crate::sigv4::uri_encode(&r.key, true))),
        xml::el("Bucket", bucket),
        xml::el("Key", &r.key),
        xml::el("ETag", &format!("\"{}\"", o.etag))
    );
    Ok(S3Response::xml(xml::doc("CompleteMultipartUploadResult", &inner)))
}

pub(super) fn abort_multipart_upload(a: &mut Account, r: &Request<'_>) -> Answer {
    let id = r.query.get("uploadId").cloned().unwrap_or_default();
    a.abort_multipart_upload(r.bucket()?, &r.key, &id)?;
    Ok(S3Response::new(204))
}
