//! The VPC drawn: the example's DOT snapshot, what each subnet and interface
//! is labelled, well-formed SVG, the VPC filter, and an empty account.

use testkit::example as support;

use account::Account;
use reach::graph::model::{self, SubnetKind};
use reach::graph::{self, GraphOptions};
use reach::topology::Topology;

/// Every tag of `svg` closes, in order (a tiny checker instead of an XML dependency).
fn assert_balanced(svg: &str) {
    assert!(svg.starts_with("<?xml"), "no XML declaration");
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find('<') {
        assert!(!rest[..start].contains('>'), "stray > before {:?}", &rest[..start]);
        let Some(len) = rest[start..].find('>') else { panic!("unclosed tag: {}", &rest[start..]) };
        let tag = &rest[start + 1..start + len];
        rest = &rest[start + len + 1..];
        assert!(!tag.contains('<'), "< inside a tag: {tag}");
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in {tag}");
        if tag.starts_with('?') || tag.ends_with('/') {
            continue;
        }
        let name = tag.trim_start_matches('/').split_whitespace().next().unwrap_or_default();
        if tag.starts_with('/') {
            assert_eq!(stack.pop(), Some(name), "</{name}> closes the wrong element");
        } else {
            stack.push(name);
        }
    }
    assert!(stack.is_empty(), "never closed: {stack:?}");
    assert!(!rest.contains('>'), "stray > at the end");
    assert!(svg.trim_end().ends_with("</svg>"));
    // Every `&` starts an entity: names from the account are escaped.
    for (i, _) in svg.match_indices('&') {
        let entity = &svg[i..svg[i..].find(';').map_or(svg.len(), |e| i + e + 1)];
        assert!(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"].contains(&entity), "bare & at {i}: {entity}");
    }
}

#[test]
fn the_examples_dot_is_stable() {
    let a = support::example();
    let dot = graph::dot(&Topology::new(&a), &GraphOptions::default());
    // Deterministic: a second deployment draws byte for byte the same.
    assert_eq!(dot, graph::dot(&Topology::new(&support::example()), &GraphOptions::default()));
    assert_eq!(
        graph::svg(&Topology::new(&a), &GraphOptions::default()),
        graph::svg(&Topology::new(&support::example()), &GraphOptions::default())
    );
    insta::assert_snapshot!("example_dot", dot);
}

#[test]
fn private_subnets_are_private_and_default_subnets_public() {
    let a = support::example();
    let d = model::build(&Topology::new(&a), &GraphOptions::default());
    assert_eq!(d.vpcs.len(), 1);
    let subnets = &d.vpcs[0].subnets;
    assert_eq!(subnets.len(), 8);
    for s in subnets {
        let expected = if s.default_for_az { SubnetKind::Public } else { SubnetKind::Private };
        assert_eq!(s.kind, expected, "{s:?}");
    }
    let private: Vec<&str> =
        subnets.iter().filter(|s| s.kind == SubnetKind::Private).filter_map(|s| s.logical.as_deref()).collect();
    assert_eq!(private, ["PrivateSubnet", "PrivateSubnetB"]);
    let dot = graph::dot(&Topology::new(&a), &GraphOptions::default());
    for s in subnets {
        let label = match &s.logical {
            Some(l) => format!("label=\"private subnet {l} ({})\"", s.id),
            None => format!("label=\"public subnet {}\"", s.id),
        };
        assert!(dot.contains(&label), "{label}");
    }
    assert!(dot.contains("\"0.0.0.0/0 (PrivateRouteTable)\""));
    assert!(d.edges.iter().any(|e| e.to == "internet"));
}

#[test]
fn every_live_interface_is_drawn_exactly_once() {
    let a = support::example();
    let dot = graph::dot(&Topology::new(&a), &GraphOptions::default());
    let svg = graph::svg(&Topology::new(&a), &GraphOptions::default());
    assert_eq!(a.network_interfaces.len(), 8);
    for id in a.network_interfaces.keys() {
        assert_eq!(dot.matches(&format!("\n      \"{id}\" [label=")).count(), 1, "{id} in the DOT");
        assert_eq!(svg.matches(&format!(">{id}</text>")).count(), 1, "{id} in the SVG");
    }
    // Both load balancer nodes forward to both tasks, as the listener and target group say.
    assert_eq!(dot.matches("[label=\"80 → 8000\", style=dashed").count(), 4);
    assert!(dot.contains("task: ApplicationService") && dot.contains("load balancer: ApplicationLoadBalancer"));
    assert!(dot.contains("sg: ApplicationSecurityGroup") && dot.contains("NAT gateway: NatGateway"));
}

#[test]
fn a_stopped_tasks_interface_is_left_out() {
    let mut a = support::example();
    let task = a.tasks.values_mut().find(|t| t.eni_id.is_some()).expect("a task with an ENI");
    task.last_status = account::TaskStatus::Stopped;
    let eni = task.eni_id.clone().unwrap_or_default();
    let dot = graph::dot(&Topology::new(&a), &GraphOptions::default());
    assert!(!dot.contains(&eni), "{eni} still drawn");
    assert!(!graph::svg(&Topology::new(&a), &GraphOptions::default()).contains(&eni));
}

#[test]
fn the_examples_svg_is_well_formed() {
    let a = support::example();
    let svg = graph::svg(&Topology::new(&a), &GraphOptions::default());
    assert_balanced(&svg);
    for word in ["PrivateSubnet", "PRIVATE", "PUBLIC", "internet gateway", "80 → 8000", "database: ApplicationDatabase"]
    {
        assert!(svg.contains(word), "{word}");
    }
    if std::env::var("TASKNET_WRITE_TOPOLOGY").as_deref() == Ok("1") {
        std::fs::write(support::root().join("docs/topology.svg"), &svg).expect("docs/topology.svg written");
    }
}

#[test]
fn one_vpc_is_drawn_alone() {
    let mut a = support::example();
    let vpc = a.create_vpc("10.0.0.0/16").expect("a VPC");
    let subnet = a.create_subnet(&vpc.vpc_id, "10.0.1.0/24", Some("us-east-1a")).expect("a subnet");
    let all = graph::dot(&Topology::new(&a), &GraphOptions::default());
    assert!(all.contains(&subnet.subnet_id) && all.contains("vpc-29dfe4a7038bd6bde"));
    let one = graph::dot(&Topology::new(&a), &GraphOptions { vpc_id: Some(vpc.vpc_id.clone()), interactive: None });
    assert!(one.contains(&format!("label=\"isolated subnet {}\"", subnet.subnet_id)), "{one}");
    assert!(!one.contains("vpc-29dfe4a7038bd6bde") && !one.contains("\"internet\""));
    assert_balanced(&graph::svg(&Topology::new(&a), &GraphOptions { vpc_id: Some(vpc.vpc_id), interactive: None }));
}

#[test]
fn an_empty_account_draws_an_empty_picture() {
    let a = Account::empty("123456789012", "us-east-1");
    let dot = graph::dot(&Topology::new(&a), &GraphOptions::default());
    assert!(dot.starts_with("digraph \"tasknet\" {") && dot.ends_with("}\n"));
    assert!(dot.contains("no VPC with subnets") && !dot.contains("subgraph"));
    let svg = graph::svg(&Topology::new(&a), &GraphOptions::default());
    assert_balanced(&svg);
    assert!(svg.contains("no VPC with subnets") && !svg.contains("<polyline"));
    let missing = graph::svg(
        &Topology::new(&Account::default()),
        &GraphOptions { vpc_id: Some("vpc-0000".into()), interactive: None },
    );
    assert_balanced(&missing);
    assert!(missing.contains("no VPC vpc-0000"));
}

#[test]
fn the_interactive_svg_names_every_node_and_edge_and_draws_a_path() {
    let a = support::example();
    let topo = Topology::new(&a);
    let plain = graph::svg(&topo, &GraphOptions::default());
    assert!(!plain.contains("data-id") && !plain.contains("<g "), "tasknet graph's document stays plain");
    let eni = a.network_interfaces.values().next().expect("an ENI");
    let marks = graph::Interactive {
        path: [eni.network_interface_id.clone(), eni.subnet_id.clone()].into(),
        blocked: [eni.network_interface_id.clone()].into(),
    };
    let svg = graph::svg(&topo, &GraphOptions { vpc_id: None, interactive: Some(marks) });
    assert_balanced(&svg);
    let d = model::build(&topo, &GraphOptions::default());
    for v in &d.vpcs {
        assert!(svg.contains(&format!("data-id=\"{}\"", v.id)), "{}", v.id);
        for g in &v.gateways {
            assert!(svg.contains(&format!("data-id=\"{}\"", g.id)), "{}", g.id);
        }
        for s in &v.subnets {
            assert!(svg.contains(&format!("data-id=\"{}\"", s.id)), "{}", s.id);
            for e in &s.enis {
                assert!(svg.contains(&format!("data-id=\"{}\"", e.id)), "{}", e.id);
            }
        }
    }
    assert!(svg.contains(&format!("class=\"node on-path blocked\" data-id=\"{}\"", eni.network_interface_id)));
    assert!(svg.contains(&format!("class=\"node on-path\" data-id=\"{}\"", eni.subnet_id)));
    // Every edge drawn names its ends, as the drawing's edges do (a default subnet in the strip draws none).
    let drawn: Vec<(&str, &str)> = svg
        .split("data-from=\"")
        .skip(1)
        .filter_map(|r| {
            let (from, rest) = r.split_once('"')?;
            Some((from, rest.strip_prefix(" data-to=\"")?.split('"').next()?))
        })
        .collect();
    assert!(drawn.len() >= 5, "{drawn:?}");
    for (from, to) in &drawn {
        assert!(d.edges.iter().any(|e| e.from == *from && e.to == *to), "{from} → {to} is an edge");
    }
    assert!(drawn.iter().any(|(_, to)| *to == "internet"), "{drawn:?}");
    assert_eq!(svg.matches("<polyline").count(), plain.matches("<polyline").count(), "the same edges");
}
