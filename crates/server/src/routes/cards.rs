//! « Mes cartes » (guide step 12): the driver's cards with their photo, and the activation on
//! receipt; the SMS outbox the app shows.

use crate::applications::card_views;
use crate::auth::Driver;
use crate::clock::rfc3339;
use crate::db::cards as stored_cards;
use crate::error::{ApiJson, ApiPath, AppResult};
use crate::replacements::own_card;
use crate::{workflows, AppState};
use axum::extract::State;
use axum::response::IntoResponse;
use cqc_sync::api::ApiError;
use cqc_sync::applications::{CardView, SmsMessage};
use uuid::Uuid;

#[utoipa::path(get, path = "/api/v1/cards", responses((status = 200, body = Vec<CardView>)))]
pub async fn mine(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<CardView>>> {
    let mut conn = state.db.writer().await?;
    let cards = stored_cards::cards_of(&mut conn, &driver.account_id).await?;
    Ok(ApiJson(card_views(&mut conn, cards).await?))
}

#[utoipa::path(get, path = "/api/v1/cards/{id}/photo", params(("id" = String, Path)), responses((status = 200, content_type = "image/jpeg"), (status = 404, body = ApiError)))]
pub async fn photo(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<impl IntoResponse> {
    let card = own_card(&mut *state.db.writer().await?, &driver.account_id, &id.to_string()).await?;
    let bytes = state.documents.get(&card.photo_key).await?;
    Ok(super::download::attachment("photo", bytes))
}

/// On receipt, once the driver has checked it.
#[utoipa::path(post, path = "/api/v1/cards/{id}/activate", params(("id" = String, Path)), responses((status = 200, body = CardView), (status = 409, body = ApiError)))]
pub async fn activate(
    State(state): State<AppState>,
    Driver(driver): Driver,
    ApiPath(id): ApiPath<Uuid>,
) -> AppResult<ApiJson<CardView>> {
    Ok(ApiJson(workflows::cards::activate(&state, &driver, &id.to_string()).await?))
}

#[utoipa::path(get, path = "/api/v1/sms", responses((status = 200, body = Vec<SmsMessage>)))]
pub async fn sms_outbox(State(state): State<AppState>, Driver(driver): Driver) -> AppResult<ApiJson<Vec<SmsMessage>>> {
    let sent = crate::db::outbox::sms_sent_to(&mut *state.db.writer().await?, &driver.account_id).await?;
    Ok(ApiJson(
        sent.into_iter()
            .map(|s| SmsMessage { phone: s.phone, body: s.body, created_at: rfc3339(s.created_at) })
            .collect(),
    ))
}
