//! The console's pages drawn from the example deployed (and the chapter's
//! question-4 variant), through the public route as a browser reaches them:
//! what a user must see on each, escaping, and unknown pages.

use account::Account;
use std::sync::Mutex;
use webconsole::{ApiFailure, Console, Host, Reply, Request, RuleCounters};

/// The account in memory (and the data plane's counters, when one "runs"); the API is not needed to draw pages.
struct Memory(Mutex<Account>, Option<RuleCounters>);

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
        self.1.clone()
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
        Browser { console, host: Memory(Mutex::new(account), None), cookie }
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

/// The map's node IDs with `class` among their classes.
fn marked(page: &str, class: &str) -> std::collections::BTreeSet<String> {
    page.split("<g class=\"")
        .skip(1)
        .filter_map(|g| {
            let (classes, rest) = g.split_once('"')?;
            let id = rest.strip_prefix(" data-id=\"")?.split('"').next()?;
            classes.split(' ').any(|c| c == class).then(|| id.to_string())
        })
        .collect()
}

#[test]
fn the_answer_is_drawn_on_the_map_and_question_4_is_blocked_at_the_task() {
    let account = testkit::example::example();
    let live = |a: &Account, kind: fn(&account::EniOwner) -> bool| -> std::collections::BTreeSet<String> {
        a.network_interfaces.values().filter(|e| kind(&e.owner)).map(|e| e.network_interface_id.clone()).collect()
    };
    let tasks = live(&account, |o| matches!(o, account::EniOwner::Task { .. }));
    let nodes = live(&account, |o| matches!(o, account::EniOwner::LoadBalancer { .. }));
    let b = Browser::new(account.clone());
    let page = b.page("/reach?from=ApplicationLoadBalancer&to=ApplicationService&port=8000&protocol=tcp");
    let on = marked(&page, "on-path");
    assert!(nodes.is_subset(&on) && tasks.iter().any(|t| on.contains(t)), "{on:?} {nodes:?} {tasks:?}");
    for e in on.iter().filter_map(|id| account.network_interfaces.get(id)) {
        assert!(on.contains(&e.subnet_id), "the subnet of {} is on the path", e.network_interface_id);
    }
    assert!(marked(&page, "blocked").is_empty());
    assert!(page.contains("polyline") && page.contains("class=\"edge on-path\""), "a target edge is on the path");

    let (broken, _) = testkit::example::deploy("examples/todobackend/broken/rules-on-instance-group.yml", &[]);
    let tasks = live(&broken, |o| matches!(o, account::EniOwner::Task { .. }));
    let nodes = live(&broken, |o| matches!(o, account::EniOwner::LoadBalancer { .. }));
    let b = Browser::new(broken);
    let page = b.page("/reach?from=ApplicationLoadBalancer&to=ApplicationService&port=8000&protocol=tcp");
    // Both rules name the instances' group: the nodes' egress and the tasks' ingress block.
    let blocked = marked(&page, "blocked");
    assert!(blocked.iter().any(|b| tasks.contains(b)), "blocked at the tasks' ingress: {blocked:?} {tasks:?}");
    assert!(blocked.iter().all(|b| tasks.contains(b) || nodes.contains(b)), "{blocked:?}");
    assert!(page.contains("class=\"key blocked\""), "the map's key is explained");
}

