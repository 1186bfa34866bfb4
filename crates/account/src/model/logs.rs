//! CloudWatch Logs: log groups, their streams, and the streams' events.
//!
//! A stream is its own resource (keyed `GROUP:STREAM`, see
//! [`crate::logs::stream_key`]) holding its events, so the store writes one
//! row per stream and appending to one stream rewrites that row only.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A log group.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogGroup {
    /// `logGroupName`.
    pub log_group_name: String,
    /// When it was created (clock milliseconds).
    pub creation_time: u64,
    /// How long its events are kept; none: forever.
    #[serde(default)]
    pub retention_in_days: Option<u32>,
    /// The KMS key its data is encrypted with, when one was named.
    #[serde(default)]
    pub kms_key_id: Option<String>,
    /// Its tags.
    #[serde(default)]
    pub tags: BTreeMap<String, String>,
}

/// A log stream of a group, with its events in timestamp order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogStream {
    /// The group's name.
    pub log_group_name: String,
    /// `logStreamName`.
    pub log_stream_name: String,
    /// When it was created (clock milliseconds).
    pub creation_time: u64,
    /// The earliest event's timestamp.
    #[serde(default)]
    pub first_event_timestamp: Option<u64>,
    /// The latest event's timestamp.
    #[serde(default)]
    pub last_event_timestamp: Option<u64>,
    /// When events were last ingested.
    #[serde(default)]
    pub last_ingestion_time: Option<u64>,
    /// How many events were ever accepted: numbers event IDs and sequence tokens.
    #[serde(default)]
    pub accepted: u64,
    /// The events, oldest first.
    #[serde(default)]
    pub events: Vec<LogEvent>,
}

/// One event of a stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEvent {
    /// When it happened (milliseconds since the epoch), as the writer said.
    pub timestamp: u64,
    /// Its text.
    pub message: String,
    /// When CloudWatch Logs received it (clock milliseconds).
    pub ingestion_time: u64,
    /// Its number in the stream (from [`LogStream::accepted`]), for its event ID.
    #[serde(default)]
    pub seq: u64,
}
