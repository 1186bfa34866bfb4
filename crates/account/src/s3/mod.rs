//! Amazon S3: buckets and objects, the one implementation of S3's actions
//! (CreateBucket, DeleteBucket, PutObject, GetObject, ListObjectsV2,
//! CopyObject, multipart uploads, …) that the wire endpoint and the
//! CloudFormation handlers call. AWS doc: "Amazon S3 API Reference".

mod bodies;
mod md5;
mod model;

pub use bodies::{dir_beside, Bodies};
pub use md5::{hex, md5};
pub use model::{Bucket, MultipartUpload, Object, ObjectAttributes, Part, S3Error};

use crate::Account;
use sha2::{Digest, Sha256};

/// The longest key S3 takes, in UTF-8 bytes (AWS doc "Naming Amazon S3 objects").
pub const MAX_KEY_BYTES: usize = 1024;

/// The smallest part but the last of a multipart upload (AWS doc "Amazon S3 multipart upload limits": 5 MiB).
pub const MIN_PART_BYTES: u64 = 5 * 1024 * 1024;

/// The highest part number (same page: 1 to 10,000).
pub const MAX_PART_NUMBER: u32 = 10_000;

/// The most keys one list answers (AWS doc "ListObjectsV2": MaxKeys, at most 1,000).
pub const MAX_KEYS: usize = 1000;

/// Hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    hex(&Sha256::digest(data))
}

/// The key of an object in [`Account::s3_objects`]: `<bucket>/<key>` (bucket names have no `/`).
pub fn object_key(bucket: &str, key: &str) -> String {
    format!("{bucket}/{key}")
}

/// Whether `name` follows the general purpose bucket naming rules (AWS doc
/// "General purpose bucket naming rules"): 3–63 characters of lowercase
/// letters, digits, dots and hyphens, starting and ending with a letter or
/// digit, no two adjacent dots, not an IP address, not one of the reserved
/// prefixes and suffixes.
pub fn valid_bucket_name(name: &str) -> bool {
    let b = name.as_bytes();
    let edge = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    (3..=63).contains(&b.len())
        && b.iter().all(|&c| edge(c) || c == b'.' || c == b'-')
        && edge(b[0])
        && edge(b[b.len() - 1])
        && !name.contains("..")
        && name.parse::<std::net::Ipv4Addr>().is_err()
        && !["xn--", "sthree-", "amzn-s3-demo-"].iter().any(|p| name.starts_with(p))
        && !["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].iter().any(|s| name.ends_with(s))
}

/// The bucket a virtual-hosted request or URL names in its host
/// (`bucket.s3.amazonaws.com`, `bucket.s3.<region>.amazonaws.com`,
/// `bucket.s3-<region>.amazonaws.com`, `bucket.localhost[:port]`); `None`
/// for path style (`s3.amazonaws.com`, an IP address, `localhost`).
/// AWS doc "Virtual hosting of buckets".
pub fn bucket_of_host(host: &str) -> Option<String> {
    let host = host.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host, |(h, _)| h);
    let host = host.to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return None;
    }
    for marker in [".s3.", ".s3-"] {
        if let Some(i) = host.find(marker) {
            return (i > 0).then(|| host[..i].to_string());
        }
    }
    host.strip_suffix(".localhost").filter(|b| !b.is_empty()).map(str::to_string)
}

/// Whether a host is S3's (or the local endpoint's) for a URL naming an object.
fn is_s3_host(host: &str) -> bool {
    let bare = host.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host, |(h, _)| h);
    let bare = bare.to_ascii_lowercase();
    let aws = bare.ends_with(".amazonaws.com") || bare.ends_with(".amazonaws.com.cn");
    let s3 = bare.starts_with("s3.") || bare.starts_with("s3-") || bare.contains(".s3.") || bare.contains(".s3-");
    (aws && s3)
        || bare == "localhost"
        || bare.ends_with(".localhost")
        // The endpoint by its address (the CLI writes `--endpoint-url`'s host): path style.
        || bare.parse::<std::net::IpAddr>().is_ok()
}

