//! tasknet's local certificate authority: what lets a task's SDK talk HTTPS
//! to `secretsmanager.us-east-1.amazonaws.com` on the emulated internet with
//! its defaults unchanged, except for trusting this CA.
//!
//! The CA is made once per state folder (`<state>/ca/tasknet-ca.pem`, world
//! readable, its key `tasknet-ca.key` beside it readable by the owner only)
//! and reused by later runs, so a bundle copied out of it stays valid. Each
//! `up` issues one server certificate signed by it that carries every name of
//! [`account::endpoints::SERVICES`] in the account's region
//! ([`server_names`]); its key lives in memory only.

use account::endpoints::SERVICES;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use std::collections::BTreeSet;
use std::io;
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio_rustls::rustls;

/// The CA certificate's file name in its folder.
pub const CA_CERT_FILE: &str = "tasknet-ca.pem";
/// The CA key's file name in its folder.
pub const CA_KEY_FILE: &str = "tasknet-ca.key";
/// The CA's common name (also how a leaf names its issuer, so it never changes).
const CA_NAME: &str = "tasknet local CA";

/// Errors making or loading the CA or a certificate.
#[derive(Debug, thiserror::Error)]
pub enum CaError {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    File {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// rcgen refused (a bad name, a key it cannot read).
    #[error("certificate: {0}")]
    Certificate(#[from] rcgen::Error),
    /// rustls refused the certificate or key.
    #[error("TLS: {0}")]
    Tls(#[from] rustls::Error),
}

fn file_error(path: &Path) -> impl FnOnce(io::Error) -> CaError + '_ {
    move |source| CaError::File { path: path.to_path_buf(), source }
}

/// The local CA of one state folder.
pub struct LocalCa {
    cert_path: PathBuf,
    cert_pem: String,
    key: KeyPair,
}

impl std::fmt::Debug for LocalCa {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LocalCa").field("cert_path", &self.cert_path).finish_non_exhaustive()
    }
}

/// The CA's parameters. A leaf's issuer name comes from these, so they must
/// stay the same for a CA made by an earlier run.
fn ca_params(days: i64) -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, CA_NAME);
    dn.push(DnType::OrganizationName, "tasknet");
    params.distinguished_name = dn;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    validity(&mut params, days);
    params
}

/// From a day ago (clocks differ a little) to `days` ahead.
fn validity(params: &mut CertificateParams, days: i64) {
    let now = time::OffsetDateTime::now_utc();
    params.not_before = now - time::Duration::days(1);
    params.not_after = now + time::Duration::days(days);
}

impl LocalCa {
    /// The CA in `dir` (`<state>/ca`), made there on first use.
    pub fn open_or_create(dir: &Path) -> Result<LocalCa, CaError> {
        let cert_path = dir.join(CA_CERT_FILE);
        let key_path = dir.join(CA_KEY_FILE);
        if cert_path.is_file() && key_path.is_file() {
            let cert_pem = std::fs::read_to_string(&cert_path).map_err(file_error(&cert_path))?;
            let key_pem = std::fs::read_to_string(&key_path).map_err(file_error(&key_path))?;
            let key = KeyPair::from_pem(&key_pem)?;
            return Ok(LocalCa { cert_path, cert_pem, key });
        }
        std::fs::create_dir_all(dir).map_err(file_error(dir))?;
        let key = KeyPair::generate()?;
        let cert_pem = ca_params(3650).self_signed(&key)?.pem();
        // The key first, owner-only from its creation; the certificate last,
        // so a certificate on disk always has its key beside it.
        write_new(&key_path, key.serialize_pem().as_bytes(), 0o600)?;
        write_new(&cert_path, cert_pem.as_bytes(), 0o644)?;
        Ok(LocalCa { cert_path, cert_pem, key })
    }

    /// The CA certificate's file, for `AWS_CA_BUNDLE` and the like.
    pub fn cert_path(&self) -> &Path {
        &self.cert_path
    }

    /// The CA certificate (PEM).
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// A server certificate for `names`, signed by the CA: (certificate PEM, key).
    pub fn issue(&self, names: &[String]) -> Result<(String, KeyPair), CaError> {
        let mut params = CertificateParams::new(names.to_vec())?;
        let mut dn = DistinguishedName::new();
        dn.push(DnType::CommonName, names.first().map_or("tasknet", String::as_str));
        params.distinguished_name = dn;
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        // OpenSSL's strict mode (Python 3.13's default) wants the issuer's key ID.
        params.use_authority_key_identifier_extension = true;
        validity(&mut params, 397);
        let key = KeyPair::generate()?;
        let issuer = Issuer::new(ca_params(3650), &self.key);
        Ok((params.signed_by(&key, &issuer)?.pem(), key))
    }

