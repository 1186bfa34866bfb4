//! `tasknet run-task`, `stop-task`, `update-service`: the ECS actions, then
//! the change plays out as the clock policy allows (`runtime::clock::play_out`:
//! at once when no `up` runs, else in real time), so the next `describe`
//! shows where it ended.

use super::{emit, open_session};
use crate::cli::{Cli, DescribeFormat, RunTaskArgs, StopTaskArgs, UpdateServiceArgs};
use crate::error::CliError;
use crate::output::describe::tasks;
use account::{AwsvpcConfiguration, NetworkConfiguration, Task};
use control::ecs::{self, RunTaskRequest, StopTaskRequest, UpdateServiceRequest};
use shapes::time;

fn json(value: &impl serde::Serialize) -> Result<String, CliError> {
    serde_json::to_string_pretty(value).map(|s| s + "\n").map_err(|e| CliError::Output(e.to_string()))
}

/// Parses `--network-configuration` in the aws CLI's shorthand
/// (`awsvpcConfiguration={subnets=[a,b],securityGroups=[c],assignPublicIp=ENABLED}`) or as JSON.
pub fn parse_network_configuration(text: &str) -> Result<NetworkConfiguration, String> {
    let text = text.trim();
    if text.starts_with('{') {
        return serde_json::from_str(text).map_err(|e| format!("--network-configuration is not valid JSON: {e}"));
    }
    let inner = text
        .strip_prefix("awsvpcConfiguration={")
        .and_then(|t| t.strip_suffix('}'))
        .ok_or("--network-configuration must look like awsvpcConfiguration={subnets=[subnet-…],securityGroups=[sg-…],assignPublicIp=DISABLED}")?;
    let mut config =
        AwsvpcConfiguration { subnets: Vec::new(), security_groups: Vec::new(), assign_public_ip: "DISABLED".into() };
    let mut rest = inner;
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("expected key=value in --network-configuration near '{rest}'"))?;
        let (value, after) = match after.strip_prefix('[') {
            Some(list) => {
                let (items, tail) = list.split_once(']').ok_or("an unclosed [ in --network-configuration")?;
                (items, tail.strip_prefix(',').unwrap_or(tail))
            }
            None => after.split_once(',').unwrap_or((after, "")),
        };
        let items =
            || value.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect::<Vec<_>>();
        match key.trim() {
            "subnets" => config.subnets = items(),
            "securityGroups" => config.security_groups = items(),
            "assignPublicIp" => config.assign_public_ip = value.trim().to_string(),
            other => {
                return Err(format!(
                    "unknown key '{other}' in awsvpcConfiguration (subnets, securityGroups, assignPublicIp)"
                ))
            }
        }
        rest = after;
    }
    Ok(NetworkConfiguration { awsvpc_configuration: Some(config) })
}

/// Runs `run-task`: 0 when every task started, 1 when some could not be placed.
pub fn run_task(cli: &Cli, args: &RunTaskArgs) -> Result<u8, CliError> {
    let network_configuration =
        args.network_configuration.as_deref().map(parse_network_configuration).transpose().map_err(CliError::Usage)?;
    let mut session = open_session(cli, "run-task", false)?;
    let request = RunTaskRequest {
        cluster: Some(args.cluster.clone()),
        task_definition: args.task_definition.clone(),
        count: Some(args.count),
        launch_type: args.launch_type.clone(),
        network_configuration,
        group: args.group.clone(),
        started_by: args.started_by.clone(),
    };
    let response = ecs::run_task(&mut session.account, &request).map_err(|e| CliError::Refused(e.to_string()))?;
    session.play_out();
    session.save()?;
    let out = match args.output {
        // RunTask's answer as the API gives it: the tasks as they were when it returned.
        DescribeFormat::Json => json(&shapes::ecs::run_task(&session.account, &response.tasks, &response.failures))?,
        DescribeFormat::Text => {
            let arns: Vec<&str> = response.tasks.iter().map(|t| t.task_arn.as_str()).collect();
            let now: Vec<&Task> = arns.iter().filter_map(|a| session.account.tasks.get(*a)).collect();
            let mut out =
                format!("started {} task(s) at {}; now:\n", response.tasks.len(), time::text(session.account.clock_ms));
            out.push_str(&tasks::tasks_table(&now));
            for f in &response.failures {
                out.push_str(&format!("failed: {} {}\n", f.reason, f.arn.as_deref().unwrap_or("")));
            }
            out
        }
    };
    emit(&out)?;
    Ok(u8::from(!response.failures.is_empty()))
}

