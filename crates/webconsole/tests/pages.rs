//! The console's pages drawn from the example deployed (and the chapter's
//! question-4 variant), through the public route as a browser reaches them:
//! what a user must see on each, escaping, and unknown pages.

use account::Account;
use std::sync::Mutex;
use webconsole::{ApiFailure, Console, Host, Reply, Request, RuleCounters};

/// The account in memory; the API is not needed to draw pages.
struct Memory(Mutex<Account>);

impl Host for Memory {
    fn read(&self, f: &mut dyn FnMut(&Account)) -> Result<(), ApiFailure> {
        f(&self.0.lock().unwrap_or_else(|p| p.into_inner()));
        Ok(())
    }
    fn call(&self, _: &str, _: &str, operation: &str, _: serde_json::Value) -> Result<serde_json::Value, ApiFailure> {
        Err(ApiFailure {
            code: "NotHere".into(),
            message: format!("{operation} is not called by these tests"),
            status: 400,
        })
    }
    fn secret_of(&self, key: &str) -> Option<String> {
        (key == "test").then(|| "test".into())
    }
    fn rule_counters(&self) -> Option<RuleCounters> {
        None
    }
}

struct Browser {
    console: Console,
    host: Memory,
    cookie: Vec<(String, String)>,
}

impl Browser {
    fn new(account: Account) -> Browser {
        let console = Console::new();
        let token = console.sessions().start("test");
        let cookie = vec![("Cookie".to_string(), format!("{}={token}", webconsole::auth::COOKIE))];
        Browser { console, host: Memory(Mutex::new(account)), cookie }
    }

    /// (status, body) of a GET of `url` (below the prefix, with its query).
    fn get(&self, url: &str) -> (u16, String) {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let path = format!("{}{path}", webconsole::PREFIX);
        let req = Request { method: "GET", path: &path, query, headers: &self.cookie, body: b"" };
        match self.console.handle(&self.host, &req) {
            Reply::Full(r) => (r.status, String::from_utf8_lossy(&r.body).into_owned()),
            Reply::Live(_) => panic!("{url} is a page, not a stream"),
        }
    }

    fn page(&self, url: &str) -> String {
        let (status, body) = self.get(url);
        assert_eq!(status, 200, "{url}: {body}");
        body
    }
}

fn cluster_of(a: &Account) -> String {
    a.clusters.values().next().expect("the example's cluster").cluster_name.clone()
}

#[test]
fn the_task_screen_shows_each_tasks_eni_private_ip_and_group() {
    let account = testkit::example::example();
    let cluster = cluster_of(&account);
    let tasks: Vec<account::Task> =
        account.tasks.values().filter(|t| t.is_live() && t.group.starts_with("service:")).cloned().collect();
    assert_eq!(tasks.len(), 2);
    let b = Browser::new(account.clone());
    for t in tasks {
        let id = t.task_arn.rsplit('/').next().expect("an ID");
        let page = b.page(&format!("/ecs/clusters/{cluster}/tasks/{id}"));
        let section = page.split("<section id=\"attachment\">").nth(1).expect("the attachment section");
        let eni = &account.network_interfaces[shapes::ecs::task_eni(&t).expect("an ENI")];
        let subnet = &account.subnets[&eni.subnet_id];
        assert!(subnet.cidr_block.contains_addr(eni.private_ip_address) && !subnet.map_public_ip_on_launch);
        for (label, value) in [
            ("ENI ID", eni.network_interface_id.clone()),
            ("Private IP", eni.private_ip_address.to_string()),
            ("MAC address", eni.mac_address.clone()),
            ("Subnet", eni.subnet_id.clone()),
            ("Security groups", eni.groups[0].clone()),
        ] {
            let after = section.split(&format!("<dt>{label}</dt>")).nth(1).expect(label);
            assert!(after.split("</dd>").next().is_some_and(|dd| dd.contains(&value)), "{label}: {value} in {after}");
        }
    }
}

#[test]
fn the_instances_show_their_awsvpc_slots_full_on_t2_micro() {
    let account = testkit::example::example();
    let cluster = cluster_of(&account);
    let page = Browser::new(account).page(&format!("/ecs/clusters/{cluster}/instances"));
    assert_eq!(page.matches("t2.micro").count(), 2, "{page}");
    assert_eq!(page.matches("1 used, 0 free of 1").count(), 2, "{page}");
}

