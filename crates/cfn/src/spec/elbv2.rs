//! Elastic Load Balancing v2: load balancers, target groups, listeners, rules.
//!
//! Property names, types and `required` from the CloudFormation resource
//! schemas for us-east-1 (as shipped in cfn-lint 1.51.0, May 2026); GetAtt
//! names from the schemas' readOnlyProperties. Generated, then checked by hand.

#[allow(unused_imports)]
use super::types::{opt, req, ANY, B, I, J, N, S};
use super::{PropType as T, ResourceSpec};

const LOAD_BALANCER_ATTRIBUTE: T = T::Struct(&[opt("Key", S), opt("Value", S)]);

const MINIMUM_LOAD_BALANCER_CAPACITY: T = T::Struct(&[req("CapacityUnits", I)]);

const SUBNET_MAPPING: T = T::Struct(&[
    opt("AllocationId", S),
    opt("IPv6Address", S),
    opt("PrivateIPv4Address", S),
    opt("SourceNatIpv6Prefix", S),
    req("SubnetId", S),
]);

const TAG: T = T::Struct(&[req("Key", S), opt("Value", S)]);

const MATCHER: T = T::Struct(&[opt("GrpcCode", S), opt("HttpCode", S)]);

const TAG_2: T = T::Struct(&[req("Key", S), req("Value", S)]);

const TARGET_DESCRIPTION: T =
    T::Struct(&[opt("AvailabilityZone", S), req("Id", S), opt("Port", I), opt("QuicServerId", S)]);

const CERTIFICATE: T = T::Struct(&[opt("CertificateArn", S)]);

const AUTHENTICATE_COGNITO_CONFIG: T = T::Struct(&[
    opt("AuthenticationRequestExtraParams", T::Map(&S)),
    opt("OnUnauthenticatedRequest", S),
    opt("Scope", S),
    opt("SessionCookieName", S),
    opt("SessionTimeout", S),
    req("UserPoolArn", S),
    req("UserPoolClientId", S),
    req("UserPoolDomain", S),
]);

const AUTHENTICATE_OIDC_CONFIG: T = T::Struct(&[
    opt("AuthenticationRequestExtraParams", T::Map(&S)),
    req("AuthorizationEndpoint", S),
    req("ClientId", S),
    opt("ClientSecret", S),
    req("Issuer", S),
    opt("OnUnauthenticatedRequest", S),
    opt("Scope", S),
    opt("SessionCookieName", S),
    opt("SessionTimeout", S),
    req("TokenEndpoint", S),
    opt("UseExistingClientSecret", B),
    req("UserInfoEndpoint", S),
]);

const FIXED_RESPONSE_CONFIG: T = T::Struct(&[opt("ContentType", S), opt("MessageBody", S), req("StatusCode", S)]);

const TARGET_GROUP_STICKINESS_CONFIG: T = T::Struct(&[opt("DurationSeconds", I), opt("Enabled", B)]);

const TARGET_GROUP_TUPLE: T = T::Struct(&[opt("TargetGroupArn", S), opt("Weight", I)]);

const FORWARD_CONFIG: T = T::Struct(&[
    opt("TargetGroupStickinessConfig", TARGET_GROUP_STICKINESS_CONFIG),
    opt("TargetGroups", T::List(&TARGET_GROUP_TUPLE)),
]);

const JWT_VALIDATION_ACTION_ADDITIONAL_CLAIM: T =
    T::Struct(&[req("Format", S), req("Name", S), req("Values", T::List(&S))]);

const JWT_VALIDATION_CONFIG: T = T::Struct(&[
    opt("AdditionalClaims", T::List(&JWT_VALIDATION_ACTION_ADDITIONAL_CLAIM)),
    req("Issuer", S),
    req("JwksEndpoint", S),
]);

const REDIRECT_CONFIG: T = T::Struct(&[
    opt("Host", S),
    opt("Path", S),
    opt("Port", S),
    opt("Protocol", S),
    opt("Query", S),
    req("StatusCode", S),
]);