/// Runs `stop-task`.
pub fn stop_task(cli: &Cli, args: &StopTaskArgs) -> Result<u8, CliError> {
    let mut session = open_session(cli, "stop-task", false)?;
    let request =
        StopTaskRequest { cluster: Some(args.cluster.clone()), task: args.task.clone(), reason: args.reason.clone() };
    let task = ecs::stop_task(&mut session.account, &request).map_err(|e| CliError::Refused(e.to_string()))?;
    session.play_out();
    session.save()?;
    let out = match args.output {
        DescribeFormat::Json => json(&shapes::ecs::stop_task(&session.account, &task))?,
        DescribeFormat::Text => {
            let now: Vec<&Task> = session.account.tasks.get(&task.task_arn).into_iter().collect();
            tasks::tasks_table(&now)
        }
    };
    emit(&out)?;
    Ok(0)
}

/// Runs `update-service`: the service after the change has played out, and
/// its newest events.
pub fn update_service(cli: &Cli, args: &UpdateServiceArgs) -> Result<u8, CliError> {
    let mut session = open_session(cli, "update-service", false)?;
    let request = UpdateServiceRequest {
        cluster: Some(args.cluster.clone()),
        service: args.service.clone(),
        desired_count: args.desired_count,
        task_definition: args.task_definition.clone(),
        force_new_deployment: args.force_new_deployment,
        ..UpdateServiceRequest::default()
    };
    let seen: Vec<String> = session
        .account
        .service(&args.cluster, &args.service)
        .map(|s| s.events.iter().map(|e| e.id.clone()).collect())
        .unwrap_or_default();
    let service = ecs::update_service(&mut session.account, &request).map_err(|e| CliError::Refused(e.to_string()))?;
    session.play_out();
    session.save()?;
    let now = session.account.services.get(&service.service_arn).cloned().unwrap_or(service.clone());
    let out = match args.output {
        DescribeFormat::Json => json(&shapes::ecs::update_service(&service))?,
        DescribeFormat::Text => {
            let mut out = format!(
                "{}  {}  desired {}  running {}  pending {}  {}\n",
                now.service_name,
                now.status,
                now.desired_count,
                now.running_count,
                now.pending_count,
                now.task_definition.rsplit('/').next().unwrap_or("")
            );
            // The events this change caused, oldest first (the API lists them newest first).
            let mut events: Vec<_> = now.events.iter().rev().filter(|e| !seen.contains(&e.id)).collect();
            events.sort_by_key(|e| e.created_at);
            for e in events {
                out.push_str(&format!("{}  {}\n", time::text(e.created_at), e.message));
            }
            out
        }
    };
    emit(&out)?;
    Ok(u8::from(!control::ecs::service_is_steady(&session.account, &now.service_arn)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_and_json_network_configuration() {
        let c = parse_network_configuration(
            "awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],assignPublicIp=ENABLED}",
        )
        .expect("parses");
        let v = c.awsvpc_configuration.expect("awsvpc");
        assert_eq!(v.subnets, ["subnet-1", "subnet-2"]);
        assert_eq!(v.security_groups, ["sg-1"]);
        assert_eq!(v.assign_public_ip, "ENABLED");
        let j = parse_network_configuration(
            r#"{"awsvpcConfiguration": {"subnets": ["subnet-9"], "assignPublicIp": "DISABLED"}}"#,
        )
        .expect("json");
        assert_eq!(j.awsvpc_configuration.map(|v| v.subnets), Some(vec!["subnet-9".to_string()]));
        assert!(parse_network_configuration("subnets=[a]").is_err());
        assert!(parse_network_configuration("awsvpcConfiguration={colour=[a]}").is_err());
        assert!(parse_network_configuration("awsvpcConfiguration={subnets=[a}").is_err());
    }
}
