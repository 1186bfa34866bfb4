use super::*;
use account::Ipv4Cidr;

fn cidr(s: &str) -> Ipv4Cidr {
    Ipv4Cidr::parse(s).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn rules_group_by_protocol_and_ports() {
    let account = Account::empty("111122223333", "us-east-1");
    let rules = vec![
        SecurityGroupRule::tcp(80, 80, Peer::Cidr(cidr("10.0.0.0/16"))),
        SecurityGroupRule::tcp(443, 443, Peer::Cidr(cidr("0.0.0.0/0"))),
        SecurityGroupRule::tcp(80, 80, Peer::SecurityGroup("sg-0123456789abcdef0".into())),
        SecurityGroupRule::all_to_cidr(cidr("0.0.0.0/0")),
    ];
    let p = permissions_json(&account, &rules);
    assert_eq!(p.len(), 3);
    let p = prune(Value::Array(p));
    assert_eq!(
        p[0],
        json!({
            "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
            "UserIdGroupPairs": [{"UserId": "111122223333", "GroupId": "sg-0123456789abcdef0"}],
            "IpRanges": [{"CidrIp": "10.0.0.0/16"}], "Ipv6Ranges": [], "PrefixListIds": []
        })
    );
    assert_eq!(
        p[2],
        json!({"IpProtocol": "-1", "UserIdGroupPairs": [], "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": []})
    );
}
