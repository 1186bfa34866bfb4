//! What the agent fetches before a task's containers start: the `secrets`
//! of its container definitions (Secrets Manager, SSM Parameter Store), the
//! registry auth and the image of a private ECR repository. Each is a
//! connection from the task's ENI (awsvpc) or its instance to AWS's
//! endpoint, so a task in a private subnet with neither a NAT route nor a
//! VPC endpoint cannot start. The question whether a connection gets
//! through is the reachability engine's (`reach::pulls`) in the simulated
//! world, or the data plane's real connections while `up` runs
//! ([`StartPulls::DataPlane`]); this module turns the answer into the
//! task's fate with ECS's texts.
//!
//! AWS doc: "Amazon ECS task networking options for the EC2 launch type"
//! and "Pass sensitive data to an Amazon ECS container" (the task's network
//! must reach the services); "Troubleshoot Amazon ECS
//! ResourceInitializationError errors"; "CannotPullContainer task errors in
//! Amazon ECS".

use account::endpoints::ServiceEndpoint;
use account::{Account, StartPulls, Task};
use std::net::Ipv4Addr;

/// How long PENDING waits for `up`'s report before it asks reach instead
/// (tasknet's choice: longer than the data plane's connect timeout, so only
/// an `up` that went away meanwhile leaves the answer to reach).
pub const DATA_PLANE_WAIT_MS: u64 = 30_000;
/// How often a task waiting for `up`'s report is looked at again (one tick).
pub const POLL_MS: u64 = 250;

/// What one start-time connection fetches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pull {
    /// A container secret (`valueFrom`).
    Secret {
        /// The `valueFrom` as written.
        value_from: String,
    },
    /// ECR's GetAuthorizationToken for a private repository's image.
    RegistryAuth {
        /// The image.
        image: String,
    },
    /// The image's manifest from the registry (`<account>.dkr.ecr.<region>.amazonaws.com`).
    Image {
        /// The image.
        image: String,
    },
    /// The image's layers, which ECR serves from S3.
    Layers {
        /// The image.
        image: String,
    },
    /// The awslogs driver's log stream, made before the container starts.
    Logs {
        /// `awslogs-group`.
        group: String,
    },
}

/// A start-time connection that does not get through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PullBlocker {
    /// What it fetches.
    pub pull: Pull,
    /// The service it connects to.
    pub service: &'static ServiceEndpoint,
    /// The hostname.
    pub host: String,
    /// What the name resolved to; `None` when the VPC's DNS does not answer.
    pub address: Option<Ipv4Addr>,
}

/// What PENDING does about the pulls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Everything got through (or nothing is fetched): start the containers.
    Go,
    /// `up` has not reported yet: look again at this clock time.
    Wait(u64),
    /// The task stops with TaskFailedToStart and this reason.
    Fail(String),
}

/// The verdict for a task reaching the end of PENDING. `blockers` asks the
/// reachability engine (called only when the data plane does not decide).
pub fn at_pending(
    account: &Account,
    task: &Task,
    blockers: impl FnOnce(&Account, &Task) -> Vec<PullBlocker>,
) -> Verdict {
    let now = account.clock_ms;
    match task.start_pulls {
        StartPulls::Connected => return Verdict::Go,
        StartPulls::DataPlane { until } if now < until => return Verdict::Wait((now + POLL_MS).min(until)),
        StartPulls::DataPlane { .. } | StartPulls::Reach => {}
    }
    match first_failure(&blockers(account, task), &account.region).or_else(|| value_failure(account, task)) {
        Some(reason) => Verdict::Fail(reason),
        None => Verdict::Go,
    }
}

/// The first container secret whose value cannot be read, once the
/// connections got through: the service's own answer in ECS's frame.
pub fn value_failure(account: &Account, task: &Task) -> Option<String> {
    let td = account.task_definitions.get(&task.task_definition_arn)?;
    td.container_definitions.iter().flat_map(|c| c.secrets.iter()).find_map(|s| {
        let e = account.container_secret_value(&s.value_from).err()?;
        Some(match account::secrets::ecs::source(&s.value_from) {
            // Seen form (public threads: one retry for an answer that is not a timeout).
            account::secrets::ecs::SecretSource::SecretsManager => format!(
                "ResourceInitializationError: unable to pull secrets or registry auth: execution resource \
                 retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): \
                 failed to fetch secret {} from secrets manager: {}: {}",
                account::secrets::ecs::secret_id(&s.value_from),
                e.code,
                e.message
            ),
            // Inferred: the agent names the parameters GetParameters reports invalid.
            account::secrets::ecs::SecretSource::Ssm => format!(
                "ResourceInitializationError: unable to pull secrets or registry auth: execution resource \
                 retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): \
                 invalid parameters: {}",
                account::secrets::ecs::parameter_name(&s.value_from)
            ),
        })
    })
}

