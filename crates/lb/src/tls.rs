//! HTTPS listeners: the TLS versions a security policy allows, and the
//! server configuration that answers with the listener's certificate.
//!
//! AWS doc "Security policies for your Application Load Balancer": the
//! `ELBSecurityPolicy-TLS13-1-3-…` policies take TLS 1.3 only, the other
//! `…-TLS13-1-2-…` ones TLS 1.2 and 1.3, `…-TLS-1-2-…` and `…-FS-1-2-…`
//! TLS 1.2 only, and the older ones (`ELBSecurityPolicy-2016-08`,
//! `…-TLS-1-1-…`, `…-TLS13-1-0-…`, …) also TLS 1.0 and 1.1. rustls speaks
//! neither 1.0 nor 1.1, so those are served with what remains of them
//! (1.2, and 1.3 for the TLS13 ones): a client that only speaks 1.0 is
//! refused here where AWS would serve it.

use std::sync::Arc;
use tokio_rustls::rustls::{self, version, SupportedProtocolVersion};

/// The TLS versions of `policy` that rustls can speak.
pub fn versions(policy: &str) -> Vec<&'static SupportedProtocolVersion> {
    if policy.contains("TLS13-1-3") {
        vec![&version::TLS13]
    } else if policy.contains("TLS13") {
        vec![&version::TLS12, &version::TLS13]
    } else {
        vec![&version::TLS12]
    }
}

/// A server configuration answering with `chain` (PEM, the leaf first) and
/// `key` (PEM: PKCS#8, PKCS#1 or SEC1) in the versions of `policy`, HTTP/2 or HTTP/1.1 by ALPN.
pub fn server_config(
    provider: Arc<rustls::crypto::CryptoProvider>,
    chain_pem: &str,
    key_pem: &str,
    policy: &str,
) -> Result<Arc<rustls::ServerConfig>, rustls::Error> {
    use rustls::pki_types::pem::PemObject as _;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let pem_error = |e: rustls::pki_types::pem::Error| rustls::Error::General(format!("PEM: {e}"));
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(chain_pem.as_bytes()).collect::<Result<_, _>>().map_err(pem_error)?;
    let key = PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).map_err(pem_error)?;
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&versions(policy))?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    // HTTP/2 first, as the ALB offers it on HTTPS listeners; HTTP/1.1 otherwise.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_map_to_the_versions_rustls_has() {
        let names = |p: &str| versions(p).iter().map(|v| format!("{:?}", v.version)).collect::<Vec<_>>();
        assert_eq!(names("ELBSecurityPolicy-TLS13-1-3-2021-06"), ["TLSv1_3"]);
        assert_eq!(names("ELBSecurityPolicy-TLS13-1-2-2021-06"), ["TLSv1_2", "TLSv1_3"]);
        assert_eq!(names("ELBSecurityPolicy-TLS13-1-0-2021-06"), ["TLSv1_2", "TLSv1_3"]);
        assert_eq!(names("ELBSecurityPolicy-TLS-1-2-2017-01"), ["TLSv1_2"]);
        assert_eq!(names("ELBSecurityPolicy-2016-08"), ["TLSv1_2"]);
    }
}
