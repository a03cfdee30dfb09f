//! Cards: their numbers, faces, statuses and addresses.

use super::json;
use super::{Columns, Conn, DbResult};
use crate::clock::to_millis;
use cqc_domain::card::CardStatus;
use cqc_domain::contact::AddressInput;
use cqc_sync::applications::CardFace;
use sqlx::any::AnyRow;
use sqlx::FromRow;
use time::OffsetDateTime;

/// The next card serial of the year; the row stays locked until the transaction ends.
pub async fn next_card_serial(conn: &mut Conn, year: i32) -> DbResult<u32> {
    super::next_of_year(conn, super::YearlyCounter::CardSerials, year).await
}

pub struct StoredCard {
    pub id: String,
    pub application_id: String,
    pub driver_id: String,
    pub status: CardStatus,
    pub face: CardFace,
    pub photo_key: String,
    pub replaces_card_id: Option<String>,
    pub delivery_address: Option<AddressInput>,
    pub pending_address: Option<AddressInput>,
}

const CARD_COLUMNS: &str = "id, application_id, driver_id, status, face_json, photo_key, replaces_card_id, \
     delivery_address_json, pending_address_json";

impl FromRow<'_, AnyRow> for StoredCard {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: row.value("id")?,
            application_id: row.value("application_id")?,
            driver_id: row.value("driver_id")?,
            status: row.parsed("status", CardStatus::parse)?,
            face: row.json("face_json")?,
            photo_key: row.value("photo_key")?,
            replaces_card_id: row.value("replaces_card_id")?,
            delivery_address: row.json_or_null("delivery_address_json")?,
            pending_address: row.json_or_null("pending_address_json")?,
        })
    }
}

pub async fn insert_card(conn: &mut Conn, card: &StoredCard, now: OffsetDateTime) -> DbResult<()> {
    sqlx::query(
        "INSERT INTO cards (id, card_number, driver_id, application_id, status, face_json, photo_key, code95_expiry, \
         issued_on, replaces_card_id, delivery_address_json, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)",
    )
    .bind(&card.id)
    .bind(&card.face.card_number)
    .bind(&card.driver_id)
    .bind(&card.application_id)
    .bind(card.status.as_str())
    .bind(json(&card.face))
    .bind(&card.photo_key)
    .bind(&card.face.code95_expiry)
    .bind(&card.face.issued_on)
    .bind(card.replaces_card_id.as_deref())
    .bind(card.delivery_address.as_ref().map(json))
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

/// After a returned mail: the new address waiting for its fee (`pending`), or the address the
/// card is sent to again (`delivery`, clearing the pending one).
pub async fn set_card_addresses(
    conn: &mut Conn,
    id: &str,
    delivery: Option<&AddressInput>,
    pending: Option<&AddressInput>,
    now: OffsetDateTime,
) -> DbResult<()> {
    sqlx::query(
        "UPDATE cards SET delivery_address_json = COALESCE($2, delivery_address_json), pending_address_json = $3, \
         updated_at = $4 WHERE id = $1",
    )
    .bind(id)
    .bind(delivery.map(json))
    .bind(pending.map(json))
    .bind(to_millis(now))
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn find_card(conn: &mut Conn, id: &str) -> DbResult<StoredCard> {
    super::find(conn, id).await
}

impl super::Table for StoredCard {
    const TABLE: &'static str = "cards";
    const COLUMNS: &'static str = CARD_COLUMNS;
}

impl super::Owned for StoredCard {
    fn owner(&self) -> &str {
        &self.driver_id
    }
}

/// The cards with these ids, in the order given (unknown ids are left out).
pub async fn cards_by_ids(conn: &mut Conn, ids: &[String]) -> DbResult<Vec<StoredCard>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {CARD_COLUMNS} FROM cards WHERE id IN ({})", super::params(conn, 1, ids.len()));
    let mut query = sqlx::query_as::<_, StoredCard>(&sql);
    for id in ids {
        query = query.bind(id.as_str());
    }
    let mut found: std::collections::HashMap<String, StoredCard> =
        query.fetch_all(conn).await?.into_iter().map(|card| (card.id.clone(), card)).collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

pub async fn card_of_application(conn: &mut Conn, application_id: &str) -> DbResult<Option<StoredCard>> {
    let mut first = first_cards_of(conn, &[application_id.to_owned()]).await?;
    Ok(first.remove(application_id))
}

/// The first card made from each application (replacements come later), in one query.
pub async fn first_cards_of(
    conn: &mut Conn,
    application_ids: &[String],
) -> DbResult<std::collections::HashMap<String, StoredCard>> {
    if application_ids.is_empty() {
        return Ok(Default::default());
    }
    let sql = format!(
        "SELECT {CARD_COLUMNS} FROM cards WHERE application_id IN ({}) AND replaces_card_id IS NULL",
        super::params(conn, 1, application_ids.len())
    );
    let mut query = sqlx::query_as::<_, StoredCard>(&sql);
    for id in application_ids {
        query = query.bind(id.as_str());
    }
    Ok(query.fetch_all(conn).await?.into_iter().map(|card| (card.application_id.clone(), card)).collect())
}

pub async fn cards_of(conn: &mut Conn, driver_id: &str) -> DbResult<Vec<StoredCard>> {
    Ok(sqlx::query_as(&format!("SELECT {CARD_COLUMNS} FROM cards WHERE driver_id = $1 ORDER BY created_at DESC"))
        .bind(driver_id)
        .fetch_all(conn)
        .await?)
}

/// Cards in production, printed, shipped, returned or to send again: what the agent moves on.
pub async fn cards_in_progress(conn: &mut Conn) -> DbResult<Vec<StoredCard>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {CARD_COLUMNS} FROM cards WHERE status IN ($1, $2, $3, $4, $5) ORDER BY created_at"
    ))
    .bind(CardStatus::InProduction.as_str())
    .bind(CardStatus::Printed.as_str())
    .bind(CardStatus::Shipped.as_str())
    .bind(CardStatus::Returned.as_str())
    .bind(CardStatus::ToResend.as_str())
    .fetch_all(conn)
    .await?)
}

/// The code 95 expiry of the driver's latest card carrying `qualification`: the "current expiry"
/// an FCO extends.
pub async fn current_code95_expiry(
    conn: &mut Conn,
    driver_id: &str,
    qualification: cqc_domain::training::Qualification,
) -> DbResult<Option<time::Date>> {
    Ok(cards_of(conn, driver_id)
        .await?
        .into_iter()
        .filter(|card| card.face.qualifications.contains(&qualification))
        .filter_map(|card| {
            time::Date::parse(&card.face.code95_expiry, &time::format_description::well_known::Iso8601::DATE).ok()
        })
        .max())
}

pub async fn set_card_status(conn: &mut Conn, id: &str, status: CardStatus, now: OffsetDateTime) -> DbResult<()> {
    sqlx::query("UPDATE cards SET status = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(status.as_str())
        .bind(to_millis(now))
        .execute(conn)
        .await?;
    Ok(())
}
