//! ECS, ELBv2, RDS, Auto Scaling, SSM, exports and inert resources: ARN and
//! name generation plus put/get. Their control planes come later; these only
//! store what the planner decided and find it again by ARN or name.

use crate::account::{inert_key, Account};
use crate::ids;
use crate::model::*;

impl Account {
    /// A cluster value named `name` (ECS's default is `default`), not yet stored.
    pub fn new_cluster(&self, name: &str) -> Cluster {
        Cluster {
            cluster_name: name.to_string(),
            cluster_arn: ids::cluster_arn(&self.region, &self.account_id, name),
            status: crate::ClusterStatus::Active,
            tags: Default::default(),
        }
    }

    /// Stores a cluster under its name.
    pub fn put_cluster(&mut self, cluster: Cluster) {
        self.clusters.insert(cluster.cluster_name.clone(), cluster);
    }

    /// A cluster by name or ARN.
    pub fn cluster(&self, name_or_arn: &str) -> Option<&Cluster> {
        self.clusters.get(name_or_arn).or_else(|| self.clusters.values().find(|c| c.cluster_arn == name_or_arn))
    }

    /// RegisterTaskDefinition: stores `def` as the family's next revision,
    /// setting its revision, ARN and status; returns the stored value.
    pub fn register_task_definition(&mut self, mut def: TaskDefinition) -> TaskDefinition {
        let revision =
            self.task_definitions.values().filter(|t| t.family == def.family).map(|t| t.revision).max().unwrap_or(0)
                + 1;
        def.revision = revision;
        def.task_definition_arn = ids::task_definition_arn(&self.region, &self.account_id, &def.family, revision);
        def.status = crate::TaskDefinitionStatus::Active;
        self.task_definitions.insert(def.task_definition_arn.clone(), def.clone());
        def
    }

    /// A task definition by ARN, `family:revision`, or `family` (its latest ACTIVE revision).
    pub fn task_definition(&self, reference: &str) -> Option<&TaskDefinition> {
        if let Some(t) = self.task_definitions.get(reference) {
            return Some(t);
        }
        let tail = reference.rsplit_once(":task-definition/").map_or(reference, |(_, t)| t);
        match tail.rsplit_once(':') {
            Some((family, rev)) => {
                let rev: u32 = rev.parse().ok()?;
                self.task_definitions.values().find(|t| t.family == family && t.revision == rev)
            }
            None => self
                .task_definitions
                .values()
                .filter(|t| t.family == tail && t.status == crate::TaskDefinitionStatus::Active)
                .max_by_key(|t| t.revision),
        }
    }

    /// The ARN a service named `name` in cluster `cluster_name` gets.
    pub fn service_arn(&self, cluster_name: &str, name: &str) -> String {
        ids::service_arn(&self.region, &self.account_id, cluster_name, name)
    }

    /// Stores a service under its ARN.
    pub fn put_service(&mut self, service: Service) {
        self.services.insert(service.service_arn.clone(), service);
    }

    /// A service by ARN, or by name within a cluster (name or ARN).
    pub fn service(&self, cluster: &str, name_or_arn: &str) -> Option<&Service> {
        if let Some(s) = self.services.get(name_or_arn) {
            return Some(s);
        }
        let cluster_arn = self
            .cluster(cluster)
            .map(|c| c.cluster_arn.clone())
            .unwrap_or_else(|| ids::cluster_arn(&self.region, &self.account_id, cluster));
        self.services.values().find(|s| s.cluster_arn == cluster_arn && s.service_name == name_or_arn)
    }

    /// A fresh load balancer ARN; `lb_type` is `application` or `network`.
    pub fn new_load_balancer_arn(&mut self, name: &str, lb_type: &str) -> String {
        let kind = match lb_type {
            "network" => "net",
            "gateway" => "gwy",
            _ => "app",
        };
        let hex = self.new_hex("loadbalancer", 16);
        ids::load_balancer_arn(&self.region, &self.account_id, kind, name, &hex)
    }

    /// The DNS name of a load balancer: `NAME-DIGITS.REGION.elb.amazonaws.com`,
    /// with `internal-` first for internal ones (facts: up to 10 digits).
    pub fn new_load_balancer_dns_name(&mut self, name: &str, scheme: &str) -> String {
        let w = self.next_words("elb-dns");
        let digits = 1_000_000_000 + w[0] % 9_000_000_000;
        let prefix = if scheme == "internal" { "internal-" } else { "" };
        format!("{prefix}{name}-{digits}.{}.elb.amazonaws.com", self.region)
    }

