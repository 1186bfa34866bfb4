//! AWS::CertificateManager::Certificate over the account's ACM actions
//! (`account::acm`): tasknet's local CA issues it at once, so the stack does
//! not wait for DNS validation as on AWS. Replacement follows the resource
//! schema's createOnlyProperties (DomainName, SubjectAlternativeNames,
//! ValidationMethod, …): every change makes a new certificate.

use super::kind::{kind, Kind};
use crate::planner::{Planned, Planner};
use crate::props::Props;
use account::{Account, StackResource};
use cfn::Diagnostic;

/// AWS::CertificateManager::Certificate: Ref is the certificate's ARN.
fn certificate(p: &mut Planner, props: &Props<'_>) -> Planned {
    let domain = props.str("DomainName").unwrap_or_default();
    let sans = props.strs("SubjectAlternativeNames");
    let method = props.str("ValidationMethod");
    match p.account.request_certificate(&domain, &sans, method.as_deref(), &props.tags()) {
        Ok(c) => Planned::new(c.arn.clone()).attr("Id", c.arn).detail("Domain", c.subject_alternative_names.join(", ")),
        Err(e) => {
            p.report(
                Diagnostic::error("TN3000", e.message.clone())
                    .resource(props.logical_id)
                    .path(props.path("DomainName"))
                    .at(props.pos("DomainName"))
                    .hint(format!("name a domain ACM accepts, such as app.example.com (error code {})", e.code)),
            );
            Planned::new(p.failed_id("certificate"))
        }
    }
}

fn delete_certificate(a: &mut Account, r: &StackResource, id: &str) -> Result<(), String> {
    a.delete_inert(&r.resource_type, id);
    match a.certificates.contains_key(id) {
        true => a.delete_certificate(id).map_err(|e| e.message),
        false => Ok(()),
    }
}

pub(super) const KINDS: &[Kind] = &[Kind {
    // The schema's createOnlyProperties (tags and the transparency preference change in place).
    replacing: &[
        "CertificateAuthorityArn",
        "DomainName",
        "DomainValidationOptions",
        "KeyAlgorithm",
        "SubjectAlternativeNames",
        "ValidationMethod",
    ],
    ..kind("AWS::CertificateManager::Certificate", certificate, delete_certificate)
}];
