//! botocore's service models, cut down to what tasknet implements
//! (`models/<service>.json`, written by `scripts/gen/wire-models.py`): the
//! one description of every request and response the endpoint decodes and
//! encodes, so member names, list wrappers and timestamps are the clients' own.

use serde_json::Value;
use std::sync::OnceLock;

/// A service the endpoint speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// CloudFormation (query).
    CloudFormation,
    /// EC2 (ec2).
    Ec2,
    /// ECS (json 1.1).
    Ecs,
    /// Elastic Load Balancing v2 (query).
    Elbv2,
    /// EC2 Auto Scaling (query).
    AutoScaling,
    /// RDS (query).
    Rds,
    /// Systems Manager (json 1.1).
    Ssm,
    /// STS (query).
    Sts,
    /// IAM (query).
    Iam,
    /// AWS Lambda (rest-json).
    Lambda,
    /// CloudWatch Logs (json 1.1).
    Logs,
    /// Secrets Manager (json 1.1).
    SecretsManager,
    /// KMS (json 1.1, `TrentService`).
    Kms,
    /// AWS Certificate Manager (json 1.1, `CertificateManager`).
    Acm,
}

/// The wire protocol a service speaks (botocore's `metadata.protocol`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protocol {
    /// `query`: form parameters in, XML out.
    Query,
    /// `ec2`: EC2's dialect of query.
    Ec2,
    /// `json` 1.1 with `X-Amz-Target`.
    Json,
    /// `rest-json`: the operation is the HTTP method and path (the model's
    /// `http.requestUri`), members bound to the path, query, headers and body.
    RestJson,
}

impl Service {
    /// Every service, in the order of [`Service::from_signing_name`]'s table.
    pub const ALL: [Service; 14] = [
        Service::CloudFormation,
        Service::Ec2,
        Service::Ecs,
        Service::Elbv2,
        Service::AutoScaling,
        Service::Rds,
        Service::Ssm,
        Service::Sts,
        Service::Iam,
        Service::Lambda,
        Service::Logs,
        Service::SecretsManager,
        Service::Kms,
        Service::Acm,
    ];

    /// The SigV4 signing name clients put in the credential scope.
    pub fn signing_name(self) -> &'static str {
        match self {
            Service::CloudFormation => "cloudformation",
            Service::Ec2 => "ec2",
            Service::Ecs => "ecs",
            Service::Elbv2 => "elasticloadbalancing",
            Service::AutoScaling => "autoscaling",
            Service::Rds => "rds",
            Service::Ssm => "ssm",
            Service::Sts => "sts",
            Service::Iam => "iam",
            Service::Lambda => "lambda",
            Service::Logs => "logs",
            Service::SecretsManager => "secretsmanager",
            Service::Kms => "kms",
            Service::Acm => "acm",
        }
    }

    /// The name botocore gives it (`boto3.client(name)`, its data folder).
    pub fn botocore_name(self) -> &'static str {
        match self {
            Service::Elbv2 => "elbv2",
            other => other.signing_name(),
        }
    }

    /// The service whose requests are signed as `name`.
    pub fn from_signing_name(name: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.signing_name() == name)
    }

    /// The service a JSON request's `X-Amz-Target` prefix names.
    pub fn from_target_prefix(prefix: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|s| s.model().target_prefix() == Some(prefix))
    }

    /// Its protocol.
    pub fn protocol(self) -> Protocol {
        match self {
            Service::Ec2 => Protocol::Ec2,
            Service::Ecs | Service::Ssm | Service::Logs | Service::SecretsManager | Service::Kms | Service::Acm => {
                Protocol::Json
            }
            Service::Lambda => Protocol::RestJson,
            _ => Protocol::Query,
        }
    }

    /// The account's error service, for statuses (`account::AwsService`).
    pub fn aws_service(self) -> Option<account::AwsService> {
        use account::AwsService as A;
        Some(match self {
            Service::CloudFormation => A::CloudFormation,
            Service::Ec2 => A::Ec2,
            Service::Ecs => A::Ecs,
            Service::Elbv2 => A::Elbv2,
            Service::AutoScaling => A::AutoScaling,
            Service::Rds => A::Rds,
            Service::Ssm => A::Ssm,
            Service::Lambda => A::Lambda,
            Service::Logs => A::Logs,
            Service::SecretsManager => A::SecretsManager,
            Service::Kms => A::Kms,
            Service::Acm => A::Acm,
            Service::Sts | Service::Iam => return None,
        })
    }

    /// Its model, parsed on first use (start-up parses none).
    pub fn model(self) -> &'static Model {
        macro_rules! model {
            ($file:literal) => {{
                static M: OnceLock<Model> = OnceLock::new();
                M.get_or_init(|| Model::parse(include_str!(concat!("../models/", $file))))
            }};
        }
        match self {
            Service::CloudFormation => model!("cloudformation.json"),
            Service::Ec2 => model!("ec2.json"),
            Service::Ecs => model!("ecs.json"),
            Service::Elbv2 => model!("elbv2.json"),
            Service::AutoScaling => model!("autoscaling.json"),
            Service::Rds => model!("rds.json"),
            Service::Ssm => model!("ssm.json"),
            Service::Sts => model!("sts.json"),
            Service::Iam => model!("iam.json"),
            Service::Lambda => model!("lambda.json"),
            Service::Logs => model!("logs.json"),
            Service::SecretsManager => model!("secretsmanager.json"),
            Service::Kms => model!("kms.json"),
            Service::Acm => model!("acm.json"),
        }
    }
}

