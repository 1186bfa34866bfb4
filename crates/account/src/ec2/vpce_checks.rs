//! What CreateVpcEndpoint and ModifyVpcEndpoint check, and the DNS names an
//! interface endpoint gets.
//!
//! AWS doc: "CreateVpcEndpoint" (Amazon EC2 API Reference); "DNS hostnames"
//! of "Access an AWS service using an interface VPC endpoint" (AWS
//! PrivateLink guide).

use crate::account::Account;
use crate::endpoints::ServiceEndpoint;
use crate::error::Ec2Error;
use crate::ids;
use crate::model::*;

/// The Route 53 zone of `*.vpce.amazonaws.com` names in us-east-1 (seen:
/// the CLI's describe-vpc-endpoints and create-vpc-endpoint examples).
const US_EAST_1_VPCE_ZONE: &str = "Z7HUB22UULQXV";

/// InvalidParameter with AWS's text.
fn invalid(text: impl Into<String>) -> Ec2Error {
    Ec2Error::InvalidParameter(text.into())
}

/// The endpoint type must be one the service offers. Seen:
/// `Endpoint type (Gateway) does not match available service types ([Interface]).`
/// (hashicorp/terraform issue 24478); the list's form for two types is inferred.
pub(super) fn type_mismatch(kind: VpcEndpointType, service: &ServiceEndpoint) -> Result<(), Ec2Error> {
    let offers = match kind {
        VpcEndpointType::Interface => service.interface,
        VpcEndpointType::Gateway => service.gateway.is_some(),
        VpcEndpointType::GatewayLoadBalancer => false,
    };
    if offers {
        return Ok(());
    }
    let mut types = Vec::new();
    if service.interface {
        types.push("Interface");
    }
    if service.gateway.is_some() {
        types.push("Gateway");
    }
    Err(invalid(format!(
        "Endpoint type ({}) does not match available service types ([{}]).",
        kind.as_str(),
        types.join(", ")
    )))
}

/// `PrivateDnsEnabled` when the request leaves it out. Inferred: the API
/// reference gave `Default: true` (no longer stated in botocore's model;
/// Terraform issue 37783 reports endpoints made without it having private
/// DNS), except S3's interface endpoint, whose private DNS needs a gateway
/// endpoint first (the CLI's example shows it `false`). CloudFormation's
/// own default (false) is the handler's.
pub(super) fn default_private_dns(kind: VpcEndpointType, service: &ServiceEndpoint) -> bool {
    !(kind == VpcEndpointType::Interface && service.name == "s3")
}

/// A Route 53 zone ID (`Z` + 13 upper-case characters) tasknet makes up
/// where AWS's is not known: other regions' vpce zones and the private
/// hosted zones of private DNS names. Inferred form.
fn made_up_zone(seed: &str, purpose: &str) -> String {
    format!("Z{}", ids::hex_chars(ids::hash_words(seed, 0, purpose), 13).to_ascii_uppercase())
}

/// The interface endpoint's `DnsEntries`: the regional name
/// (`<token>.<service>.<region>.vpce.amazonaws.com`, token = `vpce-<id>-<8
/// chars>`), one zonal name per subnet's zone (`<token>-<zone>.…`), then with
/// private DNS the service's own hostname. Seen: the form of the regional and
/// zonal names and us-east-1's zone (the CLI's examples, whose S3 names also
/// start with `*.`, as the service's hostnames here do). Inferred: the label
/// is the service's short name (`ecr.dkr` for ECR's registry), the private
/// name's entry comes last, and the zone IDs of other regions and of the
/// private names.
pub(super) fn dns_entries(
    account: &Account,
    token: &str,
    service: &ServiceEndpoint,
    endpoint: &VpcEndpoint,
) -> Vec<DnsEntry> {
    let region = &account.region;
    let zone = if region == "us-east-1" { US_EAST_1_VPCE_ZONE.to_string() } else { made_up_zone(region, "vpce-zone") };
    // Only S3's names carry the wildcard label (its buckets' virtual hosts).
    let star = if service.name == "s3" { "*." } else { "" };
    let name = |t: &str| format!("{star}{t}.{}.{region}.vpce.amazonaws.com", service.name);
    let mut entries = vec![DnsEntry { dns_name: name(token), hosted_zone_id: zone.clone() }];
    for subnet in &endpoint.subnet_ids {
        if let Some(s) = account.subnets.get(subnet) {
            entries.push(DnsEntry {
                dns_name: name(&format!("{token}-{}", s.availability_zone)),
                hosted_zone_id: zone.clone(),
            });
        }
    }
    if endpoint.private_dns_enabled {
        if let Some(host) = service.hostnames(region).into_iter().next() {
            let private_zone = made_up_zone(&format!("{}/{}", endpoint.vpc_id, service.name), "private-zone");
            entries.push(DnsEntry { dns_name: host, hosted_zone_id: private_zone });
        }
    }
    entries
}

