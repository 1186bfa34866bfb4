//! Where each security group rule, route and network ACL entry a stack
//! creates was declared (stack, resource, template path, line, column), and
//! that this bookkeeping never counts as a change.

use account::{Account, Declared, Origin};
use stacks::engine::{self, events::Quiet, DeployOptions, Outcome};
use stacks::StackInput;
use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/deploy/origins.yml";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

fn deploy(a: &mut Account, template: &Path, overrides: &[(&str, &str)]) -> Outcome {
    let input = StackInput {
        template_path: template.to_path_buf(),
        stack_name: "app".into(),
        overrides: overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        ..StackInput::default()
    };
    engine::deploy(a, &input, &DeployOptions::default(), &mut Quiet).expect("deploys")
}

/// The fixture with `above` comment lines before it and `below` after it, in a temporary file.
fn moved(name: &str, above: usize, below: &str) -> PathBuf {
    let text = std::fs::read_to_string(fixture()).expect("fixture");
    let path = std::env::temp_dir().join(format!("tasknet-origins-{}-{name}.yml", std::process::id()));
    std::fs::write(&path, format!("{}{text}{below}", "# moved\n".repeat(above))).expect("writes");
    path
}

fn physical(a: &Account, logical: &str) -> String {
    let stack = engine::find_stack(a, "app").expect("stack");
    stack.resource(logical).and_then(|r| r.physical_resource_id.clone()).expect("physical ID")
}

fn at(logical_id: &str, path: &str, line: u32, column: u32) -> Option<Declared> {
    Some(Declared { stack_name: "app".into(), logical_id: logical_id.into(), path: path.into(), line, column })
}

/// The origins of the fixture's rules, route and entries.
struct Seen {
    https_in: Option<Declared>,
    ssh_in: Option<Option<Declared>>,
    db_out: Option<Declared>,
    allow_all_out: Origin,
    route: Option<Declared>,
    local_route: Origin,
    entry: Option<Declared>,
    implicit_denies: Vec<Origin>,
}

fn seen(a: &Account) -> Seen {
    let group = &a.security_groups[&physical(a, "AppSg")];
    let db = &a.security_groups[&physical(a, "DbSg")];
    let port = |rules: &[account::SecurityGroupRule], p: i32| {
        rules.iter().find(|r| r.from_port == Some(p)).map(|r| r.origin.clone())
    };
    let table = &a.route_tables[&physical(a, "PublicRoutes")];
    let acl = &a.network_acls[&physical(a, "Acl")];
    Seen {
        https_in: port(&group.ingress, 443).and_then(|o| o.0),
        ssh_in: port(&group.ingress, 22).map(|o| o.0),
        db_out: port(&db.egress, 5432).and_then(|o| o.0),
        allow_all_out: group
            .egress
            .iter()
            .find(|r| r.ip_protocol == "-1")
            .map(|r| r.origin.clone())
            .expect("allow-all egress"),
        route: table
            .routes
            .iter()
            .find(|r| r.destination_cidr_block.is_some_and(|c| c.to_string() == "0.0.0.0/0"))
            .and_then(|r| r.template_origin.0.clone()),
        local_route: table
            .routes
            .iter()
            .find(|r| r.origin == "CreateRouteTable")
            .map(|r| r.template_origin.clone())
            .expect("local route"),
        entry: acl.entries.iter().find(|e| e.rule_number == 100 && !e.egress).and_then(|e| e.origin.0.clone()),
        implicit_denies: acl
            .entries
            .iter()
            .filter(|e| e.rule_number == account::IMPLICIT_DENY_RULE)
            .map(|e| e.origin.clone())
            .collect(),
    }
}

fn assert_declared(s: &Seen, shift: u32) {
    // The inline item's own line and column (not its list's), indexed as written:
    // the `AWS::NoValue` item before it still counts.
    assert_eq!(s.https_in, at("AppSg", "Resources/AppSg/Properties/SecurityGroupIngress/1", 27 + shift, 11));
    // Standalone resources: the resource's logical ID.
    assert_eq!(s.db_out, at("DbEgress", "Resources/DbEgress", 36 + shift, 3));
    assert_eq!(s.route, at("DefaultRoute", "Resources/DefaultRoute", 55 + shift, 3));
    assert_eq!(s.entry, at("AllowHttps", "Resources/AllowHttps", 66 + shift, 3));
    // What AWS creates by itself has no declaration.
    assert!(s.allow_all_out.is_none());
    assert!(s.local_route.is_none());
    assert_eq!(s.implicit_denies.len(), 2);
    assert!(s.implicit_denies.iter().all(Origin::is_none));
}

#[test]
fn rules_routes_and_entries_know_where_they_are_declared() {
    let mut a = Account::default();
    let out = deploy(&mut a, &fixture(), &[]);
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "CREATE_COMPLETE"), "{out:?}");
    let s = seen(&a);
    assert_declared(&s, 0);
    assert_eq!(s.ssh_in, None, "the condition is false: no SSH rule");
    // The default VPC's routes and rules are AWS's own.
    let default_vpc = a.default_vpc().expect("default VPC").vpc_id.clone();
    let main = a.main_route_table(&default_vpc).expect("main table");
    assert!(main.routes.iter().all(|r| r.template_origin.is_none()));
    let default_group = a.default_security_group(&default_vpc).expect("default group");
    assert!(default_group.ingress.iter().chain(&default_group.egress).all(|r| r.origin.is_none()));

    // A condition that adds the first item updates the group in place; the rules carry their new places.
    let out = deploy(&mut a, &fixture(), &[("Env", "prod")]);
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    let s = seen(&a);
    assert_declared(&s, 0);
    // The `Fn::If` item is the branch it chose, where that branch is.
    assert_eq!(s.ssh_in, Some(at("AppSg", "Resources/AppSg/Properties/SecurityGroupIngress/0", 22, 13)));
}

#[test]
fn moved_lines_change_nothing_and_kept_resources_follow_them() {
    let mut a = Account::default();
    deploy(&mut a, &fixture(), &[]);
    assert!(matches!(deploy(&mut a, &fixture(), &[]), Outcome::NoChanges { .. }));

    // Only the lines moved: still nothing to deploy, and the declarations stay
    // those of the template the stack holds.
    let shifted = moved("shifted", 3, "");
    assert!(matches!(deploy(&mut a, &shifted, &[]), Outcome::NoChanges { .. }));
    assert_declared(&seen(&a), 0);

    // Moved lines and a new resource: the others are kept, at their new lines.
    let grown = moved("grown", 3, "  Extra:\n    Type: AWS::EC2::InternetGateway\n");
    let out = deploy(&mut a, &grown, &[]);
    assert!(matches!(&out, Outcome::Complete { status, .. } if status == "UPDATE_COMPLETE"), "{out:?}");
    let changes = &engine::find_stack(&a, "app").expect("stack").change_sets.last().expect("change set").changes;
    let changed: Vec<(&str, &str)> =
        changes.iter().map(|c| (c.logical_resource_id.as_str(), c.action.as_str())).collect();
    assert_eq!(changed, [("Extra", "Add")]);
    assert_declared(&seen(&a), 3);
    let _ = std::fs::remove_file(shifted);
    let _ = std::fs::remove_file(grown);
}
