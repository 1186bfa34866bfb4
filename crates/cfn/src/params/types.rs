//! Parameter types as CloudFormation names them.
//!
//! AWS doc: "Parameters" — sections "Supported parameter types",
//! "AWS-specific parameter types" and "Systems Manager parameter types".
//! The names must match exactly: CloudFormation does not trim or
//! case-fold them.

use std::fmt;

/// The EC2 and Route 53 types whose values CloudFormation checks against
/// the account ("AWS-specific parameter types").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AwsType {
    /// `AWS::EC2::AvailabilityZone::Name`, e.g. `us-east-1a`.
    AvailabilityZoneName,
    /// `AWS::EC2::Image::Id`, e.g. `ami-0ff8a91507f77f867`.
    ImageId,
    /// `AWS::EC2::Instance::Id`, e.g. `i-1e731a32`.
    InstanceId,
    /// `AWS::EC2::KeyPair::KeyName`, e.g. `my-nv-keypair`.
    KeyPairKeyName,
    /// `AWS::EC2::SecurityGroup::GroupName`, e.g. `my-sg-abc`.
    SecurityGroupGroupName,
    /// `AWS::EC2::SecurityGroup::Id`, e.g. `sg-a123fd85`.
    SecurityGroupId,
    /// `AWS::EC2::Subnet::Id`, e.g. `subnet-123a351e`.
    SubnetId,
    /// `AWS::EC2::Volume::Id`, e.g. `vol-3cdd3f56`.
    VolumeId,
    /// `AWS::EC2::VPC::Id`, e.g. `vpc-a123baa3`.
    VpcId,
    /// `AWS::Route53::HostedZone::Id`, e.g. `Z23YXV4OVPL04A`.
    HostedZoneId,
}

/// Every AWS-specific type, in the order the AWS doc lists them.
pub const AWS_TYPES: &[AwsType] = &[
    AwsType::AvailabilityZoneName,
    AwsType::ImageId,
    AwsType::InstanceId,
    AwsType::KeyPairKeyName,
    AwsType::SecurityGroupGroupName,
    AwsType::SecurityGroupId,
    AwsType::SubnetId,
    AwsType::VolumeId,
    AwsType::VpcId,
    AwsType::HostedZoneId,
];

impl AwsType {
    /// The type's name as written in templates.
    pub fn name(self) -> &'static str {
        match self {
            AwsType::AvailabilityZoneName => "AWS::EC2::AvailabilityZone::Name",
            AwsType::ImageId => "AWS::EC2::Image::Id",
            AwsType::InstanceId => "AWS::EC2::Instance::Id",
            AwsType::KeyPairKeyName => "AWS::EC2::KeyPair::KeyName",
            AwsType::SecurityGroupGroupName => "AWS::EC2::SecurityGroup::GroupName",
            AwsType::SecurityGroupId => "AWS::EC2::SecurityGroup::Id",
            AwsType::SubnetId => "AWS::EC2::Subnet::Id",
            AwsType::VolumeId => "AWS::EC2::Volume::Id",
            AwsType::VpcId => "AWS::EC2::VPC::Id",
            AwsType::HostedZoneId => "AWS::Route53::HostedZone::Id",
        }
    }

    /// The prefix every ID of this type starts with, for the types whose
    /// IDs have one (names and hosted zone IDs don't).
    pub fn prefix(self) -> Option<&'static str> {
        match self {
            AwsType::ImageId => Some("ami-"),
            AwsType::InstanceId => Some("i-"),
            AwsType::SecurityGroupId => Some("sg-"),
            AwsType::SubnetId => Some("subnet-"),
            AwsType::VolumeId => Some("vol-"),
            AwsType::VpcId => Some("vpc-"),
            _ => None,
        }
    }

    /// Whether `List<…>` of this type exists. The AWS doc lists a list form
    /// for every AWS-specific type except the key pair name.
    pub fn has_list_form(self) -> bool {
        self != AwsType::KeyPairKeyName
    }

    /// A short noun for hints ("subnet ID", "key pair name").
    pub fn noun(self) -> &'static str {
        match self {
            AwsType::AvailabilityZoneName => "Availability Zone name",
            AwsType::ImageId => "AMI ID",
            AwsType::InstanceId => "instance ID",
            AwsType::KeyPairKeyName => "key pair name",
            AwsType::SecurityGroupGroupName => "security group name",
            AwsType::SecurityGroupId => "security group ID",
            AwsType::SubnetId => "subnet ID",
            AwsType::VolumeId => "volume ID",
            AwsType::VpcId => "VPC ID",
            AwsType::HostedZoneId => "hosted zone ID",
        }
    }

    fn from_name(s: &str) -> Option<AwsType> {
        AWS_TYPES.iter().copied().find(|t| t.name() == s)
    }
}

