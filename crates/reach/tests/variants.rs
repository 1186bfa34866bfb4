//! The chapter's reachability mistakes, each planned from its broken
//! variant: the finding that explains it, and nothing on the example.

use testkit::example as support;

use support::planned_findings;

#[test]
fn the_example_has_no_reachability_findings() {
    assert_eq!(planned_findings("examples/todobackend/stack.yml"), Vec::<String>::new());
}

#[test]
fn rules_on_the_instance_group_leave_the_load_balancer_without_targets() {
    let f = planned_findings("examples/todobackend/broken/rules-on-instance-group.yml");
    assert!(
        f.iter()
            .any(|l| l.starts_with("TN5001 ApplicationLoadBalancerHttpListener: ApplicationLoadBalancer cannot reach")),
        "{f:#?}"
    );
    assert!(
        f.iter().any(|l| l.starts_with(
            "TN5003 ApplicationLoadBalancerToApplicationIngress: ApplicationAutoscalingSecurityGroup allows tcp 8000"
        )),
        "{f:#?}"
    );
}

#[test]
fn no_nat_route_no_internet() {
    let f = planned_findings("examples/todobackend/broken/private-subnet-without-nat-route.yml");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].starts_with("TN5002"), "{f:#?}");
    assert!(f[0].contains("has no route to"), "{f:#?}");
}

#[test]
fn tasks_in_public_subnets_have_no_public_ip() {
    let f = planned_findings("examples/todobackend/broken/tasks-in-public-subnets.yml");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].contains("awsvpc tasks on EC2 instances never get one"), "{f:#?}");
}

#[test]
fn a_nat_gateway_in_a_private_subnet_goes_nowhere() {
    let f = planned_findings("examples/todobackend/broken/nat-gateway-in-private-subnet.yml");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert!(f[0].contains("a NAT gateway reaches the internet only from a public subnet"), "{f:#?}");
}
