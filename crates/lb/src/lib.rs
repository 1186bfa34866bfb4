//! The application load balancer of the data plane: an HTTP/1.1 reverse
//! proxy (HTTPS listeners terminate TLS) that routes by listener rules to target groups, answers with the
//! ALB's own error pages, and probes targets for health.
//!
//! Nothing here knows about network namespaces: connections to targets go
//! through a [`Connector`], and listeners are sockets the caller binds.

#![warn(missing_docs)]

pub mod actions;
mod body;
pub mod conditions;
pub mod config;
pub mod connector;
pub mod errors;
pub mod health;
mod pool;
pub mod proxy;
pub mod routing;
pub mod tls;
pub mod wildcard;

pub use actions::{FixedResponse, Redirect, RouteAction, WeightedGroup};
pub use body::LbBody;
pub use conditions::{Condition, RequestInfo};
pub use config::{LbConfig, ListenerConfig, ListenerTls, Rule, Skipped, TargetConfig, TargetGroupConfig, TargetState};
pub use connector::{ConnectFuture, Connector, PlainConnector};
pub use errors::AlbError;
pub use health::{probe, Matcher, MatcherError};
pub use pool::set_worker;
pub use proxy::{serve, ListenerService, Shared};
pub use routing::routable_targets;
