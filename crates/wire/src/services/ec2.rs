//! EC2 over the wire: the VPC's Describe calls (filtered as EC2 filters,
//! paginated as the model says) and the calls that change it, each a thin
//! adapter to the account's action (`account::Account`'s EC2 methods) and
//! the Describe documents (`shapes::ec2`).

mod acls;
mod describe;
mod describe_more;
mod endpoints;
mod groups;
mod network;
mod routing;
mod tables;

use crate::dispatch::{read, write, Operation, Read};
use crate::error::WireError;
use crate::model::Service;
use account::Ec2Error;
use serde_json::{json, Value};
use shapes::{Query, Selection};

/// EC2's operations.
pub const OPERATIONS: &[Operation] = &[
    read("DescribeVpcs", describe::describe_vpcs),
    read("DescribeSubnets", describe::describe_subnets),
    read("DescribeNatGateways", describe::describe_nat_gateways),
    read("DescribeRouteTables", describe::describe_route_tables),
    read("DescribeInternetGateways", describe::describe_internet_gateways),
    read("DescribeNetworkAcls", describe::describe_network_acls),
    read("DescribeSecurityGroups", describe::describe_security_groups),
    read("DescribeSecurityGroupRules", describe::describe_security_group_rules),
    read("DescribeNetworkInterfaces", describe::describe_network_interfaces),
    read("DescribeAddresses", describe_more::describe_addresses),
    read("DescribeInstances", describe_more::describe_instances),
    read("DescribeAvailabilityZones", describe_more::describe_availability_zones),
    read("DescribeAccountAttributes", describe_more::describe_account_attributes),
    read("DescribeTags", describe_more::describe_tags),
    read("DescribeVpcAttribute", describe_more::describe_vpc_attribute),
    read("DescribeVpcEndpoints", endpoints::describe_vpc_endpoints),
    read("DescribePrefixLists", endpoints::describe_prefix_lists),
    read("DescribeVpcEndpointServices", endpoints::describe_vpc_endpoint_services),
    write("CreateVpc", network::create_vpc),
    write("DeleteVpc", network::delete_vpc),
    write("ModifyVpcAttribute", network::modify_vpc_attribute),
    write("CreateSubnet", network::create_subnet),
    write("DeleteSubnet", network::delete_subnet),
    write("ModifySubnetAttribute", network::modify_subnet_attribute),
    write("CreateTags", network::create_tags),
    write("DeleteTags", network::delete_tags),
    write("CreateNetworkInterface", network::create_network_interface),
    write("DeleteNetworkInterface", network::delete_network_interface),
    write("CreateRouteTable", routing::create_route_table),
    write("DeleteRouteTable", routing::delete_route_table),
    write("CreateRoute", routing::create_route),
    write("DeleteRoute", routing::delete_route),
    write("ReplaceRoute", routing::replace_route),
    write("AssociateRouteTable", routing::associate_route_table),
    write("DisassociateRouteTable", routing::disassociate_route_table),
    write("CreateInternetGateway", routing::create_internet_gateway),
    write("AttachInternetGateway", routing::attach_internet_gateway),
    write("DetachInternetGateway", routing::detach_internet_gateway),
    write("DeleteInternetGateway", routing::delete_internet_gateway),
    write("CreateNatGateway", routing::create_nat_gateway),
    write("DeleteNatGateway", routing::delete_nat_gateway),
    write("AllocateAddress", routing::allocate_address),
    write("AssociateAddress", routing::associate_address),
    write("DisassociateAddress", routing::disassociate_address),
    write("ReleaseAddress", routing::release_address),
    write("CreateNetworkAcl", acls::create_network_acl),
    write("DeleteNetworkAcl", acls::delete_network_acl),
    write("CreateNetworkAclEntry", acls::create_network_acl_entry),
    write("DeleteNetworkAclEntry", acls::delete_network_acl_entry),
    write("ReplaceNetworkAclAssociation", acls::replace_network_acl_association),
    write("CreateSecurityGroup", groups::create_security_group),
    write("DeleteSecurityGroup", groups::delete_security_group),
    write("AuthorizeSecurityGroupIngress", groups::authorize_ingress),
    write("AuthorizeSecurityGroupEgress", groups::authorize_egress),
    write("RevokeSecurityGroupIngress", groups::revoke_ingress),
    write("RevokeSecurityGroupEgress", groups::revoke_egress),
    write("CreateVpcEndpoint", endpoints::create_vpc_endpoint),
    write("ModifyVpcEndpoint", endpoints::modify_vpc_endpoint),
    write("DeleteVpcEndpoints", endpoints::delete_vpc_endpoints),
];

/// The account's EC2 error as the wire answers it.
fn aws(e: &Ec2Error) -> WireError {
    WireError::from_aws(e)
}

/// The answer of calls whose output is only `Return`.
fn done() -> Value {
    json!({"Return": true})
}

/// A text member the action needs though the model leaves it optional:
/// EC2's `MissingParameter` (inferred text: the pattern of EC2's message
/// for a missing required parameter, with the query's lower-case name).
fn needed<'v>(input: &'v Value, member: &str) -> Result<&'v str, WireError> {
    super::input::text(input, member).ok_or_else(|| {
        let mut name = member.to_string();
        if let Some(first) = name.get(..1) {
            name.replace_range(..1, &first.to_ascii_lowercase());
        }
        WireError::bad("MissingParameter", format!("The request must contain the parameter {name}"))
    })
}

