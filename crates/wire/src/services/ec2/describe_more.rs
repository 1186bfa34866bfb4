//! The Describe calls that narrow differently: DescribeAddresses (two ID
//! lists, no pages), DescribeInstances (reservations, filtered per
//! instance), DescribeAvailabilityZones, DescribeAccountAttributes,
//! DescribeTags and DescribeVpcAttribute.

use super::{aws, dry_run, everything, narrow, page, tables, Narrowing};
use crate::dispatch::Read;
use crate::error::WireError;
use crate::services::{filters, input};
use account::Ec2Error;
use serde_json::{json, Value};

/// Keeps the items of `list` whose `member` is one of `wanted`; the first
/// wanted value no item has is `missing`'s error.
fn only(
    doc: &mut Value,
    list: &str,
    member: &str,
    wanted: &[String],
    missing: impl Fn(&str) -> Ec2Error,
) -> Result<(), WireError> {
    if wanted.is_empty() {
        return Ok(());
    }
    let Some(items) = doc.get_mut(list).and_then(Value::as_array_mut) else { return Ok(()) };
    let of = |i: &Value| i.get(member).and_then(Value::as_str).map(str::to_string);
    if let Some(w) = wanted.iter().find(|w| !items.iter().any(|i| of(i).as_ref() == Some(*w))) {
        return Err(aws(&missing(w)));
    }
    items.retain(|i| of(i).is_some_and(|v| wanted.contains(&v)));
    Ok(())
}

/// DescribeAddresses by `AllocationIds` and `PublicIps`. The model has no
/// pagination for it.
pub(super) fn describe_addresses(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let mut doc = everything(r, shapes::ec2::describe_addresses)?;
    let allocations = input::texts(input, "AllocationIds");
    only(&mut doc, "Addresses", "AllocationId", &allocations, |id| Ec2Error::AllocationNotFound(id.to_string()))?;
    // Inferred: the code and text for an unknown public address follow the allocation's pattern.
    let ips = input::texts(input, "PublicIps");
    only(&mut doc, "Addresses", "PublicIp", &ips, |ip| {
        Ec2Error::InvalidParameterValue(format!("Address '{ip}' not found."))
    })?;
    filters::apply(&mut doc, "Addresses", &filters::of(input), tables::ADDRESS)?;
    Ok(doc)
}

/// DescribeInstances: each instance its own reservation; the filters keep
/// or drop instances (`owner-id` reads the reservation's owner), and a
/// reservation left without any goes. `InstanceIds` and `MaxResults` do
/// not combine (the aws CLI's users have seen EC2 refuse such pairs with
/// InvalidParameterCombination; the text is patterned on theirs, inferred).
pub(super) fn describe_instances(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let ids = input::texts(input, "InstanceIds");
    if !ids.is_empty() && input::int(input, "MaxResults").is_some() {
        return Err(WireError::bad(
            "InvalidParameterCombination",
            "The parameter instancesSet cannot be used with the parameter maxResults",
        ));
    }
    if let Some(id) = ids.iter().find(|id| !r.account.instances.contains_key(id.as_str())) {
        return Err(aws(&Ec2Error::InstanceNotFound(id.clone())));
    }
    let wanted = filters::of(input);
    filters::check(&wanted, tables::INSTANCE)?;
    let mut doc = everything(r, shapes::ec2::describe_instances)?;
    if let Some(reservations) = doc.get_mut("Reservations").and_then(Value::as_array_mut) {
        for res in reservations.iter_mut() {
            let owner = res.get("OwnerId").cloned().unwrap_or(Value::Null);
            if let Some(list) = res.get_mut("Instances").and_then(Value::as_array_mut) {
                list.retain(|i| {
                    let id = i.get("InstanceId").and_then(Value::as_str).unwrap_or_default();
                    let mut seen = i.clone();
                    if let Some(m) = seen.as_object_mut() {
                        m.insert("OwnerId".into(), owner.clone());
                    }
                    (ids.is_empty() || ids.iter().any(|w| w == id)) && filters::keep(&seen, &wanted, tables::INSTANCE)
                });
            }
        }
        reservations.retain(|res| res.get("Instances").and_then(Value::as_array).is_some_and(|l| !l.is_empty()));
    }
    page(doc, "Reservations", input, "DescribeInstances")
}

/// DescribeAvailabilityZones by `ZoneNames` and `ZoneIds`. Inferred code
/// and text for an unknown zone (InvalidParameterValue, as EC2 answers a
/// bad value).
pub(super) fn describe_availability_zones(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let mut doc = shapes::ec2::describe_availability_zones(r.account);
    let unknown = |z: &str| Ec2Error::InvalidParameterValue(format!("Invalid availability zone: [{z}]"));
    only(&mut doc, "AvailabilityZones", "ZoneName", &input::texts(input, "ZoneNames"), unknown)?;
    only(&mut doc, "AvailabilityZones", "ZoneId", &input::texts(input, "ZoneIds"), unknown)?;
    filters::apply(&mut doc, "AvailabilityZones", &filters::of(input), tables::AVAILABILITY_ZONE)?;
    Ok(doc)
}

/// DescribeAccountAttributes, narrowed to `AttributeNames` when given (the
/// model's enum: names tasknet has no value for are left out).
pub(super) fn describe_account_attributes(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let mut doc = shapes::ec2::describe_account_attributes(r.account);
    let names = input::texts(input, "AttributeNames");
    if !names.is_empty() {
        if let Some(items) = doc.get_mut("AccountAttributes").and_then(Value::as_array_mut) {
            items.retain(|a| {
                a.get("AttributeName").and_then(Value::as_str).is_some_and(|n| names.iter().any(|w| w == n))
            });
        }
    }
    Ok(doc)
}

pub(super) fn describe_tags(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    let n = Narrowing {
        op: "DescribeTags",
        list: "Tags",
        ids_param: "",
        id_member: "",
        missing: Ec2Error::InvalidParameterValue,
        filters: tables::TAG,
    };
    narrow(everything(r, shapes::ec2::describe_tags)?, input, &n)
}

/// DescribeVpcAttribute: one attribute per call, as the API takes it.
/// Network Address Usage metrics are not modelled: always off.
pub(super) fn describe_vpc_attribute(r: &Read<'_>, input: &Value) -> Result<Value, WireError> {
    dry_run(input)?;
    let vpc_id = input::text(input, "VpcId").unwrap_or_default();
    let vpc = r.account.vpc(vpc_id).map_err(|e| aws(&e))?;
    let attribute = input::text(input, "Attribute").unwrap_or_default();
    let value = match attribute {
        "enableDnsSupport" => ("EnableDnsSupport", vpc.enable_dns_support),
        "enableDnsHostnames" => ("EnableDnsHostnames", vpc.enable_dns_hostnames),
        "enableNetworkAddressUsageMetrics" => ("EnableNetworkAddressUsageMetrics", false),
        // The decoder checked the model's enum; a value past it is a newer attribute.
        other => {
            return Err(WireError::bad(
                "InvalidParameterValue",
                format!("tasknet does not model the VPC attribute '{other}'"),
            ))
        }
    };
    let mut out = json!({"VpcId": vpc.vpc_id});
    if let Some(m) = out.as_object_mut() {
        m.insert(value.0.into(), json!({"Value": value.1}));
    }
    Ok(out)
}
