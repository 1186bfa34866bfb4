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
    /// An imported certificate's own material (`None`: issued by the local CA).
    #[serde(default)]
    pub imported: Option<Imported>,
}

/// What ImportCertificate was given, kept to be served as given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Imported {
    /// The certificate (PEM).
    pub certificate_pem: String,
    /// Its chain (PEM), if given.
    pub chain_pem: Option<String>,
    /// Its private key (PEM).
    pub private_key_pem: String,
    /// The start of its validity (ms).
    pub not_before: u64,
    /// Its key as ACM names it (`RSA_2048`, `EC_prime256v1`, …).
    pub key_algorithm: String,
    /// Its serial number, colon-separated hex.
    pub serial: String,
    /// Its subject and issuer as text.
    pub subject: String,
    /// Its issuer.
    pub issuer: String,
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
            imported: None,
        };
        self.certificates.insert(cert.arn.clone(), cert.clone());
        Ok(cert)
    }

    /// ImportCertificate: a certificate and key of the user's own, served as
    /// given. Reimporting into `arn` keeps the ARN. The refusals' texts are
    /// tasknet's own (ACM's are not recorded here); their code is ACM's.
    pub fn import_certificate(
        &mut self,
        certificate_pem: &str,
        private_key_pem: &str,
        chain_pem: Option<&str>,
        arn: Option<&str>,
        tags: &[(String, String)],
    ) -> Result<Certificate, ServiceError> {
        let bad = |m: &str| err("ValidationException", m);
        let blocks: Vec<x509_parser::pem::Pem> = x509_parser::pem::Pem::iter_from_buffer(certificate_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|_| bad("The certificate is not valid PEM."))?;
        let [pem] = blocks.as_slice() else {
            return Err(bad("The certificate field must contain exactly one certificate."));
        };
        let (_, x509) =
            x509_parser::parse_x509_certificate(&pem.contents).map_err(|_| bad("Could not parse the certificate."))?;
        if !private_key_pem.contains("PRIVATE KEY-----") {
            return Err(bad("The private key is not a PEM private key."));
        }
        let cn = x509.subject().iter_common_name().next().and_then(|c| c.as_str().ok()).map(str::to_string);
        let mut names: Vec<String> = cn.iter().cloned().collect();
        if let Ok(Some(san)) = x509.subject_alternative_name() {
            for n in &san.value.general_names {
                if let x509_parser::extensions::GeneralName::DNSName(d) = n {
                    if !names.iter().any(|x| x == d) {
                        names.push(d.to_string());
                    }
                }
            }
        }
        let Some(domain) = names.first().cloned() else {
            return Err(bad("The certificate names no domain (no common name, no DNS name)."));
        };
        let ms = |t: i64| u64::try_from(t).unwrap_or(0).saturating_mul(1000);
        let key = x509.public_key().parsed().map_or_else(
            |_| "RSA_2048".to_string(),
            |k| match k {
                x509_parser::public_key::PublicKey::EC(_) if k.key_size() > 256 => format!("EC_secp{}r1", k.key_size()),
                x509_parser::public_key::PublicKey::EC(_) => "EC_prime256v1".to_string(),
                _ => format!("RSA_{}", k.key_size()),
            },
        );
        let imported = Imported {
            certificate_pem: certificate_pem.to_string(),
            chain_pem: chain_pem.map(str::to_string),
            private_key_pem: private_key_pem.to_string(),
            not_before: ms(x509.validity().not_before.timestamp()),
            key_algorithm: key,
            serial: x509.raw_serial_as_string(),
            subject: x509.subject().to_string(),
            issuer: x509.issuer().to_string(),
        };
        let arn = match arn {
            Some(a) => {
                self.certificate(a)?;
                a.to_string()
            }
            None => {
                let id = ids::uuid(self.next_words("acm-certificate"));
                format!("arn:aws:acm:{}:{}:certificate/{id}", self.region, self.account_id)
            }
        };
        let cert = Certificate {
            arn: arn.clone(),
            domain_name: domain,
            subject_alternative_names: names,
            validation_method: String::new(),
            status: CertificateStatus::Issued,
            created_at: self.clock_ms,
            not_after: ms(x509.validity().not_after.timestamp()),
            tags: tags.to_vec(),
            imported: Some(imported),
        };
        self.certificates.insert(arn, cert.clone());
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

    #[test]
    fn an_imported_certificate_keeps_its_names_dates_key_and_material() {
        let mut params =
            rcgen::CertificateParams::new(vec!["imported.example.com".to_string(), "alt.example.com".to_string()])
                .unwrap();
        params.distinguished_name.push(rcgen::DnType::CommonName, "imported.example.com");
        let key = rcgen::KeyPair::generate().unwrap();
        let cert = params.self_signed(&key).unwrap();
        let mut a = Account::default();
        let c = a.import_certificate(&cert.pem(), &key.serialize_pem(), None, None, &[]).unwrap();
        assert_eq!(c.subject_alternative_names, ["imported.example.com", "alt.example.com"]);
        assert_eq!(c.domain_name, "imported.example.com");
        let i = c.imported.as_ref().unwrap();
        assert_eq!(i.key_algorithm, "EC_prime256v1");
        assert!(c.not_after > i.not_before, "{c:?}");
        assert!(i.subject.contains("imported.example.com"), "{}", i.subject);
        // Reimported into the same ARN.
        let again = a.import_certificate(&cert.pem(), &key.serialize_pem(), None, Some(&c.arn), &[]).unwrap();
        assert_eq!((again.arn.as_str(), a.certificates.len()), (c.arn.as_str(), 1));
        for (pem, key_pem) in
            [("not a certificate".to_string(), key.serialize_pem()), (cert.pem(), "no key".to_string())]
        {
            let e = a.import_certificate(&pem, &key_pem, None, None, &[]).unwrap_err();
            assert_eq!(e.code, "ValidationException", "{}", e.message);
        }
        let two = format!("{}{}", cert.pem(), cert.pem());
        assert!(a
            .import_certificate(&two, &key.serialize_pem(), None, None, &[])
            .unwrap_err()
            .message
            .contains("exactly one"));
    }
}
