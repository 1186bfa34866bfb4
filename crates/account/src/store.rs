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
use serde_json::value::RawValue;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
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

/// The account's maps whose rows name S3 bodies.
const S3_KINDS: &[&str] = &["s3_objects", "s3_uploads"];

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
///
/// Why it remembers what it wrote: a save writes only the rows whose JSON
/// changed since the last load or save of this connection (and deletes the
/// rows of resources that are gone), so a checkpoint of a deploy costs what
/// the deploy changed, not the whole account. If another connection wrote in
/// between (SQLite's `data_version` moved), the memory is stale and the save
/// rewrites everything, as before.
pub struct Store {
    conn: Connection,
    /// Where S3 object bodies are written (`None`: an in-memory store keeps them in memory).
    bodies_dir: Option<PathBuf>,
    /// Hash of each row's JSON as this connection last read or wrote it.
    written: Written,
}

/// What a connection knows is in the database: a hash of each row's text.
#[derive(Default)]
struct Written {
    /// `data_version` when `rows` was last true, or `None` when unknown.
    version: Option<i64>,
    meta: HashMap<String, u64>,
    resources: HashMap<String, HashMap<String, u64>>,
}

/// A row's fingerprint (not for security: a collision only means a row is not rewritten, with odds of 2^-64).
fn fingerprint(text: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Store {
    /// Opens (creating it and its parent folders if needed) the store at `path` and migrates it.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Io { path: parent.to_path_buf(), source })?;
        }
        let conn = Connection::open(path)?;
        let mut store = Store::setup(conn)?;
        store.bodies_dir = Some(crate::s3::dir_beside(path));
        Ok(store)
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
        let mut store = Store { conn, bodies_dir: None, written: Written::default() };
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
    ///
    /// The rows are joined into one JSON text and decoded once: building a
    /// `serde_json::Value` tree first would cost as much again as the decode.
    pub fn load_account(&mut self) -> Result<Option<Account>, StoreError> {
        let tx = self.conn.transaction()?;
        let mut seen = Written { version: Some(data_version(&tx)?), ..Written::default() };
        let mut text = String::from("{");
        let mut has_id = false;
        {
            let mut stmt = tx.prepare("SELECT key, value FROM meta ORDER BY key")?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for row in rows {
                let (key, value) = row?;
                has_id |= key == "account_id";
                push_member(&mut text, &key, &value);
                seen.meta.insert(key, fingerprint(&value));
            }
        }
        if !has_id {
            tx.commit()?;
            self.written = seen;
            return Ok(None);
        }
        {
            let mut stmt = tx.prepare("SELECT kind, id, json FROM resources ORDER BY kind, id")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?)))?;
            let mut current: Option<String> = None;
            for row in rows {
                let (kind, id, json) = row?;
                if current.as_deref() != Some(kind.as_str()) {
                    if current.is_some() {
                        text.push('}');
                    }
                    push_member(&mut text, &kind, "{");
                    current = Some(kind.clone());
                } else {
                    text.push(',');
                }
                push_key(&mut text, &id);
                text.push_str(&json);
                seen.resources.entry(kind).or_default().insert(id, fingerprint(&json));
            }
            if current.is_some() {
                text.push('}');
            }
        }
        text.push('}');
        // Decoded once; only when that fails are the rows read again, to name the broken one.
        let mut account: Account = match serde_json::from_str(&text) {
            Ok(account) => account,
            Err(source) => return Err(broken_row(&tx).unwrap_or(StoreError::Decode { kind: "account".into(), source })),
        };
        tx.commit()?;
        // Stores written before interfaces recorded their owner.
        account.backfill_eni_owners();
        if let Some(dir) = &self.bodies_dir {
            account.s3_bodies.set_dir(dir.clone());
        }
        self.written = seen;
        Ok(Some(account))
    }

    /// One stored resource's JSON text (`kind` is the account's map, `id` its
    /// key), read without loading the account; `None` when there is none.
    pub fn resource_json(&self, kind: &str, id: &str) -> Result<Option<String>, StoreError> {
        use rusqlite::OptionalExtension as _;
        let row = self
            .conn
            .query_row("SELECT json FROM resources WHERE kind = ?1 AND id = ?2", params![kind, id], |r| r.get(0))
            .optional()?;
        Ok(row)
    }

    /// Replaces the saved account with `account`, in one transaction,
    /// writing only the rows that differ from what this connection last saw.
    pub fn save_account(&mut self, account: &Account) -> Result<(), StoreError> {
        self.save_counting(account).map(|_| ())
    }

    /// [`Store::save_account`], returning how many rows it wrote or deleted.
    ///
    /// The account is serialized once to text and cut into rows with
    /// `RawValue`s, so no `Value` tree is built: the cost of a save that
    /// writes little is one serialization and a hash per row.
    pub fn save_counting(&mut self, account: &Account) -> Result<usize, StoreError> {
        // Bodies first: a committed object row never names a body that is not on disk.
        if let Some(dir) = &self.bodies_dir {
            account.s3_bodies.flush(dir).map_err(|source| StoreError::Io { path: dir.clone(), source })?;
        }
        let whole =
            serde_json::to_string(account).map_err(|source| StoreError::Decode { kind: "account".into(), source })?;
        let fields: Vec<(String, &RawValue)> = decode_members(&whole, "account")?;
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut old = std::mem::take(&mut self.written);
        if old.version.is_none() || old.version != Some(data_version(&tx)?) {
            // Another connection wrote since we last looked (or we never did): start from nothing.
            tx.execute("DELETE FROM meta", [])?;
            tx.execute("DELETE FROM resources", [])?;
            old = Written::default();
        }
        let mut now = Written::default();
        let mut touched = 0;
        // Whether an object or upload row changed: then bodies may have lost their last object.
        let mut s3_touched = false;
        {
            let mut put_meta = tx.prepare_cached("INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)")?;
            let mut put_res =
                tx.prepare_cached("INSERT OR REPLACE INTO resources (kind, id, json) VALUES (?1, ?2, ?3)")?;
            for (key, raw) in &fields {
                let text = raw.get();
                if text.starts_with('{') {
                    // Every map of the account is a resource kind; everything else is meta.
                    let before = old.resources.remove(key).unwrap_or_default();
                    let touched_before = touched;
                    let items: Vec<(String, &RawValue)> = decode_members(text, key)?;
                    let mut after = HashMap::with_capacity(items.len());
                    for (id, item) in items {
                        let print = fingerprint(item.get());
                        if before.get(&id) != Some(&print) {
                            put_res.execute(params![key, id, item.get()])?;
                            touched += 1;
                        }
                        after.insert(id, print);
                    }
                    let mut del = tx.prepare_cached("DELETE FROM resources WHERE kind = ?1 AND id = ?2")?;
                    for id in before.keys().filter(|id| !after.contains_key(*id)) {
                        del.execute(params![key, id])?;
                        touched += 1;
                    }
                    s3_touched |= S3_KINDS.contains(&key.as_str()) && touched > touched_before;
                    now.resources.insert(key.clone(), after);
                } else {
                    let print = fingerprint(text);
                    if old.meta.get(key) != Some(&print) {
                        put_meta.execute(params![key, text])?;
                        touched += 1;
                    }
                    now.meta.insert(key.clone(), print);
                }
            }
            // Kinds and meta keys the account no longer has at all.
            let mut del_kind = tx.prepare_cached("DELETE FROM resources WHERE kind = ?1")?;
            for (kind, rows) in &old.resources {
                if !rows.is_empty() {
                    s3_touched |= S3_KINDS.contains(&kind.as_str());
                    del_kind.execute(params![kind])?;
                    touched += rows.len();
                }
            }
            let mut del_meta = tx.prepare_cached("DELETE FROM meta WHERE key = ?1")?;
            for key in old.meta.keys().filter(|k| !now.meta.contains_key(*k)) {
                del_meta.execute(params![key])?;
                touched += 1;
            }
        }
        tx.commit()?;
        if let (true, Some(dir)) = (s3_touched, &self.bodies_dir) {
            // After the commit: a crash before it leaves the old rows and their bodies.
            account.s3_bodies.collect(dir, &account.s3_body_hashes());
        }
        // Our own commit does not move our data_version; read it after, outside the transaction.
        now.version = Some(data_version(&self.conn)?);
        self.written = now;
        Ok(touched)
    }
}