    /// A TLS server configuration answering with a certificate for every
    /// service name of `region` (HTTP/1.1 only: the wire endpoint speaks it).
    pub fn server_config(&self, region: &str) -> Result<Arc<rustls::ServerConfig>, CaError> {
        self.server_config_for(&server_names(region))
    }

    /// A TLS server configuration answering with a certificate for `names`
    /// (DNS names, or IP addresses as text), HTTP/1.1 only.
    pub fn server_config_for(&self, names: &[String]) -> Result<Arc<rustls::ServerConfig>, CaError> {
        use rustls::pki_types::pem::PemObject as _;
        use rustls::pki_types::CertificateDer;
        let (cert_pem, key) = self.issue(names)?;
        let pem_error = |e: rustls::pki_types::pem::Error| rustls::Error::General(format!("PEM: {e}"));
        let leaf = CertificateDer::from_pem_slice(cert_pem.as_bytes()).map_err(pem_error)?;
        let ca = CertificateDer::from_pem_slice(self.cert_pem.as_bytes()).map_err(pem_error)?;
        let key = rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into());
        let mut config = rustls::ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()?
            .with_no_client_auth()
            .with_single_cert(vec![leaf, ca], key)?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

/// The crypto provider of every TLS configuration here: *ring*, which rustls
/// deprecated for its lack of post-quantum key exchange. That does not matter
/// on an emulated network, and *ring* builds in a fraction of aws-lc-rs's time.
#[allow(deprecated)]
pub fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// Writes a new file with `mode` from its creation (never a moment more open).
fn write_new(path: &Path, bytes: &[u8], mode: u32) -> Result<(), CaError> {
    use std::io::Write as _;
    let _ = std::fs::remove_file(path);
    let mut f =
        std::fs::OpenOptions::new().write(true).create_new(true).mode(mode).open(path).map_err(file_error(path))?;
    f.write_all(bytes).map_err(file_error(path))?;
    // The umask may have narrowed the mode; the certificate must be world readable.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(file_error(path))
}

/// Every name the endpoint's certificate carries for `region`: each service
/// hostname as written, its `*.` patterns as certificate wildcards (one
/// label, as DNS answers them), and, for each interface service, the
/// `vpce.amazonaws.com` names of its endpoints (`*.<service
/// labels>.<region>.vpce.amazonaws.com`, the labels as its public hostname has
/// them: `api.ecr`, `dkr.ecr`; inferred from the public form).
///
/// A pattern such as `ecs-a-*` (any first label starting `ecs-a-`) cannot be
/// a certificate wildcard (clients refuse partial-label wildcards), so it is
/// covered by `*.<region>.amazonaws.com`, which matches exactly one label
/// there as well.
pub fn server_names(region: &str) -> Vec<String> {
    let mut names = BTreeSet::new();
    let regional = format!(".{region}.amazonaws.com");
    for s in SERVICES {
        for host in s.hostnames(region) {
            let Some((first, rest)) = host.split_once('.') else { continue };
            if first != "*" && first.ends_with('*') {
                names.insert(format!("*.{rest}"));
            } else {
                names.insert(host.clone());
            }
            if !s.interface {
                continue;
            }
            let labels = host.strip_suffix(&regional).map(|l| l.strip_prefix("*.").unwrap_or(l));
            if let Some(labels) = labels.filter(|l| !l.contains('*')) {
                names.insert(format!("*.{labels}.{region}.vpce.amazonaws.com"));
            }
        }
    }
    names.into_iter().collect()
}

/// The variables that make a process trust the CA at `ca_path`: the AWS
/// SDKs' and CLI's bundle (`AWS_CA_BUNDLE`), OpenSSL's (`SSL_CERT_FILE`),
/// Python requests' (`REQUESTS_CA_BUNDLE`) and Node's (`NODE_EXTRA_CA_CERTS`).
pub fn trust_env(ca_path: &Path) -> Vec<(String, String)> {
    let path = ca_path.display().to_string();
    ["AWS_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"]
        .iter()
        .map(|k| (k.to_string(), path.clone()))
        .collect()
}

#[cfg(test)]
mod tests;
