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
