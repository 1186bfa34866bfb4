//! What one load balancer serves, read from the account: its HTTP
//! listeners with their rules, and the target groups they forward to.

use crate::actions::RouteAction;
use crate::conditions::Condition;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::Duration;

/// The idle timeout default: 60 s (AWS doc: API reference
/// "LoadBalancerAttribute", `idle_timeout.timeout_seconds`: "The default is
/// 60 seconds."). The account keeps no load balancer attributes, so every
/// load balancer gets the default.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(60);

/// How long the load balancer tries to connect to a target before it answers
/// 504 (facts: "cannot connect within 10 s").
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A target's health state as DescribeTargetHealth names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TargetState {
    /// `initial`: registration or first health checks in progress.
    Initial,
    /// `healthy`.
    Healthy,
    /// `unhealthy`.
    Unhealthy,
    /// `unhealthy.draining`.
    UnhealthyDraining,
    /// `unused`.
    Unused,
    /// `draining`.
    Draining,
    /// `unavailable`.
    Unavailable,
    /// A state this crate does not know: never routed to.
    Unknown,
}

impl TargetState {
    /// Reads the API's state name.
    pub fn parse(s: &str) -> TargetState {
        match s {
            "initial" => TargetState::Initial,
            "healthy" => TargetState::Healthy,
            "unhealthy" => TargetState::Unhealthy,
            "unhealthy.draining" => TargetState::UnhealthyDraining,
            "unused" => TargetState::Unused,
            "draining" => TargetState::Draining,
            "unavailable" => TargetState::Unavailable,
            _ => TargetState::Unknown,
        }
    }

    /// True while the target is being deregistered.
    pub fn is_draining(self) -> bool {
        matches!(self, TargetState::Draining | TargetState::UnhealthyDraining)
    }
}

/// A registered IP target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TargetConfig {
    /// Its address.
    pub ip: Ipv4Addr,
    /// Its traffic port.
    pub port: u16,
    /// Its health.
    pub state: TargetState,
}

/// A target group the load balancer forwards to.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetGroupConfig {
    /// Its ARN.
    pub arn: String,
    /// Its registered targets, in the account's order.
    pub targets: Vec<TargetConfig>,
    /// Its health check settings (for whoever runs the probes).
    pub health_check: account::HealthCheck,
}

/// A listener rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Its ARN.
    pub arn: String,
    /// Its priority (lower first).
    pub priority: u32,
    /// All must match.
    pub conditions: Vec<Condition>,
    /// What it does.
    pub action: RouteAction,
}

/// An HTTP listener.
#[derive(Clone, Debug, PartialEq)]
pub struct ListenerConfig {
    /// Its ARN.
    pub arn: String,
    /// The port it listens on.
    pub port: u16,
    /// Its rules by ascending priority.
    pub rules: Vec<Rule>,
    /// What it does when no rule matches.
    pub default_action: RouteAction,
    /// An HTTPS listener's certificate and policy; `None` for HTTP.
    pub tls: Option<ListenerTls>,
}

/// How an HTTPS listener speaks TLS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListenerTls {
    /// Its (default) ACM certificate.
    pub certificate_arn: String,
    /// The names the certificate covers.
    pub names: Vec<String>,
    /// Its security policy.
    pub policy: String,
    /// An imported certificate's chain (the certificate, then its chain) and key, as PEM;
    /// `None`: the local CA issues one for `names`.
    pub imported: Option<(String, String)>,
}

impl ListenerTls {
    /// What tells one TLS setup from another (its certificate, policy and,
    /// imported, its material: a reimport into the same ARN is another setup),
    /// for the servers and configurations made from it. Within one process.
    pub fn identity(&self) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        self.imported.hash(&mut h);
        format!("{} {} {:016x}", self.certificate_arn, self.policy, h.finish())
    }
}

/// Something of the account this load balancer does not serve or evaluate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The ARN (listener, rule or target group) it belongs to.
    pub arn: String,
    /// Why it is skipped.
    pub reason: String,
}

/// Everything the proxy needs for one load balancer.
#[derive(Clone, Debug, PartialEq)]
pub struct LbConfig {
    /// The load balancer's ARN.
    pub load_balancer_arn: String,
    /// Its DNS name (stands in for a missing Host in redirects).
    pub dns_name: String,
    /// No answer from a target for this long: 504.
    pub idle_timeout: Duration,
    /// Connecting to a target for this long: 504.
    pub connect_timeout: Duration,
    /// HTTP listeners by ascending port.
    pub listeners: Vec<ListenerConfig>,
    /// Target groups the listeners forward to.
    pub target_groups: Vec<TargetGroupConfig>,
    /// What is not served, and why.
    pub skipped: Vec<Skipped>,
}

