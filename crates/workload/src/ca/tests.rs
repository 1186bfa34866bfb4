use super::*;
use account::endpoints::host_matches;

#[test]
fn the_certificate_names_every_service_host_with_whole_label_wildcards() {
    let names = server_names("us-east-1");
    for expected in [
        "secretsmanager.us-east-1.amazonaws.com",
        "api.ecr.us-east-1.amazonaws.com",
        "*.dkr.ecr.us-east-1.amazonaws.com",
        "s3.us-east-1.amazonaws.com",
        "*.s3.us-east-1.amazonaws.com",
        "sts.amazonaws.com",
        "*.us-east-1.amazonaws.com",
        "*.secretsmanager.us-east-1.vpce.amazonaws.com",
        "*.api.ecr.us-east-1.vpce.amazonaws.com",
        "*.dkr.ecr.us-east-1.vpce.amazonaws.com",
    ] {
        assert!(names.iter().any(|n| n == expected), "{expected} missing from {names:?}");
    }
    for n in &names {
        let (first, rest) = n.split_once('.').unwrap_or((n, ""));
        assert!(!rest.contains('*'), "{n}");
        assert!(first == "*" || !first.contains('*'), "no partial-label wildcard: {n}");
    }
    // Every name a service answers to is covered (one-label wildcards, as clients match them).
    for host in [
        "ecs.us-east-1.amazonaws.com",
        "ecs-a-7.us-east-1.amazonaws.com",
        "ecs-t-2.us-east-1.amazonaws.com",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "my-bucket.s3.us-east-1.amazonaws.com",
        "logs.us-east-1.amazonaws.com",
        "vpce-0abc-1234.secretsmanager.us-east-1.vpce.amazonaws.com",
    ] {
        assert!(names.iter().any(|n| host_matches(n, host)), "{host} is not covered by {names:?}");
    }
    assert!(!names.iter().any(|n| n.contains("eu-west-1")));
    assert!(server_names("eu-west-1").iter().any(|n| n == "secretsmanager.eu-west-1.amazonaws.com"));
}

#[test]
fn the_ca_is_made_once_and_its_key_is_the_owners_only() {
    let dir = tempfile::tempdir().unwrap();
    let ca_dir = dir.path().join("ca");
    let ca = LocalCa::open_or_create(&ca_dir).unwrap();
    assert_eq!(ca.cert_path(), ca_dir.join(CA_CERT_FILE));
    let mode = |f: &str| std::fs::metadata(ca_dir.join(f)).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(CA_CERT_FILE), 0o644);
    assert_eq!(mode(CA_KEY_FILE), 0o600);
    assert!(ca.cert_pem().starts_with("-----BEGIN CERTIFICATE-----"));
    let again = LocalCa::open_or_create(&ca_dir).unwrap();
    assert_eq!(again.cert_pem(), ca.cert_pem(), "a later run reuses the CA");
    assert!(LocalCa::open_or_create(&dir.path().join("other")).unwrap().cert_pem() != ca.cert_pem());
}

#[test]
fn the_trust_variables_name_the_bundle() {
    let env = trust_env(Path::new("/s/ca/tasknet-ca.pem"));
    let names: Vec<&str> = env.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["AWS_CA_BUNDLE", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "NODE_EXTRA_CA_CERTS"]);
    assert!(env.iter().all(|(_, v)| v == "/s/ca/tasknet-ca.pem"));
}

/// A TLS client trusting only `ca` shakes hands with the server for `host`.
async fn handshake(ca: &LocalCa, config: Arc<rustls::ServerConfig>, host: &str) -> Result<(), String> {
    use rustls::pki_types::pem::PemObject as _;
    let mut roots = rustls::RootCertStore::empty();
    let der = rustls::pki_types::CertificateDer::from_pem_slice(ca.cert_pem().as_bytes()).map_err(|e| e.to_string())?;
    roots.add(der).map_err(|e| e.to_string())?;
    let client = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let (a, b) = tokio::io::duplex(64 << 10);
    let server = tokio::spawn(async move { tokio_rustls::TlsAcceptor::from(config).accept(b).await.map(|_| ()) });
    let name = rustls::pki_types::ServerName::try_from(host.to_string()).map_err(|e| e.to_string())?;
    let connected = tokio_rustls::TlsConnector::from(Arc::new(client)).connect(name, a).await;
    let _ = server.await;
    connected.map(|_| ()).map_err(|e| e.to_string())
}

#[tokio::test]
async fn clients_trusting_the_ca_accept_the_endpoints_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let ca = LocalCa::open_or_create(dir.path()).unwrap();
    let config = ca.server_config("us-east-1").unwrap();
    for host in [
        "secretsmanager.us-east-1.amazonaws.com",
        "123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "bucket.s3.us-east-1.amazonaws.com",
        "ecs-a-1.us-east-1.amazonaws.com",
    ] {
        handshake(&ca, config.clone(), host).await.unwrap_or_else(|e| panic!("{host}: {e}"));
    }
    let refused = handshake(&ca, config.clone(), "example.com").await;
    assert!(refused.is_err(), "a name the certificate lacks is refused");
    let stranger = LocalCa::open_or_create(&dir.path().join("stranger")).unwrap();
    let refused = handshake(&stranger, config, "secretsmanager.us-east-1.amazonaws.com").await;
    assert!(refused.is_err(), "a client trusting another CA refuses it");
}
