//! The central database: SQLite by default, PostgreSQL in production, through sqlx's `Any`
//! driver. The queries and the migrations are written in the SQL both share, so one code path
//! serves both and the same contract tests prove it on each.

use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool};
use std::str::FromStr;
use time::OffsetDateTime;

mod accounts;
pub mod admin;
pub mod applications;
mod audit;
pub mod cards;
pub mod closure;
pub mod fees;
pub mod guards;
mod notifications;
pub mod outbox;
pub mod releases;
pub mod reminders;
pub mod repairs;
pub mod replacements;
pub mod sandbox_ledger;
mod sessions;
pub mod trainings;

pub use accounts::{
    find_account, find_account_by_email, holders, insert_account, pending_analysis, replace_review_items,
    resubmit_registration, review_items, set_password, set_status, taken_by_other, Account, NewAccount,
};
pub use audit::{audit, audit_many, audit_of, audit_of_many, AuditRow, PendingAudit};
pub use notifications::{
    insert_notification, insert_notification_about, mark_notifications_read, notifications, StoredNotification,
};
pub use sessions::{
    delete_session, delete_sessions_of, find_link, insert_link, insert_session, lock_accounts, retire_links,
    session_account, use_link, Link,
};

pub type Tx<'a> = sqlx::Transaction<'a, sqlx::Any>;

/// The connection a unit of work and the storage functions share; the rest of the server names
/// it through this alias, never through the driver.
pub type Conn = AnyConnection;

/// What storage tells its callers: the row is not there, a unique rule refused the row, or the
/// database failed. Callers decide what each means for the user; only the last is internal.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("no such row")]
    NotFound,
    /// A unique index refused the row: someone else holds the value.
    #[error("unique constraint {0:?} refused the row")]
    Conflict(Option<String>),
    #[error(transparent)]
    Database(sqlx::Error),
    /// A value the checks keep valid was not (a bypassed check, a bug): never the user's doing.
    #[error("broken invariant: {0}")]
    Invariant(String),
}

pub type DbResult<T> = Result<T, DbError>;

impl From<sqlx::Error> for DbError {
    fn from(error: sqlx::Error) -> Self {
        match error {
            sqlx::Error::RowNotFound => Self::NotFound,
            sqlx::Error::Database(e) if e.is_unique_violation() => Self::Conflict(e.constraint().map(str::to_owned)),
            other => Self::Database(other),
        }
    }
}

/// A model kept as one row of one table, read by its id.
pub(crate) trait Table: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin {
    const TABLE: &'static str;
    const COLUMNS: &'static str;
}

/// The row of `T` with this id, or [`DbError::NotFound`].
pub(crate) async fn find<T: Table>(conn: &mut Conn, id: &str) -> DbResult<T> {
    let sql = format!("SELECT {} FROM {} WHERE id = $1", T::COLUMNS, T::TABLE);
    Ok(sqlx::query_as(&sql).bind(id).fetch_one(conn).await?)
}

/// A row that belongs to one driver (an application, a card, a replacement, a payment).
pub(crate) trait Owned: Table {
    fn owner(&self) -> &str;
}

/// The row of `T` with this id if it belongs to `owner`; another's answers [`DbError::NotFound`]
/// like a missing one, so that its existence does not leak.
pub(crate) async fn find_owned<T: Owned>(conn: &mut Conn, owner: &str, id: &str) -> DbResult<T> {
    let row: T = find(conn, id).await?;
    if row.owner() == owner {
        Ok(row)
    } else {
        Err(DbError::NotFound)
    }
}

/// The next number of a counter that restarts each year (card serials, invoice sequences); its
/// row stays locked until the transaction ends, and a rolled-back transaction gives the number
/// back: numbers without gaps.
pub(crate) async fn next_of_year(conn: &mut Conn, counter: YearlyCounter, year: i32) -> DbResult<u32> {
    let (table, column) = match counter {
        YearlyCounter::CardSerials => ("card_serials", "last_serial"),
        YearlyCounter::InvoiceSequences => ("invoice_counters", "last_sequence"),
    };
    let next: i64 = sqlx::query_scalar(&format!(
        "INSERT INTO {table} (year, {column}) VALUES ($1, 1) \
         ON CONFLICT (year) DO UPDATE SET {column} = {table}.{column} + 1 RETURNING {column}"
    ))
    .bind(i64::from(year))
    .fetch_one(conn)
    .await?;
    Ok(next as u32)
}