#[test]
fn every_element_of_the_map_has_its_details() {
    let account = testkit::example::example();
    let b = Browser::new(account.clone());
    let page = b.page("/vpc");
    for e in account.network_interfaces.values() {
        let id = &e.network_interface_id;
        assert!(page.contains(&format!("data-id=\"{id}\"")), "{id} is drawn");
        let details = page.split(&format!("<template data-details=\"{id}\">")).nth(1).expect("its details");
        let details = details.split("</template>").next().unwrap_or_default();
        assert!(details.contains(&e.private_ip_address.to_string()) && details.contains(&e.mac_address), "{details}");
        for g in &e.groups {
            assert!(details.contains(&format!("/_console/sg/{g}")), "{details}");
        }
    }
    for s in account.subnets.values() {
        let details = page.split(&format!("<template data-details=\"{}\">", s.subnet_id)).nth(1).expect("its details");
        assert!(details.split("</template>").next().is_some_and(|d| d.contains(&s.cidr_block.to_string())));
    }
    for id in account.internet_gateways.keys() {
        assert!(page.contains(&format!("<template data-details=\"{id}\">")), "{id}");
        assert!(page.contains(&format!("data-id=\"{id}\"")), "{id} is drawn");
    }
    // A NAT gateway is drawn as its interface, whose details are the gateway's too.
    for n in account.nat_gateways.values() {
        let eni = n.nat_gateway_addresses[0].network_interface_id.clone().expect("its ENI");
        let details = page.split(&format!("<template data-details=\"{eni}\">")).nth(1).expect("its details");
        assert!(details.split("</template>").next().is_some_and(|d| d.contains("Private → Elastic IP")), "{details}");
    }
    assert!(page.contains("id=\"map-details\""));
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
    let b = Browser::new(account.clone());
    let page = b.page(&format!("/sg/{}", lb_group.group_id));
    let rule = account::ec2::security_group_rule_id(&lb_group.group_id, false, &lb_group.ingress[0]);
    assert!(page.contains(&format!("data-rule=\"{rule}\"")), "{page}");
    // The rule guards every interface holding the group, each listed under Members.
    let guarded: Vec<&str> = account
        .network_interfaces
        .values()
        .filter(|e| e.groups.contains(&lb_group.group_id))
        .map(|e| e.network_interface_id.as_str())
        .collect();
    assert!(!guarded.is_empty());
    assert!(page.contains(&format!("data-applies=\"{}\"", guarded.join(" "))), "{page}");
    for e in &guarded {
        assert!(page.contains(&format!("<span data-id=\"{e}\">")), "{e} under Members");
    }
    assert!(page.contains("/_console/stacks/todobackend#L"), "rules link to their template line: {page}");
    assert!(page.contains("/_console/actions/revoke-rule"), "{page}");
    assert!(page.contains("Packet counters of each rule appear while the data plane runs"), "{page}");
    // The load balancer's group as a peer is resolved to its nodes' addresses.
    assert!(page.contains("class=\"members\"") && page.contains("load balancer"), "{page}");
}

#[test]
fn under_up_each_rule_shows_what_it_matched_and_a_rule_that_never_matched_says_so() {
    let account = testkit::example::example();
    let g = account
        .security_groups
        .values()
        .find(|g| g.group_name.contains("ApplicationSecurityGroup"))
        .expect("the application's group")
        .clone();
    let hit = account::ec2::security_group_rule_id(&g.group_id, false, &g.ingress[0]);
    let idle = account::ec2::security_group_rule_id(&g.group_id, true, &g.egress[0]);
    let counters: RuleCounters = [
        (hit.clone(), webconsole::RuleCounter { packets: 7, bytes: 420 }),
        (idle.clone(), webconsole::RuleCounter::default()),
    ]
    .into();
    let mut b = Browser::new(account);
    b.host.1 = Some(counters);
    let page = b.page(&format!("/sg/{}", g.group_id));
    let row = |id: &str| {
        page.split(&format!("data-rule=\"{id}\""))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .unwrap_or_default()
            .to_string()
    };
    assert!(row(&hit).contains("7 packets, 420 bytes"), "{}", row(&hit));
    assert!(row(&idle).contains("0 packets"), "{}", row(&idle));
    assert!(page.contains("counted by the data plane since it started"), "{page}");
    assert!(!page.contains("Packet counters of each rule appear"), "{page}");
}

#[test]
fn an_https_listener_shows_its_certificates_names_and_policy() {
    let mut account = testkit::example::example();
    let cert =
        account.request_certificate("app.example.com", &["www.example.com".into()], Some("DNS"), &[]).expect("issued");
    let l = account.listeners.values_mut().next().expect("the example's listener");
    (l.protocol, l.port, l.certificates, l.ssl_policy) =
        ("HTTPS".into(), 443, vec![cert.arn.clone()], Some("ELBSecurityPolicy-TLS13-1-2-2021-06".into()));
    let name = account.load_balancers.values().next().expect("a load balancer").load_balancer_name.clone();
    let page = Browser::new(account).page(&format!("/lb/{name}"));
    assert!(page.contains("HTTPS 443"), "{page}");
    assert!(page.contains("(app.example.com, www.example.com) · ELBSecurityPolicy-TLS13-1-2-2021-06"), "{page}");
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