/// The reason of the first failure the agent meets: secrets and registry
/// auth come before the image (the agent resolves them first), the image's
/// manifest before its layers.
pub fn first_failure(blockers: &[PullBlocker], region: &str) -> Option<String> {
    let rank = |b: &PullBlocker| match b.pull {
        Pull::Secret { .. } | Pull::RegistryAuth { .. } => 0,
        Pull::Image { .. } => 1,
        Pull::Layers { .. } => 2,
        Pull::Logs { .. } => 3,
    };
    blockers.iter().min_by_key(|b| rank(b)).map(|b| stopped_reason(b, region))
}

/// ECS's stopped reason for one blocked connection.
pub fn stopped_reason(b: &PullBlocker, region: &str) -> String {
    let dial = dial_error(b);
    match &b.pull {
        // Seen (many public threads, Fargate platform 1.4): the agent retries
        // five times and gives up on its deadline, whatever the cause.
        Pull::Secret { value_from } if b.service.name == "secretsmanager" => format!(
            "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval \
             failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch \
             secret {} from secrets manager: RequestCanceled: request context canceled caused by: context deadline \
             exceeded. Please check your task network configuration.",
            account::secrets::ecs::secret_id(value_from)
        ),
        // Seen (public threads): SSM's form names no parameter.
        Pull::Secret { .. } => "ResourceInitializationError: unable to pull secrets or registry auth: execution \
             resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 5 \
             time(s): RequestCanceled: request context canceled caused by: context deadline exceeded. Please check \
             your task network configuration."
            .to_string(),
        // Seen (a 2024 public thread): the current agent's wording, with Go's dial error.
        Pull::RegistryAuth { .. } => format!(
            "ResourceInitializationError: unable to pull secrets or registry auth: The task cannot pull registry \
             auth from Amazon ECR: There is a connection issue between the task and Amazon ECR. Check your task \
             network configuration. RequestError: send request failed caused by: Post \"https://{}/\": {dial}",
            b.host
        ),
        // Seen (several public threads): Docker's answer when the registry does not answer.
        Pull::Image { .. } => format!(
            "CannotPullContainerError: API error (500): Get https://{}/v2/: net/http: request canceled while \
             waiting for connection (Client.Timeout exceeded while awaiting headers)",
            b.host
        ),
        // Unverified (recalled from public posts, not found in the corpus):
        // the layers come from ECR's S3 bucket of the region.
        Pull::Layers { image } => format!(
            "CannotPullContainerError: ref pull has been retried 5 time(s): failed to copy: httpReadSeeker: failed \
             open: failed to do request: Get \"https://prod-{region}-starport-layer-bucket.s3.{region}.amazonaws.com/\": \
             {dial} (image {image})"
        ),
        // Seen (a 2024 public thread): the agent's text when the log group cannot be reached.
        Pull::Logs { .. } => "ResourceInitializationError: failed to validate logger args: The task cannot find the \
             Amazon CloudWatch log group defined in the task definition. There is a connection issue between the task \
             and Amazon CloudWatch. Check your network configuration. : signal: killed"
            .to_string(),
    }
}

/// Go's dial error: a timeout when packets go nowhere, a failed lookup when
/// the VPC's resolver does not answer (Go's resolver text; inferred).
fn dial_error(b: &PullBlocker) -> String {
    match b.address {
        Some(ip) => format!("dial tcp {ip}:443: i/o timeout"),
        None => format!("dial tcp: lookup {}: i/o timeout", b.host),
    }
}

/// One connection a task's start makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Need {
    /// What it fetches.
    pub pull: Pull,
    /// The service.
    pub service: &'static ServiceEndpoint,
    /// The hostname it connects to.
    pub host: String,
}

/// The connections a task's start makes, in the order the agent makes them
/// (`reach::pulls::needs`: secrets, a private ECR image's registry and
/// layers, the awslogs stream), one per purpose.
pub fn needs(account: &Account, task: &Task) -> Vec<Need> {
    let Some(td) = account.task_definitions.get(&task.task_definition_arn) else { return Vec::new() };
    let mut out = Vec::new();
    for n in reach::pulls::needs(account, td) {
        for p in &n.purposes {
            if let Some(pull) = pull_of(n.target.service.name, p) {
                out.push(Need { pull, service: n.target.service, host: n.target.host.clone() });
            }
        }
    }
    out
}

/// What a connection to `service` fetches for `purpose`.
fn pull_of(service: &str, purpose: &reach::pulls::Purpose) -> Option<Pull> {
    use reach::pulls::Purpose;
    Some(match (service, purpose) {
        (_, Purpose::Secret { value_from, .. }) => Pull::Secret { value_from: value_from.clone() },
        ("ecr.api", Purpose::Image { image, .. }) => Pull::RegistryAuth { image: image.clone() },
        ("ecr.dkr", Purpose::Image { image, .. }) => Pull::Image { image: image.clone() },
        ("s3", Purpose::Image { image, .. }) => Pull::Layers { image: image.clone() },
        (_, Purpose::Logs { group, .. }) => Pull::Logs { group: group.clone() },
        _ => return None,
    })
}

/// The reachability engine's blocked connections for a task's start.
pub fn reach_blockers(account: &Account, task: &Task) -> Vec<PullBlocker> {
    let Some(found) = reach::pulls::task_start_blockers(account, task) else { return Vec::new() };
    let mut out = Vec::new();
    for b in &found {
        let Some(service) = account::endpoints::by_name(b.service) else { continue };
        for p in &b.purposes {
            if let Some(pull) = pull_of(b.service, p) {
                out.push(PullBlocker { pull, service, host: b.host.clone(), address: Some(b.address) });
            }
        }
    }
    out
}