impl LbConfig {
    /// A load balancer with no listeners.
    pub fn empty() -> LbConfig {
        LbConfig {
            load_balancer_arn: String::new(),
            dns_name: String::new(),
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            connect_timeout: CONNECT_TIMEOUT,
            listeners: Vec::new(),
            target_groups: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Reads the load balancer `load_balancer_arn` from the account. Never
    /// fails: what cannot be served lands in `skipped`.
    pub fn from_account(account: &account::Account, load_balancer_arn: &str) -> LbConfig {
        let mut cfg = LbConfig {
            load_balancer_arn: load_balancer_arn.to_string(),
            dns_name: account.load_balancers.get(load_balancer_arn).map(|lb| lb.dns_name.clone()).unwrap_or_default(),
            ..LbConfig::empty()
        };
        let mut index: BTreeMap<String, usize> = BTreeMap::new();
        let mut listeners: Vec<&account::Listener> =
            account.listeners.values().filter(|l| l.load_balancer_arn == load_balancer_arn).collect();
        listeners.sort_by_key(|l| l.port);
        for l in listeners {
            let tls = match l.protocol.as_str() {
                "HTTP" => None,
                "HTTPS" => {
                    // The first certificate is the default one, served to every client (no SNI choice yet).
                    let cert = l.certificates.first().and_then(|arn| account.certificates.get(arn));
                    let Some(cert) = cert else {
                        let reason = "HTTPS listener without a certificate the account has: not served".to_string();
                        cfg.skipped.push(Skipped { arn: l.listener_arn.clone(), reason });
                        continue;
                    };
                    Some(ListenerTls {
                        certificate_arn: cert.arn.clone(),
                        names: cert.subject_alternative_names.clone(),
                        policy: l.ssl_policy.clone().unwrap_or_default(),
                        imported: cert.imported.as_ref().map(|i| {
                            let chain = i.chain_pem.as_deref().unwrap_or("");
                            (format!("{}\n{chain}", i.certificate_pem.trim_end()), i.private_key_pem.clone())
                        }),
                    })
                }
                other => {
                    let reason = format!("{other} listener: only HTTP and HTTPS listeners are served");
                    cfg.skipped.push(Skipped { arn: l.listener_arn.clone(), reason });
                    continue;
                }
            };
            let mut rules: Vec<&account::ListenerRule> =
                account.listener_rules.values().filter(|r| r.listener_arn == l.listener_arn).collect();
            // AWS doc: "Listener rules for your Application Load Balancer":
            // rules are evaluated in priority order, lowest value first.
            rules.sort_by(|a, b| a.priority.cmp(&b.priority).then_with(|| a.rule_arn.cmp(&b.rule_arn)));
            let mut parsed = Vec::with_capacity(rules.len());
            for r in rules {
                let conditions: Vec<Condition> = r.conditions.iter().map(Condition::parse).collect();
                for c in &conditions {
                    if let Condition::Never { reason } = c {
                        cfg.skipped.push(Skipped {
                            arn: r.rule_arn.clone(),
                            reason: format!("{reason}; the rule never matches"),
                        });
                    }
                }
                let action = cfg.action(account, &mut index, &r.rule_arn, &r.actions);
                parsed.push(Rule { arn: r.rule_arn.clone(), priority: r.priority, conditions, action });
            }
            let default_action = cfg.action(account, &mut index, &l.listener_arn, &l.default_actions);
            cfg.listeners.push(ListenerConfig {
                arn: l.listener_arn.clone(),
                port: l.port,
                rules: parsed,
                default_action,
                tls,
            });
        }
        cfg
    }

    /// Reads an action list, adding the target groups it names.
    fn action(
        &mut self,
        account: &account::Account,
        index: &mut BTreeMap<String, usize>,
        owner: &str,
        actions: &[account::Action],
    ) -> RouteAction {
        // Register every named group first so the lookup below is pure.
        for a in actions {
            for arn in a.target_group_arns() {
                self.add_group(account, index, arn);
            }
        }
        let mut notes = Vec::new();
        let action = RouteAction::from_actions(actions, &|arn| index.get(arn).copied(), &mut notes);
        if let RouteAction::Unusable { reason } = &action {
            notes.push(format!("{reason}; answered with 503"));
        }
        self.skipped.extend(notes.into_iter().map(|reason| Skipped { arn: owner.to_string(), reason }));
        action
    }

    fn add_group(&mut self, account: &account::Account, index: &mut BTreeMap<String, usize>, arn: &str) {
        if index.contains_key(arn) {
            return;
        }
        let Some(tg) = account.target_groups.get(arn) else { return };
        let mut targets = Vec::with_capacity(tg.targets.len());
        for t in &tg.targets {
            match t.target.id.parse::<Ipv4Addr>() {
                Ok(ip) => targets.push(TargetConfig {
                    ip,
                    port: t.target.port,
                    state: TargetState::parse(t.target_health.state.as_str()),
                }),
                Err(_) => self.skipped.push(Skipped {
                    arn: arn.to_string(),
                    reason: format!("target {} is not an IPv4 address (only ip targets are served)", t.target.id),
                }),
            }
        }
        index.insert(arn.to_string(), self.target_groups.len());
        self.target_groups.push(TargetGroupConfig {
            arn: arn.to_string(),
            targets,
            health_check: tg.health_check.clone(),
        });
    }

    /// The HTTP listener on `port`.
    pub fn listener(&self, port: u16) -> Option<&ListenerConfig> {
        self.listeners.iter().find(|l| l.port == port)
    }

    /// The target group with this ARN.
    pub fn target_group(&self, arn: &str) -> Option<&TargetGroupConfig> {
        self.target_groups.iter().find(|g| g.arn == arn)
    }
}

#[cfg(test)]
mod tests;