#[derive(Clone, Copy)]
pub(crate) enum YearlyCounter {
    CardSerials,
    InvoiceSequences,
}

/// `find(…).await.optional()?` where a missing row is an answer, not an error.
pub trait Optional<T> {
    fn optional(self) -> DbResult<Option<T>>;
}

impl<T> Optional<T> for DbResult<T> {
    fn optional(self) -> DbResult<Option<T>> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(DbError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

#[derive(Clone)]
pub struct Db {
    /// Every change, and the reads of a unit of work.
    pub pool: AnyPool,
    /// The reads of requests that change nothing (the session behind a token, `/me`, the
    /// notifications, the sync's pull). On SQLite, read-only connections of their own: in WAL
    /// mode they read the last committed state while the one writer works, instead of queueing
    /// behind it. On PostgreSQL, the same pool.
    pub readers: AnyPool,
    pub backend: Backend,
}

/// The database behind the `Any` driver, for the few statements whose SQL differs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// What a `SELECT` that picks rows to claim adds so that concurrent claimers skip each
    /// other's rows instead of taking them twice. SQLite has one writer at a time: the claiming
    /// `UPDATE` alone is atomic there.
    pub fn skip_locked(self) -> &'static str {
        match self {
            Self::Sqlite => "",
            Self::Postgres => " FOR UPDATE SKIP LOCKED",
        }
    }
}

/// The `sqlite://` URL of a database file, on every system. The path is percent-encoded whole, as
/// sqlx writes it itself (`SqliteConnectOptions`), and sqlx decodes it back: formatted as it is, a
/// Windows path (`sqlite://C:\Users\…`) reads as a host `C` and a port, and a `?`, `#` or `%` in a
/// folder's name would be cut or changed.
pub fn sqlite_url(path: &std::path::Path) -> String {
    format!("sqlite://{}", utf8_percent_encode(&path.to_string_lossy(), NON_ALPHANUMERIC))
}

/// The file an `sqlite:` URL names (the reverse of [`sqlite_url`], and what sqlx opens), or `None`
/// for another database.
pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let encoded = rest.split('?').next().unwrap_or(rest);
    Some(std::path::PathBuf::from(percent_decode_str(encoded).decode_utf8().ok()?.into_owned()))
}

impl Db {
    /// Connects (creating an SQLite file if needed) and brings the schema up to date.
    pub async fn connect(url: &str) -> DbResult<Self> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let url = if sqlite && !url.contains("mode=") {
            format!("{url}{}mode=rwc", if url.contains('?') { '&' } else { '?' })
        } else {
            url.to_owned()
        };
        let options = AnyConnectOptions::from_str(&url)?;
        // One writer at a time is what SQLite does anyway; a single connection avoids its
        // "database is locked" errors between concurrent transactions.
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 1 } else { 10 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL lets readers work during a write; a 64 MB page cache keeps the
                        // tables of a busy day in memory instead of re-reading them from disk.
                        sqlx::query("PRAGMA journal_mode = WAL").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA cache_size = -65536").execute(&mut *conn).await?;
                        // What is deleted (a closed account's data, a purged draft) is zeroed in
                        // the file rather than left in free pages, and the log does not keep
                        // earlier pages once checkpointed: a copy of the folder finds neither.
                        sqlx::query("PRAGMA secure_delete = ON").execute(&mut *conn).await?;
                        sqlx::query("PRAGMA journal_size_limit = 0").execute(&mut *conn).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await.map_err(sqlx::Error::from)?;
        repairs::run(&pool, OffsetDateTime::now_utc()).await?;
        let readers = if sqlite {
            let readers = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32 * 2;
            AnyPoolOptions::new()
                .max_connections(readers)
                .connect_with(AnyConnectOptions::from_str(&url.replace("mode=rwc", "mode=ro"))?)
                .await?
        } else {
            pool.clone()
        };
        Ok(Self { pool, readers, backend: if sqlite { Backend::Sqlite } else { Backend::Postgres } })
    }
}

