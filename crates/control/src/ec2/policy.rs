//! Where a group launches (the least-populated zone) and which instance it
//! terminates when it scales in: the default termination policy.
//!
//! AWS doc: "Configure termination policies for Amazon EC2 Auto Scaling" —
//! the default policy: (1) the Availability Zone with the most instances;
//! (2) allocation strategies of mixed instances groups (not modelled); (3)
//! instances using the oldest launch template or configuration (for a
//! template group, instances from a launch configuration first); (4) the
//! instance closest to the next billing hour; (5) at random — where tasknet
//! takes the lowest instance ID so runs stay reproducible. Scale-in
//! protection and warm pools are not modelled.

use account::{Account, AutoScalingGroup, Instance};

/// The group's zones in the order its subnets list them.
fn zones(account: &Account, g: &AutoScalingGroup) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for z in g.subnets.iter().filter_map(|s| account.subnets.get(s)).map(|s| s.availability_zone.clone()) {
        if !out.contains(&z) {
            out.push(z);
        }
    }
    out
}

/// The zones of a group's next `n` launches when each goes to the zone with
/// the fewest instances (ties: the group's order), counting the zones of
/// `live` first: what `plan` expects the group to do.
pub fn next_launch_zones(account: &Account, g: &AutoScalingGroup, live: &[&Instance], n: u32) -> Vec<String> {
    let mut counts: Vec<(usize, String)> =
        zones(account, g).into_iter().map(|z| (live.iter().filter(|i| i.availability_zone == z).count(), z)).collect();
    let mut out = Vec::new();
    for _ in 0..n {
        // The first of the least-populated zones, in the group's order.
        let Some(i) = (0..counts.len()).min_by_key(|&i| (counts[i].0, i)) else { break };
        counts[i].0 += 1;
        out.push(counts[i].1.clone());
    }
    out
}

/// The group's subnets, those of the zones with the fewest of `live` first
/// (ties: the group's order), so each launch keeps the zones balanced and a
/// failed launch can try the next zone.
pub(super) fn subnets_by_balance(account: &Account, g: &AutoScalingGroup, live: &[&Instance]) -> Vec<String> {
    let mut order: Vec<(usize, usize, String)> = zones(account, g)
        .into_iter()
        .enumerate()
        .map(|(rank, z)| (live.iter().filter(|i| i.availability_zone == z).count(), rank, z))
        .collect();
    order.sort();
    let mut out = Vec::new();
    for (_, _, zone) in order {
        // Within a zone the group's first subnet is used (which one AWS picks is not documented).
        out.extend(
            g.subnets.iter().filter(|s| account.subnets.get(*s).is_some_and(|x| x.availability_zone == zone)).cloned(),
        );
    }
    out
}

/// How old the launch configuration or template of an instance is, as a
/// sort key (smaller terminates first): instances not launched from the
/// group's current configuration come first (launch-configuration instances
/// first in a template group), then older configurations.
fn config_age(account: &Account, g: &AutoScalingGroup, i: &Instance) -> (u8, u64) {
    let created = |lc: &str| account.launch_configuration(lc).map_or(0, |l| l.created_time);
    match (&g.launch_template, &g.launch_configuration_name) {
        (Some((lt, _)), _) => match (&i.launch_configuration_name, &i.launch_template) {
            (Some(lc), _) => (0, created(lc)),
            (None, Some((ilt, _)))
                if account.launch_template(ilt).map(|t| &t.launch_template_id)
                    != account.launch_template(lt).map(|t| &t.launch_template_id) =>
            {
                (1, account.launch_template(ilt).map_or(0, |t| t.created_time))
            }
            _ => (2, 0),
        },
        (None, Some(lc)) => match &i.launch_configuration_name {
            Some(ilc) if ilc != lc => (1, created(ilc)),
            _ => (2, 0),
        },
        (None, None) => (2, 0),
    }
}

/// The instance the default termination policy removes next.
pub(super) fn choose_victim(account: &Account, g: &AutoScalingGroup, live: &[&Instance]) -> Option<String> {
    let busiest =
        live.iter().map(|i| live.iter().filter(|j| j.availability_zone == i.availability_zone).count()).max()?;
    let mut candidates: Vec<&Instance> = live
        .iter()
        .copied()
        .filter(|i| live.iter().filter(|j| j.availability_zone == i.availability_zone).count() == busiest)
        .collect();
    let oldest = candidates.iter().map(|i| config_age(account, g, i)).min()?;
    candidates.retain(|i| config_age(account, g, i) == oldest);
    let hour = 60 * 60 * 1000;
    let into_hour = |i: &Instance| account.clock_ms.saturating_sub(i.launch_time) % hour;
    let closest = candidates.iter().map(|i| into_hour(i)).max()?;
    candidates.retain(|i| into_hour(i) == closest);
    candidates.iter().map(|i| i.instance_id.clone()).min()
}