/// The (bucket, key) an object URL names, in the forms CloudFormation and
/// the aws CLI write: `https://s3.amazonaws.com/b/k`,
/// `https://b.s3.amazonaws.com/k`, `https://s3.<region>.amazonaws.com/b/k`,
/// `https://b.s3.<region>.amazonaws.com/k`, and the local endpoint's own
/// `http://127.0.0.1:<port>/b/k` (what `aws cloudformation package` writes
/// with `--endpoint-url`). `None` for anything else.
pub fn parse_object_url(url: &str) -> Option<(String, String)> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    if !is_s3_host(host) {
        return None;
    }
    // `?versionId=…`: versions are not modelled; the current object is read.
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = percent_decode_path(path)?;
    let (bucket, key) = match bucket_of_host(host) {
        Some(b) => (b, path),
        None => {
            let (b, k) = path.split_once('/')?;
            (b.to_string(), k.to_string())
        }
    };
    (!bucket.is_empty() && !key.is_empty()).then_some((bucket, key))
}

/// Percent-decoding of a URL path (no `+` for space).
pub fn percent_decode_path(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The regions S3 takes as a LocationConstraint: the commercial regions
/// (AWS doc "CreateBucketConfiguration": LocationConstraint's values; `EU`
/// is the legacy name of eu-west-1).
const REGIONS: &[&str] = &[
    "af-south-1",
    "ap-east-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "cn-north-1",
    "cn-northwest-1",
    "EU",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// One page of ListObjectsV2 (or ListObjects).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    /// The objects, in key order.
    pub contents: Vec<Object>,
    /// The common prefixes (delimiter given), in order.
    pub common_prefixes: Vec<String>,
    /// Whether more follow.
    pub is_truncated: bool,
    /// The last key or prefix of this page: where the next page starts after.
    pub last: Option<String>,
}

/// A list request.
#[derive(Clone, Debug, Default)]
pub struct ListRequest<'a> {
    /// Only keys starting with it.
    pub prefix: &'a str,
    /// Groups keys by what follows the prefix up to this.
    pub delimiter: Option<&'a str>,
    /// Only keys after this one (StartAfter, the continuation token's key, Marker).
    pub after: Option<&'a str>,
    /// At most this many keys and prefixes (capped at [`MAX_KEYS`]).
    pub max_keys: usize,
}

impl Account {
    fn bucket_or_404(&self, bucket: &str) -> Result<&Bucket, S3Error> {
        self.s3_buckets.get(bucket).ok_or_else(|| S3Error::NoSuchBucket(bucket.to_string()))
    }

    /// CreateBucket (AWS doc "CreateBucket"): in us-east-1 no constraint (or
    /// another region's: the global endpoint creates it there); elsewhere the
    /// constraint must be the region. Creating one's own bucket again is 200
    /// in us-east-1 (legacy) and `BucketAlreadyOwnedByYou` elsewhere.
    pub fn create_bucket(&mut self, name: &str, location: Option<&str>) -> Result<&Bucket, S3Error> {
        if !valid_bucket_name(name) {
            return Err(S3Error::InvalidBucketName(name.to_string()));
        }
        let location = location.filter(|l| !l.is_empty());
        let region = match location {
            Some(l) if !REGIONS.contains(&l) => return Err(S3Error::InvalidLocationConstraint(l.to_string())),
            // us-east-1 is the default and is never named (doc: "us-east-1 ... do not specify").
            Some("us-east-1") => return Err(S3Error::InvalidLocationConstraint("us-east-1".into())),
            Some(l) if self.region == "us-east-1" => if l == "EU" { "eu-west-1" } else { l }.to_string(),
            Some(l) if l == self.region || (l == "EU" && self.region == "eu-west-1") => self.region.clone(),
            Some(l) => return Err(S3Error::IllegalLocationConstraint(Some(l.to_string()))),
            None if self.region == "us-east-1" => self.region.clone(),
            None => return Err(S3Error::IllegalLocationConstraint(None)),
        };
        if self.s3_buckets.contains_key(name) {
            if self.region != "us-east-1" {
                return Err(S3Error::BucketAlreadyOwnedByYou(name.to_string()));
            }
        } else {
            let bucket = Bucket { name: name.to_string(), region, creation_ms: self.clock_ms };
            self.s3_buckets.insert(name.to_string(), bucket);
        }
        self.bucket_or_404(name)
    }