const ACTION: T = T::Struct(&[
    opt("AuthenticateCognitoConfig", AUTHENTICATE_COGNITO_CONFIG),
    opt("AuthenticateOidcConfig", AUTHENTICATE_OIDC_CONFIG),
    opt("FixedResponseConfig", FIXED_RESPONSE_CONFIG),
    opt("ForwardConfig", FORWARD_CONFIG),
    opt("JwtValidationConfig", JWT_VALIDATION_CONFIG),
    opt("Order", I),
    opt("RedirectConfig", REDIRECT_CONFIG),
    opt("TargetGroupArn", S),
    req("Type", S),
]);

const MUTUAL_AUTHENTICATION: T = T::Struct(&[
    opt("AdvertiseTrustStoreCaNames", S),
    opt("IgnoreClientCertificateExpiry", B),
    opt("Mode", S),
    opt("TrustStoreArn", S),
]);

const AUTHENTICATE_COGNITO_CONFIG_2: T = T::Struct(&[
    opt("AuthenticationRequestExtraParams", T::Map(&S)),
    opt("OnUnauthenticatedRequest", S),
    opt("Scope", S),
    opt("SessionCookieName", S),
    opt("SessionTimeout", I),
    req("UserPoolArn", S),
    req("UserPoolClientId", S),
    req("UserPoolDomain", S),
]);

const AUTHENTICATE_OIDC_CONFIG_2: T = T::Struct(&[
    opt("AuthenticationRequestExtraParams", T::Map(&S)),
    req("AuthorizationEndpoint", S),
    req("ClientId", S),
    opt("ClientSecret", S),
    req("Issuer", S),
    opt("OnUnauthenticatedRequest", S),
    opt("Scope", S),
    opt("SessionCookieName", S),
    opt("SessionTimeout", I),
    req("TokenEndpoint", S),
    opt("UseExistingClientSecret", B),
    req("UserInfoEndpoint", S),
]);

const ACTION_2: T = T::Struct(&[
    opt("AuthenticateCognitoConfig", AUTHENTICATE_COGNITO_CONFIG_2),
    opt("AuthenticateOidcConfig", AUTHENTICATE_OIDC_CONFIG_2),
    opt("FixedResponseConfig", FIXED_RESPONSE_CONFIG),
    opt("ForwardConfig", FORWARD_CONFIG),
    opt("JwtValidationConfig", JWT_VALIDATION_CONFIG),
    opt("Order", I),
    opt("RedirectConfig", REDIRECT_CONFIG),
    opt("TargetGroupArn", S),
    req("Type", S),
]);

const HOST_HEADER_CONFIG: T = T::Struct(&[opt("RegexValues", T::List(&S)), opt("Values", T::List(&S))]);

const HTTP_HEADER_CONFIG: T =
    T::Struct(&[opt("HttpHeaderName", S), opt("RegexValues", T::List(&S)), opt("Values", T::List(&S))]);

const HTTP_REQUEST_METHOD_CONFIG: T = T::Struct(&[opt("Values", T::List(&S))]);

const QUERY_STRING_CONFIG: T = T::Struct(&[opt("Values", T::List(&LOAD_BALANCER_ATTRIBUTE))]);

const RULE_CONDITION: T = T::Struct(&[
    opt("Field", S),
    opt("HostHeaderConfig", HOST_HEADER_CONFIG),
    opt("HttpHeaderConfig", HTTP_HEADER_CONFIG),
    opt("HttpRequestMethodConfig", HTTP_REQUEST_METHOD_CONFIG),
    opt("PathPatternConfig", HOST_HEADER_CONFIG),
    opt("QueryStringConfig", QUERY_STRING_CONFIG),
    opt("RegexValues", T::List(&S)),
    opt("SourceIpConfig", HTTP_REQUEST_METHOD_CONFIG),
    opt("Values", T::List(&S)),
]);

const REWRITE_CONFIG: T = T::Struct(&[req("Regex", S), req("Replace", S)]);

const REWRITE_CONFIG_OBJECT: T = T::Struct(&[req("Rewrites", T::List(&REWRITE_CONFIG))]);

const TRANSFORM: T = T::Struct(&[
    opt("HostHeaderRewriteConfig", REWRITE_CONFIG_OBJECT),
    req("Type", S),
    opt("UrlRewriteConfig", REWRITE_CONFIG_OBJECT),
]);

