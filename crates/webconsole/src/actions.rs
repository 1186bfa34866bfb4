//! What a user does from the console, each through the API's own operation
//! (the same one `aws ecs update-service` or `aws ec2
//! revoke-security-group-ingress` calls), as the holder of the session's key:
//! scale a service, force a new deployment, stop a task, authorize or revoke
//! a security group rule. The outcome (or AWS's refusal, code and message)
//! is shown on the page the form came from.

use crate::auth::{Flash, Refusal};
use crate::html::{field, form_pairs};
use crate::{Console, Host, Request, Response};
use serde_json::{json, Value};

/// What one action calls: the API's service, operation and input, and what to say when it worked.
struct Call {
    service: &'static str,
    operation: &'static str,
    input: Value,
    done: String,
}

/// The reason ECS records for a task the console stopped (StopTask's `reason`, shown in the task's stopped reason).
pub const STOP_REASON: &str = "Task stopped from the tasknet console";

/// Performs the action `name` from a form POSTed by a logged-in session.
pub fn perform(console: &Console, host: &dyn Host, req: &Request<'_>, name: &str) -> Response {
    let form = form_pairs(&String::from_utf8_lossy(req.body));
    let (token, session) = match console.sessions().check_change(req, field(&form, "csrf")) {
        Ok(s) => s,
        Err(Refusal::NotLoggedIn) => return Response::text(401, "Log in to the tasknet console first."),
        Err(Refusal::Forged) => {
            return Response::text(
                403,
                "This form did not come from this console (its token or origin is not this session's).",
            )
        }
    };
    let back = back_to(field(&form, "back"));
    let call = match call_for(name, &form) {
        Ok(c) => c,
        Err(why) => {
            console.sessions().set_flash(&token, Flash { error: true, text: why });
            return Response::see_other(&back);
        }
    };
    let flash = match host.call(&session.access_key, call.service, call.operation, call.input) {
        Ok(_) => Flash { error: false, text: call.done },
        Err(e) => Flash { error: true, text: format!("{} refused: {}: {}", call.operation, e.code, e.message) },
    };
    console.sessions().set_flash(&token, flash);
    Response::see_other(&back)
}

/// Where to go after the action: the form's page when it is the console's, else the overview.
fn back_to(back: Option<&str>) -> String {
    match back {
        // Only a path of this console: never an address another site could make a form send people to.
        Some(b) if b.starts_with("/_console/") && !b.contains("//") && !b.contains('\\') => b.to_string(),
        _ => format!("{}/", crate::PREFIX),
    }
}

fn need<'a>(form: &'a [(String, String)], name: &str) -> Result<&'a str, String> {
    field(form, name).map(str::trim).filter(|v| !v.is_empty()).ok_or_else(|| format!("The form lacks its {name}."))
}

/// The operation an action calls, from its form's fields.
fn call_for(name: &str, form: &[(String, String)]) -> Result<Call, String> {
    match name {
        "scale-service" => {
            let (cluster, service) = (need(form, "cluster")?, need(form, "service")?);
            let raw = need(form, "desired")?;
            let desired: i64 =
                raw.parse().map_err(|_| format!("The desired count must be a whole number, not {raw:?}."))?;
            Ok(Call {
                service: "ecs",
                operation: "UpdateService",
                input: json!({"cluster": cluster, "service": service, "desiredCount": desired}),
                done: format!("Service {service}: desired count set to {desired}."),
            })
        }
        "force-deployment" => {
            let (cluster, service) = (need(form, "cluster")?, need(form, "service")?);
            Ok(Call {
                service: "ecs",
                operation: "UpdateService",
                input: json!({"cluster": cluster, "service": service, "forceNewDeployment": true}),
                done: format!("Service {service}: a new deployment started."),
            })
        }
        "stop-task" => {
            let (cluster, task) = (need(form, "cluster")?, need(form, "task")?);
            Ok(Call {
                service: "ecs",
                operation: "StopTask",
                input: json!({"cluster": cluster, "task": task, "reason": STOP_REASON}),
                done: format!("Task {} is stopping.", task.rsplit('/').next().unwrap_or(task)),
            })
        }
        "revoke-rule" => {
            let (group, rule) = (need(form, "group")?, need(form, "rule")?);
            let egress = field(form, "direction") == Some("egress");
            Ok(Call {
                service: "ec2",
                operation: if egress { "RevokeSecurityGroupEgress" } else { "RevokeSecurityGroupIngress" },
                input: json!({"GroupId": group, "SecurityGroupRuleIds": [rule]}),
                done: format!("Rule {rule} revoked from {group}."),
            })
        }
        "authorize-rule" => authorize(form),
        _ => Err(format!("The console has no action {name:?}.")),
    }
}