    /// Stores a load balancer under its ARN.
    pub fn put_load_balancer(&mut self, lb: LoadBalancer) {
        self.load_balancers.insert(lb.load_balancer_arn.clone(), lb);
    }

    /// A load balancer by ARN or name.
    pub fn load_balancer(&self, arn_or_name: &str) -> Option<&LoadBalancer> {
        self.load_balancers
            .get(arn_or_name)
            .or_else(|| self.load_balancers.values().find(|l| l.load_balancer_name == arn_or_name))
    }

    /// A fresh target group ARN.
    pub fn new_target_group_arn(&mut self, name: &str) -> String {
        let hex = self.new_hex("targetgroup", 16);
        ids::target_group_arn(&self.region, &self.account_id, name, &hex)
    }

    /// Stores a target group under its ARN.
    pub fn put_target_group(&mut self, tg: TargetGroup) {
        self.target_groups.insert(tg.target_group_arn.clone(), tg);
    }

    /// A target group by ARN or name.
    pub fn target_group(&self, arn_or_name: &str) -> Option<&TargetGroup> {
        self.target_groups
            .get(arn_or_name)
            .or_else(|| self.target_groups.values().find(|t| t.target_group_name == arn_or_name))
    }

    /// A fresh listener ARN under a load balancer.
    pub fn new_listener_arn(&mut self, load_balancer_arn: &str) -> String {
        let hex = self.new_hex("listener", 16);
        ids::listener_arn(load_balancer_arn, &hex)
    }

    /// Stores a listener under its ARN.
    pub fn put_listener(&mut self, listener: Listener) {
        self.listeners.insert(listener.listener_arn.clone(), listener);
    }

    /// A listener by ARN.
    pub fn listener(&self, arn: &str) -> Option<&Listener> {
        self.listeners.get(arn)
    }

    /// A fresh listener rule ARN under a listener.
    pub fn new_listener_rule_arn(&mut self, listener_arn: &str) -> String {
        let hex = self.new_hex("listener-rule", 16);
        ids::listener_rule_arn(listener_arn, &hex)
    }

    /// Stores a listener rule under its ARN.
    pub fn put_listener_rule(&mut self, rule: ListenerRule) {
        self.listener_rules.insert(rule.rule_arn.clone(), rule);
    }

    /// A listener rule by ARN.
    pub fn listener_rule(&self, arn: &str) -> Option<&ListenerRule> {
        self.listener_rules.get(arn)
    }

    /// The ARN of DB instance `identifier`.
    pub fn db_instance_arn(&self, identifier: &str) -> String {
        ids::db_instance_arn(&self.region, &self.account_id, identifier)
    }

    /// The endpoint host of DB instance `identifier`:
    /// `IDENTIFIER.XXXXXXXXXXXX.REGION.rds.amazonaws.com`. The 12-character
    /// middle part is fixed per account and region (inferred from real
    /// endpoints; AWS documents no rule), so it comes from the account, not the counter.
    pub fn db_endpoint_address(&self, identifier: &str) -> String {
        let w = ids::hash_words(&format!("{}/{}", self.account_id, self.region), 0, "rds-endpoint");
        format!("{}.c{}.{}.rds.amazonaws.com", identifier.to_ascii_lowercase(), ids::hex_chars(w, 11), self.region)
    }

    /// Stores a DB instance under its identifier.
    pub fn put_db_instance(&mut self, db: DbInstance) {
        self.db_instances.insert(db.db_instance_identifier.clone(), db);
    }

    /// A DB instance by identifier (case-insensitive, as RDS) or ARN.
    pub fn db_instance(&self, identifier_or_arn: &str) -> Option<&DbInstance> {
        let lower = identifier_or_arn.to_ascii_lowercase();
        self.db_instances.get(&lower).or_else(|| {
            self.db_instances
                .values()
                .find(|d| d.db_instance_arn == identifier_or_arn || d.db_instance_identifier == lower)
        })
    }

    /// The ARN of DB subnet group `name`.
    pub fn db_subnet_group_arn(&self, name: &str) -> String {
        ids::db_subnet_group_arn(&self.region, &self.account_id, name)
    }

    /// Stores a DB subnet group under its name.
    pub fn put_db_subnet_group(&mut self, group: DbSubnetGroup) {
        self.db_subnet_groups.insert(group.db_subnet_group_name.clone(), group);
    }

