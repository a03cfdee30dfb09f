//! « Mes cartes » (guide step 12): the driver's cards with their photo, and the activation on
//! receipt; the SMS outbox the app shows.

use crate::applications::card_view;
use crate::auth::Driver;
use crate::clock::rfc3339;
use crate::db;
use crate::db::applications as store;
use crate::error::{ApiJson, AppError, AppResult};
use crate::{sms, AppState};
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use cqc_domain::audit::AuditAction;
use cqc_domain::card::CardEvent;
use cqc_sync::api::ApiError;
use cqc_sync::applications::{CardView, SmsMessage};

#[utoipa::path(get, path = "/api/v1/cards", responses((status = 200, body = Vec<CardView>)))]
pub async fn mine(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<CardView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let mut views = Vec::new();
    for card in store::cards_of(&mut conn, &driver.account_id).await? {
        views.push(card_view(&mut conn, card).await?);
    }
    Ok(ApiJson(views))
}

async fn own_card(conn: &mut sqlx::AnyConnection, driver_id: &str, id: &str) -> AppResult<store::StoredCard> {
    store::find_card(conn, id).await?.filter(|c| c.driver_id == driver_id).ok_or_else(AppError::not_found)
}

#[utoipa::path(get, path = "/api/v1/cards/{id}/photo", params(("id" = String, Path)), responses((status = 200, content_type = "image/jpeg"), (status = 404, body = ApiError)))]
pub async fn photo(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<impl IntoResponse> {
    let card = own_card(&mut *state.db.pool.acquire().await?, &driver.account_id, &id).await?;
    let bytes = state.documents.get(&card.photo_key).await?;
    Ok(super::download::attachment("photo", bytes))
}

/// On receipt, once the driver has checked it.
#[utoipa::path(post, path = "/api/v1/cards/{id}/activate", params(("id" = String, Path)), responses((status = 200, body = CardView), (status = 409, body = ApiError)))]
pub async fn activate(
    State(state): State<AppState>,
    Driver(driver): Driver,
    Path(id): Path<String>,
) -> AppResult<ApiJson<CardView>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let card = own_card(&mut tx, &driver.account_id, &id).await?;
    let status = card.status.apply(CardEvent::Activate).map_err(AppError::card_step)?;
    store::set_card_status(&mut tx, &id, status, now).await?;
    db::audit(
        &mut tx,
        Some(&driver.account_id),
        AuditAction::card(status),
        &id,
        "Carte activée par son titulaire",
        now,
    )
    .await?;
    let card = own_card(&mut tx, &driver.account_id, &id).await?;
    let view = card_view(&mut tx, card).await?;
    tx.commit().await?;
    Ok(ApiJson(view))
}

#[utoipa::path(get, path = "/api/v1/sms", responses((status = 200, body = Vec<SmsMessage>)))]
pub async fn sms_outbox(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<SmsMessage>>> {
    let sent = sms::sent_to(&mut *state.db.pool.acquire().await?, &driver.account_id).await?;
    Ok(ApiJson(
        sent.into_iter()
            .map(|s| SmsMessage { phone: s.phone, body: s.body, created_at: rfc3339(s.created_at) })
            .collect(),
    ))
}
