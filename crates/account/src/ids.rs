//! AWS-format IDs, ARNs, MAC addresses and DNS names.
//!
//! Every generated value comes from a hash of (account, region, counter,
//! purpose), where the counter lives in the account. The same account state
//! therefore always produces the same IDs, which keeps plans and snapshots
//! reproducible, while IDs still look like AWS's random ones.

use std::net::Ipv4Addr;

/// ID prefixes AWS uses for EC2 resources (facts: prefix + 17 lowercase hex).
pub mod prefix {
    /// A VPC.
    pub const VPC: &str = "vpc";
    /// A subnet.
    pub const SUBNET: &str = "subnet";
    /// A security group.
    pub const SECURITY_GROUP: &str = "sg";
    /// A security group rule.
    pub const SECURITY_GROUP_RULE: &str = "sgr";
    /// A network interface.
    pub const NETWORK_INTERFACE: &str = "eni";
    /// A route table.
    pub const ROUTE_TABLE: &str = "rtb";
    /// An internet gateway.
    pub const INTERNET_GATEWAY: &str = "igw";
    /// A NAT gateway.
    pub const NAT_GATEWAY: &str = "nat";
    /// A network ACL.
    pub const NETWORK_ACL: &str = "acl";
    /// An instance.
    pub const INSTANCE: &str = "i";
    /// An Elastic IP allocation.
    pub const EIP_ALLOCATION: &str = "eipalloc";
    /// An Elastic IP association.
    pub const EIP_ASSOCIATION: &str = "eipassoc";
    /// A route table association.
    pub const ROUTE_TABLE_ASSOCIATION: &str = "rtbassoc";
    /// A network ACL association.
    pub const NETWORK_ACL_ASSOCIATION: &str = "aclassoc";
    /// A network interface attachment.
    pub const ENI_ATTACHMENT: &str = "eni-attach";
    /// A launch template.
    pub const LAUNCH_TEMPLATE: &str = "lt";
    /// A VPC endpoint.
    pub const VPC_ENDPOINT: &str = "vpce";
}

