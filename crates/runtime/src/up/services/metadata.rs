//! The endpoints AWS runs beside workloads: the ECS agent's credentials
//! endpoint at 169.254.170.2 in every task's namespace and every instance's
//! (for its bridge and host tasks), instance metadata at 169.254.169.254 in
//! every instance's. Their answers come from the account each tick (the
//! tick's `refresh_credentials` minted and rotated the keys and saved them,
//! so the wire endpoint accepts them); the servers read the latest copy.

use super::Services;
use account::credentials::ServedCredentials;
use account::{Account, Task};
use std::collections::{BTreeSet, HashMap};
use std::net::SocketAddrV4;
use std::sync::{Arc, RwLock};
use workload::metadata::imds::{Imds, InstanceView};
use workload::metadata::{credentials::CredentialsEndpoint, Endpoint, CREDENTIALS_ADDR, IMDS_ADDR};

/// The credentials IDs one endpoint serves, with their keys.
pub(super) type CredentialsTable = Arc<RwLock<HashMap<String, ServedCredentials>>>;
/// What one instance's metadata answers.
pub(super) type ImdsView = Arc<RwLock<Option<InstanceView>>>;

/// The container environment ECS gives a task's containers for AWS's SDKs
/// (kept in one place so other additions to the environment merge beside it):
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` only when the task has a task
/// role (AWS doc "Amazon ECS task IAM role"); `AWS_REGION`,
/// `AWS_DEFAULT_REGION` and `AWS_EXECUTION_ENV` (`AWS_ECS_FARGATE` or
/// `AWS_ECS_EC2`; AWS doc "Fargate task environment variables" lists them for
/// Fargate; that the EC2 agent sets the region too is unverified). Never
/// keys nor an endpoint URL: the SDKs' default chains find both.
pub fn sdk_environment(account: &Account, task: &Task) -> Vec<(String, String)> {
    let mut env = Vec::new();
    if let Some(c) = account.task_credentials_of(&task.task_arn) {
        env.push(("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI".to_string(), c.relative_uri()));
    }
    env.push(("AWS_REGION".to_string(), account.region.clone()));
    env.push(("AWS_DEFAULT_REGION".to_string(), account.region.clone()));
    let execution = if task.launch_type == "FARGATE" { "AWS_ECS_FARGATE" } else { "AWS_ECS_EC2" };
    env.push(("AWS_EXECUTION_ENV".to_string(), execution.to_string()));
    env
}

/// The keys of `tasks` by credentials ID at `now_ms`.
fn table_for<'a>(
    account: &Account,
    tasks: impl Iterator<Item = &'a Task>,
    now_ms: u64,
) -> HashMap<String, ServedCredentials> {
    tasks
        .filter_map(|t| {
            let c = account.task_credentials_of(&t.task_arn)?;
            Some((c.credentials_id.clone(), account.served_task_credentials(&c.credentials_id, now_ms)?))
        })
        .collect()
}

/// The bridge and host tasks placed on an instance that have not stopped.
fn tasks_on_instance<'a>(account: &'a Account, instance_id: &str) -> Vec<&'a Task> {
    let Some(ci) = account.container_instances.values().find(|c| c.ec2_instance_id == instance_id) else {
        return Vec::new();
    };
    account
        .tasks
        .values()
        .filter(|t| {
            t.container_instance_arn.as_deref() == Some(ci.container_instance_arn.as_str())
                && t.eni_id.is_none()
                && t.is_live()
        })
        .collect()
}

impl Services {
    /// The credentials endpoint in a task's namespace: its own ID only
    /// (another task's is "not found", as on Fargate's per-task endpoint).
    pub(super) fn sync_task_credentials(
        &mut self,
        account: &Account,
        task_arn: &str,
        ns: &str,
        wanted: &mut BTreeSet<String>,
    ) {
        let now = crate::clock::wall_clock_ms();
        let table = table_for(account, account.tasks.get(task_arn).into_iter(), now);
        self.put_credentials(&format!("credentials {ns}"), ns, table, wanted);
    }

    /// An instance's endpoints: metadata for the instance, credentials for its bridge and host tasks.
    pub(super) fn sync_instance_metadata(
        &mut self,
        account: &Account,
        instance_id: &str,
        ns: &str,
        wanted: &mut BTreeSet<String>,
    ) {
        let now = crate::clock::wall_clock_ms();
        let table = table_for(account, tasks_on_instance(account, instance_id).into_iter(), now);
        self.put_credentials(&format!("credentials {ns}"), ns, table, wanted);
        let view = account::credentials::instance_metadata(account, instance_id, now).map(|tree| InstanceView {
            tree,
            tokens_required: account.instances.get(instance_id).and_then(|i| i.http_tokens.as_deref())
                == Some("required"),
        });
        let key = format!("imds {ns}");
        wanted.insert(key.clone());
        let shared: ImdsView = self.imds_views.entry(key.clone()).or_default().clone();
        if let Ok(mut v) = shared.write() {
            *v = view;
        }
        if self.servers.contains_key(&key) {
            return;
        }
        let reader = shared;
        let endpoint = Imds::new(move || reader.read().ok().and_then(|v| v.clone()), crate::clock::wall_clock_ms);
        let at = SocketAddrV4::new(IMDS_ADDR, dataplane::wiring::IMDS_PORT);
        self.start_endpoint(&key, ns, at, Arc::new(endpoint));
    }

    fn put_credentials(
        &mut self,
        key: &str,
        ns: &str,
        table: HashMap<String, ServedCredentials>,
        wanted: &mut BTreeSet<String>,
    ) {
        wanted.insert(key.to_string());
        let shared: CredentialsTable = self.credentials_tables.entry(key.to_string()).or_default().clone();
        if let Ok(mut t) = shared.write() {
            *t = table;
        }
        if self.servers.contains_key(key) {
            return;
        }
        let endpoint = CredentialsEndpoint::new(move |id| shared.read().ok()?.get(id).cloned());
        let at = SocketAddrV4::new(CREDENTIALS_ADDR, dataplane::wiring::CREDENTIALS_PORT);
        self.start_endpoint(key, ns, at, Arc::new(endpoint));
    }

    /// Listens at `addr` in `ns` for `endpoint`; tried again next tick when it cannot.
    fn start_endpoint(&mut self, key: &str, ns: &str, addr: SocketAddrV4, endpoint: Arc<dyn Endpoint>) {
        let Some(n) = self.ns(ns) else { return };
        let l = match workload::tcp_listener(&n, addr) {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!("{key}: cannot listen on {addr} in {ns}: {e}");
                return;
            }
        };
        let h = self.handle.spawn(async move {
            match tokio::net::TcpListener::from_std(l) {
                Ok(l) => workload::metadata::serve(l, endpoint).await,
                Err(e) => tracing::warn!("a metadata endpoint cannot listen: {e}"),
            }
        });
        self.servers.insert(key.to_string(), vec![h]);
    }

    /// Forgets the shared answers of endpoints that stopped.
    pub(super) fn forget_metadata(&mut self) {
        let servers = &self.servers;
        self.credentials_tables.retain(|k, _| servers.contains_key(k));
        self.imds_views.retain(|k, _| servers.contains_key(k));
    }
}

#[cfg(test)]
mod tests {
    use super::sdk_environment;
    use account::Account;
    use control::ecs::testkit;

    /// A Fargate task of a new task definition `family`, with `role` as its task role.
    fn task(a: &mut Account, family: &str, role: Option<&str>) -> String {
        let td = testkit::task_definition(a, family, "awsvpc", Some(("256", "512")), vec![]);
        if let Some(d) = a.task_definitions.get_mut(&td) {
            d.task_role_arn = role.map(str::to_string);
        }
        testkit::run_fargate_task(a, "c", family).expect("runs")
    }

    #[test]
    fn only_a_task_with_a_role_is_told_where_its_keys_are() {
        let mut a = Account::default();
        testkit::cluster(&mut a, "c");
        let with = task(&mut a, "with", Some("arn:aws:iam::123456789012:role/app"));
        let without = task(&mut a, "without", None);
        a.refresh_credentials(crate::clock::wall_clock_ms());
        let env = |arn: &str| sdk_environment(&a, &a.tasks[arn]);
        let uri = env(&with).into_iter().find(|(k, _)| k == "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI").map(|(_, v)| v);
        let id = a.task_credentials_of(&with).map(|c| c.credentials_id.clone()).unwrap_or_default();
        assert_eq!(uri, Some(format!("/v2/credentials/{id}")));
        let plain = env(&without);
        assert!(plain.iter().all(|(k, _)| k != "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"));
        for (k, v) in
            [("AWS_REGION", "us-east-1"), ("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_EXECUTION_ENV", "AWS_ECS_FARGATE")]
        {
            assert!(plain.iter().any(|(x, y)| x == k && y == v), "{k}={v} in {plain:?}");
        }
        // No keys nor endpoint in the environment: the SDKs' chains find them.
        assert!(plain
            .iter()
            .chain(&env(&with))
            .all(|(k, _)| !k.starts_with("AWS_ACCESS_KEY") && k != "AWS_ENDPOINT_URL"));
    }
}
