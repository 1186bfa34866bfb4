//! AWS's public service endpoints as places on the emulated internet.
//!
//! Inside a VPC, AWS's APIs are hosts like any other: a task reaches
//! `secretsmanager.us-east-1.amazonaws.com` only through an internet gateway
//! (with a public IP), a NAT gateway, or a VPC endpoint. So every service
//! tasknet answers gets a documentation address (RFC 5737, 203.0.113.128/25)
//! on the emulated internet, its hostnames as AWS spells them ("Service
//! endpoints and quotas", AWS General Reference), and the VPC endpoint
//! service name (`com.amazonaws.<region>.<name>`, "AWS services that
//! integrate with AWS PrivateLink"). S3 and DynamoDB also have gateway
//! endpoints, whose routes name an AWS-managed prefix list
//! (`com.amazonaws.<region>.s3`), so they get a block each.
//!
//! The prefix-list IDs are us-east-1's real ones (seen in AWS's docs and
//! public threads: `pl-63a5400a` for S3, `pl-02cd2c6b` for DynamoDB); for
//! another region they are derived from the name (unverified: AWS's IDs
//! differ per region and cannot be known without asking AWS).

use crate::cidr::Ipv4Cidr;
use std::net::Ipv4Addr;

/// The block every service address comes from; public IPs never do.
pub const SERVICES_BLOCK: Ipv4Cidr = Ipv4Cidr::from_octets([203, 0, 113, 128], 25);

/// One service's public endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServiceEndpoint {
    /// The PrivateLink name after `com.amazonaws.<region>.` (`secretsmanager`, `ecr.api`, `s3`).
    pub name: &'static str,
    /// The SigV4 signing name requests to it carry (`secretsmanager`, `ecr`, `s3`).
    pub signing_name: &'static str,
    /// Its address on the emulated internet.
    pub address: Ipv4Addr,
    /// Hostname patterns with `{region}` and, as the first label only, `*`.
    pub hosts: &'static [&'static str],
    /// Whether it offers interface endpoints (PrivateLink).
    pub interface: bool,
    /// Its gateway endpoint's prefix list (S3, DynamoDB): the block its addresses come from.
    pub gateway: Option<PrefixListBlock>,
    /// False for a global service whose endpoint service name has no region (IAM's `com.amazonaws.iam`).
    pub regional: bool,
}

/// The block of a gateway endpoint service's prefix list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PrefixListBlock {
    /// The block (the service's address is in it).
    pub cidr: Ipv4Cidr,
    /// us-east-1's prefix-list ID.
    pub us_east_1_id: &'static str,
}

const fn at(d: u8) -> Ipv4Addr {
    Ipv4Addr::new(203, 0, 113, d)
}

const fn block(d: u8, prefix: u8) -> Ipv4Cidr {
    Ipv4Cidr::from_octets([203, 0, 113, d], prefix)
}

const fn svc(name: &'static str, signing_name: &'static str, d: u8, hosts: &'static [&'static str]) -> ServiceEndpoint {
    ServiceEndpoint { name, signing_name, address: at(d), hosts, interface: true, gateway: None, regional: true }
}

/// Every service tasknet answers, and the ones a task's start needs (ECR).
pub const SERVICES: &[ServiceEndpoint] = &[
    svc("ecs", "ecs", 130, &["ecs.{region}.amazonaws.com"]),
    svc("ecs-agent", "ecs", 131, &["ecs-a-*.{region}.amazonaws.com"]),
    svc("ecs-telemetry", "ecs", 132, &["ecs-t-*.{region}.amazonaws.com"]),
    svc("ecr.api", "ecr", 133, &["api.ecr.{region}.amazonaws.com", "ecr.{region}.amazonaws.com"]),
    svc("ecr.dkr", "ecr", 134, &["*.dkr.ecr.{region}.amazonaws.com"]),
    svc("secretsmanager", "secretsmanager", 135, &["secretsmanager.{region}.amazonaws.com"]),
    svc("ssm", "ssm", 136, &["ssm.{region}.amazonaws.com"]),
    svc("kms", "kms", 137, &["kms.{region}.amazonaws.com"]),
    svc("logs", "logs", 138, &["logs.{region}.amazonaws.com"]),
    svc("sts", "sts", 139, &["sts.{region}.amazonaws.com", "sts.amazonaws.com"]),
    svc("lambda", "lambda", 140, &["lambda.{region}.amazonaws.com"]),
    svc("cloudformation", "cloudformation", 141, &["cloudformation.{region}.amazonaws.com"]),
    svc("ec2", "ec2", 142, &["ec2.{region}.amazonaws.com"]),
    svc("elasticloadbalancing", "elasticloadbalancing", 143, &["elasticloadbalancing.{region}.amazonaws.com"]),
    svc("autoscaling", "autoscaling", 144, &["autoscaling.{region}.amazonaws.com"]),
    svc("rds", "rds", 145, &["rds.{region}.amazonaws.com"]),
    svc("acm", "acm", 146, &["acm.{region}.amazonaws.com"]),
    // AWS doc "Create a VPC endpoint for IAM": the interface endpoint service
    // name is com.amazonaws.iam, and such endpoints exist only in us-east-1
    // (not refused elsewhere here: EC2's text for that is unknown).
    ServiceEndpoint {
        name: "iam",
        signing_name: "iam",
        address: at(147),
        hosts: &["iam.amazonaws.com"],
        interface: true,
        gateway: None,
        regional: false,
    },
    ServiceEndpoint {
        name: "s3",
        signing_name: "s3",
        address: at(193),
        hosts: &["s3.{region}.amazonaws.com", "*.s3.{region}.amazonaws.com", "s3.amazonaws.com", "*.s3.amazonaws.com"],
        interface: true,
        gateway: Some(PrefixListBlock { cidr: block(192, 28), us_east_1_id: "pl-63a5400a" }),
        regional: true,
    },
    ServiceEndpoint {
        name: "dynamodb",
        signing_name: "dynamodb",
        address: at(209),
        hosts: &["dynamodb.{region}.amazonaws.com"],
        interface: true,
        gateway: Some(PrefixListBlock { cidr: block(208, 28), us_east_1_id: "pl-02cd2c6b" }),
        regional: true,
    },
];