impl Db {
    /// A connection for a read that changes nothing (see `readers`).
    pub async fn reader(&self) -> DbResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.readers.acquire().await?)
    }

    /// A connection of the writers' pool, outside any transaction.
    pub async fn writer(&self) -> DbResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.pool.acquire().await?)
    }

    pub async fn begin(&self) -> DbResult<Tx<'static>> {
        Ok(self.pool.begin().await?)
    }
}

pub async fn commit(tx: Tx<'_>) -> DbResult<()> {
    Ok(tx.commit().await?)
}

impl Db {
    /// Whether the database answers (the readiness probe).
    pub async fn ping(&self) -> DbResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// After personal data was deleted: on SQLite, the log's pages (which still hold the rows as
    /// they were) are written into the file, where `secure_delete` zeroed them, and the log is
    /// emptied. A reader still on an older snapshot makes it partial; the next checkpoint ends
    /// it. On PostgreSQL the old row versions go at the next vacuum (see the operations guide).
    pub async fn forget_deleted(&self) -> DbResult<()> {
        if self.backend == Backend::Sqlite {
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await?;
        }
        Ok(())
    }

    /// A consistent copy of an SQLite database into a new file, taken while it serves.
    pub async fn copy_into(&self, file: &std::path::Path) -> DbResult<()> {
        sqlx::query("VACUUM INTO $1").bind(file.to_string_lossy().into_owned()).execute(&self.pool).await?;
        Ok(())
    }

    /// A read transaction on the readers: its queries see one state of the data, so the queries
    /// of one page cannot straddle a commit (PostgreSQL's default gives each statement its own).
    pub async fn snapshot(&self) -> DbResult<Tx<'static>> {
        let mut tx = self.readers.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute(&mut *tx).await?;
        }
        Ok(tx)
    }
}

pub(crate) fn encode<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

pub(crate) fn decode<T: DeserializeOwned>(text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_value(serde_json::Value::String(text.to_owned())).map_err(|e| sqlx::Error::Decode(e.into()))
}