#[test]
fn the_service_page_lists_deployments_and_events_and_offers_scaling() {
    let account = testkit::example::example();
    let cluster = cluster_of(&account);
    let service = account.services.values().next().expect("the service").clone();
    let page = Browser::new(account).page(&format!("/ecs/clusters/{cluster}/services/{}", service.service_name));
    assert!(page.contains("id=\"events\"") && page.contains("has reached a steady state."), "{page}");
    assert!(page.contains("PRIMARY") && page.contains("COMPLETED"), "{page}");
    assert!(page.contains("/_console/actions/scale-service") && page.contains("name=\"csrf\""), "{page}");
}

#[test]
fn reachability_answers_the_path_and_the_question_4_variant_blocks_with_its_fix() {
    let b = Browser::new(testkit::example::example());
    let page = b.page("/reach?from=ApplicationLoadBalancer&to=ApplicationService&port=8000&protocol=tcp");
    let verdict = page.split("id=\"verdict\"").nth(1).expect("a verdict");
    assert!(verdict.split("</div>").next().is_some_and(|v| v.contains("<strong>reachable</strong>")), "{verdict}");
    assert!(page.contains("class=\"hop\""), "hops are listed");
    let (account, _) = testkit::example::deploy("examples/todobackend/broken/rules-on-instance-group.yml", &[]);
    let b = Browser::new(account);
    let page = b.page("/reach?from=ApplicationLoadBalancer&to=ApplicationService&port=8000&protocol=tcp");
    let verdict = page.split("id=\"verdict\"").nth(1).expect("a verdict");
    assert!(verdict.split("</div>").next().is_some_and(|v| v.contains("<strong>blocked</strong>")), "{verdict}");
    let blocked = page.split("class=\"hop blocked finding error\"").nth(1).expect("a blocked hop");
    assert!(blocked.contains("<strong>Fix:</strong>"), "{blocked}");
    // Bad input shows the engine's own words.
    let page = b.page("/reach?from=nope&to=ApplicationService&port=abc");
    assert!(page.contains("id=\"verdict\""), "{page}");
}

#[test]
fn security_groups_list_rules_with_declarations_and_members() {
    let account = testkit::example::example();
    let lb_group = account
        .security_groups
        .values()
        .find(|g| g.group_name.contains("ApplicationSecurityGroup"))
        .expect("the application's group")
        .clone();
    let b = Browser::new(account);
    let page = b.page(&format!("/sg/{}", lb_group.group_id));
    let rule = account::ec2::security_group_rule_id(&lb_group.group_id, false, &lb_group.ingress[0]);
    assert!(page.contains(&format!("data-rule=\"{rule}\"")), "{page}");
    assert!(page.contains("/_console/stacks/todobackend#L"), "rules link to their template line: {page}");
    assert!(page.contains("/_console/actions/revoke-rule"), "{page}");
    assert!(page.contains("Packet counters of each rule appear while the data plane runs"), "{page}");
    // The load balancer's group as a peer is resolved to its nodes' addresses.
    assert!(page.contains("class=\"members\"") && page.contains("load balancer"), "{page}");
}

#[test]
fn account_text_is_escaped_and_unknown_pages_are_404() {
    let mut account = testkit::example::example();
    if let Some(g) = account.security_groups.values_mut().next() {
        g.description = "<script>alert(1)</script>".into();
    }
    let b = Browser::new(account);
    let page = b.page("/sg");
    assert!(!page.contains("<script>alert(1)") && page.contains("&lt;script&gt;alert(1)"), "{page}");
    for url in ["/nowhere", "/ecs/clusters/none", "/sg/sg-0", "/lb/none", "/stacks/none", "/vpc?vpc=vpc-0"] {
        assert_eq!(b.get(url).0, 404, "{url}");
    }
    for url in ["/", "/vpc", "/lb", "/ecs", "/reach/audit?eni=ApplicationService", "/stacks/todobackend"] {
        b.page(url);
    }
}
