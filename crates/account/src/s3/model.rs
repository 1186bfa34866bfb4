//! S3's buckets, objects and multipart uploads, and S3's errors.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A bucket (AWS doc "CreateBucket").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bucket {
    /// Its name (globally unique in AWS; unique in the account here).
    pub name: String,
    /// The region it lives in (its LocationConstraint, us-east-1 when none).
    pub region: String,
    /// When it was created, epoch milliseconds.
    pub creation_ms: u64,
}

impl Bucket {
    /// `arn:aws:s3:::<name>` (S3 ARNs name neither region nor account).
    pub fn arn(&self) -> String {
        format!("arn:aws:s3:::{}", self.name)
    }
}

/// An object's metadata; its body is in [`crate::s3::Bodies`] by `body_sha256`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Object {
    /// The bucket's name.
    pub bucket: String,
    /// The key.
    pub key: String,
    /// The ETag without quotes: the body's MD5 hex, or `<md5 of the parts' MD5s>-<parts>`.
    pub etag: String,
    /// The body's length in bytes.
    pub size: u64,
    /// The body's SHA-256 hex (where the body is kept).
    pub body_sha256: String,
    /// When it was last written, epoch milliseconds.
    pub last_modified_ms: u64,
    /// `Content-Type` (S3 answers `binary/octet-stream` when none was given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// The other stored HTTP headers (`Content-Encoding`, `Content-Disposition`,
    /// `Cache-Control`, `Content-Language`, `Expires`), by their lowercase names.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// User metadata (`x-amz-meta-<name>`), names lowercase.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// What a PutObject (or CreateMultipartUpload) stores beside the body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObjectAttributes {
    /// `Content-Type`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// Other stored headers, lowercase names.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    /// User metadata, lowercase names.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
}

/// One uploaded part of a multipart upload.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Part {
    /// The part's MD5 hex (its ETag without quotes).
    pub etag: String,
    /// Its length.
    pub size: u64,
    /// Its body's SHA-256 hex.
    pub body_sha256: String,
}

/// A multipart upload in progress (AWS doc "CreateMultipartUpload").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartUpload {
    /// Its ID.
    pub upload_id: String,
    /// The bucket.
    pub bucket: String,
    /// The key the object will have.
    pub key: String,
    /// When it was started.
    pub initiated_ms: u64,
    /// What the object will carry.
    #[serde(default)]
    pub attributes: ObjectAttributes,
    /// Parts uploaded so far, by part number.
    #[serde(default)]
    pub parts: BTreeMap<u32, Part>,
}

/// An S3 error: AWS's code, text and status (AWS doc "Error responses",
/// "List of error codes"), with the resource S3's XML names beside it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum S3Error {
    /// 404 (seen).
    #[error("The specified bucket does not exist")]
    NoSuchBucket(String),
    /// 404 (seen).
    #[error("The specified key does not exist.")]
    NoSuchKey(String),
    /// 404 (seen: S3's response quoted in versity/versitygw#2035, aws/aws-cli#987).
    #[error("The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")]
    NoSuchUpload(String),
    /// 409: the name is taken (in AWS, by another account; unreachable with one account).
    #[error("The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")]
    BucketAlreadyExists(String),
    /// 409 (doc), everywhere but us-east-1.
    #[error("Your previous request to create the named bucket succeeded and you already own it.")]
    BucketAlreadyOwnedByYou(String),
    /// 409 (seen).
    #[error("The bucket you tried to delete is not empty")]
    BucketNotEmpty(String),
    /// 400 (seen).
    #[error("The specified bucket is not valid.")]
    InvalidBucketName(String),
    /// 400 (doc): `us-east-1` named explicitly, or no region of that name.
    #[error("The specified location-constraint is not valid")]
    InvalidLocationConstraint(String),
    /// 400 (seen): the constraint (`None`: unspecified) is not the endpoint's region.
    #[error("The {} location constraint is incompatible for the region specific endpoint this request was sent to.", .0.as_deref().unwrap_or("unspecified"))]
    IllegalLocationConstraint(Option<String>),
    /// 400 (doc).
    #[error("Your key is too long")]
    KeyTooLong(String),
    /// 416 (doc).
    #[error("The requested range is not satisfiable")]
    InvalidRange(String),
    /// 400 (doc).
    #[error("One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")]
    InvalidPart(String),
    /// 400 (doc).
    #[error("The list of parts was not in ascending order. The parts list must be specified in order by part number.")]
    InvalidPartOrder(String),
    /// 400 (doc).
    #[error("Your proposed upload is smaller than the minimum allowed size")]
    EntityTooSmall(String),
    /// 400, with S3's text for the case.
    #[error("{0}")]
    InvalidArgument(String),
    /// 400, with S3's text for the case.
    #[error("{0}")]
    InvalidRequest(String),
    /// 400 (doc).
    #[error("The XML you provided was not well-formed or did not validate against our published schema.")]
    MalformedXml,
}

