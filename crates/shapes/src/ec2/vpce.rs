//! DescribeVpcEndpoints, DescribePrefixLists and DescribeVpcEndpointServices.

use super::group_refs;
use crate::json::{ec2_tags, prune, timestamp};
use crate::Selection;
use account::{endpoints, Account, PrefixList, VpcEndpoint, VpcEndpointType};
use serde_json::{json, Value};

/// One `VpcEndpoint` (also CreateVpcEndpoint's answer). IPv4 only, so an
/// interface endpoint's `IpAddressType` and DNS record type are `ipv4`
/// (inferred: what AWS shows for an endpoint made without IP options).
pub fn vpc_endpoint_json(account: &Account, e: &VpcEndpoint) -> Value {
    let interface = e.vpc_endpoint_type == VpcEndpointType::Interface;
    let dns: Vec<Value> =
        e.dns_entries.iter().map(|d| json!({"DnsName": d.dns_name, "HostedZoneId": d.hosted_zone_id})).collect();
    json!({
        "VpcEndpointId": e.vpc_endpoint_id,
        "VpcEndpointType": e.vpc_endpoint_type.as_str(),
        "VpcId": e.vpc_id,
        "ServiceName": e.service_name,
        "State": e.state,
        "PolicyDocument": e.policy_document,
        "RouteTableIds": e.route_table_ids,
        "SubnetIds": e.subnet_ids,
        "Groups": group_refs(account, &e.security_group_ids),
        "IpAddressType": interface.then_some("ipv4"),
        "DnsOptions": interface.then(|| json!({"DnsRecordIpType": "ipv4"})),
        "PrivateDnsEnabled": e.private_dns_enabled,
        "RequesterManaged": false,
        "NetworkInterfaceIds": e.network_interface_ids,
        "DnsEntries": dns,
        "CreationTimestamp": timestamp(e.creation_timestamp_ms),
        "Tags": ec2_tags(&e.tags),
        "OwnerId": account.account_id,
    })
}

/// The endpoints in view, by VPC, then ID.
pub fn vpc_endpoints<'a>(sel: &Selection<'a>) -> Vec<&'a VpcEndpoint> {
    let mut list: Vec<&VpcEndpoint> =
        sel.account.vpc_endpoints.values().filter(|e| sel.owns(&e.vpc_endpoint_id)).collect();
    list.sort_by_key(|e| (&e.vpc_id, &e.vpc_endpoint_id));
    list
}

/// DescribeVpcEndpoints: `{"VpcEndpoints": […]}`.
pub fn describe_vpc_endpoints(sel: &Selection) -> Value {
    let list: Vec<Value> = vpc_endpoints(sel).iter().map(|e| vpc_endpoint_json(sel.account, e)).collect();
    prune(json!({ "VpcEndpoints": list }))
}

/// One `PrefixList`.
pub fn prefix_list_json(p: &PrefixList) -> Value {
    json!({"Cidrs": p.cidrs, "PrefixListId": p.prefix_list_id, "PrefixListName": p.prefix_list_name})
}

/// DescribePrefixLists: the region's AWS-managed prefix lists (S3, DynamoDB).
pub fn describe_prefix_lists(account: &Account) -> Value {
    json!({"PrefixLists": account.prefix_lists().iter().map(prefix_list_json).collect::<Vec<_>>()})
}

/// A `vpce-svc-…` ID for an AWS service tasknet makes up (AWS's are per region and not known here).
fn service_id(region: &str, name: &str) -> String {
    account::ids::ec2_id("vpce-svc", account::ids::hash_words(region, 0, name))
}

/// DescribeVpcEndpointServices: every AWS service tasknet answers, one
/// `ServiceDetail` per endpoint type (S3 and DynamoDB have both, as on AWS),
/// owned by `amazon`, in every zone, policies supported, no acceptance.
/// Inferred: the base DNS name (`<service>.<region>.vpce.amazonaws.com`)
/// and the service IDs.
pub fn describe_vpc_endpoint_services(account: &Account) -> Value {
    let region = &account.region;
    let zones = account.zone_names();
    let zone_ids: Vec<String> = account.availability_zones.iter().map(|z| z.zone_id.clone()).collect();
    let mut details = Vec::new();
    let mut names = Vec::new();
    for s in endpoints::SERVICES {
        let name = s.service_name(region);
        names.push(name.clone());
        let private = s.hostnames(region).into_iter().next();
        let mut types: Vec<&str> = Vec::new();
        if s.gateway.is_some() {
            types.push("Gateway");
        }
        if s.interface {
            types.push("Interface");
        }
        for kind in types {
            let interface = kind == "Interface";
            details.push(json!({
                "ServiceName": name,
                "ServiceId": service_id(region, &format!("{}/{kind}", s.name)),
                "ServiceType": [{"ServiceType": kind}],
                "AvailabilityZoneIds": zone_ids,
                "AvailabilityZones": zones,
                "Owner": "amazon",
                "BaseEndpointDnsNames": [format!("{}.{region}.vpce.amazonaws.com", s.name)],
                "PrivateDnsName": if interface { private.clone() } else { None },
                "PrivateDnsNames": if interface { private.iter().map(|p| json!({"PrivateDnsName": p})).collect::<Vec<_>>() } else { Vec::new() },
                "VpcEndpointPolicySupported": true,
                "AcceptanceRequired": false,
                "ManagesVpcEndpoints": false,
                "SupportedIpAddressTypes": ["ipv4"],
            }));
        }
    }
    names.sort();
    prune(json!({"ServiceNames": names, "ServiceDetails": details}))
}
