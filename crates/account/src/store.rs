//! The SQLite store of the account.
//!
//! Schema: `meta(key, value)` for the account's scalar fields and
//! `resources(kind, id, json)` with one row per resource. Why not one table
//! per kind with a column per field: the model grows with every issue, and a
//! generic table needs no migration when a field is added, while one row per
//! resource still lets `sqlite3` users (and later code) find one resource by
//! ID without decoding the whole account. The JSON is the model's own serde
//! form, so the store can never disagree with the model.
//!
//! WAL and a busy timeout let a `tasknet` CLI and a long-running data plane
//! process use the same file side by side.

use crate::account::Account;
use rusqlite::{params, Connection, TransactionBehavior};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Schema steps; step `i` takes the database from `user_version` i to i+1.
const MIGRATIONS: &[&str] = &[
    // v1: the two tables.
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
     CREATE TABLE resources (kind TEXT NOT NULL, id TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (kind, id));",
    // v2: find a resource by ID alone (IDs are unique across kinds in AWS).
    "CREATE INDEX resources_by_id ON resources (id);",
];

/// The schema version this code writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// How long a writer waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Why the store could not be used.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database's folder could not be created.
    #[error("cannot create {}: {source}", path.display())]
    Io {
        /// The folder.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// SQLite failed (locked past the timeout, corrupt file, …).
    #[error("account store: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored row does not decode into the model.
    #[error("account store: a stored {kind} does not decode: {source}")]
    Decode {
        /// The resource kind or meta key.
        kind: String,
        /// What went wrong.
        source: serde_json::Error,
    },
    /// The database was written by a newer tasknet.
    #[error("account store has schema version {found}, newer than this tasknet's {supported}; upgrade tasknet")]
    TooNew {
        /// The database's version.
        found: u32,
        /// Ours.
        supported: u32,
    },
}

/// An open account store.
pub struct Store {
    conn: Connection,
}