/// Reading a row's columns into the model's types: the codes, JSON documents and instants the
/// tables keep as text and integers. One line a field in each `FromRow`.
pub(crate) trait Columns {
    /// A plain value (text, integer), or `None` for NULL when asked for an `Option`.
    fn value<T>(&self, column: &str) -> Result<T, sqlx::Error>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>;
    /// An enum kept as its serde code (`"active"`, `"centre_staff"`).
    fn code<T: DeserializeOwned>(&self, column: &str) -> Result<T, sqlx::Error> {
        decode(&self.value::<String>(column)?)
    }
    /// An enum code in a nullable column.
    fn code_or_null<T: DeserializeOwned>(&self, column: &str) -> Result<Option<T>, sqlx::Error> {
        self.value::<Option<String>>(column)?.map(|text| decode(&text)).transpose()
    }
    /// A value read by the type's own parser (`CardStatus::parse`).
    fn parsed<T>(&self, column: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, sqlx::Error> {
        let text = self.value::<String>(column)?;
        parse(&text).ok_or_else(|| sqlx::Error::Decode(format!("{column}: {text}").into()))
    }
    /// A value kept as a JSON document.
    fn json<T: DeserializeOwned>(&self, column: &str) -> Result<T, sqlx::Error> {
        from_json(&self.value::<String>(column)?)
    }
    /// A JSON document in a nullable column.
    fn json_or_null<T: DeserializeOwned>(&self, column: &str) -> Result<Option<T>, sqlx::Error> {
        self.value::<Option<String>>(column)?.map(|text| from_json(&text)).transpose()
    }
    /// An instant kept as milliseconds since the epoch.
    fn instant(&self, column: &str) -> Result<OffsetDateTime, sqlx::Error> {
        Ok(crate::clock::from_millis(self.value(column)?))
    }
    /// An instant in a nullable column.
    fn instant_or_null(&self, column: &str) -> Result<Option<OffsetDateTime>, sqlx::Error> {
        Ok(self.value::<Option<i64>>(column)?.map(crate::clock::from_millis))
    }
    /// A yes/no kept as 0 or 1 (the type both databases share).
    fn flag(&self, column: &str) -> Result<bool, sqlx::Error> {
        Ok(self.value::<i64>(column)? != 0)
    }
}

impl Columns for sqlx::any::AnyRow {
    fn value<T>(&self, column: &str) -> Result<T, sqlx::Error>
    where
        T: for<'r> sqlx::Decode<'r, sqlx::Any> + sqlx::Type<sqlx::Any>,
    {
        sqlx::Row::try_get(self, column)
    }
}

/// The parameters `first, first + 1, …` (`n` of them) of a statement: `$first, …` on
/// PostgreSQL; anonymous `?` on SQLite, which looks a numbered parameter's name up by a linear
/// search (binding the thousands of a push would be quadratic). A statement written with these
/// writes all its parameters with them, in the order they are bound.
pub(crate) fn params(conn: &AnyConnection, first: usize, n: usize) -> String {
    match conn.backend_name() {
        <sqlx::Sqlite as sqlx::Database>::NAME => vec!["?"; n].join(", "),
        _ => (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", "),
    }
}

/// `(…), (…), …`: the `VALUES` of a multi-row insert of `rows` rows of `columns` parameters
/// each, the statement's only parameters: one statement for many rows.
pub(crate) fn value_rows(conn: &AnyConnection, rows: usize, columns: usize) -> String {
    (0..rows).map(|r| format!("({})", params(conn, 1 + r * columns, columns))).collect::<Vec<_>>().join(", ")
}

/// A value kept as a JSON document in a TEXT column.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("serialisable")
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, sqlx::Error> {
    serde_json::from_str(text).map_err(|e| sqlx::Error::Decode(e.into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Storage is `db/`: the rest of the server never names sqlx (its queries, its errors, its
    /// pools), so a query cannot slip into a workflow or a route again.
    #[test]
    fn only_the_storage_module_names_sqlx() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut outside = Vec::new();
        let mut folders = vec![src.clone()];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap().flatten() {
                let path = entry.path();
                if path == src.join("db") {
                    continue;
                }
                if path.is_dir() {
                    folders.push(path);
                } else if std::fs::read_to_string(&path).is_ok_and(|text| text.contains("sqlx")) {
                    outside.push(path.strip_prefix(&src).unwrap().display().to_string());
                }
            }
        }
        assert!(outside.is_empty(), "sqlx named outside src/db/: {outside:?}");
    }
    use std::path::Path;

    #[test]
    fn an_sqlite_url_gives_back_its_path_on_every_system() {
        for path in
            [r"C:\Users\Élise Martin\AppData\Roaming\cqc\cqc.sqlite3", "/var/lib/cqc/dossier #1 %20/cqc.sqlite3"]
        {
            let url = sqlite_url(Path::new(path));
            assert!(AnyConnectOptions::from_str(&url).is_ok(), "{url}");
            assert_eq!(sqlite_path(&format!("{url}?mode=rwc")).as_deref(), Some(Path::new(path)));
        }
        assert_eq!(sqlite_path("sqlite:cqc.sqlite3"), Some("cqc.sqlite3".into()));
        assert_eq!(sqlite_path("postgres://cqc@localhost/cqc"), None);
    }

    #[tokio::test]
    async fn a_database_opens_in_a_folder_with_spaces_and_accents() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Données de l'école #1").join("cqc.sqlite3");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        Db::connect(&sqlite_url(&path)).await.unwrap().pool.close().await;
        assert!(path.exists());
    }
}