impl ServiceEndpoint {
    /// `com.amazonaws.<region>.<name>` (a global service: `com.amazonaws.<name>`), the VPC endpoint service name.
    pub fn service_name(&self, region: &str) -> String {
        if self.regional {
            format!("com.amazonaws.{region}.{}", self.name)
        } else {
            format!("com.amazonaws.{}", self.name)
        }
    }

    /// The hostname patterns for `region` (`*` stays a wildcard label).
    pub fn hostnames(&self, region: &str) -> Vec<String> {
        self.hosts.iter().map(|h| h.replace("{region}", region)).collect()
    }

    /// Whether `host` (any case, a trailing dot or not, no port) is one of its names in `region`.
    pub fn serves(&self, host: &str, region: &str) -> bool {
        let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
        self.hostnames(region).iter().any(|pattern| host_matches(pattern, &host))
    }

    /// Its gateway prefix list's ID in `region`.
    pub fn prefix_list_id(&self, region: &str) -> Option<String> {
        let block = self.gateway?;
        if region == "us-east-1" {
            return Some(block.us_east_1_id.to_string());
        }
        let [a, _] = crate::ids::hash_words(region, 0, self.name);
        Some(format!("pl-{:08x}", a as u32))
    }
}

/// Whether `host` matches `pattern`, whose first label may be `*` (one
/// label, as in a certificate) or end in `*` (`ecs-a-*`: any suffix).
pub fn host_matches(pattern: &str, host: &str) -> bool {
    let Some((first, rest)) = pattern.split_once('.') else { return pattern == host };
    let Some((host_first, host_rest)) = host.split_once('.') else { return false };
    if host_rest != rest || host_first.is_empty() {
        return false;
    }
    match first.strip_suffix('*') {
        Some(prefix) => host_first.starts_with(prefix),
        None => first == host_first,
    }
}

/// The service a hostname names, if any.
pub fn for_host(host: &str, region: &str) -> Option<&'static ServiceEndpoint> {
    SERVICES.iter().find(|s| s.serves(host, region))
}

/// The service of a VPC endpoint service name (`com.amazonaws.<region>.<name>`).
pub fn for_service_name(service_name: &str, region: &str) -> Option<&'static ServiceEndpoint> {
    SERVICES.iter().find(|s| s.service_name(region) == service_name)
}

/// The service by its short name (`secretsmanager`, `ecr.api`) or signing name (`ecr`: the API's).
pub fn by_name(name: &str) -> Option<&'static ServiceEndpoint> {
    SERVICES.iter().find(|s| s.name == name).or_else(|| SERVICES.iter().find(|s| s.signing_name == name))
}

/// The service whose address (or gateway block) holds `ip`.
pub fn at_address(ip: Ipv4Addr) -> Option<&'static ServiceEndpoint> {
    SERVICES
        .iter()
        .find(|s| s.address == ip)
        .or_else(|| SERVICES.iter().find(|s| s.gateway.is_some_and(|g| g.cidr.contains_addr(ip))))
}