/// 64-bit FNV-1a: tiny, stable across Rust versions (unlike `DefaultHasher`).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// SplitMix64 finaliser: spreads FNV's output over all bits.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// Deterministic pseudo-random words for one (seed, counter, purpose).
pub fn hash_words(seed: &str, counter: u64, purpose: &str) -> [u64; 2] {
    let mut bytes = Vec::with_capacity(seed.len() + purpose.len() + 10);
    bytes.extend_from_slice(seed.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(purpose.as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(&counter.to_le_bytes());
    let a = mix(fnv1a(&bytes));
    [a, mix(a ^ 0x5851_f42d_4c95_7f2d)]
}

/// `n` lowercase hex characters drawn from the words (n ≤ 32).
pub fn hex_chars(words: [u64; 2], n: usize) -> String {
    let full = format!("{:016x}{:016x}", words[0], words[1]);
    full.chars().take(n.min(32)).collect()
}

/// An EC2-style ID: `prefix-` + 17 lowercase hex characters.
pub fn ec2_id(prefix: &str, words: [u64; 2]) -> String {
    format!("{prefix}-{}", hex_chars(words, 17))
}

/// True when `id` is `prefix-` followed by 8 or 17 lowercase hex characters
/// (AWS's older IDs have 8; both still occur in real accounts).
pub fn is_ec2_id(prefix: &str, id: &str) -> bool {
    let Some(rest) = id.strip_prefix(prefix).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    (rest.len() == 17 || rest.len() == 8) && rest.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// A MAC address whose first octet is 0e, 12 or 16 (locally administered
/// unicast). Inferred: AWS documents no rule; these are the octets seen.
pub fn mac_address(words: [u64; 2]) -> String {
    let first = [0x0e_u8, 0x12, 0x16][(words[1] % 3) as usize];
    let b = words[0].to_be_bytes();
    format!("{first:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", b[0], b[1], b[2], b[3], b[4])
}

/// The private DNS name of an address: `ip-a-b-c-d.ec2.internal` in
/// us-east-1, `ip-a-b-c-d.REGION.compute.internal` elsewhere.
pub fn private_dns_name(ip: Ipv4Addr, region: &str) -> String {
    let [a, b, c, d] = ip.octets();
    if region == "us-east-1" {
        format!("ip-{a}-{b}-{c}-{d}.ec2.internal")
    } else {
        format!("ip-{a}-{b}-{c}-{d}.{region}.compute.internal")
    }
}

/// The public DNS name of an address: `ec2-a-b-c-d.compute-1.amazonaws.com`
/// in us-east-1, `ec2-a-b-c-d.REGION.compute.amazonaws.com` elsewhere.
pub fn public_dns_name(ip: Ipv4Addr, region: &str) -> String {
    let [a, b, c, d] = ip.octets();
    if region == "us-east-1" {
        format!("ec2-{a}-{b}-{c}-{d}.compute-1.amazonaws.com")
    } else {
        format!("ec2-{a}-{b}-{c}-{d}.{region}.compute.amazonaws.com")
    }
}

/// The ARN of a subnet: `arn:aws:ec2:REGION:ACCT:subnet/ID`.
pub fn subnet_arn(region: &str, account: &str, subnet_id: &str) -> String {
    format!("arn:aws:ec2:{region}:{account}:subnet/{subnet_id}")
}

/// The ARN of any EC2 resource: `arn:aws:ec2:REGION:ACCT:KIND/ID`.
pub fn ec2_arn(region: &str, account: &str, kind: &str, id: &str) -> String {
    format!("arn:aws:ec2:{region}:{account}:{kind}/{id}")
}

/// The ARN of an ECS cluster: `arn:aws:ecs:REGION:ACCT:cluster/NAME`.
pub fn cluster_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:ecs:{region}:{account}:cluster/{name}")
}

/// The ARN of an ECS service in the long format: `…:service/CLUSTER/NAME`.
pub fn service_arn(region: &str, account: &str, cluster: &str, name: &str) -> String {
    format!("arn:aws:ecs:{region}:{account}:service/{cluster}/{name}")
}

/// The ARN of a task definition revision: `…:task-definition/FAMILY:REV`.
pub fn task_definition_arn(region: &str, account: &str, family: &str, revision: u32) -> String {
    format!("arn:aws:ecs:{region}:{account}:task-definition/{family}:{revision}")
}

/// The ARN of a load balancer: `…:loadbalancer/app/NAME/16hex` (`net/` for network ones).
pub fn load_balancer_arn(region: &str, account: &str, kind: &str, name: &str, hex16: &str) -> String {
    format!("arn:aws:elasticloadbalancing:{region}:{account}:loadbalancer/{kind}/{name}/{hex16}")
}

/// The ARN of a target group: `…:targetgroup/NAME/16hex`.
pub fn target_group_arn(region: &str, account: &str, name: &str, hex16: &str) -> String {
    format!("arn:aws:elasticloadbalancing:{region}:{account}:targetgroup/{name}/{hex16}")
}

/// The ARN of a listener: the load balancer's ARN with `loadbalancer/` turned
/// into `listener/` and one more 16-hex part.
pub fn listener_arn(load_balancer_arn: &str, hex16: &str) -> String {
    format!("{}/{hex16}", load_balancer_arn.replacen(":loadbalancer/", ":listener/", 1))
}

/// The ARN of a listener rule: the listener's ARN with `listener/` turned
/// into `listener-rule/` and one more 16-hex part.
pub fn listener_rule_arn(listener_arn: &str, hex16: &str) -> String {
    format!("{}/{hex16}", listener_arn.replacen(":listener/", ":listener-rule/", 1))
}

/// The ARN of an RDS DB instance: `arn:aws:rds:REGION:ACCT:db:IDENTIFIER`.
pub fn db_instance_arn(region: &str, account: &str, identifier: &str) -> String {
    format!("arn:aws:rds:{region}:{account}:db:{identifier}")
}

/// The ARN of an RDS DB subnet group: `arn:aws:rds:REGION:ACCT:subgrp:NAME`.
pub fn db_subnet_group_arn(region: &str, account: &str, name: &str) -> String {
    format!("arn:aws:rds:{region}:{account}:subgrp:{name}")
}

/// A UUID-shaped string (8-4-4-4-12 hex) drawn from the words.
pub fn uuid(words: [u64; 2]) -> String {
    let h = hex_chars(words, 32);
    format!("{}-{}-{}-{}-{}", &h[0..8], &h[8..12], &h[12..16], &h[16..20], &h[20..32])
}

/// The ARN of an ECS task in the long format: `…:task/CLUSTER/32hex`.
pub fn ecs_task_arn(region: &str, account: &str, cluster: &str, task_id: &str) -> String {
    format!("arn:aws:ecs:{region}:{account}:task/{cluster}/{task_id}")
}

/// The ARN of a container of a task: `…:container/CLUSTER/TASKID/UUID`.
pub fn ecs_container_arn(region: &str, account: &str, cluster: &str, task_id: &str, uuid: &str) -> String {
    format!("arn:aws:ecs:{region}:{account}:container/{cluster}/{task_id}/{uuid}")
}

/// The ARN ECS writes into a task ENI's description: `…:attachment/UUID`.
pub fn ecs_attachment_arn(region: &str, account: &str, uuid: &str) -> String {
    format!("arn:aws:ecs:{region}:{account}:attachment/{uuid}")
}

/// The ARN of a container instance in the long format: `…:container-instance/CLUSTER/32hex`.
pub fn ecs_container_instance_arn(region: &str, account: &str, cluster: &str, id: &str) -> String {
    format!("arn:aws:ecs:{region}:{account}:container-instance/{cluster}/{id}")
}

/// A service deployment ID: `ecs-svc/` and 19 digits (facts: `startedBy`
/// of service tasks), drawn from the words so it never starts with 0.
pub fn ecs_deployment_id(words: [u64; 2]) -> String {
    const LOW: u64 = 1_000_000_000_000_000_000;
    format!("ecs-svc/{}", LOW + words[0] % (9 * LOW))
}

/// The ID of a VPC's primary CIDR block association (`vpc-cidr-assoc-…`),
/// derived from the VPC's ID: tasknet models one block per VPC, so the
/// association needs no record of its own to stay the same from call to call.
pub fn vpc_cidr_association_id(vpc_id: &str) -> String {
    ec2_id("vpc-cidr-assoc", hash_words(vpc_id, 0, "cidr-association"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_have_aws_shape_and_are_stable() {
        let w = hash_words("123456789012/us-east-1", 1, "vpc");
        let id = ec2_id(prefix::VPC, w);
        assert!(is_ec2_id("vpc", &id), "{id}");
        assert_eq!(id.len(), "vpc-".len() + 17);
        assert_eq!(id, ec2_id("vpc", hash_words("123456789012/us-east-1", 1, "vpc")));
        assert_ne!(id, ec2_id("vpc", hash_words("123456789012/us-east-1", 2, "vpc")));
        assert!(is_ec2_id("eni-attach", &ec2_id(prefix::ENI_ATTACHMENT, w)));
        assert!(is_ec2_id("sg", "sg-1234abcd"));
        assert!(!is_ec2_id("sg", "sg-1234ABCD"));
        assert!(!is_ec2_id("sg", "subnet-1234abcd"));
    }

    #[test]
    fn mac_first_octet_is_locally_administered() {
        for n in 0..50 {
            let mac = mac_address(hash_words("s", n, "mac"));
            assert!(["0e:", "12:", "16:"].iter().any(|p| mac.starts_with(p)), "{mac}");
            assert_eq!(mac.len(), 17);
        }
    }

    #[test]
    fn dns_names_follow_the_region() {
        let ip = Ipv4Addr::new(10, 0, 0, 5);
        assert_eq!(private_dns_name(ip, "us-east-1"), "ip-10-0-0-5.ec2.internal");
        assert_eq!(private_dns_name(ip, "eu-west-1"), "ip-10-0-0-5.eu-west-1.compute.internal");
        let p = Ipv4Addr::new(3, 80, 3, 41);
        assert_eq!(public_dns_name(p, "us-east-1"), "ec2-3-80-3-41.compute-1.amazonaws.com");
        assert_eq!(public_dns_name(p, "eu-west-1"), "ec2-3-80-3-41.eu-west-1.compute.amazonaws.com");
    }

    #[test]
    fn arns() {
        let lb = load_balancer_arn("us-east-1", "123456789012", "app", "web", "50dc6c495c0c9188");
        assert_eq!(lb, "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/50dc6c495c0c9188");
        let l = listener_arn(&lb, "f2f7dc8efc522ab2");
        assert_eq!(
            l,
            "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2"
        );
        assert!(listener_rule_arn(&l, "9683b2d02a6cabee")
            .contains(":listener-rule/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee"));
        assert_eq!(
            subnet_arn("us-east-1", "123456789012", "subnet-1"),
            "arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1"
        );
        assert_eq!(task_definition_arn("us-east-1", "1", "web", 3), "arn:aws:ecs:us-east-1:1:task-definition/web:3");
        assert_eq!(uuid(hash_words("a", 1, "u")).len(), 36);
        assert_eq!(ecs_task_arn("us-east-1", "1", "c", "ab"), "arn:aws:ecs:us-east-1:1:task/c/ab");
        assert_eq!(
            ecs_container_instance_arn("us-east-1", "1", "c", "ab"),
            "arn:aws:ecs:us-east-1:1:container-instance/c/ab"
        );
        assert_eq!(ecs_attachment_arn("us-east-1", "1", "u"), "arn:aws:ecs:us-east-1:1:attachment/u");
        assert!(ecs_container_arn("r", "1", "c", "t", "u").ends_with(":container/c/t/u"));
        for n in 0..50 {
            let id = ecs_deployment_id(hash_words("s", n, "d"));
            let digits = id.strip_prefix("ecs-svc/").unwrap_or_default();
            assert!(
                digits.len() == 19 && !digits.starts_with('0') && digits.bytes().all(|b| b.is_ascii_digit()),
                "{id}"
            );
        }
    }
}