    /// A DB subnet group by name (case-insensitive) or ARN.
    pub fn db_subnet_group(&self, name_or_arn: &str) -> Option<&DbSubnetGroup> {
        let lower = name_or_arn.to_ascii_lowercase();
        self.db_subnet_groups.get(&lower).or_else(|| {
            self.db_subnet_groups.values().find(|g| {
                g.db_subnet_group_arn == name_or_arn || g.db_subnet_group_name.eq_ignore_ascii_case(name_or_arn)
            })
        })
    }

    /// A fresh Auto Scaling group ARN:
    /// `arn:aws:autoscaling:REGION:ACCT:autoScalingGroup:UUID:autoScalingGroupName/NAME`.
    pub fn new_auto_scaling_group_arn(&mut self, name: &str) -> String {
        let uuid = ids::uuid(self.next_words("asg"));
        format!(
            "arn:aws:autoscaling:{}:{}:autoScalingGroup:{uuid}:autoScalingGroupName/{name}",
            self.region, self.account_id
        )
    }

    /// Stores an Auto Scaling group under its name.
    pub fn put_auto_scaling_group(&mut self, group: AutoScalingGroup) {
        self.auto_scaling_groups.insert(group.auto_scaling_group_name.clone(), group);
    }

    /// An Auto Scaling group by name or ARN.
    pub fn auto_scaling_group(&self, name_or_arn: &str) -> Option<&AutoScalingGroup> {
        self.auto_scaling_groups
            .get(name_or_arn)
            .or_else(|| self.auto_scaling_groups.values().find(|g| g.auto_scaling_group_arn == name_or_arn))
    }

    /// A fresh launch configuration ARN:
    /// `arn:aws:autoscaling:REGION:ACCT:launchConfiguration:UUID:launchConfigurationName/NAME`.
    pub fn new_launch_configuration_arn(&mut self, name: &str) -> String {
        let uuid = ids::uuid(self.next_words("launch-configuration"));
        format!(
            "arn:aws:autoscaling:{}:{}:launchConfiguration:{uuid}:launchConfigurationName/{name}",
            self.region, self.account_id
        )
    }

    /// Stores a launch configuration under its name.
    pub fn put_launch_configuration(&mut self, lc: LaunchConfiguration) {
        self.launch_configurations.insert(lc.launch_configuration_name.clone(), lc);
    }

    /// A launch configuration by name or ARN.
    pub fn launch_configuration(&self, name_or_arn: &str) -> Option<&LaunchConfiguration> {
        self.launch_configurations
            .get(name_or_arn)
            .or_else(|| self.launch_configurations.values().find(|l| l.launch_configuration_arn == name_or_arn))
    }

    /// Stores a launch template under its ID (get one from `new_id(prefix::LAUNCH_TEMPLATE)`).
    pub fn put_launch_template(&mut self, lt: LaunchTemplate) {
        self.launch_templates.insert(lt.launch_template_id.clone(), lt);
    }

    /// A launch template by ID or name.
    pub fn launch_template(&self, id_or_name: &str) -> Option<&LaunchTemplate> {
        self.launch_templates
            .get(id_or_name)
            .or_else(|| self.launch_templates.values().find(|l| l.launch_template_name == id_or_name))
    }

    /// Stores an SSM parameter under its name, bumping the version when it already exists.
    pub fn put_ssm_parameter(&mut self, name: &str, param_type: &str, value: &str) -> &SsmParameter {
        let version = self.ssm_parameters.get(name).map_or(1, |p| p.version + 1);
        let p = SsmParameter {
            name: name.to_string(),
            param_type: param_type.to_string(),
            value: value.to_string(),
            version,
            key_id: None,
        };
        self.ssm_parameters.insert(name.to_string(), p);
        &self.ssm_parameters[name]
    }

    /// An SSM parameter by name.
    pub fn ssm_parameter(&self, name: &str) -> Option<&SsmParameter> {
        self.ssm_parameters.get(name)
    }

    /// Stores an export under its name (the uniqueness check is the stack layer's).
    pub fn put_export(&mut self, export: Export) {
        self.exports.insert(export.name.clone(), export);
    }

    /// An export by name.
    pub fn export(&self, name: &str) -> Option<&Export> {
        self.exports.get(name)
    }

    /// Stores a resource without behaviour.
    pub fn put_inert(&mut self, resource: InertResource) {
        self.inert.insert(inert_key(&resource.resource_type, &resource.physical_id), resource);
    }