/// AuthorizeSecurityGroupIngress/Egress with one permission: a protocol, a
/// port range and one peer (a CIDR block, a security group or a prefix list).
fn authorize(form: &[(String, String)]) -> Result<Call, String> {
    let group = need(form, "group")?;
    let egress = field(form, "direction") == Some("egress");
    let protocol = need(form, "protocol")?;
    let peer = need(form, "peer")?;
    let port = |name: &str| -> Result<Option<i64>, String> {
        match field(form, name).map(str::trim).filter(|v| !v.is_empty()) {
            None => Ok(None),
            Some(v) => v.parse().map(Some).map_err(|_| format!("The {name} must be a whole number, not {v:?}.")),
        }
    };
    let (from, to) = (port("from_port")?, port("to_port")?);
    let mut permission = json!({"IpProtocol": protocol});
    if let Some(f) = from {
        permission["FromPort"] = json!(f);
    }
    if let Some(t) = to.or(from) {
        permission["ToPort"] = json!(t);
    }
    let description = field(form, "description").map(str::trim).filter(|d| !d.is_empty());
    let mut p = if peer.starts_with("sg-") {
        ("UserIdGroupPairs", json!({"GroupId": peer}))
    } else if peer.starts_with("pl-") {
        ("PrefixListIds", json!({"PrefixListId": peer}))
    } else if peer.contains(':') {
        ("Ipv6Ranges", json!({"CidrIpv6": peer}))
    } else {
        ("IpRanges", json!({"CidrIp": peer}))
    };
    if let Some(d) = description {
        p.1["Description"] = json!(d);
    }
    permission[p.0] = json!([p.1]);
    Ok(Call {
        service: "ec2",
        operation: if egress { "AuthorizeSecurityGroupEgress" } else { "AuthorizeSecurityGroupIngress" },
        input: json!({"GroupId": group, "IpPermissions": [permission]}),
        done: format!("Rule authorized on {group}: {protocol} {} {peer}.", if egress { "to" } else { "from" }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn scaling_is_update_service_with_the_desired_count() {
        let c =
            call_for("scale-service", &form(&[("cluster", "c"), ("service", "s"), ("desired", "3")])).expect("call");
        assert_eq!((c.service, c.operation), ("ecs", "UpdateService"));
        assert_eq!(c.input, json!({"cluster": "c", "service": "s", "desiredCount": 3}));
        assert!(call_for("scale-service", &form(&[("cluster", "c"), ("service", "s"), ("desired", "x")])).is_err());
    }

    #[test]
    fn a_rule_from_a_group_is_a_group_pair_and_one_port_is_both_ends() {
        let c = call_for(
            "authorize-rule",
            &form(&[("group", "sg-1"), ("protocol", "tcp"), ("from_port", "8000"), ("peer", "sg-2")]),
        )
        .expect("call");
        assert_eq!(c.operation, "AuthorizeSecurityGroupIngress");
        assert_eq!(
            c.input,
            json!({"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8000,
                "UserIdGroupPairs": [{"GroupId": "sg-2"}]}]})
        );
    }

    #[test]
    fn revoking_names_the_rule_and_its_direction() {
        let c = call_for("revoke-rule", &form(&[("group", "sg-1"), ("rule", "sgr-9"), ("direction", "egress")]))
            .expect("call");
        assert_eq!(c.operation, "RevokeSecurityGroupEgress");
        assert_eq!(c.input, json!({"GroupId": "sg-1", "SecurityGroupRuleIds": ["sgr-9"]}));
    }

    #[test]
    fn only_console_paths_are_gone_back_to() {
        assert_eq!(back_to(Some("/_console/sg/sg-1")), "/_console/sg/sg-1");
        assert_eq!(back_to(Some("https://evil.example/")), "/_console/");
        assert_eq!(back_to(Some("/_console//evil.example")), "/_console/");
        assert_eq!(back_to(None), "/_console/");
    }

    #[test]
    fn unknown_actions_are_refused_by_name() {
        assert!(call_for("delete-everything", &[]).is_err());
    }
}
