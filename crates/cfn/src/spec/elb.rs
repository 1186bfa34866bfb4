//! Classic Elastic Load Balancing.
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const ACCESS_LOGGING_POLICY: T =
    T::Struct(&[opt("EmitInterval", I), req("Enabled", B), req("S3BucketName", S), opt("S3BucketPrefix", S)]);

const APP_COOKIE_STICKINESS_POLICY: T = T::Struct(&[req("CookieName", S), req("PolicyName", S)]);

const CONNECTION_DRAINING_POLICY: T = T::Struct(&[req("Enabled", B), opt("Timeout", I)]);

const CONNECTION_SETTINGS: T = T::Struct(&[req("IdleTimeout", I)]);

const HEALTH_CHECK: T = T::Struct(&[
    req("HealthyThreshold", S),
    req("Interval", S),
    req("Target", S),
    req("Timeout", S),
    req("UnhealthyThreshold", S),
]);

const LB_COOKIE_STICKINESS_POLICY: T = T::Struct(&[opt("CookieExpirationPeriod", S), opt("PolicyName", S)]);

const LISTENERS: T = T::Struct(&[
    req("InstancePort", S),
    opt("InstanceProtocol", S),
    req("LoadBalancerPort", S),
    opt("PolicyNames", T::List(&S)),
    req("Protocol", S),
    opt("SSLCertificateId", S),
]);

const POLICIES: T = T::Struct(&[
    req("Attributes", T::List(&J)),
    opt("InstancePorts", T::List(&S)),
    opt("LoadBalancerPorts", T::List(&S)),
    req("PolicyName", S),
    req("PolicyType", S),
]);

const TAG: T = T::Struct(&[req("Key", S), req("Value", S)]);

// AWS doc: "AWS::ElasticLoadBalancing::LoadBalancer"
// Inert here: structures are checked one level deep, deeper objects as free-form JSON.
pub(super) static LOAD_BALANCER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ElasticLoadBalancing::LoadBalancer",
    properties: &[
        opt("AccessLoggingPolicy", ACCESS_LOGGING_POLICY),
        opt("AppCookieStickinessPolicy", T::List(&APP_COOKIE_STICKINESS_POLICY)),
        opt("AvailabilityZones", T::List(&S)),
        opt("ConnectionDrainingPolicy", CONNECTION_DRAINING_POLICY),
        opt("ConnectionSettings", CONNECTION_SETTINGS),
        opt("CrossZone", B),
        opt("HealthCheck", HEALTH_CHECK),
        opt("Instances", T::List(&S)),
        opt("LBCookieStickinessPolicy", T::List(&LB_COOKIE_STICKINESS_POLICY)),
        req("Listeners", T::List(&LISTENERS)),
        opt("LoadBalancerName", S),
        opt("Policies", T::List(&POLICIES)),
        opt("Scheme", S),
        opt("SecurityGroups", T::List(&S)),
        opt("SourceSecurityGroup", J),
        opt("Subnets", T::List(&S)),
        opt("Tags", T::List(&TAG)),
    ],
    attributes: &[
        "CanonicalHostedZoneName",
        "CanonicalHostedZoneNameID",
        "DNSName",
        "Id",
        "SourceSecurityGroup.GroupName",
        "SourceSecurityGroup.OwnerAlias",
    ],
    ref_returns: "the load balancer name",
};
