//! ECS: clusters, a cluster's services, container instances (with their
//! ENI slots: the t2.micro trap made visible) and tasks, a service's
//! deployments and events, and the task screen the chapter checks (the ENI
//! attachment: ENI ID, private IP, MAC, subnet, security groups).

use super::{Page, Section, View};
use crate::html::{badge, code, esc, facts, form_guard, link, percent_decode, percent_encode, table, time_ms};
use account::{Account, Cluster, Service, Task};
use control::ecs::placement::Room;

/// Draws `/ecs/…`.
pub fn render(path: &[&str], view: &View<'_>) -> Option<Page> {
    let a = view.account;
    match path {
        [] => Some(clusters(a)),
        ["clusters", c] => cluster_page(a, &cluster(a, c)?, false),
        ["clusters", c, "instances"] => cluster_page(a, &cluster(a, c)?, true),
        ["clusters", c, "services", s] => service_page(view, &cluster(a, c)?, &percent_decode(s)),
        ["clusters", c, "tasks", t] => task_page(view, &cluster(a, c)?, &percent_decode(t)),
        _ => None,
    }
}

fn cluster(a: &Account, name: &str) -> Option<Cluster> {
    let name = percent_decode(name);
    a.clusters.values().find(|c| c.cluster_name == name).cloned()
}

