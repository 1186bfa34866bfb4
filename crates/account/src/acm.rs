//! AWS Certificate Manager: public certificates the account requests, which
//! tasknet's local CA issues. AWS doc: "AWS Certificate Manager API Reference".
//!
//! On AWS a requested certificate waits in `PENDING_VALIDATION` until its
//! DNS (or email) validation is done. tasknet has no public DNS to validate
//! against: its local CA (`<state>/ca`, trusted by the tasks and functions
//! it runs) is the issuer, so a request is `ISSUED` at once. The key and
//! certificate themselves are made where they are served (a load balancer's
//! HTTPS listener under `up`), from the names recorded here.

use crate::{ids, Account, AwsService, ServiceError};
use serde::{Deserialize, Serialize};

/// A certificate's status (`CertificateStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CertificateStatus {
    /// Issued by the local CA.
    Issued,
}

impl CertificateStatus {
    /// AWS's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Issued => "ISSUED",
        }
    }
}

/// A certificate in the account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// `arn:aws:acm:REGION:ACCOUNT:certificate/UUID`.
    pub arn: String,
    /// The name it was requested for.
    pub domain_name: String,
    /// Every name it covers, the domain name first (as ACM lists them).
    pub subject_alternative_names: Vec<String>,
    /// `DNS` or `EMAIL`, as requested.
    pub validation_method: String,
    /// Its status.
    pub status: CertificateStatus,
    /// When it was requested and issued (account clock, ms).
    pub created_at: u64,
    /// The end of its validity (ms): 395 days on, as ACM's public certificates.
    pub not_after: u64,
    /// Its tags.
    #[serde(default)]
    pub tags: Vec<(String, String)>,
}

/// How long an issued certificate is valid. AWS doc "Managed certificate
/// renewal in AWS Certificate Manager": public certificates are valid for 395 days.
pub const VALIDITY_DAYS: u64 = 395;

fn err(code: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::new(AwsService::Acm, code, message)
}

/// Whether `name` is a domain name ACM takes: its model's pattern for
/// `DomainNameString` (labels of letters, digits and inner hyphens, at least
/// two, an optional leading `*.`), 1–253 characters.
pub fn is_domain_name(name: &str) -> bool {
    let bare = name.strip_prefix("*.").unwrap_or(name);
    let labels: Vec<&str> = bare.split('.').collect();
    (1..=253).contains(&name.len())
        && labels.len() >= 2
        && labels.iter().all(|l| {
            (1..=63).contains(&l.len())
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        })
}

impl Account {
    /// RequestCertificate: records a certificate for `domain_name` and
    /// `sans` (the domain name always among them), issued at once.
    pub fn request_certificate(
        &mut self,
        domain_name: &str,
        sans: &[String],
        validation_method: Option<&str>,
        tags: &[(String, String)],
    ) -> Result<Certificate, ServiceError> {
        // botocore's model for RequestCertificate: DomainName matches
        // DomainNameString's pattern; the message follows AWS's constraint-failure
        // form (the form is AWS's, this instance of it inferred).
        for (member, name) in std::iter::once(("domainName", domain_name))
            .chain(sans.iter().map(|s| ("subjectAlternativeNames", s.as_str())))
        {
            if !is_domain_name(name) {
                return Err(err(
                    "ValidationException",
                    format!("1 validation error detected: Value '{name}' at '{member}' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\*\\.)?(((?!-)[A-Za-z0-9-]{{0,62}}[A-Za-z0-9])\\.)+((?!-)[A-Za-z0-9-]{{1,62}}[A-Za-z0-9])"),
                ));
            }
        }
        let method = validation_method.unwrap_or("EMAIL");
        if method != "DNS" && method != "EMAIL" {
            return Err(err(
                "ValidationException",
                format!("1 validation error detected: Value '{method}' at 'validationMethod' failed to satisfy constraint: Member must satisfy enum value set: [EMAIL, DNS]"),
            ));
        }
        let mut names = vec![domain_name.to_string()];
        for s in sans {
            if !names.contains(s) {
                names.push(s.clone());
            }
        }
        let id = ids::uuid(self.next_words("acm-certificate"));
        let cert = Certificate {
            arn: format!("arn:aws:acm:{}:{}:certificate/{id}", self.region, self.account_id),
            domain_name: domain_name.to_string(),
            subject_alternative_names: names,
            validation_method: method.to_string(),
            status: CertificateStatus::Issued,
            created_at: self.clock_ms,
            not_after: self.clock_ms + VALIDITY_DAYS * 86_400_000,
            tags: tags.to_vec(),
        };
        self.certificates.insert(cert.arn.clone(), cert.clone());
        Ok(cert)
    }