/// A parameter tasknet does not model (IPv6, IPAM, Outposts, …): refused
/// in tasknet's words rather than ignored, so no caller believes it took.
fn unmodelled(input: &Value, members: &[&str]) -> Result<(), WireError> {
    match members.iter().find(|m| input.get(**m).is_some()) {
        Some(m) => Err(WireError::bad("InvalidParameterValue", format!("tasknet does not model the parameter {m}"))),
        None => Ok(()),
    }
}

/// `DryRun`: EC2 answers `DryRunOperation` (HTTP 412) instead of acting,
/// tasknet's caller always holding the permissions (AWS doc "Error codes
/// for the Amazon EC2 API": DryRunOperation).
fn dry_run(input: &Value) -> Result<(), WireError> {
    if super::input::boolean(input, "DryRun") == Some(true) {
        return Err(WireError::new(412, "DryRunOperation", "Request would have succeeded, but DryRun flag is set."));
    }
    Ok(())
}

/// The whole account in view (the wire narrows by the request's IDs and
/// filters, not by a stack).
fn everything(r: &Read<'_>, f: impl FnOnce(&Selection<'_>) -> Value) -> Result<Value, WireError> {
    let query = Query::default();
    let sel = Selection::new(r.account, &query, "Describe").map_err(|e| WireError::from_aws(&e))?;
    Ok(f(&sel))
}

/// How one Describe call narrows its list: the operation (for its
/// `MaxResults` range), the list member, the ID parameter and member, the
/// not-found error, and its filters (member paths per filter name).
struct Narrowing {
    op: &'static str,
    list: &'static str,
    ids_param: &'static str,
    id_member: &'static str,
    missing: fn(String) -> Ec2Error,
    filters: &'static [(&'static str, &'static str)],
}

/// Narrows `doc` by the request's IDs (each must exist: EC2's NotFound
/// otherwise) and filters, then cuts the page the request asks for.
fn narrow(mut doc: Value, input: &Value, n: &Narrowing) -> Result<Value, WireError> {
    dry_run(input)?;
    let ids = super::input::texts(input, n.ids_param);
    if let Some(items) = doc.get_mut(n.list).and_then(Value::as_array_mut) {
        if !ids.is_empty() {
            let id_of = |i: &Value| i.get(n.id_member).and_then(Value::as_str).map(str::to_string);
            if let Some(id) = ids.iter().find(|id| !items.iter().any(|i| id_of(i).as_ref() == Some(id))) {
                return Err(aws(&(n.missing)(id.clone())));
            }
            items.retain(|i| id_of(i).is_some_and(|v| ids.contains(&v)));
        }
    }
    super::filters::apply(&mut doc, n.list, &super::filters::of(input), n.filters)?;
    page(doc, n.list, input, n.op)
}

/// `MaxResults`/`NextToken` over the list member `list` (tasknet's opaque
/// tokens, [`super::pages`]). Without `MaxResults` the whole list is one
/// page, as EC2 answers.
fn page(doc: Value, list: &str, input: &Value, op: &str) -> Result<Value, WireError> {
    let size = super::input::int(input, "MaxResults");
    if let Some(m) = size {
        check_max_results(op, m)?;
    }
    let limits = super::pages::Limits { default: usize::MAX, max: usize::MAX };
    // Unverified: EC2's code for a token it did not issue (InvalidPaginationToken, per the
    // EC2 error code list as we recall it); the text is tasknet's.
    let bad = |m: String| WireError::bad("InvalidPaginationToken", m);
    super::pages::page_doc(doc, list, "NextToken", super::input::text(input, "NextToken"), size, limits, bad)
}

/// `MaxResults` within the range the model gives the operation (5 to 1000
/// for most; DescribeInstances' and DescribeTags' models give none, and EC2
/// documents 5 to 1000 for them too). Seen for DescribeInstances (aws-sdk-ruby
/// PR 2575): `Value ( 1 ) for parameter maxResults is invalid. Expecting a
/// value greater than 5.`; the text above the range is patterned on it (inferred).
fn check_max_results(op: &str, m: i64) -> Result<(), WireError> {
    let model = Service::Ec2.model();
    let range = model
        .input(op)
        .and_then(|s| s.def["members"]["MaxResults"]["shape"].as_str())
        .and_then(|name| model.shape(name))
        .map(|s| (s.def["min"].as_i64().unwrap_or(5), s.def["max"].as_i64().unwrap_or(1000)))
        .unwrap_or((5, 1000));
    if m < range.0 {
        return Err(WireError::bad(
            "InvalidParameterValue",
            format!("Value ( {m} ) for parameter maxResults is invalid. Expecting a value greater than {}.", range.0),
        ));
    }
    if m > range.1 {
        return Err(WireError::bad(
            "InvalidParameterValue",
            format!("Value ( {m} ) for parameter maxResults is invalid. Expecting a value less than {}.", range.1),
        ));
    }
    Ok(())
}

/// The tags of a create call's `TagSpecifications` (every specification's:
/// each create call makes one resource).
fn tag_specifications(input: &Value) -> Vec<(String, String)> {
    input
        .get("TagSpecifications")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .flat_map(|spec| spec.get("Tags").and_then(Value::as_array).into_iter().flatten())
        .filter_map(|t| {
            let key = t.get("Key").and_then(Value::as_str)?;
            Some((key.to_string(), t.get("Value").and_then(Value::as_str).unwrap_or_default().to_string()))
        })
        .collect()
}

/// Tags the resource a create call just made with its `TagSpecifications`.
fn tag_new(account: &mut account::Account, id: &str, input: &Value) -> Result<(), WireError> {
    let tags = tag_specifications(input);
    if tags.is_empty() {
        return Ok(());
    }
    account.create_tags(&[id.to_string()], &tags).map_err(|e| aws(&e))
}

#[cfg(test)]
mod tests;
