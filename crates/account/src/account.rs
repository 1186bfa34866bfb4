//! The `Account`: every resource of one AWS account in one region.

use crate::ids;
use crate::model::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An availability zone of the region.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AvailabilityZone {
    /// e.g. `us-east-1a`.
    pub zone_name: String,
    /// e.g. `use1-az6` (account-specific in real AWS).
    pub zone_id: String,
}

/// The state of one account in one region. `Clone` so the planner can work on a scratch copy.
///
/// Every map is keyed by the resource's ID (EC2), ARN (ECS services and task
/// definitions, ELBv2) or name (clusters, parameters, exports, RDS, Auto
/// Scaling), whichever the AWS API addresses it by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Account {
    /// The 12-digit account ID.
    pub account_id: String,
    /// The region, e.g. `us-east-1`.
    pub region: String,
    /// The region's zones, for `Fn::GetAZs` and subnet placement.
    #[serde(default)]
    pub availability_zones: Vec<AvailabilityZone>,
    /// Drives ID generation; bumped for every generated value.
    #[serde(default)]
    pub id_counter: u64,
    /// VPCs by ID.
    #[serde(default)]
    pub vpcs: BTreeMap<String, Vpc>,
    /// Subnets by ID.
    #[serde(default)]
    pub subnets: BTreeMap<String, Subnet>,
    /// Route tables by ID.
    #[serde(default)]
    pub route_tables: BTreeMap<String, RouteTable>,
    /// Internet gateways by ID.
    #[serde(default)]
    pub internet_gateways: BTreeMap<String, InternetGateway>,
    /// NAT gateways by ID.
    #[serde(default)]
    pub nat_gateways: BTreeMap<String, NatGateway>,
    /// Elastic IPs by allocation ID.
    #[serde(default)]
    pub addresses: BTreeMap<String, Address>,
    /// Security groups by ID.
    #[serde(default)]
    pub security_groups: BTreeMap<String, SecurityGroup>,
    /// Network ACLs by ID.
    #[serde(default)]
    pub network_acls: BTreeMap<String, NetworkAcl>,
    /// VPC endpoints by ID.
    #[serde(default)]
    pub vpc_endpoints: BTreeMap<String, VpcEndpoint>,
    /// Network interfaces by ID.
    #[serde(default)]
    pub network_interfaces: BTreeMap<String, NetworkInterface>,
    /// Instances by ID.
    #[serde(default)]
    pub instances: BTreeMap<String, Instance>,
    /// SSM parameters by name.
    #[serde(default)]
    pub ssm_parameters: BTreeMap<String, SsmParameter>,
    /// CloudFormation exports by name.
    #[serde(default)]
    pub exports: BTreeMap<String, Export>,
    /// Secrets Manager secrets by ARN (deleted ones too, until their recovery window ends).
    #[serde(default)]
    pub secrets: BTreeMap<String, crate::secrets::Secret>,
    /// ACM certificates by ARN.
    #[serde(default)]
    pub certificates: BTreeMap<String, crate::acm::Certificate>,
    /// KMS keys by key ID.
    #[serde(default)]
    pub kms_keys: BTreeMap<String, crate::kms::KmsKey>,
    /// KMS aliases by name (`alias/…`).
    #[serde(default)]
    pub kms_aliases: BTreeMap<String, crate::kms::KmsAlias>,
    /// ECS clusters by name.
    #[serde(default)]
    pub clusters: BTreeMap<String, Cluster>,
    /// Task definition revisions by ARN.
    #[serde(default)]
    pub task_definitions: BTreeMap<String, TaskDefinition>,
    /// ECS services by ARN.
    #[serde(default)]
    pub services: BTreeMap<String, Service>,
    /// Load balancers by ARN.
    #[serde(default)]
    pub load_balancers: BTreeMap<String, LoadBalancer>,
    /// Target groups by ARN.
    #[serde(default)]
    pub target_groups: BTreeMap<String, TargetGroup>,
    /// Listeners by ARN.
    #[serde(default)]
    pub listeners: BTreeMap<String, Listener>,
    /// Listener rules by ARN.
    #[serde(default)]
    pub listener_rules: BTreeMap<String, ListenerRule>,
    /// RDS DB instances by identifier.
    #[serde(default)]
    pub db_instances: BTreeMap<String, DbInstance>,
    /// RDS DB subnet groups by name.
    #[serde(default)]
    pub db_subnet_groups: BTreeMap<String, DbSubnetGroup>,
    /// Auto Scaling groups by name.
    #[serde(default)]
    pub auto_scaling_groups: BTreeMap<String, AutoScalingGroup>,
    /// Launch configurations by name.
    #[serde(default)]
    pub launch_configurations: BTreeMap<String, LaunchConfiguration>,
    /// Launch templates by ID.
    #[serde(default)]
    pub launch_templates: BTreeMap<String, LaunchTemplate>,
    /// Resources without behaviour, by `inert_key(type, physical id)`.
    #[serde(default)]
    pub inert: BTreeMap<String, InertResource>,
    /// The control plane's clock: milliseconds since the Unix epoch. It moves
    /// only when the control plane advances it (see the `control` crate).
    #[serde(default = "default_clock")]
    pub clock_ms: u64,
    /// ECS account settings (`awsvpcTrunking` = `enabled`, …).
    #[serde(default)]
    pub account_settings: BTreeMap<String, String>,
    /// ECS container instances by ARN.
    #[serde(default)]
    pub container_instances: BTreeMap<String, ContainerInstance>,
    /// ECS tasks by ARN (stopped ones too, until they are forgotten).
    #[serde(default)]
    pub tasks: BTreeMap<String, Task>,
    /// CloudFormation stacks by stack ID (deleted ones too).
    #[serde(default)]
    pub stacks: BTreeMap<String, Stack>,
    /// CloudWatch Logs groups by name.
    #[serde(default)]
    pub log_groups: BTreeMap<String, LogGroup>,
    /// CloudWatch Logs streams with their events, by `GROUP:STREAM` (`logs::stream_key`).
    #[serde(default)]
    pub log_streams: BTreeMap<String, LogStream>,
    /// Access keys the account file declares, by key ID (none: the wire
    /// endpoint's default key `test`/`test`, as other local emulators have).
    #[serde(default)]
    pub access_keys: BTreeMap<String, AccessKey>,
    /// Custom resource requests awaiting their providers' responses, by request ID.
    #[serde(default)]
    pub custom_resource_requests: BTreeMap<String, crate::custom_resources::CustomResourceRequest>,
    /// Lambda functions by name.
    #[serde(default)]
    pub functions: BTreeMap<String, Function>,
    /// STS role sessions (temporary credentials) by access key ID.
    #[serde(default)]
    pub role_sessions: BTreeMap<String, RoleSession>,
    /// ECS task credentials IDs of live tasks with a task role, by task ARN.
    #[serde(default)]
    pub task_credentials: BTreeMap<String, crate::credentials::TaskCredentials>,
    /// S3 buckets by name.
    #[serde(default)]
    pub s3_buckets: BTreeMap<String, crate::s3::Bucket>,
    /// S3 objects by `<bucket>/<key>` (a store row per object, so a save writes what changed).
    #[serde(default)]
    pub s3_objects: BTreeMap<String, crate::s3::Object>,
    /// S3 multipart uploads in progress, by upload ID.
    #[serde(default)]
    pub s3_uploads: BTreeMap<String, crate::s3::MultipartUpload>,
    /// The objects' bodies: files beside the store, not rows (see `s3::Bodies`).
    #[serde(skip)]
    pub s3_bodies: crate::s3::Bodies,
}

