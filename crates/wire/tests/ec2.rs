//! EC2 through the server's front door: signed form requests to
//! `wire::server::State`, answers read from EC2's XML.

mod support;

use std::sync::Arc;
use support::Folder;
use wire::dispatch::HttpResponse;
use wire::server::State;

/// A server on a fresh state folder.
fn server() -> (Arc<State>, Folder) {
    support::server("ec2")
}

/// Sends EC2 `action` with form `params`, signed with the default key.
fn call(state: &Arc<State>, action: &str, params: &[(&str, &str)]) -> HttpResponse {
    support::action(state, "ec2", "2016-11-15", action, params)
}

/// The text of the first `<tag>` in `xml`.
fn first(xml: &str, tag: &str) -> String {
    support::tag(xml, tag).map(str::to_string).unwrap_or_else(|| panic!("no <{tag}> in {xml}"))
}

#[test]
fn many_distinct_rules_are_each_listed_and_a_repeat_is_a_duplicate() {
    let (s, _folder) = server();
    let vpc = first(&call(&s, "CreateVpc", &[("CidrBlock", "10.1.0.0/16")]).body, "vpcId");
    let created =
        call(&s, "CreateSecurityGroup", &[("GroupName", "many"), ("GroupDescription", "many"), ("VpcId", &vpc)]);
    assert_eq!(created.status, 200, "{}", created.body);
    let sg = first(&created.body, "groupId");
    for port in 2000..2040 {
        let p = port.to_string();
        let params = [
            ("GroupId", sg.as_str()),
            ("IpPermissions.1.IpProtocol", "tcp"),
            ("IpPermissions.1.FromPort", p.as_str()),
            ("IpPermissions.1.ToPort", p.as_str()),
            ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"),
        ];
        let r = call(&s, "AuthorizeSecurityGroupIngress", &params);
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let again = [
        ("GroupId", sg.as_str()),
        ("IpPermissions.1.IpProtocol", "tcp"),
        ("IpPermissions.1.FromPort", "2010"),
        ("IpPermissions.1.ToPort", "2010"),
        ("IpPermissions.1.IpRanges.1.CidrIp", "10.0.0.0/8"),
    ];
    let dup = call(&s, "AuthorizeSecurityGroupIngress", &again);
    assert_eq!(dup.status, 400);
    assert_eq!(first(&dup.body, "Code"), "InvalidPermission.Duplicate");
    assert_eq!(
        first(&dup.body, "Message"),
        "the specified rule &quot;peer: 10.0.0.0/8, TCP, from port: 2010, to port: 2010, ALLOW&quot; already exists"
    );
    let listed = call(&s, "DescribeSecurityGroupRules", &[("Filter.1.Name", "group-id"), ("Filter.1.Value.1", &sg)]);
    for port in 2000..2040 {
        assert!(listed.body.contains(&format!("<fromPort>{port}</fromPort>")), "port {port} in {}", listed.body);
    }
    // 40 ingress rules and the allow-all egress rule, in pages of 10.
    let mut token = String::new();
    let mut count = 0;
    loop {
        let mut p = vec![("Filter.1.Name", "group-id"), ("Filter.1.Value.1", sg.as_str()), ("MaxResults", "10")];
        if !token.is_empty() {
            p.push(("NextToken", token.as_str()));
        }
        let page = call(&s, "DescribeSecurityGroupRules", &p).body;
        count += page.matches("<securityGroupRuleId>").count();
        if !page.contains("<nextToken>") {
            break;
        }
        token = first(&page, "nextToken");
    }
    assert_eq!(count, 41);
}

#[test]
fn unknown_ids_are_ec2s_not_found_errors() {
    let (s, _folder) = server();
    let r = call(&s, "DescribeVpcs", &[("VpcId.1", "vpc-1")]);
    assert_eq!((r.status, first(&r.body, "Code").as_str()), (400, "InvalidVpcID.NotFound"));
    assert_eq!(first(&r.body, "Message"), "The vpc ID &apos;vpc-1&apos; does not exist");
    let r = call(&s, "DeleteSecurityGroup", &[("GroupId", "sg-1")]);
    assert_eq!(first(&r.body, "Code"), "InvalidGroup.NotFound");
}
