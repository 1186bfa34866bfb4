//! A `TemplateURL` read from the account's S3: CreateStack, CreateChangeSet,
//! UpdateStack, ValidateTemplate and GetTemplateSummary take one instead of
//! a TemplateBody, and `AWS::CloudFormation::Stack` names its template by
//! one. AWS doc "CreateStack": TemplateURL, "The URL of a file containing
//! the template body. The URL must point to a template (max size: 1 MB)
//! that's located in an Amazon S3 bucket".

use account::Account;
use std::path::PathBuf;
use std::sync::Arc;

/// The largest template a TemplateURL may name (the same page: 1 MB).
pub const MAX_URL_TEMPLATE: usize = cfn::quotas::MAX_TEMPLATE_BYTES;

/// Unverified text: CloudFormation's ValidationError for a TemplateURL that is not an S3 URL.
pub const NOT_S3: &str = "TemplateURL must be a supported URL.";

/// Where S3's error texts point (seen after every `S3 error:` CloudFormation reports).
const S3_ERRORS_PAGE: &str =
    "For more information check http://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html";

/// Why a TemplateURL gave no template, in CloudFormation's words.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TemplateUrlError {
    /// Not a URL of S3 (or of the local endpoint).
    #[error("{NOT_S3}")]
    NotS3,
    /// S3 refused (seen: "S3 error: The specified key does not exist. For more information check …").
    #[error("S3 error: {0} {S3_ERRORS_PAGE}")]
    S3(String),
    /// Over 1 MB (inferred text).
    #[error("Template may not exceed {MAX_URL_TEMPLATE} bytes in size.")]
    TooLarge,
}

/// The object a TemplateURL names: (bucket, key), or NotS3.
pub fn location(url: &str) -> Result<(String, String), TemplateUrlError> {
    account::s3::parse_object_url(url).ok_or(TemplateUrlError::NotS3)
}

/// The template a TemplateURL names, read from the account's S3.
pub fn read(account: &Account, url: &str) -> Result<Arc<Vec<u8>>, TemplateUrlError> {
    let (bucket, key) = location(url)?;
    let (_, body) = account.get_object(&bucket, &key).map_err(|e| TemplateUrlError::S3(e.to_string()))?;
    if body.len() > MAX_URL_TEMPLATE {
        return Err(TemplateUrlError::TooLarge);
    }
    Ok(body)
}

/// A file holding the template a TemplateURL names (the readers of
/// templates take paths): the body's own file beside the store, or a copy
/// under the system's temporary folder for an account never saved.
pub fn file(account: &Account, url: &str) -> Result<PathBuf, TemplateUrlError> {
    let (bucket, key) = location(url)?;
    let object = account.head_object(&bucket, &key).map_err(|e| TemplateUrlError::S3(e.to_string()))?;
    if object.size as usize > MAX_URL_TEMPLATE {
        return Err(TemplateUrlError::TooLarge);
    }
    let fallback = std::env::temp_dir().join("tasknet-s3-bodies");
    account
        .s3_bodies
        .file(&object.body_sha256, &fallback)
        .ok_or_else(|| TemplateUrlError::S3(account::S3Error::NoSuchKey(key).to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_url_reads_the_object_or_says_why_not() {
        let mut a = Account::empty("123456789012", "us-east-1");
        a.create_bucket("tpl-bucket", None).unwrap();
        a.put_object("tpl-bucket", "t.yaml", b"Resources: {}\n".to_vec(), Default::default()).unwrap();
        let url = "https://tpl-bucket.s3.amazonaws.com/t.yaml";
        assert_eq!(read(&a, url).unwrap().as_slice(), b"Resources: {}\n");
        let path = file(&a, url).unwrap();
        assert_eq!(std::fs::read(path).unwrap(), b"Resources: {}\n");
        assert_eq!(read(&a, "https://example.com/t.yaml"), Err(TemplateUrlError::NotS3));
        assert_eq!(TemplateUrlError::NotS3.to_string(), "TemplateURL must be a supported URL.");
        let e = read(&a, "https://s3.amazonaws.com/tpl-bucket/missing.yaml").unwrap_err();
        assert!(e.to_string().starts_with("S3 error: The specified key does not exist. For more information"), "{e}");
        let e = read(&a, "https://s3.amazonaws.com/other-bucket/t.yaml").unwrap_err();
        assert!(e.to_string().starts_with("S3 error: The specified bucket does not exist"), "{e}");
    }
}