// AWS doc: "AWS::ElasticLoadBalancingV2::LoadBalancer"
pub(super) static LOAD_BALANCER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ElasticLoadBalancingV2::LoadBalancer",
    properties: &[
        opt("EnableCapacityReservationProvisionStabilize", B),
        opt("EnablePrefixForIpv6SourceNat", S),
        opt("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", S),
        opt("IpAddressType", S),
        opt("Ipv4IpamPoolId", S),
        opt("LoadBalancerAttributes", T::List(&LOAD_BALANCER_ATTRIBUTE)),
        opt("MinimumLoadBalancerCapacity", MINIMUM_LOAD_BALANCER_CAPACITY),
        opt("Name", S),
        opt("Scheme", S),
        opt("SecurityGroups", T::List(&S)),
        opt("SubnetMappings", T::List(&SUBNET_MAPPING)),
        opt("Subnets", T::List(&S)),
        opt("Tags", T::List(&TAG)),
        opt("Type", S),
    ],
    attributes: &[
        "CanonicalHostedZoneID",
        "DNSName",
        "EnableCapacityReservationProvisionStabilize",
        "EnablePrefixForIpv6SourceNat",
        "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic",
        "IpAddressType",
        "Ipv4IpamPoolId",
        "LoadBalancerArn",
        "LoadBalancerAttributes",
        "LoadBalancerFullName",
        "LoadBalancerName",
        "Name",
        "Scheme",
        "SecurityGroups",
        "SubnetMappings",
        "Subnets",
        "Tags",
        "Type",
    ],
    ref_returns: "the load balancer ARN",
};

// AWS doc: "AWS::ElasticLoadBalancingV2::TargetGroup"
pub(super) static TARGET_GROUP_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ElasticLoadBalancingV2::TargetGroup",
    properties: &[
        opt("HealthCheckEnabled", B),
        opt("HealthCheckIntervalSeconds", I),
        opt("HealthCheckPath", S),
        opt("HealthCheckPort", S),
        opt("HealthCheckProtocol", S),
        opt("HealthCheckTimeoutSeconds", I),
        opt("HealthyThresholdCount", I),
        opt("IpAddressType", S),
        opt("Matcher", MATCHER),
        opt("Name", S),
        opt("Port", I),
        opt("Protocol", S),
        opt("ProtocolVersion", S),
        opt("Tags", T::List(&TAG_2)),
        opt("TargetControlPort", I),
        opt("TargetGroupAttributes", T::List(&LOAD_BALANCER_ATTRIBUTE)),
        opt("TargetType", S),
        opt("Targets", T::List(&TARGET_DESCRIPTION)),
        opt("UnhealthyThresholdCount", I),
        opt("VpcId", S),
    ],
    attributes: &["LoadBalancerArns", "TargetGroupArn", "TargetGroupFullName", "TargetGroupName"],
    ref_returns: "the target group ARN",
};

// AWS doc: "AWS::ElasticLoadBalancingV2::Listener"
pub(super) static LISTENER_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ElasticLoadBalancingV2::Listener",
    properties: &[
        opt("AlpnPolicy", T::List(&S)),
        opt("Certificates", T::List(&CERTIFICATE)),
        req("DefaultActions", T::List(&ACTION)),
        opt("ListenerAttributes", T::List(&LOAD_BALANCER_ATTRIBUTE)),
        req("LoadBalancerArn", S),
        opt("MutualAuthentication", MUTUAL_AUTHENTICATION),
        opt("Port", I),
        opt("Protocol", S),
        opt("SslPolicy", S),
    ],
    attributes: &["ListenerArn"],
    ref_returns: "the listener ARN",
};

// AWS doc: "AWS::ElasticLoadBalancingV2::ListenerRule"
pub(super) static LISTENER_RULE_SPEC: ResourceSpec = ResourceSpec {
    type_name: "AWS::ElasticLoadBalancingV2::ListenerRule",
    properties: &[
        req("Actions", T::List(&ACTION_2)),
        req("Conditions", T::List(&RULE_CONDITION)),
        opt("ListenerArn", S),
        req("Priority", I),
        opt("Transforms", T::List(&TRANSFORM)),
    ],
    attributes: &["IsDefault", "RuleArn"],
    ref_returns: "the rule ARN",
};