fn tail(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

fn cluster_url(c: &str) -> String {
    format!("/ecs/clusters/{}", percent_encode(c))
}

fn task_link(cluster: &str, t: &Task) -> String {
    link(&format!("{}/tasks/{}", cluster_url(cluster), percent_encode(tail(&t.task_arn))), tail(&t.task_arn))
}

fn clusters(a: &Account) -> Page {
    let rows: Vec<Vec<String>> = a
        .clusters
        .values()
        .map(|c| {
            let arn = &c.cluster_arn;
            let services =
                a.services.values().filter(|s| &s.cluster_arn == arn && s.status.as_str() != "INACTIVE").count();
            let tasks = a.tasks.values().filter(|t| &t.cluster_arn == arn && t.is_live()).count();
            let instances = a.container_instances.values().filter(|i| &i.cluster_arn == arn).count();
            vec![
                link(&cluster_url(&c.cluster_name), &c.cluster_name),
                badge(c.status.as_str()),
                num(services),
                num(tasks),
                num(instances),
            ]
        })
        .collect();
    let body = format!(
        "<h1>ECS clusters</h1>{}",
        table(
            &["Cluster", "Status", "Services", "Running and pending tasks", "Container instances"],
            &rows,
            "No clusters yet."
        )
    );
    Page { title: "ECS clusters".into(), section: Section::Ecs, body }
}

fn num(n: impl std::fmt::Display) -> String {
    format!("<span class=\"num\">{n}</span>")
}

fn cluster_page(a: &Account, c: &Cluster, instances_only: bool) -> Option<Page> {
    let mut body = format!(
        "<div class=\"crumbs\">{} / cluster</div><h1>Cluster {}</h1>",
        link("/ecs", "ECS"),
        esc(&c.cluster_name)
    );
    if !instances_only {
        let rows: Vec<Vec<String>> = a
            .services
            .values()
            .filter(|s| s.cluster_arn == c.cluster_arn && s.status.as_str() != "INACTIVE")
            .map(|s| {
                let rollout = s.deployments.first().map_or(String::new(), |d| badge(d.rollout_state.as_str()));
                vec![
                    link(
                        &format!("{}/services/{}", cluster_url(&c.cluster_name), percent_encode(&s.service_name)),
                        &s.service_name,
                    ),
                    badge(s.status.as_str()),
                    num(s.running_count),
                    num(s.desired_count),
                    num(s.pending_count),
                    rollout,
                ]
            })
            .collect();
        body.push_str("<h2>Services</h2>");
        body.push_str(&table(
            &["Service", "Status", "Running", "Desired", "Pending", "Rollout"],
            &rows,
            "No services.",
        ));
    }
    body.push_str("<h2 id=\"instances\">Container instances</h2>");
    body.push_str(&instances_table(a, c));
    if !instances_only {
        body.push_str("<h2>Tasks</h2>");
        let tasks: Vec<&Task> = a.tasks.values().filter(|t| t.cluster_arn == c.cluster_arn && t.is_live()).collect();
        body.push_str(&tasks_table(&c.cluster_name, &tasks));
    }
    Some(Page { title: format!("Cluster {}", c.cluster_name), section: Section::Ecs, body })
}

/// Container instances with CPU, memory and the ENI slots placement counts
/// ("Elastic network interface trunking": without trunking, an instance's
/// awsvpc tasks are limited by its ENIs minus the primary one).
fn instances_table(a: &Account, c: &Cluster) -> String {
    let room = Room::of_cluster(a, &c.cluster_arn);
    let rows: Vec<Vec<String>> = a
        .container_instances
        .values()
        .filter(|ci| ci.cluster_arn == c.cluster_arn)
        .map(|ci| {
            let r = room.instances.iter().find(|r| r.arn == ci.container_instance_arn);
            let slots = match r {
                Some(r) => match r.awsvpc_limit {
                    Some(limit) => {
                        let free = limit.saturating_sub(r.awsvpc_used);
                        let text = format!("{} used, {free} free of {limit}", r.awsvpc_used);
                        if free == 0 {
                            crate::html::badge_as(&text, crate::html::Tone::Bad)
                        } else {
                            crate::html::badge_as(&text, crate::html::Tone::Good)
                        }
                    }
                    None => crate::html::badge_as("unknown instance type: no awsvpc task fits", crate::html::Tone::Bad),
                },
                None => "—".into(),
            };
            let attr = |k: &str| esc(ci.attributes.get(k).map_or("", String::as_str)).into_owned();
            vec![
                code(tail(&ci.container_instance_arn)),
                code(&ci.ec2_instance_id),
                attr("ecs.instance-type"),
                attr("ecs.availability-zone"),
                badge(ci.status.as_str()),
                if ci.agent_connected { "yes".into() } else { "no".into() },
                format!("{} of {}", ci.remaining_resources.cpu, ci.registered_resources.cpu),
                format!("{} of {} MiB", ci.remaining_resources.memory, ci.registered_resources.memory),
                slots,
                num(ci.running_tasks_count),
            ]
        })
        .collect();
    table(
        &[
            "Container instance",
            "EC2 instance",
            "Type",
            "Zone",
            "Status",
            "Agent connected",
            "CPU left",
            "Memory left",
            "awsvpc task slots (ENIs minus the primary)",
            "Running tasks",
        ],
        &rows,
        "No container instances registered.",
    )
}

fn tasks_table(cluster: &str, tasks: &[&Task]) -> String {
    let rows: Vec<Vec<String>> = tasks
        .iter()
        .map(|t| {
            let eni = shapes::ecs::task_eni(t).unwrap_or("");
            let ip = shapes::ecs::task_ip(t).unwrap_or("");
            let def = tail(&t.task_definition_arn).to_string();
            vec![
                task_link(cluster, t),
                badge(t.last_status.as_str()),
                esc(t.desired_status.as_str()).into_owned(),
                esc(&def).into_owned(),
                code(eni),
                code(ip),
                esc(&t.availability_zone).into_owned(),
            ]
        })
        .collect();
    table(&["Task", "Last status", "Desired", "Task definition", "ENI", "Private IP", "Zone"], &rows, "No tasks.")
}

fn service_page(view: &View<'_>, c: &Cluster, name: &str) -> Option<Page> {
    let a = view.account;
    let s: &Service = a.services.values().find(|s| s.cluster_arn == c.cluster_arn && s.service_name == name)?;
    let cluster_name = &c.cluster_name;
    let mut body = format!(
        "<div class=\"crumbs\">{} / {} / service</div><h1>Service {}</h1>",
        link("/ecs", "ECS"),
        link(&cluster_url(cluster_name), cluster_name),
        esc(&s.service_name)
    );
    let net = s.network_configuration.as_ref().and_then(|n| n.awsvpc_configuration.as_ref());
    let groups = net.map_or(String::new(), |n| {
        n.security_groups.iter().map(|g| link(&format!("/sg/{}", percent_encode(g)), g)).collect::<Vec<_>>().join(" ")
    });
    let subnets = net.map_or(String::new(), |n| n.subnets.iter().map(|x| code(x)).collect::<Vec<_>>().join(" "));
    let lbs = s
        .load_balancers
        .iter()
        .map(|l| {
            format!(
                "{} → {}:{}",
                esc(l.target_group_arn.as_deref().map_or("", |t| t.split('/').nth(1).unwrap_or(t))),
                esc(&l.container_name),
                l.container_port
            )
        })
        .collect::<Vec<_>>()
        .join("<br>");
    body.push_str(&facts(&[
        ("Status", badge(s.status.as_str())),
        ("Desired / running / pending", format!("{} / {} / {}", s.desired_count, s.running_count, s.pending_count)),
        ("Task definition", code(tail(&s.task_definition))),
        ("Launch type", esc(s.launch_type.as_deref().unwrap_or("capacity provider strategy")).into_owned()),
        ("Subnets", if subnets.is_empty() { "— (not awsvpc)".into() } else { subnets }),
        ("Security groups", if groups.is_empty() { "—".into() } else { groups }),
        ("Assign public IP", esc(net.map_or("—", |n| n.assign_public_ip.as_str())).into_owned()),
        ("Load balancers", if lbs.is_empty() { "—".into() } else { lbs }),
    ]));
    let guard = form_guard(view.csrf, view.here);
    body.push_str(&format!(
        "<h2>Actions</h2><form method=\"post\" action=\"{p}/actions/scale-service\" class=\"inline\">{guard}\
<input type=\"hidden\" name=\"cluster\" value=\"{c}\"><input type=\"hidden\" name=\"service\" value=\"{sv}\">\
<label for=\"desired\">Desired tasks</label><input id=\"desired\" name=\"desired\" type=\"number\" min=\"0\" value=\"{d}\" size=\"4\">\
<button type=\"submit\">Update</button></form> \
<form method=\"post\" action=\"{p}/actions/force-deployment\" class=\"inline\">{guard}\
<input type=\"hidden\" name=\"cluster\" value=\"{c}\"><input type=\"hidden\" name=\"service\" value=\"{sv}\">\
<button type=\"submit\" class=\"secondary\">Force new deployment</button></form>",
        p = crate::PREFIX,
        c = esc(cluster_name),
        sv = esc(&s.service_name),
        d = s.desired_count,
    ));
    body.push_str("<h2>Deployments</h2>");
    let rows: Vec<Vec<String>> = s
        .deployments
        .iter()
        .map(|d| {
            vec![
                code(&d.id),
                badge(d.status.as_str()),
                code(tail(&d.task_definition)),
                format!("{} / {} / {}", d.desired_count, d.running_count, d.pending_count),
                num(d.failed_tasks),
                badge(d.rollout_state.as_str()),
                esc(&d.rollout_state_reason).into_owned(),
                time_ms(d.updated_at),
            ]
        })
        .collect();
    body.push_str(&table(
        &[
            "Deployment",
            "Status",
            "Task definition",
            "Desired / running / pending",
            "Failed",
            "Rollout",
            "Reason",
            "Updated",
        ],
        &rows,
        "No deployments.",
    ));
    body.push_str("<h2>Tasks</h2>");
    let tasks: Vec<&Task> =
        a.tasks.values().filter(|t| t.is_live() && t.group == format!("service:{}", s.service_name)).collect();
    body.push_str(&tasks_table(cluster_name, &tasks));
    body.push_str("<h2>Events</h2><div id=\"events\">");
    let rows: Vec<Vec<String>> = s
        .events
        .iter()
        .take(100)
        .map(|e| vec![format!("<span class=\"mono\">{}</span>", time_ms(e.created_at)), esc(&e.message).into_owned()])
        .collect();
    body.push_str(&table(&["Time", "Message"], &rows, "No events yet."));
    body.push_str("</div>");
    Some(Page { title: format!("Service {}", s.service_name), section: Section::Ecs, body })
}

fn task_page(view: &View<'_>, c: &Cluster, id: &str) -> Option<Page> {
    let a = view.account;
    let t: &Task = a.tasks.values().find(|t| t.cluster_arn == c.cluster_arn && tail(&t.task_arn) == id)?;
    let mut body = format!(
        "<div class=\"crumbs\">{} / {} / task</div><h1>Task {}</h1>",
        link("/ecs", "ECS"),
        link(&cluster_url(&c.cluster_name), &c.cluster_name),
        esc(id)
    );
    let when = |ms: Option<u64>| ms.map_or("—".to_string(), time_ms);
    body.push_str(&facts(&[
        ("Task ARN", code(&t.task_arn)),
        ("Last status", badge(t.last_status.as_str())),
        ("Desired status", esc(t.desired_status.as_str()).into_owned()),
        ("Launch type", esc(&t.launch_type).into_owned()),
        ("Task definition", code(tail(&t.task_definition_arn))),
        ("Group", esc(&t.group).into_owned()),
        ("Container instance", t.container_instance_arn.as_deref().map_or("—".into(), |ci| code(tail(ci)))),
        ("Zone", esc(&t.availability_zone).into_owned()),
        ("Created", time_ms(t.created_at)),
        ("Started", when(t.started_at)),
        ("Stopping", when(t.stopping_at)),
        ("Stopped", when(t.stopped_at)),
        ("Stop code", esc(t.stop_code.as_deref().unwrap_or("—")).into_owned()),
        ("Stopped reason", esc(t.stopped_reason.as_deref().unwrap_or("—")).into_owned()),
    ]));
    body.push_str("<section id=\"attachment\"><h2>Network (ENI attachment)</h2>");
    match shapes::ecs::task_eni(t) {
        Some(eni_id) => {
            let eni = a.network_interfaces.get(eni_id);
            let ip = shapes::ecs::task_ip(t).map(str::to_string).or_else(|| eni.map(|e| e.private_ip_address.to_string()));
            let subnet = eni.and_then(|e| a.subnets.get(&e.subnet_id));
            let groups = eni.map_or(String::new(), |e| {
                e.groups
                    .iter()
                    .map(|g| {
                        let name = a.security_groups.get(g).map_or("", |sg| sg.group_name.as_str());
                        format!("{} {}", link(&format!("/sg/{}", percent_encode(g)), g), esc(name))
                    })
                    .collect::<Vec<_>>()
                    .join("<br>")
            });
            let status = t.attachments.first().map_or(String::new(), |at| badge(&at.status));
            body.push_str(&facts(&[
                ("Attachment", status),
                ("ENI ID", code(eni_id)),
                ("Private IP", code(ip.as_deref().unwrap_or("—"))),
                ("MAC address", code(eni.map_or("—", |e| e.mac_address.as_str()))),
                (
                    "Subnet",
                    subnet.map_or("—".into(), |s| {
                        format!("{} {} ({})", code(&s.subnet_id), code(&s.cidr_block.to_string()), esc(&s.availability_zone))
                    }),
                ),
                ("Security groups", if groups.is_empty() { "—".into() } else { groups }),
            ]));
        }
        None => body.push_str("<p class=\"empty\">No ENI of its own: this task is not in awsvpc mode (it shares its container instance's network).</p>"),
    }
    body.push_str("</section><h2>Containers</h2>");
    let rows: Vec<Vec<String>> = t
        .containers
        .iter()
        .map(|ct| {
            let ports = ct
                .network_bindings
                .iter()
                .map(|b| format!("{}:{}/{}", b.host_port, b.container_port, b.protocol))
                .collect::<Vec<_>>()
                .join(", ");
            vec![
                esc(&ct.name).into_owned(),
                badge(ct.last_status.as_str()),
                if ct.essential { "yes".into() } else { "no".into() },
                ct.exit_code.map_or("—".into(), |c| c.to_string()),
                esc(ct.reason.as_deref().unwrap_or("")).into_owned(),
                esc(&ports).into_owned(),
            ]
        })
        .collect();
    body.push_str(&table(
        &["Container", "Last status", "Essential", "Exit code", "Reason", "Bindings"],
        &rows,
        "No containers.",
    ));
    // Logs: the streams of the awslogs driver end in the task's ID (prefix/container/task-id).
    let streams: Vec<&account::LogStream> =
        a.log_streams.values().filter(|s| s.log_stream_name.ends_with(&format!("/{id}"))).collect();
    if !streams.is_empty() {
        body.push_str("<h2>Logs</h2>");
        for s in streams {
            body.push_str(&format!(
                "<h3>{} {}</h3><pre class=\"logs\">",
                esc(&s.log_group_name),
                esc(&s.log_stream_name)
            ));
            let skip = s.events.len().saturating_sub(50);
            for e in &s.events[skip..] {
                body.push_str(&format!("{} {}\n", time_ms(e.timestamp), esc(&e.message)));
            }
            body.push_str("</pre>");
        }
    }
    if t.is_live() {
        body.push_str(&format!(
            "<h2>Actions</h2><form method=\"post\" action=\"{p}/actions/stop-task\" class=\"inline\" data-confirm=\"Stop this task?\">{}\
<input type=\"hidden\" name=\"cluster\" value=\"{}\"><input type=\"hidden\" name=\"task\" value=\"{}\">\
<button type=\"submit\" class=\"danger\">Stop task</button></form>",
            form_guard(view.csrf, view.here),
            esc(&c.cluster_name),
            esc(&t.task_arn),
            p = crate::PREFIX
        ));
    }
    Some(Page { title: format!("Task {id}"), section: Section::Ecs, body })
}