impl Store {
    /// Opens (creating it and its parent folders if needed) the store at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io { path: parent.to_path_buf(), source })?;
        }
        let conn = Connection::open(path)?;
        Store::setup(conn)
    }

    /// An in-memory store (tests, dry runs).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // journal_mode returns a row; in-memory databases answer "memory".
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")?;
        let mut store = Store { conn };
        store.migrate(MIGRATIONS.len())?;
        Ok(store)
    }

    /// The database's schema version.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Applies the migration steps up to version `target`, each in its own transaction.
    fn migrate(&mut self, target: usize) -> Result<(), StoreError> {
        let found = self.schema_version()?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew { found, supported: SCHEMA_VERSION });
        }
        for (i, step) in MIGRATIONS.iter().enumerate().take(target).skip(found as usize) {
            let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            // Another process may have migrated while we waited for the lock.
            let now: u32 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            if now as usize > i {
                continue;
            }
            tx.execute_batch(step)?;
            tx.execute_batch(&format!("PRAGMA user_version = {}", i + 1))?;
            tx.commit()?;
        }
        Ok(())
    }

    /// The saved account, or `None` when nothing has been saved yet.
    pub fn load_account(&mut self) -> Result<Option<Account>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut object = serde_json::Map::new();
        {
            let mut stmt = tx.prepare("SELECT key, value FROM meta ORDER BY key")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (key, value) = row?;
                let value =
                    serde_json::from_str(&value).map_err(|source| StoreError::Decode { kind: key.clone(), source })?;
                object.insert(key, value);
            }
        }
        if !object.contains_key("account_id") {
            return Ok(None);
        }
        {
            let mut stmt = tx.prepare("SELECT kind, id, json FROM resources ORDER BY kind, id")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
            for row in rows {
                let (kind, id, json) = row?;
                let value: serde_json::Value =
                    serde_json::from_str(&json).map_err(|source| StoreError::Decode { kind: kind.clone(), source })?;
                let slot = object.entry(kind).or_insert_with(|| serde_json::Value::Object(Default::default()));
                if let serde_json::Value::Object(map) = slot {
                    map.insert(id, value);
                }
            }
        }
        tx.commit()?;
        let account = serde_json::from_value(serde_json::Value::Object(object))
            .map_err(|source| StoreError::Decode { kind: "account".into(), source })?;
        Ok(Some(account))
    }

    /// Replaces the saved account with `account`, in one transaction.
    pub fn save_account(&mut self, account: &Account) -> Result<(), StoreError> {
        let value =
            serde_json::to_value(account).map_err(|source| StoreError::Decode { kind: "account".into(), source })?;
        let serde_json::Value::Object(fields) = value else {
            // The account always serializes to an object; anything else is a bug in the model's serde attributes.
            return Err(StoreError::Decode {
                kind: "account".into(),
                source: serde::de::Error::custom("account is not a JSON object"),
            });
        };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM meta", [])?;
        tx.execute("DELETE FROM resources", [])?;
        {
            let mut meta = tx.prepare("INSERT INTO meta (key, value) VALUES (?1, ?2)")?;
            let mut res = tx.prepare("INSERT INTO resources (kind, id, json) VALUES (?1, ?2, ?3)")?;
            for (key, value) in &fields {
                match value {
                    // Every map of the account is a resource kind; everything else is meta.
                    serde_json::Value::Object(map) => {
                        for (id, item) in map {
                            res.execute(params![key, id, item.to_string()])?;
                        }
                    }
                    other => {
                        meta.execute(params![key, other.to_string()])?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn save_and_load_roundtrip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/dir/account.db");
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        assert!(store.load_account().unwrap().is_none());
        let mut account = Account::default();
        let vpc = account.create_vpc("10.0.0.0/16").unwrap();
        account.create_subnet(&vpc.vpc_id, "10.0.1.0/24", None).unwrap();
        account.put_ssm_parameter("/a", "String", "b");
        store.save_account(&account).unwrap();
        assert_eq!(store.load_account().unwrap(), Some(account.clone()));
        // A second save replaces (not merges).
        let fresh = Account::default();
        store.save_account(&fresh).unwrap();
        drop(store);
        let mut again = Store::open(&path).unwrap();
        assert_eq!(again.load_account().unwrap(), Some(fresh));
    }

    #[test]
    fn two_connections_side_by_side() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut one = Store::open(&path).unwrap();
        let mut two = Store::open(&path).unwrap();
        one.save_account(&Account::default()).unwrap();
        assert!(two.load_account().unwrap().is_some());
        two.save_account(&Account::empty("111111111111", "eu-west-1")).unwrap();
        assert_eq!(one.load_account().unwrap().map(|a| a.account_id), Some("111111111111".to_string()));
    }

    #[test]
    fn v1_database_upgrades() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // A database as the first release wrote it: only migration 1.
            let conn = Connection::open(&path).unwrap();
            let mut store = Store { conn };
            store.migrate(1).unwrap();
            assert_eq!(store.schema_version().unwrap(), 1);
            store.save_account(&Account::default()).unwrap();
        }
        let mut store = Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), 2);
        let index: i64 = store
            .conn
            .query_row("SELECT count(*) FROM sqlite_master WHERE name = 'resources_by_id'", [], |r| r.get(0))
            .unwrap();
        assert_eq!(index, 1);
        assert_eq!(store.load_account().unwrap(), Some(Account::default()));
    }

    #[test]
    fn newer_database_is_refused_and_garbage_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("new.db");
        Connection::open(&path).unwrap().execute_batch("PRAGMA user_version = 99").unwrap();
        assert!(matches!(Store::open(&path), Err(StoreError::TooNew { found: 99, .. })));
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"this is not a database at all, not even close........").unwrap();
        assert!(Store::open(&junk).is_err());
        let mut store = Store::open_in_memory().unwrap();
        store.save_account(&Account::default()).unwrap();
        store.conn.execute("UPDATE resources SET json = '{' WHERE kind = 'vpcs'", []).unwrap();
        assert!(matches!(store.load_account(), Err(StoreError::Decode { .. })));
    }
}
