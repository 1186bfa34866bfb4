//! Route 53 (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const HOSTED_ZONE_CONFIG: T = T::Struct(&[opt("Comment", S)]);

const HOSTED_ZONE_FEATURES: T = T::Struct(&[opt("EnableAcceleratedRecovery", B)]);

const HOSTED_ZONE_TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const QUERY_LOGGING_CONFIG: T = T::Struct(&[req("CloudWatchLogsLogGroupArn", S)]);

const VPC: T = T::Struct(&[req("VPCId", S), req("VPCRegion", S)]);

const ALIAS_TARGET: T = T::Struct(&[req("DNSName", S), opt("EvaluateTargetHealth", B), req("HostedZoneId", S)]);

const CIDR_ROUTING_CONFIG: T = T::Struct(&[req("CollectionId", S), req("LocationName", S)]);

const GEO_LOCATION: T = T::Struct(&[opt("ContinentCode", S), opt("CountryCode", S), opt("SubdivisionCode", S)]);

const GEO_PROXIMITY_LOCATION: T =
    T::Struct(&[opt("AWSRegion", S), opt("Bias", I), opt("Coordinates", J), opt("LocalZoneGroup", S)]);

// AWS doc: "AWS::Route53::HostedZone"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static HOSTED_ZONE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Route53::HostedZone",
    properties: &[
        opt("HostedZoneConfig", HOSTED_ZONE_CONFIG),
        opt("HostedZoneFeatures", HOSTED_ZONE_FEATURES),
        opt("HostedZoneTags", T::List(&HOSTED_ZONE_TAG)),
        opt("Name", S),
        opt("QueryLoggingConfig", QUERY_LOGGING_CONFIG),
        opt("VPCs", T::List(&VPC)),
    ],
    attributes: &["Id", "NameServers"],
    ref_returns: "the hosted zone ID, e.g. `Z23ABC4XYZL05B`",
};

// AWS doc: "AWS::Route53::RecordSet"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static RECORD_SET_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::Route53::RecordSet",
    properties: &[
        opt("AliasTarget", ALIAS_TARGET),
        opt("CidrRoutingConfig", CIDR_ROUTING_CONFIG),
        opt("Comment", S),
        opt("Failover", S),
        opt("GeoLocation", GEO_LOCATION),
        opt("GeoProximityLocation", GEO_PROXIMITY_LOCATION),
        opt("HealthCheckId", S),
        opt("HostedZoneId", S),
        opt("HostedZoneName", S),
        opt("MultiValueAnswer", B),
        req("Name", S),
        opt("Region", S),
        opt("ResourceRecords", T::List(&S)),
        opt("SetIdentifier", S),
        opt("TTL", S),
        req("Type", S),
        opt("Weight", I),
    ],
    attributes: &["Id"],
    ref_returns: "the record's domain name",
};
