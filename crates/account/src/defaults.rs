//! The account a new AWS customer has: its default VPC and the region's zones.

use crate::account::{Account, AvailabilityZone};
use crate::cidr::Ipv4Cidr;
use crate::error::Ec2Error;
use crate::model::{RouteTarget, SsmParameter};

/// The account ID of the emulated account (AWS's documentation example).
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// The emulated account's region.
pub const DEFAULT_REGION: &str = "us-east-1";
/// The default VPC's block.
// AWS doc: "Default VPCs" — 172.31.0.0/16 with one /20 per zone.
pub const DEFAULT_VPC_CIDR: &str = "172.31.0.0/16";

/// The zones of a region we know, with zone IDs. Only us-east-1 is in the
/// facts (moto's table; real accounts map names to IDs differently).
pub fn known_zones(region: &str) -> Option<Vec<AvailabilityZone>> {
    let table: &[(&str, &str)] = match region {
        "us-east-1" => &[
            ("us-east-1a", "use1-az6"),
            ("us-east-1b", "use1-az1"),
            ("us-east-1c", "use1-az2"),
            ("us-east-1d", "use1-az4"),
            ("us-east-1e", "use1-az3"),
            ("us-east-1f", "use1-az5"),
        ],
        _ => return None,
    };
    Some(table.iter().map(|(n, i)| AvailabilityZone { zone_name: n.to_string(), zone_id: i.to_string() }).collect())
}

impl Account {
    /// 123456789012 in us-east-1 with the default VPC of a fresh account.
    pub fn new_default() -> Self {
        let zones = known_zones(DEFAULT_REGION).unwrap_or_default();
        // Building on a fresh account with six zones cannot fail; fall back to an empty account if it ever did.
        let mut account = Account::with_default_vpc(DEFAULT_ACCOUNT_ID, DEFAULT_REGION, zones)
            .unwrap_or_else(|_| Account::empty(DEFAULT_ACCOUNT_ID, DEFAULT_REGION));
        account.add_public_parameters();
        account
    }

    /// AWS's public SSM parameters that ECS templates read their AMI from
    /// (AWS doc: "Retrieving Amazon ECS-optimized Linux AMI metadata"). Every
    /// account can read them. The parameter names are AWS's; the AMI IDs are
    /// tasknet's stand-ins (AWS publishes new ones every few weeks), so
    /// nothing should rely on their values.
    pub fn add_public_parameters(&mut self) {
        const NAMES: &[&str] = &[
            "/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id",
            "/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended/image_id",
            "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id",
            "/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended/image_id",
            "/aws/service/ecs/optimized-ami/amazon-linux/recommended/image_id",
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
            "/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2",
        ];
        for name in NAMES {
            let words = crate::ids::hash_words(&self.account_id, 0, name);
            let value = format!("ami-{}", crate::ids::hex_chars(words, 17));
            self.ssm_parameters.insert(
                (*name).to_string(),
                SsmParameter {
                    name: (*name).to_string(),
                    param_type: "String".into(),
                    value,
                    version: 1,
                    key_id: None,
                },
            );
        }
        // Each `…/recommended` parameter holds the release's metadata as JSON
        // (same doc). tasknet stands in for the AMI only: the image ID above
        // and the OS of the path; the agent and image versions AWS publishes
        // there are left out rather than made up.
        for (path, os) in [
            ("/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended", "Amazon Linux 2023"),
            ("/aws/service/ecs/optimized-ami/amazon-linux-2023/arm64/recommended", "Amazon Linux 2023"),
            ("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended", "Amazon Linux 2"),
            ("/aws/service/ecs/optimized-ami/amazon-linux-2/arm64/recommended", "Amazon Linux 2"),
            ("/aws/service/ecs/optimized-ami/amazon-linux/recommended", "Amazon Linux"),
        ] {
            let Some(image) = self.ssm_parameters.get(&format!("{path}/image_id")).map(|p| p.value.clone()) else {
                continue;
            };
            let value = serde_json::json!({"image_id": image, "os": os, "schema_version": 1}).to_string();
            self.ssm_parameters.insert(
                path.to_string(),
                SsmParameter { name: path.to_string(), param_type: "String".into(), value, version: 1, key_id: None },
            );
        }
    }

