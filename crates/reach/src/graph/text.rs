//! The words on each box, shared by both renderers so they say the same.

use super::model::{EniBox, Gateway, SubnetBox, VpcBox};

/// Longest security group line before it wraps (keeps boxes narrow).
const GROUPS_WIDTH: usize = 44;

/// `VPC vpc-… · 172.31.0.0/16 · default VPC`, or with the logical ID first.
pub fn vpc_label(v: &VpcBox) -> String {
    let name = match &v.logical {
        Some(l) => format!("{l} ({})", v.id),
        None => v.id.clone(),
    };
    let default = if v.is_default { " · default VPC" } else { "" };
    format!("VPC {name} · {}{default}", v.cidr)
}

/// The subnet's first line: its logical ID, else its ID.
pub fn subnet_title(s: &SubnetBox) -> String {
    s.logical.clone().unwrap_or_else(|| s.id.clone())
}

/// `PrivateSubnet (subnet-…)`, or the ID alone.
pub fn subnet_name(s: &SubnetBox) -> String {
    match &s.logical {
        Some(l) => format!("{l} ({})", s.id),
        None => s.id.clone(),
    }
}

/// The subnet's other lines: ID (under a logical title), block and zone, route table, routes.
pub fn subnet_lines(s: &SubnetBox) -> Vec<String> {
    let mut lines = Vec::new();
    if s.logical.is_some() {
        lines.push(s.id.clone());
    }
    lines.extend(subnet_details(s));
    lines
}

/// Block and zone, route table, routes.
pub fn subnet_details(s: &SubnetBox) -> Vec<String> {
    let mut lines = Vec::new();
    lines.push(format!("{} · {}", s.cidr, s.zone));
    lines.push(match &s.route_table {
        Some(t) => format!("route table {t}"),
        None => "no route table".to_string(),
    });
    lines.extend(s.routes.iter().cloned());
    lines
}

/// The interface's lines under its title: second name, ID, addresses, groups.
pub fn eni_lines(e: &EniBox) -> Vec<String> {
    let mut lines: Vec<String> = e.detail.iter().cloned().collect();
    lines.push(e.id.clone());
    lines.push(match &e.public_ip {
        Some(p) => format!("{} · public {p}", e.private_ip),
        None => e.private_ip.clone(),
    });
    lines.extend(groups_lines(&e.groups));
    lines
}

/// `sg: A, B`, wrapped so a box stays narrow; nothing when there are no groups.
fn groups_lines(groups: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for g in groups {
        if current.is_empty() {
            current = format!("sg: {g}");
        } else if current.chars().count() + 2 + g.chars().count() > GROUPS_WIDTH {
            lines.push(format!("{current},"));
            current = format!("    {g}");
        } else {
            current = format!("{current}, {g}");
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    lines
}

/// A gateway's lines: what it is, then its name.
pub fn gateway_lines(g: &Gateway) -> Vec<String> {
    let name = match &g.logical {
        Some(l) => format!("{l} ({})", g.id),
        None => g.id.clone(),
    };
    vec![g.title.clone(), name]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_wrap_between_names() {
        let groups: Vec<String> =
            ["ApplicationLoadBalancerSecurityGroup", "default", "ApplicationSecurityGroup"].map(String::from).to_vec();
        assert_eq!(
            groups_lines(&groups),
            ["sg: ApplicationLoadBalancerSecurityGroup,", "    default, ApplicationSecurityGroup"]
        );
        assert!(groups_lines(&[]).is_empty());
    }
}