/// Where a new account's clock starts: 2026-01-01T00:00:00Z. Deterministic,
/// so tests and benchmarks see the same timestamps; the CLI moves it to the
/// wall clock when it creates the stored account.
pub const CLOCK_EPOCH_MS: u64 = 1_767_225_600_000;

fn default_clock() -> u64 {
    CLOCK_EPOCH_MS
}

/// The key of an inert resource: its type and physical ID, so an IAM role
/// and a log group of the same name do not collide.
pub fn inert_key(resource_type: &str, physical_id: &str) -> String {
    format!("{resource_type} {physical_id}")
}

impl Account {
    /// An account with no resources at all (no default VPC); zones are those
    /// known for the region, if any.
    pub fn empty(account_id: &str, region: &str) -> Self {
        Account {
            account_id: account_id.to_string(),
            region: region.to_string(),
            availability_zones: crate::defaults::known_zones(region).unwrap_or_default(),
            id_counter: 0,
            vpcs: BTreeMap::new(),
            subnets: BTreeMap::new(),
            route_tables: BTreeMap::new(),
            internet_gateways: BTreeMap::new(),
            nat_gateways: BTreeMap::new(),
            addresses: BTreeMap::new(),
            security_groups: BTreeMap::new(),
            network_acls: BTreeMap::new(),
            vpc_endpoints: BTreeMap::new(),
            network_interfaces: BTreeMap::new(),
            instances: BTreeMap::new(),
            ssm_parameters: BTreeMap::new(),
            exports: BTreeMap::new(),
            secrets: BTreeMap::new(),
            certificates: BTreeMap::new(),
            kms_keys: BTreeMap::new(),
            kms_aliases: BTreeMap::new(),
            clusters: BTreeMap::new(),
            task_definitions: BTreeMap::new(),
            services: BTreeMap::new(),
            load_balancers: BTreeMap::new(),
            target_groups: BTreeMap::new(),
            listeners: BTreeMap::new(),
            listener_rules: BTreeMap::new(),
            db_instances: BTreeMap::new(),
            db_subnet_groups: BTreeMap::new(),
            auto_scaling_groups: BTreeMap::new(),
            launch_configurations: BTreeMap::new(),
            launch_templates: BTreeMap::new(),
            inert: BTreeMap::new(),
            clock_ms: CLOCK_EPOCH_MS,
            account_settings: BTreeMap::new(),
            container_instances: BTreeMap::new(),
            tasks: BTreeMap::new(),
            stacks: BTreeMap::new(),
            log_groups: BTreeMap::new(),
            log_streams: BTreeMap::new(),
            access_keys: BTreeMap::new(),
            custom_resource_requests: BTreeMap::new(),
            functions: BTreeMap::new(),
            role_sessions: BTreeMap::new(),
            task_credentials: BTreeMap::new(),
            s3_buckets: BTreeMap::new(),
            s3_objects: BTreeMap::new(),
            s3_uploads: BTreeMap::new(),
            s3_bodies: crate::s3::Bodies::default(),
        }
    }