    /// A resource without behaviour by type and physical ID.
    pub fn inert(&self, resource_type: &str, physical_id: &str) -> Option<&InertResource> {
        self.inert.get(&inert_key(resource_type, physical_id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn td(family: &str) -> TaskDefinition {
        TaskDefinition {
            family: family.into(),
            revision: 0,
            task_definition_arn: String::new(),
            network_mode: "awsvpc".into(),
            requires_compatibilities: vec!["FARGATE".into()],
            cpu: Some("256".into()),
            memory: Some("512".into()),
            container_definitions: vec![],
            task_role_arn: None,
            execution_role_arn: None,
            status: crate::TaskDefinitionStatus::Active,
        }
    }

    #[test]
    fn ecs_lookups() {
        let mut a = Account::default();
        let c = a.new_cluster("prod");
        assert_eq!(c.cluster_arn, "arn:aws:ecs:us-east-1:123456789012:cluster/prod");
        a.put_cluster(c.clone());
        assert_eq!(a.cluster(&c.cluster_arn).map(|c| c.cluster_name.as_str()), Some("prod"));
        let one = a.register_task_definition(td("web"));
        let two = a.register_task_definition(td("web"));
        assert_eq!(two.task_definition_arn, "arn:aws:ecs:us-east-1:123456789012:task-definition/web:2");
        assert_eq!(a.task_definition("web").map(|t| t.revision), Some(2));
        assert_eq!(a.task_definition("web:1").map(|t| &t.task_definition_arn), Some(&one.task_definition_arn));
        assert_eq!(a.task_definition(&one.task_definition_arn).map(|t| t.revision), Some(1));
        assert!(a.task_definition("web:x").is_none());
        let arn = a.service_arn("prod", "api");
        assert_eq!(arn, "arn:aws:ecs:us-east-1:123456789012:service/prod/api");
        a.put_service(Service {
            service_name: "api".into(),
            service_arn: arn.clone(),
            cluster_arn: c.cluster_arn.clone(),
            task_definition: two.task_definition_arn.clone(),
            desired_count: 2,
            launch_type: Some("FARGATE".into()),
            network_configuration: None,
            load_balancers: vec![],
            role_arn: None,
            deployment_configuration: DeploymentConfiguration::default(),
            status: crate::ServiceStatus::Active,
            deployments: Vec::new(),
            events: Vec::new(),
            running_count: 0,
            pending_count: 0,
            created_at: a.clock_ms,
            start_failures: Default::default(),
        });
        assert!(
            a.service("prod", "api").is_some() && a.service("x", &arn).is_some() && a.service("other", "api").is_none()
        );
    }

    #[test]
    fn elb_arns_and_dns() {
        let mut a = Account::default();
        let lb = a.new_load_balancer_arn("web", "application");
        assert!(lb.starts_with("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/"));
        assert_eq!(lb.rsplit('/').next().map(str::len), Some(16));
        let dns = a.new_load_balancer_dns_name("web", "internet-facing");
        let digits = dns.strip_prefix("web-").and_then(|d| d.strip_suffix(".us-east-1.elb.amazonaws.com")).unwrap();
        assert!(digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()), "{dns}");
        assert!(a.new_load_balancer_dns_name("web", "internal").starts_with("internal-web-"));
        let tg = a.new_target_group_arn("web-tg");
        assert!(tg.starts_with("arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/web-tg/"));
        assert!(a.new_listener_arn(&lb).contains(":listener/app/web/"));
        let hc = HealthCheck::default();
        assert_eq!(
            (
                hc.health_check_interval_seconds,
                hc.health_check_timeout_seconds,
                hc.healthy_threshold_count,
                hc.unhealthy_threshold_count
            ),
            (30, 5, 5, 2)
        );
    }

    #[test]
    fn rds_asg_ssm_inert() {
        let mut a = Account::default();
        assert_eq!(a.db_instance_arn("db1"), "arn:aws:rds:us-east-1:123456789012:db:db1");
        let ep = a.db_endpoint_address("DB1");
        assert!(ep.starts_with("db1.c") && ep.ends_with(".us-east-1.rds.amazonaws.com"));
        assert_eq!(ep, a.db_endpoint_address("db1"));
        assert!(a.new_auto_scaling_group_arn("asg").ends_with(":autoScalingGroupName/asg"));
        assert_eq!(a.put_ssm_parameter("/x", "String", "1").version, 1);
        assert_eq!(a.put_ssm_parameter("/x", "String", "2").version, 2);
        a.put_inert(InertResource {
            resource_type: "AWS::IAM::Role".into(),
            physical_id: "r".into(),
            arn: None,
            attributes: Default::default(),
        });
        assert!(a.inert("AWS::IAM::Role", "r").is_some() && a.inert("AWS::Logs::LogGroup", "r").is_none());
    }
}
