//! Cloud Map (top-level properties and one level of structures).
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const PROPERTIES: T = T::Struct(&[opt("DnsProperties", J)]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

const DNS_CONFIG: T = T::Struct(&[req("DnsRecords", T::List(&J)), opt("NamespaceId", S), opt("RoutingPolicy", S)]);

const HEALTH_CHECK_CONFIG: T = T::Struct(&[opt("FailureThreshold", N), opt("ResourcePath", S), req("Type", S)]);

const HEALTH_CHECK_CUSTOM_CONFIG: T = T::Struct(&[opt("FailureThreshold", N)]);

// AWS doc: "AWS::ServiceDiscovery::PrivateDnsNamespace"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static PRIVATE_DNS_NAMESPACE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ServiceDiscovery::PrivateDnsNamespace",
    properties: &[
        opt("Description", S),
        req("Name", S),
        opt("Properties", PROPERTIES),
        opt("Tags", T::List(&TAG)),
        req("Vpc", S),
    ],
    attributes: &["Arn", "HostedZoneId", "Id"],
    ref_returns: "the namespace ID, e.g. `ns-0123456789abcdef`",
};

// AWS doc: "AWS::ServiceDiscovery::PublicDnsNamespace"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static PUBLIC_DNS_NAMESPACE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ServiceDiscovery::PublicDnsNamespace",
    properties: &[opt("Description", S), req("Name", S), opt("Properties", PROPERTIES), opt("Tags", T::List(&TAG))],
    attributes: &["Arn", "HostedZoneId", "Id"],
    ref_returns: "the namespace ID",
};

// AWS doc: "AWS::ServiceDiscovery::HttpNamespace"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static HTTP_NAMESPACE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ServiceDiscovery::HttpNamespace",
    properties: &[opt("Description", S), req("Name", S), opt("Tags", T::List(&TAG))],
    attributes: &["Arn", "Id"],
    ref_returns: "the namespace ID",
};

// AWS doc: "AWS::ServiceDiscovery::Service"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static SERVICE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ServiceDiscovery::Service",
    properties: &[
        opt("Description", S),
        opt("DnsConfig", DNS_CONFIG),
        opt("HealthCheckConfig", HEALTH_CHECK_CONFIG),
        opt("HealthCheckCustomConfig", HEALTH_CHECK_CUSTOM_CONFIG),
        opt("Name", S),
        opt("NamespaceId", S),
        opt("ServiceAttributes", J),
        opt("Tags", T::List(&TAG)),
        opt("Type", S),
    ],
    attributes: &["Arn", "Id", "Name"],
    ref_returns: "the service ID, e.g. `srv-0123456789abcdef`",
};