impl Account {
    /// Each route table must exist, be in the endpoint's VPC and not already
    /// route the prefix list.
    pub(super) fn check_endpoint_route_tables(
        &self,
        vpc_id: &str,
        prefix_list: &str,
        tables: &[String],
    ) -> Result<(), Ec2Error> {
        for id in tables {
            let table = self.route_table(id)?;
            if table.vpc_id != vpc_id {
                // Inferred text, patterned on the seen gateway one.
                return Err(Ec2Error::InvalidParameterValue(format!(
                    "route table {id} and VPC {vpc_id} belong to different networks"
                )));
            }
            if table.routes.iter().any(|r| r.destination_prefix_list_id.as_deref() == Some(prefix_list)) {
                // The seen RouteAlreadyExists text, with the prefix list as the destination (inferred).
                return Err(Ec2Error::RouteAlreadyExists(prefix_list.to_string()));
            }
        }
        Ok(())
    }

    /// Each new subnet must exist, be in the VPC, and sit in a zone none of
    /// the others (the new ones and `kept`) uses.
    pub(super) fn check_endpoint_subnets(
        &self,
        vpc_id: &str,
        added: &[String],
        kept: &[String],
    ) -> Result<(), Ec2Error> {
        let mut zones: Vec<String> =
            kept.iter().filter_map(|s| self.subnets.get(s)).map(|s| s.availability_zone.clone()).collect();
        for id in added {
            let subnet = self.subnet(id)?;
            if subnet.vpc_id != vpc_id {
                // Inferred text, patterned on the seen group/subnet one.
                return Err(invalid(format!("Subnet {id} and VPC {vpc_id} belong to different networks.")));
            }
            if zones.contains(&subnet.availability_zone) {
                return Err(Ec2Error::DuplicateSubnetsInSameZone(id.clone()));
            }
            zones.push(subnet.availability_zone.clone());
        }
        Ok(())
    }

    /// The endpoint's groups: the given ones (each in the VPC), or the VPC's
    /// default group (API reference: "If this parameter is not specified, we
    /// use the default security group for the VPC").
    pub(super) fn endpoint_groups(&self, vpc_id: &str, groups: &[String]) -> Result<Vec<String>, Ec2Error> {
        if groups.is_empty() {
            return Ok(vec![self.default_security_group(vpc_id)?.group_id.clone()]);
        }
        for g in groups {
            if self.security_group(g)?.vpc_id != vpc_id {
                // Inferred text, patterned on the seen group/subnet one.
                return Err(invalid(format!("Security group {g} and VPC {vpc_id} belong to different networks.")));
            }
        }
        Ok(groups.to_vec())
    }

    /// Private DNS needs both DNS attributes of the VPC, and no other
    /// interface endpoint of the service with private DNS in it (`except`:
    /// the endpoint being modified).
    pub(super) fn check_private_dns(
        &self,
        vpc_id: &str,
        service: &ServiceEndpoint,
        except: Option<&str>,
    ) -> Result<(), Ec2Error> {
        let vpc = self.vpc(vpc_id)?;
        if !(vpc.enable_dns_support && vpc.enable_dns_hostnames) {
            // Seen text (GuardDuty's troubleshooting guide quotes EC2's); the code is inferred.
            return Err(invalid(format!(
                "Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for {vpc_id}"
            )));
        }
        let taken = self.vpc_endpoints.values().any(|e| {
            e.vpc_id == vpc_id
                && Some(e.vpc_endpoint_id.as_str()) != except
                && e.vpc_endpoint_type == VpcEndpointType::Interface
                && e.private_dns_enabled
                && e.service_name == service.service_name(&self.region)
        });
        if taken {
            // Seen: hashicorp/terraform-provider-aws issue 17535.
            let host = service.hostnames(&self.region).into_iter().next().unwrap_or_default();
            return Err(invalid(format!(
                "private-dns-enabled cannot be set because there is already a conflicting DNS domain for {host} in the VPC {vpc_id}"
            )));
        }
        Ok(())
    }
}
