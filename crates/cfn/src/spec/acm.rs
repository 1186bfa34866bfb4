//! Certificate Manager (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const DOMAIN_VALIDATION_OPTION: T =
    T::Struct(&[req("DomainName", S), opt("HostedZoneId", S), opt("ValidationDomain", S)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::CertificateManager::Certificate"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static CERTIFICATE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::CertificateManager::Certificate",
    properties: &[
        opt("CertificateAuthorityArn", S),
        opt("CertificateExport", S),
        opt("CertificateTransparencyLoggingPreference", S),
        req("DomainName", S),
        opt("DomainValidationOptions", T::List(&DOMAIN_VALIDATION_OPTION)),
        opt("KeyAlgorithm", S),
        opt("SubjectAlternativeNames", T::List(&S)),
        opt("Tags", T::List(&TAG)),
        opt("ValidationMethod", S),
    ],
    attributes: &["Id"],
    ref_returns: "the certificate ARN",
};
