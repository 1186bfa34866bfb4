//! EC2 through the server's front door: signed form requests to
//! `wire::server::State`, answers read from EC2's XML.

use std::sync::Arc;
use wire::dispatch::{HttpRequest, HttpResponse};
use wire::server::State;
use wire::sigv4::{self, Credential, Request};

/// A fresh state folder, removed when the test ends.
struct Folder(std::path::PathBuf);

impl Drop for Folder {
    fn drop(&mut self) {
        // Best effort: a leftover folder in the temp dir harms nothing.
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A server on a fresh state folder.
fn server() -> (Arc<State>, Folder) {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let dir = std::env::temp_dir().join(format!("tasknet-wire-ec2-{}-{n}", std::process::id()));
    let config = wire::Config::new(([127, 0, 0, 1], 0).into(), Some(dir.clone()));
    (State::open(&config).unwrap_or_else(|e| panic!("{e}")), Folder(dir))
}

/// Sends EC2 `action` with form `params`, signed with the default key.
fn call(state: &Arc<State>, action: &str, params: &[(&str, &str)]) -> HttpResponse {
    let mut body = format!("Action={action}&Version=2016-11-15");
    for (k, v) in params {
        body.push_str(&format!("&{k}={}", v.replace('/', "%2F")));
    }
    let iso = wire::time::iso(runtime::clock::wall_clock_ms());
    let amz_date: String = format!("{}Z", &iso[..19]).chars().filter(|c| *c != '-' && *c != ':').collect();
    let cred = Credential {
        access_key: "test".into(),
        date: amz_date[..8].to_string(),
        region: "us-east-1".into(),
        service: "ec2".into(),
    };
    let headers = vec![
        ("host".to_string(), "127.0.0.1".to_string()),
        ("content-type".to_string(), "application/x-www-form-urlencoded; charset=utf-8".to_string()),
    ];
    let req = Request { method: "POST", path: "/", query: "", headers: &headers, body: body.as_bytes() };
    let (date, auth) = sigv4::sign(&req, &cred, "test", &amz_date);
    let mut headers = headers.clone();
    headers.push(("x-amz-date".into(), date));
    headers.push(("authorization".into(), auth));
    state.handle(&HttpRequest {
        method: "POST".into(),
        path: "/".into(),
        query: String::new(),
        headers,
        body: body.into_bytes(),
    })
}

/// The text of the first `<tag>` in `xml`.
fn first(xml: &str, tag: &str) -> String {
    let open = format!("<{tag}>");
    xml.split_once(&open)
        .and_then(|(_, rest)| rest.split_once(&format!("</{tag}>")))
        .map(|(v, _)| v.to_string())
        .unwrap_or_else(|| panic!("no <{tag}> in {xml}"))
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