/// What an `AWS::SSM::Parameter::Value<…>` parameter holds once the
/// Systems Manager parameter is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SsmInner {
    /// `AWS::SSM::Parameter::Value<String>`.
    String,
    /// `AWS::SSM::Parameter::Value<List<String>>`.
    ListString,
    /// `AWS::SSM::Parameter::Value<CommaDelimitedList>`.
    CommaDelimitedList,
    /// `AWS::SSM::Parameter::Value<AWS::EC2::…>`.
    Aws(AwsType),
    /// `AWS::SSM::Parameter::Value<List<AWS::EC2::…>>`.
    AwsList(AwsType),
}

/// A parameter's `Type`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ParamType {
    /// `String`.
    String,
    /// `Number` (the value stays a string; it must parse as a number).
    Number,
    /// `List<Number>`.
    NumberList,
    /// `CommaDelimitedList`.
    CommaDelimitedList,
    /// An AWS-specific type, e.g. `AWS::EC2::Subnet::Id`.
    Aws(AwsType),
    /// `List<…>` of an AWS-specific type.
    AwsList(AwsType),
    /// `AWS::SSM::Parameter::Name`: the value is the name of an existing
    /// Systems Manager parameter, and stays that name.
    SsmName,
    /// `AWS::SSM::Parameter::Value<…>`: the value given is a Systems Manager
    /// parameter name; the stack sees the parameter's value.
    SsmValue(SsmInner),
}

const SSM_VALUE: &str = "AWS::SSM::Parameter::Value<";

impl ParamType {
    /// Reads a `Type` value; `None` for a type CloudFormation doesn't know.
    pub fn parse(s: &str) -> Option<ParamType> {
        match s {
            "String" => return Some(ParamType::String),
            "Number" => return Some(ParamType::Number),
            "List<Number>" => return Some(ParamType::NumberList),
            "CommaDelimitedList" => return Some(ParamType::CommaDelimitedList),
            "AWS::SSM::Parameter::Name" => return Some(ParamType::SsmName),
            _ => {}
        }
        if let Some(inner) = s.strip_prefix(SSM_VALUE).and_then(|r| r.strip_suffix('>')) {
            let inner = match inner {
                "String" => SsmInner::String,
                "List<String>" => SsmInner::ListString,
                "CommaDelimitedList" => SsmInner::CommaDelimitedList,
                other => match ParamType::parse_aws(other)? {
                    ParamType::Aws(t) => SsmInner::Aws(t),
                    ParamType::AwsList(t) => SsmInner::AwsList(t),
                    _ => return None,
                },
            };
            return Some(ParamType::SsmValue(inner));
        }
        ParamType::parse_aws(s)
    }

    fn parse_aws(s: &str) -> Option<ParamType> {
        if let Some(inner) = s.strip_prefix("List<").and_then(|r| r.strip_suffix('>')) {
            let t = AwsType::from_name(inner)?;
            return t.has_list_form().then_some(ParamType::AwsList(t));
        }
        AwsType::from_name(s).map(ParamType::Aws)
    }

    /// True when the stack sees a list (the value is given comma-separated).
    pub fn is_list(self) -> bool {
        matches!(
            self,
            ParamType::NumberList
                | ParamType::CommaDelimitedList
                | ParamType::AwsList(_)
                | ParamType::SsmValue(SsmInner::ListString | SsmInner::CommaDelimitedList | SsmInner::AwsList(_))
        )
    }