/// What a VPC's Amazon DNS server answers for `service`'s hostnames: the
/// ENI addresses of its available interface endpoints with private DNS in
/// that VPC, else the public address; `None` when the VPC does not exist or
/// has `enableDnsSupport` off (then nothing answers at VPC + 2).
// AWS doc: "Access an AWS service using an interface VPC endpoint" (private
// DNS names resolve to the endpoint's private IPs inside the VPC).
pub fn resolve(account: &crate::Account, vpc_id: &str, service: &ServiceEndpoint) -> Option<Vec<Ipv4Addr>> {
    let vpc = account.vpcs.get(vpc_id)?;
    if !vpc.enable_dns_support {
        return None;
    }
    let private: Vec<Ipv4Addr> = account
        .vpc_endpoints
        .values()
        .filter(|e| {
            e.vpc_id == vpc_id
                && e.vpc_endpoint_type == crate::VpcEndpointType::Interface
                && e.private_dns_enabled
                && e.state == "available"
                && for_service_name(&e.service_name, &account.region) == Some(service)
        })
        .flat_map(|e| e.network_interface_ids.iter())
        .filter_map(|id| account.network_interfaces.get(id).map(|n| n.private_ip_address))
        .collect();
    Some(if private.is_empty() { vec![service.address] } else { private })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostnames_name_their_services() {
        assert_eq!(
            for_host("secretsmanager.us-east-1.amazonaws.com", "us-east-1").map(|s| s.name),
            Some("secretsmanager")
        );
        assert_eq!(for_host("SSM.us-east-1.amazonaws.com.", "us-east-1").map(|s| s.name), Some("ssm"));
        assert_eq!(
            for_host("123456789012.dkr.ecr.us-east-1.amazonaws.com", "us-east-1").map(|s| s.name),
            Some("ecr.dkr")
        );
        assert_eq!(for_host("api.ecr.us-east-1.amazonaws.com", "us-east-1").map(|s| s.name), Some("ecr.api"));
        assert_eq!(for_host("mybucket.s3.us-east-1.amazonaws.com", "us-east-1").map(|s| s.name), Some("s3"));
        assert_eq!(for_host("ecs-a-1.us-east-1.amazonaws.com", "us-east-1").map(|s| s.name), Some("ecs-agent"));
        assert_eq!(for_host("a.b.dkr.ecr.us-east-1.amazonaws.com", "us-east-1"), None);
        assert_eq!(for_host("secretsmanager.eu-west-1.amazonaws.com", "us-east-1"), None);
        assert_eq!(for_host("example.com", "us-east-1"), None);
    }

    #[test]
    fn addresses_are_distinct_and_in_the_block() {
        for (i, a) in SERVICES.iter().enumerate() {
            assert!(SERVICES_BLOCK.contains_addr(a.address), "{}", a.name);
            if let Some(g) = a.gateway {
                assert!(g.cidr.contains_addr(a.address));
            }
            for b in &SERVICES[i + 1..] {
                assert_ne!(a.address, b.address);
                assert_ne!(a.name, b.name);
            }
        }
        assert_eq!(at_address(Ipv4Addr::new(203, 0, 113, 200)).map(|s| s.name), Some("s3"));
    }

    #[test]
    fn service_names_and_prefix_lists() {
        let s3 = by_name("s3").unwrap();
        assert_eq!(s3.service_name("us-east-1"), "com.amazonaws.us-east-1.s3");
        assert_eq!(s3.prefix_list_id("us-east-1").as_deref(), Some("pl-63a5400a"));
        assert!(s3.prefix_list_id("eu-west-1").unwrap().starts_with("pl-"));
        assert_eq!(for_service_name("com.amazonaws.us-east-1.ecr.dkr", "us-east-1").map(|s| s.name), Some("ecr.dkr"));
        assert_eq!(for_service_name("com.amazonaws.us-east-1.nope", "us-east-1"), None);
        assert_eq!(by_name("ecr").map(|s| s.name), Some("ecr.api"));
        // IAM is global: no region in its endpoint service name or hostname.
        let iam = by_name("iam").unwrap();
        assert_eq!(iam.service_name("us-east-1"), "com.amazonaws.iam");
        assert_eq!(for_service_name("com.amazonaws.iam", "us-east-1").map(|s| s.name), Some("iam"));
        assert_eq!(for_host("iam.amazonaws.com", "us-east-1").map(|s| s.name), Some("iam"));
        assert_eq!(for_host("acm.us-east-1.amazonaws.com", "us-east-1").map(|s| s.name), Some("acm"));
    }

    #[test]
    fn a_vpc_resolves_public_addresses_unless_an_endpoint_has_private_dns() {
        let mut a = crate::Account::new_default();
        let vpc = a.vpcs.keys().next().cloned().unwrap();
        let sm = by_name("secretsmanager").unwrap();
        assert_eq!(resolve(&a, &vpc, sm), Some(vec![sm.address]));
        assert_eq!(resolve(&a, "vpc-nope", sm), None);
        a.vpcs.get_mut(&vpc).unwrap().enable_dns_support = false;
        assert_eq!(resolve(&a, &vpc, sm), None);
    }
}
