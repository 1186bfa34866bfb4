//! EC2's API errors: AWS's error code plus its message, verbatim.
//!
//! Texts marked "seen" in shared/aws-facts.md are reproduced exactly. The
//! others are marked `inferred` below: they follow AWS's patterns but were not
//! checked against AWS output.

/// An EC2 API error, displayed as AWS's message; `code()` gives AWS's code.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Ec2Error {
    /// `InvalidVpcID.NotFound` (seen).
    #[error("The vpc ID '{0}' does not exist")]
    VpcNotFound(String),
    /// `InvalidSubnetID.NotFound` (seen).
    #[error("The subnet ID '{0}' does not exist")]
    SubnetNotFound(String),
    /// `InvalidGroup.NotFound` (seen).
    #[error("The security group '{0}' does not exist")]
    GroupNotFound(String),
    /// `InvalidRouteTableID.NotFound` (inferred text).
    #[error("The routeTable ID '{0}' does not exist")]
    RouteTableNotFound(String),
    /// `InvalidInternetGatewayID.NotFound` (inferred text).
    #[error("The internetGateway ID '{0}' does not exist")]
    InternetGatewayNotFound(String),
    /// `NatGatewayNotFound` (inferred text).
    #[error("The Nat Gateway {0} was not found")]
    NatGatewayNotFound(String),
    /// `InvalidAllocationID.NotFound` (inferred text).
    #[error("The allocation ID '{0}' does not exist")]
    AllocationNotFound(String),
    /// `InvalidNetworkAclID.NotFound` (inferred text).
    #[error("The networkAcl ID '{0}' does not exist")]
    NetworkAclNotFound(String),
    /// `InvalidNetworkInterfaceID.NotFound` (inferred text).
    #[error("The networkInterface ID '{0}' does not exist")]
    NetworkInterfaceNotFound(String),
    /// `InvalidInstanceID.NotFound` (inferred text).
    #[error("The instance ID '{0}' does not exist")]
    InstanceNotFound(String),
    /// `InvalidAssociationID.NotFound` (inferred text).
    #[error("The association ID '{0}' does not exist")]
    AssociationNotFound(String),
    /// `InvalidSubnet.Range` (seen): outside the VPC, malformed, or a bad size.
    #[error("The CIDR '{0}' is invalid.")]
    SubnetRange(String),
    /// `InvalidSubnet.Conflict` (seen).
    #[error("The CIDR '{0}' conflicts with another subnet")]
    SubnetConflict(String),
    /// `InvalidVpc.Range` (inferred: same text as the subnet's).
    #[error("The CIDR '{0}' is invalid.")]
    VpcRange(String),
    /// `InvalidParameterValue` with AWS's text, e.g. (seen)
    /// `route table rtb-x and network gateway igw-y belong to different networks`.
    #[error("{0}")]
    InvalidParameterValue(String),
    /// `InvalidParameter` with AWS's text, e.g. (seen)
    /// `Security group sg-x and subnet subnet-y belong to different networks.`
    #[error("{0}")]
    InvalidParameter(String),
    /// `RouteAlreadyExists` (seen).
    #[error("The route identified by {0} already exists.")]
    RouteAlreadyExists(String),
    /// `InvalidPermission.Duplicate` (seen): the rule as `ec2::groups::describe_rule` writes it.
    #[error("the specified rule \"{0}\" already exists")]
    PermissionDuplicate(String),
    /// `InvalidPermission.NotFound` (inferred text).
    #[error("The specified rule does not exist in this security group.")]
    PermissionNotFound,
    /// `InvalidGroup.Duplicate` (inferred text).
    #[error("The security group '{0}' already exists for VPC '{1}'")]
    GroupDuplicate(String, String),
    /// `InsufficientFreeAddressesInSubnet` (seen).
    #[error("There are not enough free addresses in subnet '{0}' to satisfy the requested number of instances.")]
    InsufficientFreeAddresses(String),
    /// `InvalidIPAddress.InUse` (inferred text).
    #[error("The specified address is already in use.")]
    AddressInUse,
    /// `Resource.AlreadyAssociated` with AWS's text (inferred texts).
    #[error("{0}")]
    AlreadyAssociated(String),
    /// `NetworkAclEntryAlreadyExists` (inferred text).
    #[error("The network acl entry identified by {0} already exists.")]
    NetworkAclEntryAlreadyExists(u16),
    /// `AddressLimitExceeded` (inferred text): the emulated public range is used up.
    #[error("The maximum number of addresses has been reached.")]
    AddressLimitExceeded,
    /// `DependencyViolation` with AWS's text (seen).
    #[error("{0}")]
    DependencyViolation(String),
    /// `OperationNotPermitted` with AWS's text.
    #[error("{0}")]
    OperationNotPermitted(String),
    /// `InvalidRoute.NotFound` with its text (inferred text).
    #[error("{0}")]
    RouteNotFound(String),
    /// `Gateway.NotAttached` with its text (inferred text for DetachInternetGateway).
    #[error("{0}")]
    GatewayNotAttached(String),
    /// `CannotDelete`: a VPC's default security group (text seen in users' code matching AWS's).
    #[error("the specified group: \"{0}\" name: \"default\" cannot be deleted by a user")]
    CannotDeleteDefaultGroup(String),
    /// `InvalidIPAddress.InUse` on ReleaseAddress of an associated Elastic IP (inferred text).
    #[error("Address {0} is in use.")]
    ElasticIpInUse(String),
    /// `InvalidNetworkAclEntry.NotFound` (inferred text).
    #[error("The network acl entry identified by {0} could not be found.")]
    NetworkAclEntryNotFound(u16),
    /// `InvalidSecurityGroupRuleId.NotFound` (inferred code and text: the
    /// pattern of the other not-found errors; not checked against AWS).
    #[error("The security group rule ID '{0}' does not exist")]
    SecurityGroupRuleNotFound(String),
    /// `InvalidGroup.NotFound` for a group named in the default VPC (seen,
    /// aws/aws-sdk issue 402: `The security group 'X' does not exist in default VPC 'Y'`).
    #[error("The security group '{0}' does not exist in default VPC '{1}'")]
    GroupNotFoundInDefaultVpc(String, String),
    /// `VPCIdNotSpecified`: a group named without a VPC and the account has
    /// no default VPC (inferred text).
    #[error("No default VPC for this user")]
    NoDefaultVpc,
    /// `InvalidVpcEndpointId.NotFound` (code seen in users' reports; text
    /// inferred, the pattern of the other not-found errors).
    #[error("The Vpc Endpoint Id '{0}' does not exist")]
    VpcEndpointNotFound(String),
    /// `InvalidServiceName` (seen: terraform-aws-modules/terraform-aws-vpc issue 481).
    #[error("The Vpc Endpoint Service '{0}' does not exist")]
    InvalidServiceName(String),
    /// `DuplicateSubnetsInSameZone` (seen: terraform-aws-modules/terraform-aws-vpc issue 583).
    #[error(
        "Found another VPC endpoint subnet in the availability zone of {0}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service."
    )]
    DuplicateSubnetsInSameZone(String),
    /// `InvalidPrefixListId.NotFound` (inferred code and text: the pattern of
    /// the other not-found errors; not checked against AWS).
    #[error("The prefix list ID '{0}' does not exist")]
    PrefixListNotFound(String),
}