    /// True when the value given must be split at commas before the
    /// per-element checks (AllowedValues, AllowedPattern, number, ID). For
    /// SSM types the value given is a parameter name, never split.
    pub(crate) fn given_is_list(self) -> bool {
        matches!(self, ParamType::NumberList | ParamType::CommaDelimitedList | ParamType::AwsList(_))
    }

    /// True for `Number` and `List<Number>`.
    pub fn is_number(self) -> bool {
        matches!(self, ParamType::Number | ParamType::NumberList)
    }

    /// True for the two SSM types, whose value names a Systems Manager parameter.
    pub fn is_ssm(self) -> bool {
        matches!(self, ParamType::SsmName | ParamType::SsmValue(_))
    }
}

impl fmt::Display for ParamType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParamType::String => f.write_str("String"),
            ParamType::Number => f.write_str("Number"),
            ParamType::NumberList => f.write_str("List<Number>"),
            ParamType::CommaDelimitedList => f.write_str("CommaDelimitedList"),
            ParamType::Aws(t) => f.write_str(t.name()),
            ParamType::AwsList(t) => write!(f, "List<{}>", t.name()),
            ParamType::SsmName => f.write_str("AWS::SSM::Parameter::Name"),
            ParamType::SsmValue(inner) => {
                f.write_str(SSM_VALUE)?;
                match inner {
                    SsmInner::String => f.write_str("String")?,
                    SsmInner::ListString => f.write_str("List<String>")?,
                    SsmInner::CommaDelimitedList => f.write_str("CommaDelimitedList")?,
                    SsmInner::Aws(t) => f.write_str(t.name())?,
                    SsmInner::AwsList(t) => write!(f, "List<{}>", t.name())?,
                }
                f.write_str(">")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_documented_type_parses_and_prints_back() {
        let mut names = vec![
            "String".to_string(),
            "Number".into(),
            "List<Number>".into(),
            "CommaDelimitedList".into(),
            "AWS::SSM::Parameter::Name".into(),
            "AWS::SSM::Parameter::Value<String>".into(),
            "AWS::SSM::Parameter::Value<List<String>>".into(),
            "AWS::SSM::Parameter::Value<CommaDelimitedList>".into(),
        ];
        for t in AWS_TYPES {
            names.push(t.name().into());
            names.push(format!("AWS::SSM::Parameter::Value<{}>", t.name()));
            if t.has_list_form() {
                names.push(format!("List<{}>", t.name()));
                names.push(format!("AWS::SSM::Parameter::Value<List<{}>>", t.name()));
            }
        }
        for n in &names {
            let t = ParamType::parse(n).unwrap_or_else(|| panic!("{n} should parse"));
            assert_eq!(&t.to_string(), n);
        }
        assert_eq!(names.len(), 8 + 10 * 2 + 9 * 2);
    }

    #[test]
    fn unknown_types_are_rejected() {
        for n in [
            "string",
            " String",
            "List<String>",
            "List<AWS::EC2::KeyPair::KeyName>",
            "AWS::EC2::Subnet::ID",
            "AWS::SSM::Parameter::Value<Number>",
            "AWS::SSM::Parameter::Value<String",
            "AWS::SSM::Parameter::Value<AWS::SSM::Parameter::Name>",
            "List<List<Number>>",
            "",
        ] {
            assert_eq!(ParamType::parse(n), None, "{n}");
        }
    }

    #[test]
    fn list_kinds() {
        assert!(ParamType::parse("List<AWS::EC2::Subnet::Id>").is_some_and(|t| t.is_list() && t.given_is_list()));
        let ssm = ParamType::parse("AWS::SSM::Parameter::Value<List<String>>");
        assert!(ssm.is_some_and(|t| t.is_list() && !t.given_is_list()));
        assert_eq!(AwsType::SubnetId.prefix(), Some("subnet-"));
        assert_eq!(AwsType::KeyPairKeyName.prefix(), None);
    }
}
