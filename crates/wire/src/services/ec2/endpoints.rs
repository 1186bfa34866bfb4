//! VPC endpoints and prefix lists: CreateVpcEndpoint, ModifyVpcEndpoint,
//! DeleteVpcEndpoints, DescribeVpcEndpoints, DescribePrefixLists and
//! DescribeVpcEndpointServices, thin adapters over the account's actions
//! and `shapes::ec2`'s documents.

use super::{aws, done, dry_run, everything, narrow, needed, tables, tag_new, unmodelled, Narrowing};
use crate::dispatch::{Read, Write};
use crate::error::WireError;
use crate::services::input;
use account::{CreateVpcEndpoint, Ec2Error, ModifyVpcEndpoint, VpcEndpointType};
use serde_json::{json, Value};
use shapes::json::prune;

/// The endpoint types tasknet models; `Resource` and `ServiceNetwork`
/// endpoints (VPC Lattice) are refused in tasknet's words.
fn endpoint_type(input: &Value) -> Result<VpcEndpointType, WireError> {
    match input::text(input, "VpcEndpointType") {
        // The API's default (CreateVpcEndpoint: "Default: Gateway").
        None | Some("Gateway") => Ok(VpcEndpointType::Gateway),
        Some("Interface") => Ok(VpcEndpointType::Interface),
        Some("GatewayLoadBalancer") => Ok(VpcEndpointType::GatewayLoadBalancer),
        Some(other) => {
            Err(WireError::bad("InvalidParameterValue", format!("tasknet does not model {other} VPC endpoints")))
        }
    }
}

/// `IpAddressType` other than `ipv4`: tasknet models no IPv6.
fn ipv4_only(input: &Value) -> Result<(), WireError> {
    match input::text(input, "IpAddressType") {
        None | Some("ipv4") => Ok(()),
        Some(_) => unmodelled(input, &["IpAddressType"]),
    }
}

pub(super) fn create_vpc_endpoint(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    ipv4_only(input)?;
    unmodelled(
        input,
        &["DnsOptions", "SubnetConfigurations", "ServiceNetworkArn", "ResourceConfigurationArn", "ServiceRegion"],
    )?;
    let mut req = CreateVpcEndpoint::new(needed(input, "VpcId")?, needed(input, "ServiceName")?);
    req.vpc_endpoint_type = endpoint_type(input)?;
    req.policy_document = input::text(input, "PolicyDocument").map(str::to_string);
    req.route_table_ids = input::texts(input, "RouteTableIds");
    req.subnet_ids = input::texts(input, "SubnetIds");
    req.security_group_ids = input::texts(input, "SecurityGroupIds");
    req.private_dns_enabled = input::boolean(input, "PrivateDnsEnabled");
    let account = &mut w.session.account;
    let endpoint = account.create_vpc_endpoint(req).map_err(|e| aws(&e))?;
    tag_new(account, &endpoint.vpc_endpoint_id, input)?;
    let endpoint = account.vpc_endpoint(&endpoint.vpc_endpoint_id).map_err(|e| aws(&e))?;
    // ClientToken is echoed, not remembered: a retry with the same token makes a second endpoint.
    Ok(prune(json!({
        "VpcEndpoint": shapes::ec2::vpc_endpoint_json(account, endpoint),
        "ClientToken": input::text(input, "ClientToken"),
    })))
}

pub(super) fn modify_vpc_endpoint(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    ipv4_only(input)?;
    unmodelled(input, &["DnsOptions", "SubnetConfigurations"])?;
    let req = ModifyVpcEndpoint {
        vpc_endpoint_id: needed(input, "VpcEndpointId")?.to_string(),
        reset_policy: input::boolean(input, "ResetPolicy").unwrap_or(false),
        policy_document: input::text(input, "PolicyDocument").map(str::to_string),
        add_route_table_ids: input::texts(input, "AddRouteTableIds"),
        remove_route_table_ids: input::texts(input, "RemoveRouteTableIds"),
        add_subnet_ids: input::texts(input, "AddSubnetIds"),
        remove_subnet_ids: input::texts(input, "RemoveSubnetIds"),
        add_security_group_ids: input::texts(input, "AddSecurityGroupIds"),
        remove_security_group_ids: input::texts(input, "RemoveSecurityGroupIds"),
        private_dns_enabled: input::boolean(input, "PrivateDnsEnabled"),
    };
    w.session.account.modify_vpc_endpoint(&req).map_err(|e| aws(&e))?;
    Ok(done())
}

/// DeleteVpcEndpoints: the IDs that name no endpoint are `Unsuccessful`
/// items with their error, the call itself succeeds (API reference).
pub(super) fn delete_vpc_endpoints(w: &mut Write<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let ids = input::texts(input, "VpcEndpointIds");
    let failed = w.session.account.delete_vpc_endpoints(&ids);
    let items: Vec<Value> = failed
        .iter()
        .map(|(id, e)| json!({"Error": {"Code": e.code(), "Message": e.to_string()}, "ResourceId": id}))
        .collect();
    Ok(json!({ "Unsuccessful": items }))
}

pub(super) fn describe_vpc_endpoints(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeVpcEndpoints",
        list: "VpcEndpoints",
        ids_param: "VpcEndpointIds",
        id_member: "VpcEndpointId",
        missing: Ec2Error::VpcEndpointNotFound,
        filters: tables::VPC_ENDPOINT,
    };
    narrow(everything(r, shapes::ec2::describe_vpc_endpoints)?, input, &n)
}

pub(super) fn describe_prefix_lists(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribePrefixLists",
        list: "PrefixLists",
        ids_param: "PrefixListIds",
        id_member: "PrefixListId",
        missing: Ec2Error::PrefixListNotFound,
        filters: tables::PREFIX_LIST,
    };
    narrow(shapes::ec2::describe_prefix_lists(r.account), input, &n)
}

/// DescribeVpcEndpointServices: the details narrowed by `ServiceNames` (an
/// unknown name is InvalidServiceName, as AWS answers) and filters, and
/// `ServiceNames` listing what remains.
pub(super) fn describe_vpc_endpoint_services(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeVpcEndpointServices",
        list: "ServiceDetails",
        ids_param: "ServiceNames",
        id_member: "ServiceName",
        missing: Ec2Error::InvalidServiceName,
        filters: tables::VPC_ENDPOINT_SERVICE,
    };
    let mut doc = narrow(shapes::ec2::describe_vpc_endpoint_services(r.account), input, &n)?;
    let mut names: Vec<Value> = doc
        .get("ServiceDetails")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|d| d.get("ServiceName").cloned())
        .collect();
    names.dedup();
    doc["ServiceNames"] = Value::Array(names);
    Ok(doc)
}
