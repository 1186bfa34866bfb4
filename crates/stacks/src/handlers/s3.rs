//! `AWS::S3::Bucket`: a real bucket of the account's S3 (CreateBucket in the
//! stack's region), deleted only when empty, as CloudFormation does: a
//! bucket with objects fails its delete with S3's text (DELETE_FAILED).
//! Return values (AWS doc "AWS::S3::Bucket"): Ref is the name; Arn,
//! DomainName, RegionalDomainName, DualStackDomainName, WebsiteURL.

use super::kind::{kind, Kind};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, S3Error, StackResource};
use cfn::Diagnostic;

/// AWS::S3::Bucket: CreateBucket with BucketName, or the name
/// CloudFormation generates (`<stack>-<logical id>-<random>`, lowercased, at most 63).
pub fn bucket(p: &mut Planner, props: &Props<'_>) -> Planned {
    let region = p.account.region.clone();
    let name = props.str("BucketName").unwrap_or_else(|| p.generated_name(props.logical_id, 63).to_ascii_lowercase());
    let failure = if p.account.s3_buckets.contains_key(&name) {
        // Seen (CloudFormation's reason for a bucket name in use): "<name> already exists".
        Some(format!("{name} already exists"))
    } else {
        let constraint = (region != "us-east-1").then_some(region.as_str());
        p.account.create_bucket(&name, constraint).err().map(|e| s3_reason(&e))
    };
    if let Some(reason) = failure {
        let property = if props.str("BucketName").is_some() { "BucketName" } else { "" };
        p.report(
            Diagnostic::error("TN6001", reason)
                .resource(props.logical_id)
                .path(props.path(property))
                .at(props.pos(property))
                .hint("choose a bucket name no bucket of the account has, following S3's naming rules"),
        );
    }
    Planned::new(name.clone())
        .attr("Arn", format!("arn:aws:s3:::{name}"))
        .attr("DomainName", format!("{name}.s3.amazonaws.com"))
        .attr("RegionalDomainName", format!("{name}.s3.{region}.amazonaws.com"))
        .attr("DualStackDomainName", format!("{name}.s3.dualstack.{region}.amazonaws.com"))
        .attr("WebsiteURL", format!("http://{name}.s3-website-{region}.amazonaws.com"))
}

/// S3's error as CloudFormation reports it (seen form:
/// "<message> (Service: Amazon S3; Status Code: 409; Error Code: BucketNotEmpty; …)";
/// the request IDs AWS appends are left out).
fn s3_reason(e: &S3Error) -> String {
    format!("{e} (Service: Amazon S3; Status Code: {}; Error Code: {})", e.status(), e.code())
}

/// DeleteBucket: refused while it holds objects (CloudFormation does not empty it).
fn delete(a: &mut Account, _: &StackResource, name: &str) -> Result<(), String> {
    match a.delete_bucket(name) {
        Ok(()) | Err(S3Error::NoSuchBucket(_)) => Ok(()),
        Err(e) => Err(s3_reason(&e)),
    }
}

/// The S3 types' records.
pub(super) const KINDS: &[Kind] = &[Kind { replacing: &["BucketName"], ..kind("AWS::S3::Bucket", bucket, delete) }];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_with_objects_is_not_deleted() {
        let mut a = Account::empty("123456789012", "eu-west-1");
        a.create_bucket("kept-bucket", Some("eu-west-1")).unwrap();
        a.put_object("kept-bucket", "k", b"x".to_vec(), Default::default()).unwrap();
        let r = StackResource {
            logical_resource_id: "Bucket".into(),
            physical_resource_id: Some("kept-bucket".into()),
            resource_type: "AWS::S3::Bucket".into(),
            resource_status: "CREATE_COMPLETE".into(),
            resource_status_reason: None,
            last_updated_timestamp: 0,
            properties: serde_json::Value::Null,
            attributes: Default::default(),
            deletion_policy: None,
            no_echo: false,
        };
        let e = delete(&mut a, &r, "kept-bucket").unwrap_err();
        assert_eq!(
            e,
            "The bucket you tried to delete is not empty (Service: Amazon S3; Status Code: 409; Error Code: BucketNotEmpty)"
        );
        a.delete_object("kept-bucket", "k").unwrap();
        assert!(delete(&mut a, &r, "kept-bucket").is_ok());
        assert!(a.s3_buckets.is_empty());
        // Already gone is fine.
        assert!(delete(&mut a, &r, "kept-bucket").is_ok());
    }
}