/// `up`'s report: the task's start-time connections got through.
pub fn connected(account: &mut Account, task_arn: &str) {
    if let Some(t) = account.tasks.get_mut(task_arn).filter(|t| t.is_live()) {
        t.start_pulls = StartPulls::Connected;
    }
}

/// `up`'s report: a start-time connection failed; the task stops with the
/// reason and its deployment counts a failed task.
pub fn failed(account: &mut Account, task_arn: &str, blocker: &PullBlocker) {
    if !account.tasks.get(task_arn).is_some_and(|t| t.is_live() && t.started_at.is_none()) {
        return;
    }
    let reason = stopped_reason(blocker, &account.region);
    if super::lifecycle::request_stop(account, task_arn, "TaskFailedToStart", &reason) {
        super::deployments::note_failed_task(account, task_arn);
    }
}

/// `up` takes over a task's pulls: PENDING waits for its report.
pub fn hand_to_data_plane(account: &mut Account, task_arn: &str) {
    let until = account.clock_ms + DATA_PLANE_WAIT_MS;
    if let Some(t) = account.tasks.get_mut(task_arn).filter(|t| t.is_live() && t.start_pulls == StartPulls::Reach) {
        t.start_pulls = StartPulls::DataPlane { until };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocker(pull: Pull, service: &str, address: Option<Ipv4Addr>) -> PullBlocker {
        let service = account::endpoints::by_name(service).unwrap();
        PullBlocker { pull, service, host: service.hostnames("us-east-1")[0].clone(), address }
    }

    #[test]
    fn texts_name_what_failed() {
        let arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
        let b = blocker(Pull::Secret { value_from: format!("{arn}:password::") }, "secretsmanager", None);
        let r = stopped_reason(&b, "us-east-1");
        assert!(r.starts_with("ResourceInitializationError: unable to pull secrets or registry auth: "), "{r}");
        assert!(r.contains(&format!("failed to fetch secret {arn} from secrets manager")), "{r}");
        let b = blocker(Pull::Secret { value_from: "/app/db".into() }, "ssm", None);
        assert!(stopped_reason(&b, "us-east-1").contains("unable to retrieve secrets from ssm"));
        let ip = Ipv4Addr::new(203, 0, 113, 133);
        let b = blocker(Pull::RegistryAuth { image: "x".into() }, "ecr.api", Some(ip));
        assert!(stopped_reason(&b, "us-east-1")
            .ends_with("Post \"https://api.ecr.us-east-1.amazonaws.com/\": dial tcp 203.0.113.133:443: i/o timeout"));
    }

    #[test]
    fn secrets_fail_before_the_image() {
        let image = "123456789012.dkr.ecr.us-east-1.amazonaws.com/app:1".to_string();
        let bs = vec![
            blocker(Pull::Layers { image: image.clone() }, "s3", None),
            blocker(Pull::Image { image: image.clone() }, "ecr.dkr", None),
            blocker(Pull::Secret { value_from: "/p".into() }, "ssm", None),
        ];
        assert!(first_failure(&bs, "us-east-1").unwrap().contains("from ssm"));
        assert!(first_failure(&bs[..2], "us-east-1").unwrap().starts_with("CannotPullContainerError: API error"));
        assert_eq!(first_failure(&[], "us-east-1"), None);
    }

    #[test]
    fn the_data_plane_decides_while_it_reports_in_time() {
        let mut a = Account::new_default();
        let mut t: Task = serde_json::from_value(serde_json::json!({
            "taskArn": "t", "clusterArn": "c", "taskDefinitionArn": "d", "containerInstanceArn": null,
            "group": "g", "startedBy": null, "launchType": "FARGATE", "availabilityZone": "us-east-1a",
            "lastStatus": "PENDING", "desiredStatus": "RUNNING", "connectivity": "CONNECTED", "cpu": 256,
            "memory": 512, "createdAt": 0, "startedAt": null, "stoppingAt": null, "stoppedAt": null,
            "stopCode": null, "stoppedReason": null, "containers": [], "eniId": null, "serviceArn": null,
            "nextTransitionAt": null
        }))
        .unwrap();
        let blocked = |_: &Account, _: &Task| vec![blocker(Pull::Secret { value_from: "/p".into() }, "ssm", None)];
        assert!(matches!(at_pending(&a, &t, blocked), Verdict::Fail(_)));
        t.start_pulls = StartPulls::DataPlane { until: a.clock_ms + 1_000 };
        assert_eq!(at_pending(&a, &t, blocked), Verdict::Wait(a.clock_ms + POLL_MS));
        a.clock_ms += 1_000;
        assert!(matches!(at_pending(&a, &t, blocked), Verdict::Fail(_)), "an up that went away leaves it to reach");
        t.start_pulls = StartPulls::Connected;
        assert_eq!(at_pending(&a, &t, blocked), Verdict::Go);
    }
}