impl S3Error {
    /// AWS's code.
    pub fn code(&self) -> &'static str {
        match self {
            S3Error::NoSuchBucket(_) => "NoSuchBucket",
            S3Error::NoSuchKey(_) => "NoSuchKey",
            S3Error::NoSuchUpload(_) => "NoSuchUpload",
            S3Error::BucketAlreadyExists(_) => "BucketAlreadyExists",
            S3Error::BucketAlreadyOwnedByYou(_) => "BucketAlreadyOwnedByYou",
            S3Error::BucketNotEmpty(_) => "BucketNotEmpty",
            S3Error::InvalidBucketName(_) => "InvalidBucketName",
            S3Error::InvalidLocationConstraint(_) => "InvalidLocationConstraint",
            S3Error::IllegalLocationConstraint(_) => "IllegalLocationConstraintException",
            S3Error::KeyTooLong(_) => "KeyTooLongError",
            S3Error::InvalidRange(_) => "InvalidRange",
            S3Error::InvalidPart(_) => "InvalidPart",
            S3Error::InvalidPartOrder(_) => "InvalidPartOrder",
            S3Error::EntityTooSmall(_) => "EntityTooSmall",
            S3Error::InvalidArgument(_) => "InvalidArgument",
            S3Error::InvalidRequest(_) => "InvalidRequest",
            S3Error::MalformedXml => "MalformedXML",
        }
    }

    /// The HTTP status S3 answers with (AWS doc "List of error codes").
    pub fn status(&self) -> u16 {
        match self {
            S3Error::NoSuchBucket(_) | S3Error::NoSuchKey(_) | S3Error::NoSuchUpload(_) => 404,
            S3Error::BucketAlreadyExists(_) | S3Error::BucketAlreadyOwnedByYou(_) | S3Error::BucketNotEmpty(_) => 409,
            S3Error::InvalidRange(_) => 416,
            _ => 400,
        }
    }

    /// The element S3's error XML names beside the code (`BucketName`, `Key`, …) and its value.
    pub fn resource(&self) -> Option<(&'static str, &str)> {
        match self {
            S3Error::NoSuchBucket(b)
            | S3Error::BucketAlreadyExists(b)
            | S3Error::BucketAlreadyOwnedByYou(b)
            | S3Error::BucketNotEmpty(b)
            | S3Error::InvalidBucketName(b) => Some(("BucketName", b)),
            S3Error::NoSuchKey(k) | S3Error::KeyTooLong(k) => Some(("Key", k)),
            S3Error::NoSuchUpload(u) => Some(("UploadId", u)),
            S3Error::InvalidLocationConstraint(l) => Some(("LocationConstraint", l)),
            S3Error::InvalidRange(r) => Some(("RangeRequested", r)),
            S3Error::InvalidPart(p) | S3Error::InvalidPartOrder(p) | S3Error::EntityTooSmall(p) => {
                Some(("PartNumber", p))
            }
            _ => None,
        }
    }
}

impl crate::AwsError for S3Error {
    fn service(&self) -> crate::AwsService {
        crate::AwsService::S3
    }
    fn code(&self) -> &str {
        S3Error::code(self)
    }
    fn message(&self) -> String {
        self.to_string()
    }
    fn http_status(&self) -> u16 {
        self.status()
    }
}