    /// The certificate `arn` names. The text is recalled from ACM's answers, not verified.
    pub fn certificate(&self, arn: &str) -> Result<&Certificate, ServiceError> {
        self.certificates
            .get(arn)
            .ok_or_else(|| err("ResourceNotFoundException", format!("Could not find certificate {arn}.")))
    }

    /// The listeners whose certificates include `arn` (DescribeCertificate's `InUseBy` lists their load balancers).
    pub fn certificate_users(&self, arn: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .listeners
            .values()
            .filter(|l| l.certificates.iter().any(|c| c == arn))
            .map(|l| l.load_balancer_arn.clone())
            .collect();
        out.sort();
        out.dedup();
        out
    }

    /// DeleteCertificate: refused while a load balancer uses it (the text is inferred).
    pub fn delete_certificate(&mut self, arn: &str) -> Result<(), ServiceError> {
        self.certificate(arn)?;
        if let Some(user) = self.certificate_users(arn).first() {
            return Err(err("ResourceInUseException", format!("Certificate {arn} in use by {user}")));
        }
        self.certificates.remove(arn);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_names_follow_acms_pattern() {
        for ok in ["example.com", "*.example.com", "a-b.example.co.uk", "x1.y2"] {
            assert!(is_domain_name(ok), "{ok}");
        }
        for bad in ["", "localhost", "-a.example.com", "a-.example.com", "a..com", "*.*.example.com", "ex ample.com"] {
            assert!(!is_domain_name(bad), "{bad}");
        }
        assert!(!is_domain_name(&format!("{}.com", "a".repeat(64))));
    }

    #[test]
    fn a_request_is_issued_and_names_its_domain_first() {
        let mut a = Account::default();
        let c = a
            .request_certificate("www.example.com", &["example.com".into(), "www.example.com".into()], Some("DNS"), &[])
            .unwrap();
        assert!(c.arn.starts_with("arn:aws:acm:us-east-1:123456789012:certificate/"), "{}", c.arn);
        assert_eq!(c.subject_alternative_names, ["www.example.com", "example.com"]);
        assert_eq!((c.status, c.validation_method.as_str()), (CertificateStatus::Issued, "DNS"));
        assert_eq!(a.certificate(&c.arn).unwrap(), &c);
        let e = a.request_certificate("localhost", &[], None, &[]).unwrap_err();
        assert_eq!(e.code, "ValidationException");
        assert!(e.message.contains("Value 'localhost' at 'domainName'"), "{}", e.message);
        let e = a.request_certificate("example.com", &[], Some("SMS"), &[]).unwrap_err();
        assert!(e.message.contains("[EMAIL, DNS]"), "{}", e.message);
    }

    #[test]
    fn a_certificate_in_use_is_not_deleted_and_a_missing_one_is_not_found() {
        let mut a = Account::default();
        let c = a.request_certificate("example.com", &[], None, &[]).unwrap();
        a.listeners.insert(
            "l".into(),
            crate::Listener {
                listener_arn: "l".into(),
                load_balancer_arn: "lb".into(),
                port: 443,
                protocol: "HTTPS".into(),
                default_actions: Vec::new(),
                certificates: vec![c.arn.clone()],
                ssl_policy: None,
            },
        );
        assert_eq!(a.certificate_users(&c.arn), ["lb"]);
        assert_eq!(a.delete_certificate(&c.arn).unwrap_err().code, "ResourceInUseException");
        a.listeners.clear();
        a.delete_certificate(&c.arn).unwrap();
        let e = a.delete_certificate(&c.arn).unwrap_err();
        assert_eq!(
            (e.code.as_str(), e.message),
            ("ResourceNotFoundException", format!("Could not find certificate {}.", c.arn))
        );
    }
}