/// The members of a JSON object's text, each value left as text.
fn decode_members<'t>(text: &'t str, kind: &str) -> Result<Vec<(String, &'t RawValue)>, StoreError> {
    let map: indexmap::IndexMap<String, &RawValue> =
        serde_json::from_str(text).map_err(|source| StoreError::Decode { kind: kind.to_string(), source })?;
    Ok(map.into_iter().collect())
}

/// The first stored row whose text is not one JSON value, as an error naming its kind.
fn broken_row(conn: &Connection) -> Option<StoreError> {
    let mut stmt = conn.prepare("SELECT key, value FROM meta UNION ALL SELECT kind, json FROM resources").ok()?;
    let mut rows = stmt.query([]).ok()?;
    while let Ok(Some(row)) = rows.next() {
        let (kind, text): (String, String) = (row.get(0).ok()?, row.get(1).ok()?);
        if let Err(source) = serde_json::from_str::<&RawValue>(&text) {
            return Some(StoreError::Decode { kind, source });
        }
    }
    None
}

/// Appends `"key":` (after a comma unless first) to an object's text.
fn push_key(out: &mut String, key: &str) {
    // A string always serializes.
    out.push_str(&serde_json::to_string(key).unwrap_or_default());
    out.push(':');
}

/// Appends `"key":value` to an object's text, with a comma unless it is the first member.
fn push_member(out: &mut String, key: &str, value: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    push_key(out, key);
    out.push_str(value);
}

