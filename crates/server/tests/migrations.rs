//! Schema changes never lose data: a database made by the previous version is brought up to
//! date with every row kept.

use sqlx::sqlite::SqlitePoolOptions;
use sqlx::Row;
use std::borrow::Cow;

/// An SQLite database made by the version before migration `version`: (its folder, its URL, a
/// pool on it).
async fn database_before(version: i64) -> (tempfile::TempDir, String, sqlx::SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("{}?mode=rwc", cqc_server::db::sqlite_url(&dir.path().join("old.sqlite3")));
    let pool = SqlitePoolOptions::new().max_connections(1).connect(&url).await.unwrap();
    let mut before = sqlx::migrate!("./migrations");
    before.migrations = Cow::Owned(before.migrations.iter().filter(|m| m.version < version).cloned().collect());
    before.run(&pool).await.unwrap();
    (dir, url, pool)
}

/// The driver account the rows of each test belong to.
const A_DRIVER: &str = "INSERT INTO accounts (id, role, status, email, display_name, submitted_at, created_at, \
                        updated_at) VALUES ('d1', 'driver', 'active', 'jean@exemple.fr', 'Jean Dupont', 1, 1, 1)";

async fn execute_all(pool: &sqlx::SqlitePool, statements: &[&str]) {
    for statement in statements {
        sqlx::query(statement).execute(pool).await.unwrap();
    }
}

#[tokio::test]
async fn the_cards_of_an_earlier_version_survive_the_replacement_migration_with_their_address() {
    let (_dir, _, pool) = database_before(5).await;
    execute_all(&pool, &[
        A_DRIVER,
        "INSERT INTO applications (id, driver_id, status, delivery_address_json, qualifications_json, card_expiry, \
         created_at, updated_at) VALUES ('a1', 'd1', 'approved', '{\"line1\":\"12 rue des Lilas\"}', '[]', \
         '2031-11-20', 1, 1)",
        "INSERT INTO cards (id, card_number, driver_id, application_id, status, face_json, photo_key, code95_expiry, \
         issued_on, created_at, updated_at) VALUES ('c1', 'FR2600000018', 'd1', 'a1', 'activated', '{}', 'p', \
         '2031-11-20', '2026-11-25', 1, 2)",
    ])
    .await;

    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    let row = sqlx::query("SELECT card_number, status, delivery_address_json, replaces_card_id, updated_at FROM cards")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>("card_number"), "FR2600000018");
    assert_eq!(row.get::<String, _>("status"), "activated");
    assert_eq!(row.get::<String, _>("delivery_address_json"), "{\"line1\":\"12 rue des Lilas\"}");
    assert_eq!(row.get::<Option<String>, _>("replaces_card_id"), None);
    assert_eq!(row.get::<i64, _>("updated_at"), 2);
    // A replacement card from the same application is now possible.
    sqlx::query(
        "INSERT INTO cards (id, card_number, driver_id, application_id, replaces_card_id, status, face_json, \
         photo_key, code95_expiry, issued_on, created_at, updated_at) VALUES ('c2', 'FR2600000026', 'd1', 'a1', \
         'c1', 'in_production', '{}', 'p', '2031-11-20', '2026-11-26', 3, 3)",
    )
    .execute(&pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn certificates_issued_before_their_window_had_a_column_get_it_from_their_body_at_start() {
    let (_dir, url, pool) = database_before(13).await;
    let certificate =
        cqc_sync::certificate_code::fixtures::certificate(&ed25519_dalek::SigningKey::from_bytes(&[7; 32]));
    execute_all(&pool, &[
        A_DRIVER,
        "INSERT INTO centres (id, name, approval_number, address, created_at) VALUES ('k1', 'Centre', 'AGR-1', 'A', 1)",
        "INSERT INTO trainings (id, centre_id, accepted, record_json, outcome_json, licence_number, birth_date, \
         driver_id, recorded_by, version, created_at, updated_at) VALUES ('t1', 'k1', 1, '{}', '{}', '13AA00001', \
         '1985-03-14', 'd1', 'd1', 1, 1, 1)",
    ])
    .await;
    sqlx::query(
        "INSERT INTO certificates (id, training_id, driver_id, qualification, card_expiry, body_json, version) \
         VALUES ('c1', 't1', 'd1', 'goods', $1, $2, 2)",
    )
    .bind(&certificate.claims.card_expiry)
    .bind(serde_json::to_string(&certificate).unwrap())
    .execute(&pool)
    .await
    .unwrap();
    pool.close().await;

    let db = cqc_server::db::Db::connect(&url).await.unwrap();
    let row = sqlx::query("SELECT valid_until FROM certificates WHERE id = 'c1'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(row.get::<Option<String>, _>("valid_until"), Some(certificate.claims.valid_until));
}

#[tokio::test]
async fn the_fees_set_before_they_had_a_start_date_become_the_first_table_and_past_payments_keep_their_rate() {
    let (_dir, _, pool) = database_before(16).await;
    execute_all(
        &pool,
        &[
            "UPDATE billing_settings SET value = 700 WHERE name = 'reshipping'",
            "UPDATE billing_settings SET value = 550 WHERE name = 'vat_basis_points'",
            A_DRIVER,
            "INSERT INTO payments (id, driver_id, idempotency_key, purpose, attempt, item, net_cents, vat_cents, \
         gross_cents, status, card_last_four, billing_address_json, created_at, updated_at) VALUES ('p1', 'd1', \
         'k1', 'reshipping:c1', 1, 'reshipping', 700, 39, 739, 'approved', '4242', '{}', 1, 1)",
        ],
    )
    .await;

    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    let first = sqlx::query("SELECT starts_on, replacement_card, reshipping, vat_basis_points FROM fee_schedule")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].get::<String, _>("starts_on"), "2000-01-01");
    assert_eq!((first[0].get::<i64, _>("replacement_card"), first[0].get::<i64, _>("reshipping")), (2500, 700));
    assert_eq!(first[0].get::<i64, _>("vat_basis_points"), 550);
    let paid = sqlx::query("SELECT vat_basis_points, gross_cents FROM payments WHERE id = 'p1'")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!((paid.get::<i64, _>("vat_basis_points"), paid.get::<i64, _>("gross_cents")), (550, 739));
}