    /// The next pseudo-random words for `purpose`, advancing the counter.
    pub fn next_words(&mut self, purpose: &str) -> [u64; 2] {
        self.id_counter += 1;
        let seed = format!("{}/{}", self.account_id, self.region);
        ids::hash_words(&seed, self.id_counter, purpose)
    }

    /// A fresh EC2 ID `prefix-` + 17 hex, never one already in use here.
    pub fn new_id(&mut self, prefix: &str) -> String {
        loop {
            let id = ids::ec2_id(prefix, self.next_words(prefix));
            if !self.id_in_use(&id) {
                return id;
            }
        }
    }

    /// `n` fresh lowercase hex characters (for ARN suffixes).
    pub fn new_hex(&mut self, purpose: &str, n: usize) -> String {
        ids::hex_chars(self.next_words(purpose), n)
    }

    /// True when an EC2 resource, association or attachment already has this ID.
    pub fn id_in_use(&self, id: &str) -> bool {
        self.vpcs.contains_key(id)
            || self.subnets.contains_key(id)
            || self.route_tables.contains_key(id)
            || self.internet_gateways.contains_key(id)
            || self.nat_gateways.contains_key(id)
            || self.addresses.contains_key(id)
            || self.security_groups.contains_key(id)
            || self.network_acls.contains_key(id)
            || self.network_interfaces.contains_key(id)
            || self.instances.contains_key(id)
            || self.launch_templates.contains_key(id)
            || self.vpc_endpoints.contains_key(id)
            || self.route_tables.values().any(|t| t.associations.iter().any(|a| a.route_table_association_id == id))
            || self.network_acls.values().any(|a| a.associations.iter().any(|s| s.network_acl_association_id == id))
            || self.addresses.values().any(|a| a.association_id.as_deref() == Some(id))
            || self.network_interfaces.values().any(|n| n.attachment.as_ref().is_some_and(|a| a.attachment_id == id))
    }

    /// Zone names of the region, in order: what `Fn::GetAZs` returns.
    pub fn zone_names(&self) -> Vec<String> {
        self.availability_zones.iter().map(|z| z.zone_name.clone()).collect()
    }

    /// The zone ID of a zone name, when known.
    pub fn zone_id(&self, zone_name: &str) -> Option<String> {
        self.availability_zones.iter().find(|z| z.zone_name == zone_name).map(|z| z.zone_id.clone())
    }
}

impl Default for Account {
    /// The account a new AWS customer has: 123456789012 in us-east-1 with its default VPC.
    fn default() -> Self {
        Account::new_default()
    }
}
