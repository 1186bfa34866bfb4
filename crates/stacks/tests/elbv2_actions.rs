//! Listener and rule actions that answer themselves (fixed-response,
//! redirect) keep their settings when CloudFormation makes them, as
//! CreateListener and CreateRule keep them, so the load balancer's proxy
//! answers them instead of a 503.

use account::Account;
use stacks::StackInput;
use std::path::Path;

#[test]
fn fixed_response_and_redirect_settings_are_recorded() {
    let input = StackInput {
        template_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/elbv2/actions.yml"),
        stack_name: "web".into(),
        ..StackInput::default()
    };
    let analysis = stacks::analyze(&input, &Account::default()).expect("analyzed");
    assert!(!analysis.has_errors(), "{:#?}", analysis.diagnostics);
    let a = &analysis.plan.account;
    let listener = a.listeners.values().next().expect("listener");
    let action = &listener.default_actions[0];
    assert_eq!(action.action_type, "fixed-response");
    assert_eq!(
        action.config,
        Some(
            serde_json::json!({"FixedResponseConfig": {"StatusCode": "404", "ContentType": "text/plain", "MessageBody": "nothing here"}})
        )
    );
    let rule = a.listener_rules.values().next().expect("rule");
    assert_eq!(
        rule.actions[0].config,
        Some(serde_json::json!({"RedirectConfig": {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}))
    );
}

fn analyze(fixture: &str) -> stacks::Analysis {
    let input = StackInput {
        template_path: Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/elbv2").join(fixture),
        stack_name: "web".into(),
        ..StackInput::default()
    };
    stacks::analyze(&input, &Account::default()).expect("analyzed")
}

#[test]
fn an_https_listener_keeps_the_stacks_certificate_and_policy() {
    let analysis = analyze("https.yml");
    assert!(!analysis.has_errors(), "{:#?}", analysis.diagnostics);
    let a = &analysis.plan.account;
    let cert = a.certificates.values().next().expect("a certificate");
    assert_eq!(cert.subject_alternative_names, ["app.example.com", "www.example.com"]);
    assert_eq!(cert.status, account::acm::CertificateStatus::Issued);
    let listener = a.listeners.values().next().expect("listener");
    assert_eq!((listener.protocol.as_str(), listener.port), ("HTTPS", 443));
    assert_eq!(listener.certificates, std::slice::from_ref(&cert.arn));
    assert_eq!(listener.ssl_policy.as_deref(), Some("ELBSecurityPolicy-TLS13-1-2-2021-06"));
    assert_eq!(a.certificate_users(&cert.arn), std::slice::from_ref(&listener.load_balancer_arn));
}

#[test]
fn an_https_listener_without_a_certificate_is_refused_at_its_protocol() {
    let analysis = analyze("https-without-certificate.yml");
    let d = analysis.diagnostics.iter().find(|d| d.message.contains("certificate")).expect("a finding");
    assert_eq!(d.message, "A certificate must be specified for HTTPS listeners");
    assert_eq!(d.path, "Resources/Listener/Properties/Protocol", "{d:#?}");
}