    /// HeadBucket: the bucket, or NoSuchBucket.
    pub fn head_bucket(&self, name: &str) -> Result<&Bucket, S3Error> {
        self.bucket_or_404(name)
    }

    /// DeleteBucket (AWS doc "DeleteBucket"): only an empty bucket.
    pub fn delete_bucket(&mut self, name: &str) -> Result<(), S3Error> {
        self.bucket_or_404(name)?;
        if self.s3_bucket_objects(name).next().is_some() {
            return Err(S3Error::BucketNotEmpty(name.to_string()));
        }
        self.s3_uploads.retain(|_, u| u.bucket != name);
        self.s3_buckets.remove(name);
        Ok(())
    }

    /// The objects of a bucket, in key order.
    pub fn s3_bucket_objects<'a>(&'a self, bucket: &str) -> impl Iterator<Item = &'a Object> + 'a {
        let start = format!("{bucket}/");
        self.s3_objects.range(start.clone()..).take_while(move |(k, _)| k.starts_with(&start)).map(|(_, o)| o)
    }

    fn check_key(key: &str) -> Result<(), S3Error> {
        if key.len() > MAX_KEY_BYTES {
            return Err(S3Error::KeyTooLong(key.to_string()));
        }
        if key.is_empty() {
            // Inferred: an empty key cannot be addressed at all (the request names the bucket).
            return Err(S3Error::InvalidArgument("A key must be specified".into()));
        }
        Ok(())
    }

    /// PutObject (AWS doc "PutObject"): stores the body and replaces any object of that key.
    pub fn put_object(
        &mut self,
        bucket: &str,
        key: &str,
        body: Vec<u8>,
        attributes: ObjectAttributes,
    ) -> Result<&Object, S3Error> {
        self.bucket_or_404(bucket)?;
        Account::check_key(key)?;
        let etag = hex(&md5(&body));
        let size = body.len() as u64;
        let body_sha256 = self.s3_bodies.put(body);
        Ok(self.record_object(bucket, key, etag, size, body_sha256, attributes))
    }

    fn record_object(
        &mut self,
        bucket: &str,
        key: &str,
        etag: String,
        size: u64,
        body_sha256: String,
        a: ObjectAttributes,
    ) -> &Object {
        let object = Object {
            bucket: bucket.to_string(),
            key: key.to_string(),
            etag,
            size,
            body_sha256,
            last_modified_ms: self.clock_ms,
            content_type: a.content_type,
            headers: a.headers,
            metadata: a.metadata,
        };
        let id = object_key(bucket, key);
        self.s3_objects.insert(id.clone(), object);
        &self.s3_objects[&id]
    }

    /// HeadObject: the object's metadata.
    pub fn head_object(&self, bucket: &str, key: &str) -> Result<&Object, S3Error> {
        self.bucket_or_404(bucket)?;
        self.s3_objects.get(&object_key(bucket, key)).ok_or_else(|| S3Error::NoSuchKey(key.to_string()))
    }

    /// GetObject: the object and its body.
    pub fn get_object(&self, bucket: &str, key: &str) -> Result<(&Object, std::sync::Arc<Vec<u8>>), S3Error> {
        let object = self.head_object(bucket, key)?;
        // A body that is gone from the folder (deleted by hand) reads as a missing key.
        let body = self.s3_bodies.get(&object.body_sha256).ok_or_else(|| S3Error::NoSuchKey(key.to_string()))?;
        Ok((object, body))
    }

    /// DeleteObject: removes it (a missing key is no error, as in S3).
    pub fn delete_object(&mut self, bucket: &str, key: &str) -> Result<(), S3Error> {
        self.bucket_or_404(bucket)?;
        self.s3_objects.remove(&object_key(bucket, key));
        Ok(())
    }

    /// CopyObject (AWS doc "CopyObject"): the source's body under a new key,
    /// with the source's metadata (`replace`: `None`) or the given one.
    pub fn copy_object(
        &mut self,
        source: (&str, &str),
        bucket: &str,
        key: &str,
        replace: Option<ObjectAttributes>,
    ) -> Result<&Object, S3Error> {
        let src = self.head_object(source.0, source.1)?.clone();
        self.bucket_or_404(bucket)?;
        Account::check_key(key)?;
        if source == (bucket, key) && replace.is_none() {
            // AWS doc "CopyObject" (the text S3 answers, seen in SDK threads).
            return Err(S3Error::InvalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.".into()));
        }
        let attributes = replace.unwrap_or(ObjectAttributes {
            content_type: src.content_type.clone(),
            headers: src.headers.clone(),
            metadata: src.metadata.clone(),
        });
        Ok(self.record_object(bucket, key, src.etag, src.size, src.body_sha256, attributes))
    }

    /// ListObjectsV2 / ListObjects: keys after `after` starting with the
    /// prefix, grouped at the delimiter, at most `max_keys` keys and prefixes.
    pub fn list_objects(&self, bucket: &str, req: &ListRequest<'_>) -> Result<Listing, S3Error> {
        self.bucket_or_404(bucket)?;
        let max = req.max_keys.min(MAX_KEYS);
        let mut out = Listing::default();
        let start = object_key(bucket, req.prefix);
        for (_, o) in self.s3_objects.range(start.clone()..).take_while(|(k, _)| k.starts_with(&start)) {
            if req.after.is_some_and(|a| o.key.as_str() <= a) {
                continue;
            }
            let rest = &o.key[req.prefix.len()..];
            let group = req.delimiter.filter(|d| !d.is_empty()).and_then(|d| rest.find(d).map(|i| (i, d.len())));
            let entry = match group {
                Some((i, n)) => {
                    let cp = format!("{}{}", req.prefix, &rest[..i + n]);
                    // The rest of a prefix already listed (or the one a previous page ended with).
                    if out.common_prefixes.last() == Some(&cp) || req.after == Some(cp.as_str()) {
                        continue;
                    }
                    Err(cp)
                }
                None => Ok(o),
            };
            if out.contents.len() + out.common_prefixes.len() >= max {
                out.is_truncated = true;
                break;
            }
            match entry {
                Ok(o) => {
                    out.last = Some(o.key.clone());
                    out.contents.push(o.clone());
                }
                Err(cp) => {
                    out.last = Some(cp.clone());
                    out.common_prefixes.push(cp);
                }
            }
        }
        Ok(out)
    }

    /// The SHA-256 of every body an object or an uploaded part names.
    pub fn s3_body_hashes(&self) -> std::collections::HashSet<String> {
        let objects = self.s3_objects.values().map(|o| o.body_sha256.clone());
        let parts = self.s3_uploads.values().flat_map(|u| u.parts.values().map(|p| p.body_sha256.clone()));
        objects.chain(parts).collect()
    }

    /// The buckets, by name.
    pub fn list_buckets(&self) -> impl Iterator<Item = &Bucket> {
        self.s3_buckets.values()
    }

    /// CreateMultipartUpload: a new upload's ID.
    pub fn create_multipart_upload(
        &mut self,
        bucket: &str,
        key: &str,
        attributes: ObjectAttributes,
    ) -> Result<String, S3Error> {
        self.bucket_or_404(bucket)?;
        Account::check_key(key)?;
        // S3's IDs are long opaque strings; tasknet's are 64 hex characters.
        let upload_id = self.new_hex("s3-upload", 64);
        let upload = MultipartUpload {
            upload_id: upload_id.clone(),
            bucket: bucket.to_string(),
            key: key.to_string(),
            initiated_ms: self.clock_ms,
            attributes,
            parts: Default::default(),
        };
        self.s3_uploads.insert(upload_id.clone(), upload);
        Ok(upload_id)
    }

    fn upload_of(&mut self, bucket: &str, key: &str, upload_id: &str) -> Result<&mut MultipartUpload, S3Error> {
        self.bucket_or_404(bucket)?;
        self.s3_uploads
            .get_mut(upload_id)
            .filter(|u| u.bucket == bucket && u.key == key)
            .ok_or_else(|| S3Error::NoSuchUpload(upload_id.to_string()))
    }

    /// UploadPart: stores a part; its ETag (MD5 hex).
    pub fn upload_part(
        &mut self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        body: Vec<u8>,
    ) -> Result<String, S3Error> {
        self.upload_of(bucket, key, upload_id)?;
        if !(1..=MAX_PART_NUMBER).contains(&part_number) {
            // AWS's text (doc "UploadPart": part numbers 1 to 10,000).
            return Err(S3Error::InvalidArgument(
                "Part number must be an integer between 1 and 10000, inclusive".into(),
            ));
        }
        let etag = hex(&md5(&body));
        let size = body.len() as u64;
        let body_sha256 = self.s3_bodies.put(body);
        let upload = self.upload_of(bucket, key, upload_id)?;
        upload.parts.insert(part_number, Part { etag: etag.clone(), size, body_sha256 });
        Ok(etag)
    }

    /// CompleteMultipartUpload (AWS doc "CompleteMultipartUpload"): the
    /// listed parts, in ascending order with their ETags, joined into the
    /// object; every part but the last at least 5 MiB. The ETag is the MD5 of
    /// the parts' binary MD5s, `-<count>`.
    pub fn complete_multipart_upload(
        &mut self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[(u32, String)],
    ) -> Result<&Object, S3Error> {
        let upload = self.upload_of(bucket, key, upload_id)?.clone();
        if parts.is_empty() {
            // AWS doc "CompleteMultipartUpload" (MalformedXML when no part is listed).
            return Err(S3Error::MalformedXml);
        }
        if let Some(w) = parts.windows(2).find(|w| w[1].0 <= w[0].0) {
            return Err(S3Error::InvalidPartOrder(w[1].0.to_string()));
        }
        let mut digests = Vec::with_capacity(parts.len() * 16);
        let mut body = Vec::new();
        for (i, (number, etag)) in parts.iter().enumerate() {
            let want = etag.trim_matches('"');
            let part = upload
                .parts
                .get(number)
                .filter(|p| p.etag == want)
                .ok_or_else(|| S3Error::InvalidPart(number.to_string()))?;
            if i + 1 < parts.len() && part.size < MIN_PART_BYTES {
                return Err(S3Error::EntityTooSmall(number.to_string()));
            }
            let data = self.s3_bodies.get(&part.body_sha256).ok_or_else(|| S3Error::InvalidPart(number.to_string()))?;
            body.extend_from_slice(&data);
            for j in 0..16 {
                let byte = u8::from_str_radix(part.etag.get(j * 2..j * 2 + 2).unwrap_or("00"), 16).unwrap_or(0);
                digests.push(byte);
            }
        }
        let etag = format!("{}-{}", hex(&md5(&digests)), parts.len());
        let size = body.len() as u64;
        let body_sha256 = self.s3_bodies.put(body);
        self.s3_uploads.remove(upload_id);
        Ok(self.record_object(bucket, key, etag, size, body_sha256, upload.attributes))
    }

    /// AbortMultipartUpload: forgets the upload and its parts.
    pub fn abort_multipart_upload(&mut self, bucket: &str, key: &str, upload_id: &str) -> Result<(), S3Error> {
        self.upload_of(bucket, key, upload_id)?;
        self.s3_uploads.remove(upload_id);
        Ok(())
    }
}

#[cfg(test)]
mod tests;
