//! The app's published releases and their packages.

use super::{Columns as _, Conn, DbResult};
use crate::clock::to_millis;
use time::OffsetDateTime;

/// A release with a package of one kind.
#[derive(Clone)]
pub struct PublishedPackage {
    pub version: String,
    pub notes: String,
    pub published_at: OffsetDateTime,
    pub signature: String,
}

/// Records the release (its notes replaced if it exists) and its package of this kind (replaced
/// if it exists: a package re-signed or rebuilt).
pub async fn publish(
    conn: &mut Conn,
    version: &str,
    notes: &str,
    target: &str,
    signature: &str,
    size_bytes: i64,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO app_releases (version, notes, published_at) VALUES ($1, $2, $3) \
         ON CONFLICT (version) DO UPDATE SET notes = excluded.notes",
    )
    .bind(version)
    .bind(notes)
    .bind(to_millis(now))
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO app_release_packages (version, target, signature, size_bytes) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (version, target) DO UPDATE SET signature = excluded.signature, size_bytes = excluded.size_bytes",
    )
    .bind(version)
    .bind(target)
    .bind(signature)
    .bind(size_bytes)
    .execute(conn)
    .await?;
    Ok(())
}

/// Every release with a package of this kind.
pub async fn packages_for(conn: &mut Conn, target: &str) -> DbResult<Vec<PublishedPackage>> {
    let rows = sqlx::query(
        "SELECT r.version, r.notes, r.published_at, p.signature FROM app_releases r \
         JOIN app_release_packages p ON p.version = r.version WHERE p.target = $1",
    )
    .bind(target)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(PublishedPackage {
                version: row.value("version")?,
                notes: row.value("notes")?,
                published_at: row.instant("published_at")?,
                signature: row.value("signature")?,
            })
        })
        .collect()
}