/// One service's model.
#[derive(Debug)]
pub struct Model {
    root: Value,
}

/// A shape of the model (a `shapes` entry), with its name.
#[derive(Clone, Copy, Debug)]
pub struct Shape<'m> {
    /// The shape's name.
    pub name: &'m str,
    /// Its definition.
    pub def: &'m Value,
}

impl Model {
    /// Parses a generated model; a model that does not parse is a build
    /// defect, caught by every test that touches the service, so it becomes
    /// an empty model rather than a panic at request time.
    fn parse(text: &str) -> Model {
        let root = serde_json::from_str(text).unwrap_or_else(|e| {
            tracing::error!("a generated service model does not parse: {e}");
            Value::Null
        });
        Model { root }
    }

    /// `metadata.<key>` as text.
    fn meta(&self, key: &str) -> Option<&str> {
        self.root["metadata"][key].as_str()
    }

    /// The XML namespace of responses.
    pub fn xml_namespace(&self) -> &str {
        self.meta("xmlNamespace").unwrap_or_default()
    }

    /// The JSON target prefix.
    pub fn target_prefix(&self) -> Option<&str> {
        self.meta("targetPrefix")
    }

    /// The operation `name`'s definition, if the model has it.
    pub fn operation(&self, name: &str) -> Option<&Value> {
        self.root["operations"].get(name)
    }

    /// The names of every operation in the model.
    pub fn operation_names(&self) -> impl Iterator<Item = &str> {
        self.root["operations"].as_object().into_iter().flat_map(|m| m.keys().map(String::as_str))
    }

    /// The shape named `name`.
    pub fn shape(&self, name: &str) -> Option<Shape<'_>> {
        let (name, def) = self.root["shapes"].as_object()?.get_key_value(name)?;
        Some(Shape { name, def })
    }

    /// The input shape of `operation`.
    pub fn input(&self, operation: &str) -> Option<Shape<'_>> {
        self.shape(self.operation(operation)?["input"]["shape"].as_str()?)
    }

    /// The output shape of `operation`, and its query `resultWrapper`.
    pub fn output(&self, operation: &str) -> Option<(Shape<'_>, Option<&str>)> {
        let out = &self.operation(operation)?["output"];
        Some((self.shape(out["shape"].as_str()?)?, out["resultWrapper"].as_str()))
    }

    /// A rest-json operation's binding: its method, its `requestUri`
    /// template and the status of a success (`http.responseCode`, default 200).
    pub fn http(&self, operation: &str) -> Option<(&str, &str, u16)> {
        let h = &self.operation(operation)?["http"];
        let code = h["responseCode"].as_u64().and_then(|n| u16::try_from(n).ok()).unwrap_or(200);
        Some((h["method"].as_str()?, h["requestUri"].as_str()?, code))
    }

    /// The error code clients match for the error shape `shape` (its
    /// `error.code`, which is not always the shape's name), and its status.
    pub fn error_code(&self, shape: &str) -> Option<(&str, Option<u16>)> {
        let s = self.shape(shape)?;
        let code = s.def["error"]["code"].as_str().unwrap_or(s.name);
        let status = s.def["error"]["httpStatusCode"].as_u64().and_then(|n| u16::try_from(n).ok());
        Some((code, status))
    }
}

impl<'m> Shape<'m> {
    /// botocore's type: structure, list, map, string, integer, long, boolean, timestamp, …
    pub fn kind(&self) -> &'m str {
        self.def["type"].as_str().unwrap_or("string")
    }

    /// The structure's members in model order: (name, member definition).
    pub fn members(&self) -> impl Iterator<Item = (&'m str, &'m Value)> {
        self.def["members"].as_object().into_iter().flat_map(|m| m.iter().map(|(k, v)| (k.as_str(), v)))
    }

    /// Whether `member` is required.
    pub fn is_required(&self, member: &str) -> bool {
        self.def["required"].as_array().is_some_and(|r| r.iter().any(|m| m == member))
    }

    /// Whether the list is flattened (query: no wrapper element).
    pub fn flattened(&self) -> bool {
        self.def["flattened"].as_bool().unwrap_or(false)
    }
}