/// SQLite's `data_version`: changes when another connection commits to the file.
fn data_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA data_version", [], |r| r.get(0))?)
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
    fn a_save_writes_only_what_changed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut store = Store::open(&path).unwrap();
        let mut account = Account::default();
        let first = store.save_counting(&account).unwrap();
        assert!(first > 10, "the first save writes everything ({first})");
        assert_eq!(store.save_counting(&account).unwrap(), 0);
        let vpc = account.create_vpc("10.0.0.0/16").unwrap();
        // The VPC, its main route table, default group and ACL, and the ID counter in meta.
        let added = store.save_counting(&account).unwrap();
        assert!((1..10).contains(&added), "{added}");
        account.vpcs.remove(&vpc.vpc_id);
        assert_eq!(store.save_counting(&account).unwrap(), 1);
        drop(store);
        assert_eq!(Store::open(&path).unwrap().load_account().unwrap(), Some(account));
    }

    #[test]
    fn a_write_by_another_connection_makes_the_next_save_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.db");
        let mut one = Store::open(&path).unwrap();
        let mut two = Store::open(&path).unwrap();
        let mut account = Account::default();
        one.save_account(&account).unwrap();
        let mut theirs = two.load_account().unwrap().unwrap();
        theirs.create_vpc("10.9.0.0/16").unwrap();
        two.save_account(&theirs).unwrap();
        // `one` still believes the database holds `account`; its save must not keep `two`'s VPC.
        account.put_ssm_parameter("/p", "String", "v");
        let written = one.save_counting(&account).unwrap();
        assert!(written > 10, "{written}");
        assert_eq!(two.load_account().unwrap(), Some(account));
    }

    #[test]
    fn v1_database_upgrades() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            // A database as the first release wrote it: only migration 1.
            let conn = Connection::open(&path).unwrap();
            let mut store = Store { conn, bodies_dir: None, written: Written::default() };
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