#[tokio::test]
async fn the_chunks_of_an_upload_in_progress_get_their_size_and_the_upload_resumes_where_it_was() {
    let (_dir, url, pool) = database_before(20).await;
    execute_all(&pool, &[
        A_DRIVER,
        "INSERT INTO applications (id, driver_id, status, delivery_address_json, qualifications_json, card_expiry, \
         created_at, updated_at) VALUES ('a1', 'd1', 'draft', '{}', '[]', '2031-11-20', 1, 1)",
        // 4 bytes (two padding signs), 5 bytes (one), 6 bytes (none): 15 bytes received.
        "INSERT INTO upload_parts (application_id, kind, start_offset, bytes_base64) VALUES \
         ('a1', 'identity_front', 0, 'AQIDBA=='), ('a1', 'identity_front', 4, 'AQIDBAU='), \
         ('a1', 'identity_front', 9, 'AQIDBAUG')",
    ])
    .await;

    sqlx::migrate!("./migrations").run(&pool).await.unwrap();
    let sizes: Vec<i64> =
        sqlx::query_scalar("SELECT size FROM upload_parts ORDER BY start_offset").fetch_all(&pool).await.unwrap();
    assert_eq!(sizes, [4, 5, 6]);
    let db = cqc_server::db::Db::connect(&url).await.unwrap();
    let mut conn = db.pool.acquire().await.unwrap();
    let kind = cqc_domain::application::DocumentKind::IdentityFront;
    assert_eq!(cqc_server::db::applications::upload_received(&mut conn, "a1", kind).await.unwrap(), 15);
    let whole = cqc_server::db::applications::read_upload(&mut conn, "a1", kind).await.unwrap();
    assert_eq!(whole, [1, 2, 3, 4, 1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 6]);
}