    /// An account whose region has `zones` and a default VPC: 172.31.0.0/16,
    /// one default /20 per zone (172.31.0.0/20, 172.31.16.0/20, … in zone
    /// order), public IPs on launch, an attached internet gateway, a main
    /// route table sending 0.0.0.0/0 to it, the default security group and
    /// the default network ACL. At most 16 zones fit in the /16.
    pub fn with_default_vpc(account_id: &str, region: &str, zones: Vec<AvailabilityZone>) -> Result<Self, Ec2Error> {
        let mut account = Account::empty(account_id, region);
        account.availability_zones = zones;
        let vpc = account.create_vpc(DEFAULT_VPC_CIDR)?;
        let vpc_id = vpc.vpc_id.clone();
        if let Some(v) = account.vpcs.get_mut(&vpc_id) {
            v.is_default = true;
            // AWS doc: "DNS attributes for your VPC" — the default VPC has DNS hostnames on.
            v.enable_dns_hostnames = true;
        }
        let igw = account.create_internet_gateway();
        account.attach_internet_gateway(&igw.internet_gateway_id, &vpc_id)?;
        let main = account.main_route_table(&vpc_id)?.route_table_id.clone();
        account.create_route(&main, "0.0.0.0/0", RouteTarget::InternetGateway(igw.internet_gateway_id.clone()))?;
        let zone_names = account.zone_names();
        for (i, zone) in zone_names.iter().enumerate().take(16) {
            let cidr = Ipv4Cidr::new_truncating(std::net::Ipv4Addr::new(172, 31, (i * 16) as u8, 0), 20);
            let subnet = account.create_subnet(&vpc_id, &cidr.to_string(), Some(zone))?;
            if let Some(s) = account.subnets.get_mut(&subnet.subnet_id) {
                s.default_for_az = true;
                s.map_public_ip_on_launch = true;
            }
        }
        Ok(account)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::*;

    #[test]
    fn default_account_matches_a_fresh_aws_account() {
        let a = Account::default();
        assert_eq!(a.account_id, "123456789012");
        assert_eq!(a.region, "us-east-1");
        assert_eq!(
            a.zone_names(),
            ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"]
        );
        let vpc = a.default_vpc().unwrap();
        assert_eq!(vpc.cidr_block.to_string(), "172.31.0.0/16");
        assert!(vpc.enable_dns_hostnames && vpc.enable_dns_support);
        let subnets = a.subnets_of_vpc(&vpc.vpc_id);
        assert_eq!(subnets.len(), 6);
        let mut by_zone: Vec<_> = subnets
            .iter()
            .map(|s| (s.availability_zone.as_str(), s.cidr_block.to_string(), s.availability_zone_id.clone()))
            .collect();
        by_zone.sort();
        assert_eq!(by_zone[0], ("us-east-1a", "172.31.0.0/20".to_string(), Some("use1-az6".to_string())));
        assert_eq!(by_zone[5], ("us-east-1f", "172.31.80.0/20".to_string(), Some("use1-az5".to_string())));
        for s in &subnets {
            assert!(s.default_for_az && s.map_public_ip_on_launch);
            assert_eq!(s.available_ip_address_count, 4091);
            assert!(a.is_public_subnet(&s.subnet_id).unwrap());
            assert!(s.subnet_arn.starts_with("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-"));
        }
        let igw = a.internet_gateway_for_vpc(&vpc.vpc_id).unwrap();
        let main = a.main_route_table(&vpc.vpc_id).unwrap();
        assert_eq!(main.routes.len(), 2);
        assert_eq!(main.routes[0].target, RouteTarget::Local);
        assert_eq!(main.routes[1].target, RouteTarget::InternetGateway(igw.internet_gateway_id.clone()));
        let sg = a.default_security_group(&vpc.vpc_id).unwrap();
        assert_eq!(sg.group_name, "default");
        assert_eq!(sg.ingress[0].peer, Peer::SecurityGroup(sg.group_id.clone()));
        assert_eq!(sg.egress, vec![SecurityGroupRule::all_to_cidr(Ipv4Cidr::any())]);
        let acl = a.default_network_acl(&vpc.vpc_id).unwrap();
        assert_eq!(acl.associations.len(), 6);
        let rules: Vec<_> = acl.entries.iter().map(|e| (e.rule_number, e.rule_action, e.egress)).collect();
        assert_eq!(
            rules,
            [
                (100, RuleAction::Allow, false),
                (32767, RuleAction::Deny, false),
                (100, RuleAction::Allow, true),
                (32767, RuleAction::Deny, true)
            ]
        );
    }

    #[test]
    fn public_parameters_are_readable() {
        let a = Account::default();
        let p = a.ssm_parameter("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id").unwrap();
        assert!(p.value.starts_with("ami-") && p.value.len() == 21);
        assert!(!crate::file::to_yaml(&a).unwrap().contains("/aws/service/"));
        let meta = a.ssm_parameter("/aws/service/ecs/optimized-ami/amazon-linux-2/recommended").unwrap();
        let meta: serde_json::Value = serde_json::from_str(&meta.value).unwrap();
        assert_eq!(meta["image_id"].as_str(), Some(p.value.as_str()));
    }

    #[test]
    fn default_account_is_deterministic() {
        assert_eq!(Account::new_default(), Account::new_default());
        let a = Account::new_default();
        assert_ne!(
            a,
            Account::with_default_vpc("210987654321", "us-east-1", known_zones("us-east-1").unwrap()).unwrap()
        );
    }
}
