//! AWS Certificate Manager (`CertificateManager`): thin adapters over the
//! account's ACM actions (`account::acm`). Certificates are issued by
//! tasknet's local CA at once (see there); the details ACM reports of a
//! certificate's key and usages are those of the certificates the load
//! balancer serves for it (rcgen's default key: ECDSA P-256).

use super::{input, pages};
use crate::dispatch::{read, write, Operation, Read, Write};
use crate::error::WireError;
use crate::time::epoch_seconds;
use account::acm::Certificate;
use account::Account;
use serde_json::{json, Value};

/// ACM's operations.
pub const OPERATIONS: &[Operation] = &[
    write("RequestCertificate", request_certificate),
    write("ImportCertificate", import_certificate),
    read("DescribeCertificate", describe_certificate),
    read("ListCertificates", list_certificates),
    write("DeleteCertificate", delete_certificate),
    read("ListTagsForCertificate", list_tags_for_certificate),
];

fn aws(e: account::ServiceError) -> WireError {
    WireError::from_aws(&e)
}

fn arn(input: &Value) -> &str {
    input::text(input, "CertificateArn").unwrap_or_default()
}

fn tags(input: &Value) -> Vec<(String, String)> {
    input
        .get("Tags")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| Some((input::text(t, "Key")?.to_string(), input::text(t, "Value").unwrap_or("").to_string())))
        .collect()
}

fn request_certificate(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let domain = input::text(input, "DomainName").unwrap_or_default();
    let sans = input::texts(input, "SubjectAlternativeNames");
    let c = w
        .session
        .account
        .request_certificate(domain, &sans, input::text(input, "ValidationMethod"), &tags(input))
        .map_err(aws)?;
    Ok(json!({ "CertificateArn": c.arn }))
}

/// A blob member as text (botocore sends blobs base64-encoded in JSON).
fn pem(input: &Value, name: &str) -> Result<Option<String>, WireError> {
    use base64::Engine as _;
    let Some(b64) = input::text(input, name) else { return Ok(None) };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .map_err(|_| WireError::bad("ValidationException", format!("{name} is not valid base64.")))?;
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

fn import_certificate(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    let cert = pem(input, "Certificate")?.unwrap_or_default();
    let key = pem(input, "PrivateKey")?.unwrap_or_default();
    let chain = pem(input, "CertificateChain")?;
    let c = w
        .session
        .account
        .import_certificate(&cert, &key, chain.as_deref(), input::text(input, "CertificateArn"), &tags(input))
        .map_err(aws)?;
    Ok(json!({ "CertificateArn": c.arn }))
}

/// ACM's `Type`.
fn kind(c: &Certificate) -> &'static str {
    if c.imported.is_some() {
        "IMPORTED"
    } else {
        "AMAZON_ISSUED"
    }
}

/// The certificate's key as ACM names it: an imported one's own, else the local CA's (ECDSA P-256).
fn key_algorithm(c: &Certificate) -> &str {
    c.imported.as_ref().map_or("EC_prime256v1", |i| i.key_algorithm.as_str())
}

/// `CertificateDetail`. AWS doc: "CertificateDetail". An imported
/// certificate reports what it holds; one the local CA issues, its
/// validation (done at once) and the CA's key and usages.
fn detail(a: &Account, c: &Certificate) -> Value {
    let in_use = a.certificate_users(&c.arn);
    let mut d = json!({
        "CertificateArn": c.arn, "DomainName": c.domain_name, "SubjectAlternativeNames": c.subject_alternative_names,
        "NotAfter": epoch_seconds(c.not_after), "Status": c.status.as_str(), "KeyAlgorithm": key_algorithm(c),
        "Type": kind(c), "InUseBy": in_use,
    });
    let more = match &c.imported {
        Some(i) => json!({
            "Serial": i.serial, "Subject": i.subject, "Issuer": i.issuer, "ImportedAt": epoch_seconds(c.created_at),
            "NotBefore": epoch_seconds(i.not_before), "RenewalEligibility": "INELIGIBLE",
        }),
        None => json!({
            "DomainValidationOptions": c.subject_alternative_names.iter().map(|n| json!({
                "DomainName": n, "ValidationDomain": n, "ValidationStatus": "SUCCESS", "ValidationMethod": c.validation_method,
            })).collect::<Vec<_>>(),
            "Subject": format!("CN={}", c.domain_name), "Issuer": "tasknet local CA",
            "CreatedAt": epoch_seconds(c.created_at), "IssuedAt": epoch_seconds(c.created_at),
            "NotBefore": epoch_seconds(c.created_at), "SignatureAlgorithm": "SHA256WITHECDSA",
            "RenewalEligibility": if in_use.is_empty() { "INELIGIBLE" } else { "ELIGIBLE" },
            "KeyUsages": [{"Name": "DIGITAL_SIGNATURE"}, {"Name": "KEY_ENCIPHERMENT"}],
            "ExtendedKeyUsages": [{"Name": "TLS_WEB_SERVER_AUTHENTICATION", "OID": "1.3.6.1.5.5.7.3.1"}],
            "Options": {"CertificateTransparencyLoggingPreference": "ENABLED"},
        }),
    };
    if let (Some(d), Value::Object(more)) = (d.as_object_mut(), more) {
        d.extend(more);
    }
    d
}

fn describe_certificate(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let c = r.account.certificate(arn(input)).map_err(aws)?;
    Ok(json!({ "Certificate": detail(r.account, c) }))
}

fn list_certificates(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let statuses = input::texts(input, "CertificateStatuses");
    let certs: Vec<&Certificate> = r
        .account
        .certificates
        .values()
        .filter(|c| statuses.is_empty() || statuses.iter().any(|s| s == c.status.as_str()))
        .collect();
    let bad = |m: String| WireError::bad("InvalidArgsException", m);
    let limits = pages::Limits { default: 1000, max: 1000 };
    let (page, next) =
        pages::page(&certs, input::text(input, "NextToken"), input::int(input, "MaxItems"), limits, bad)?;
    let items: Vec<Value> = page
        .iter()
        .map(|c| {
            json!({
                "CertificateArn": c.arn, "DomainName": c.domain_name,
                "SubjectAlternativeNameSummaries": c.subject_alternative_names, "Status": c.status.as_str(),
                "Type": kind(c), "KeyAlgorithm": key_algorithm(c), "InUse": !r.account.certificate_users(&c.arn).is_empty(),
                "CreatedAt": epoch_seconds(c.created_at), "IssuedAt": epoch_seconds(c.created_at),
                "NotAfter": epoch_seconds(c.not_after), "RenewalEligibility": "INELIGIBLE",
            })
        })
        .collect();
    Ok(json!({ "CertificateSummaryList": items, "NextToken": next }))
}

fn delete_certificate(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    w.session.account.delete_certificate(arn(input)).map_err(aws)?;
    Ok(json!({}))
}

fn list_tags_for_certificate(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let c = r.account.certificate(arn(input)).map_err(aws)?;
    let tags: Vec<Value> = c.tags.iter().map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    Ok(json!({ "Tags": tags }))
}