/// An error of another AWS API (Auto Scaling, ECS, ELBv2, RDS): its code
/// and AWS's message, displayed as the message.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ServiceError {
    /// The service whose API returns it (codes repeat across services with different statuses).
    pub service: crate::AwsService,
    /// AWS's error code, e.g. `ResourceInUse`, `ValidationError`, `ClusterContainsServicesException`.
    pub code: String,
    /// AWS's text.
    pub message: String,
}

impl ServiceError {
    /// An error of `service` with `code` and `message`.
    pub fn new(service: crate::AwsService, code: &str, message: impl Into<String>) -> Self {
        ServiceError { service, code: code.to_string(), message: message.into() }
    }
}

impl Ec2Error {
    /// The text for an Elastic IP that is already associated (seen, in a NAT
    /// gateway's failure message; reused for the direct calls, inferred).
    pub fn already_associated_text(allocation_id: &str) -> String {
        format!("Elastic IP address {allocation_id} is already associated")
    }

    /// AWS's error code, e.g. `InvalidSubnet.Conflict`.
    pub fn code(&self) -> &'static str {
        match self {
            Ec2Error::VpcNotFound(_) => "InvalidVpcID.NotFound",
            Ec2Error::SubnetNotFound(_) => "InvalidSubnetID.NotFound",
            Ec2Error::GroupNotFound(_) => "InvalidGroup.NotFound",
            Ec2Error::RouteTableNotFound(_) => "InvalidRouteTableID.NotFound",
            Ec2Error::InternetGatewayNotFound(_) => "InvalidInternetGatewayID.NotFound",
            Ec2Error::NatGatewayNotFound(_) => "NatGatewayNotFound",
            Ec2Error::AllocationNotFound(_) => "InvalidAllocationID.NotFound",
            Ec2Error::NetworkAclNotFound(_) => "InvalidNetworkAclID.NotFound",
            Ec2Error::NetworkInterfaceNotFound(_) => "InvalidNetworkInterfaceID.NotFound",
            Ec2Error::InstanceNotFound(_) => "InvalidInstanceID.NotFound",
            Ec2Error::AssociationNotFound(_) => "InvalidAssociationID.NotFound",
            Ec2Error::SubnetRange(_) => "InvalidSubnet.Range",
            Ec2Error::SubnetConflict(_) => "InvalidSubnet.Conflict",
            Ec2Error::VpcRange(_) => "InvalidVpc.Range",
            Ec2Error::InvalidParameterValue(_) => "InvalidParameterValue",
            Ec2Error::InvalidParameter(_) => "InvalidParameter",
            Ec2Error::RouteAlreadyExists(_) => "RouteAlreadyExists",
            Ec2Error::PermissionDuplicate(_) => "InvalidPermission.Duplicate",
            Ec2Error::PermissionNotFound => "InvalidPermission.NotFound",
            Ec2Error::GroupDuplicate(_, _) => "InvalidGroup.Duplicate",
            Ec2Error::InsufficientFreeAddresses(_) => "InsufficientFreeAddressesInSubnet",
            Ec2Error::AddressInUse => "InvalidIPAddress.InUse",
            Ec2Error::AlreadyAssociated(_) => "Resource.AlreadyAssociated",
            Ec2Error::NetworkAclEntryAlreadyExists(_) => "NetworkAclEntryAlreadyExists",
            Ec2Error::AddressLimitExceeded => "AddressLimitExceeded",
            Ec2Error::DependencyViolation(_) => "DependencyViolation",
            Ec2Error::OperationNotPermitted(_) => "OperationNotPermitted",
            Ec2Error::RouteNotFound(_) => "InvalidRoute.NotFound",
            Ec2Error::GatewayNotAttached(_) => "Gateway.NotAttached",
            Ec2Error::CannotDeleteDefaultGroup(_) => "CannotDelete",
            Ec2Error::ElasticIpInUse(_) => "InvalidIPAddress.InUse",
            Ec2Error::NetworkAclEntryNotFound(_) => "InvalidNetworkAclEntry.NotFound",
            Ec2Error::SecurityGroupRuleNotFound(_) => "InvalidSecurityGroupRuleId.NotFound",
            Ec2Error::GroupNotFoundInDefaultVpc(_, _) => "InvalidGroup.NotFound",
            Ec2Error::NoDefaultVpc => "VPCIdNotSpecified",
            Ec2Error::VpcEndpointNotFound(_) => "InvalidVpcEndpointId.NotFound",
            Ec2Error::InvalidServiceName(_) => "InvalidServiceName",
            Ec2Error::DuplicateSubnetsInSameZone(_) => "DuplicateSubnetsInSameZone",
            Ec2Error::PrefixListNotFound(_) => "InvalidPrefixListId.NotFound",
        }
    }

    /// `route table RTB and network gateway GW belong to different networks` (seen for igw).
    pub fn different_networks_gateway(route_table_id: &str, gateway_id: &str) -> Self {
        Ec2Error::InvalidParameterValue(format!(
            "route table {route_table_id} and network gateway {gateway_id} belong to different networks"
        ))
    }

    /// `Security group SG and subnet SUBNET belong to different networks.` (seen).
    pub fn group_subnet_different_networks(group_id: &str, subnet_id: &str) -> Self {
        Ec2Error::InvalidParameter(format!(
            "Security group {group_id} and subnet {subnet_id} belong to different networks."
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seen_texts_are_verbatim() {
        let e = Ec2Error::SubnetNotFound("subnet-x".into());
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            ("InvalidSubnetID.NotFound", "The subnet ID 'subnet-x' does not exist")
        );
        assert_eq!(Ec2Error::VpcNotFound("vpc-x".into()).to_string(), "The vpc ID 'vpc-x' does not exist");
        assert_eq!(Ec2Error::GroupNotFound("sg-x".into()).to_string(), "The security group 'sg-x' does not exist");
        assert_eq!(Ec2Error::SubnetRange("10.30.1.0/24".into()).to_string(), "The CIDR '10.30.1.0/24' is invalid.");
        assert_eq!(
            Ec2Error::SubnetConflict("10.0.0.128/25".into()).to_string(),
            "The CIDR '10.0.0.128/25' conflicts with another subnet"
        );
        assert_eq!(
            Ec2Error::RouteAlreadyExists("0.0.0.0/0".into()).to_string(),
            "The route identified by 0.0.0.0/0 already exists."
        );
        assert_eq!(
            Ec2Error::PermissionDuplicate("peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW".into()).to_string(),
            "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW\" already exists"
        );
        assert_eq!(
            Ec2Error::InsufficientFreeAddresses("subnet-x".into()).to_string(),
            "There are not enough free addresses in subnet 'subnet-x' to satisfy the requested number of instances."
        );
        let e = Ec2Error::different_networks_gateway("rtb-x", "igw-y");
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            ("InvalidParameterValue", "route table rtb-x and network gateway igw-y belong to different networks")
        );
        let e = Ec2Error::group_subnet_different_networks("sg-x", "subnet-y");
        assert_eq!(
            (e.code(), e.to_string().as_str()),
            ("InvalidParameter", "Security group sg-x and subnet subnet-y belong to different networks.")
        );
    }
}
