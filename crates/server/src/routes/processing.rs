//! The agent's side of card applications: the queue with counts and ages, a file with its
//! documents, approval (which makes the card), refusal, the correction request, and the card's
//! production steps, one card or a batch. Every action is audited.

use super::applications::document_response;
use crate::applications::{any_application, card_view, holder_of, mint_card, view_of, CardOrder};
use crate::auth::Agent;
use crate::clock::rfc3339;
use crate::db::applications as store;
use crate::db::{self, find_account};
use crate::error::{ApiJson, AppError, AppResult};
use crate::mail::{self, templates};
use crate::{sms, AppState};
use axum::extract::{Path, State};
use axum::response::IntoResponse;
use cqc_domain::application::{ApplicationStatus, ApplicationTransitionError, DocumentKind};
use cqc_domain::card::CardEvent;
use cqc_sync::api::{ApiError, AuditEntry};
use cqc_sync::applications::{
    ApplicationCorrectionRequest, ApplicationFile, ApplicationQueue, ApplicationQueueEntry, CardFace, CardStepRequest,
    CardView, RefusalRequest,
};

#[utoipa::path(get, path = "/api/v1/agent/applications", responses((status = 200, body = ApplicationQueue), (status = 403, body = ApiError)))]
pub async fn queue(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<ApplicationQueue>> {
    let now = state.clock.now();
    let rows = store::processing_queue(&mut *state.db.pool.acquire().await?).await?;
    let entries: Vec<ApplicationQueueEntry> = rows
        .into_iter()
        .map(|(application, driver_name)| {
            let submitted = application.submitted_at.unwrap_or(application.created_at);
            ApplicationQueueEntry {
                application_id: application.id,
                driver_name,
                state: application.state,
                submitted_at: rfc3339(submitted),
                age_hours: (now - submitted).whole_hours(),
            }
        })
        .collect();
    let count = |f: &dyn Fn(&ApplicationQueueEntry) -> bool| entries.iter().filter(|e| f(e)).count() as u32;
    Ok(ApiJson(ApplicationQueue {
        to_process: count(&|e| e.state.status == ApplicationStatus::Submitted),
        in_processing: count(&|e| e.state.status == ApplicationStatus::InProcessing && e.state.correction.is_none()),
        waiting_for_driver: count(&|e| e.state.correction.is_some()),
        entries,
    }))
}

async fn file_of(conn: &mut sqlx::AnyConnection, id: &str) -> AppResult<ApplicationFile> {
    let application = any_application(conn, id).await?;
    let driver = find_account(conn, &application.driver_id).await?.ok_or_else(AppError::not_found)?;
    let history = db::audit_of(conn, id)
        .await?
        .into_iter()
        .map(|row| AuditEntry { at: rfc3339(row.at), actor: row.actor, action: row.action, detail: row.detail })
        .collect();
    Ok(ApplicationFile { application: view_of(conn, application).await?, driver: holder_of(&driver), history })
}

/// Opens a file; a file just sent is taken into processing by the agent who opens it.
#[utoipa::path(get, path = "/api/v1/agent/applications/{id}", params(("id" = String, Path)), responses((status = 200, body = ApplicationFile), (status = 404, body = ApiError)))]
pub async fn open(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ApplicationFile>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = any_application(&mut tx, &id).await?;
    if application.state.status == ApplicationStatus::Draft || application.state.status == ApplicationStatus::Cancelled
    {
        // A driver's unsent draft is theirs alone.
        return Err(AppError::not_found());
    }
    if let Ok(taken) = application.state.take() {
        store::save_state(&mut tx, &id, &taken, now).await?;
        db::audit(&mut tx, Some(&agent.account_id), "in_processing", &id, "Demande en cours de traitement", now)
            .await?;
    }
    let file = file_of(&mut tx, &id).await?;
    tx.commit().await?;
    Ok(ApiJson(file))
}

#[utoipa::path(get, path = "/api/v1/agent/applications/{id}/documents/{kind}", params(("id" = String, Path), ("kind" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 404, body = ApiError)))]
pub async fn document(
    State(state): State<AppState>,
    _agent: Agent,
    Path((id, kind)): Path<(String, String)>,
) -> AppResult<impl IntoResponse> {
    let kind = DocumentKind::parse(&kind).ok_or_else(AppError::not_found)?;
    let mut conn = state.db.pool.acquire().await?;
    let application = any_application(&mut conn, &id).await?;
    if application.state.status == ApplicationStatus::Draft {
        return Err(AppError::not_found());
    }
    document_response(&state, &mut conn, &id, kind).await
}

/// Approval: the card is made (number, holder, photo, qualifications, code 95 expiry) and goes
/// into production.
#[utoipa::path(post, path = "/api/v1/agent/applications/{id}/approve", params(("id" = String, Path)), responses((status = 200, body = ApplicationFile), (status = 409, body = ApiError)))]
pub async fn approve(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
) -> AppResult<ApiJson<ApplicationFile>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = any_application(&mut tx, &id).await?;
    let approved = application.state.approve().map_err(AppError::application)?;
    let driver = find_account(&mut tx, &application.driver_id).await?.ok_or_else(AppError::not_found)?;
    let photo = store::documents(&mut tx, &id)
        .await?
        .into_iter()
        .find(|d| d.kind == DocumentKind::Photo)
        .ok_or(ApplicationTransitionError::Incomplete { missing: Some(DocumentKind::Photo) })
        .map_err(AppError::application)?;
    let order = CardOrder {
        application_id: id.clone(),
        driver_id: driver.id.clone(),
        photo_key: photo.object_key,
        replaces_card_id: None,
        delivery_address: application.delivery_address.clone(),
    };
    let holder = holder_of(&driver);
    let card =
        mint_card(&mut tx, order, |number, day| CardFace::new(holder, &application.entitlement, number, day), now)
            .await?;
    store::save_state(&mut tx, &id, &approved, now).await?;
    db::audit(&mut tx, Some(&agent.account_id), "approved", &id, "Demande acceptée : carte en fabrication", now)
        .await?;
    db::audit(
        &mut tx,
        Some(&agent.account_id),
        "in_production",
        &card.id,
        &format!("Carte {} en fabrication", card.face.card_number),
        now,
    )
    .await?;
    mail::enqueue(&mut tx, &templates::application_decided(&driver.email, &driver.display_name, true, None), now)
        .await?;
    db::insert_notification_about(
        &mut tx,
        &driver.id,
        "Demande de carte acceptée",
        "Votre carte est en fabrication. Vous pourrez l'activer dès sa réception.",
        Some(&format!("card:{}", card.id)),
        now,
    )
    .await?;
    let file = file_of(&mut tx, &id).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(file))
}

#[utoipa::path(post, path = "/api/v1/agent/applications/{id}/refuse", params(("id" = String, Path)), request_body = RefusalRequest, responses((status = 200, body = ApplicationFile), (status = 409, body = ApiError)))]
pub async fn refuse(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<RefusalRequest>,
) -> AppResult<ApiJson<ApplicationFile>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = any_application(&mut tx, &id).await?;
    let refused = application.state.refuse(&request.reason).map_err(AppError::application)?;
    let reason = request.reason.trim();
    let driver = find_account(&mut tx, &application.driver_id).await?.ok_or_else(AppError::not_found)?;
    store::save_state(&mut tx, &id, &refused, now).await?;
    store::set_refusal_reason(&mut tx, &id, reason).await?;
    db::audit(&mut tx, Some(&agent.account_id), "refused", &id, &format!("Demande refusée : {reason}"), now).await?;
    mail::enqueue(
        &mut tx,
        &templates::application_decided(&driver.email, &driver.display_name, false, Some(reason)),
        now,
    )
    .await?;
    db::insert_notification_about(
        &mut tx,
        &driver.id,
        "Demande de carte refusée",
        reason,
        Some(&format!("application:{id}")),
        now,
    )
    .await?;
    let file = file_of(&mut tx, &id).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(file))
}

/// Items to provide again, each with its reason: email, SMS and a notification with « en savoir
/// plus » tell the driver.
#[utoipa::path(post, path = "/api/v1/agent/applications/{id}/request-correction", params(("id" = String, Path)), request_body = ApplicationCorrectionRequest, responses((status = 200, body = ApplicationFile), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn request_correction(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ApplicationCorrectionRequest>,
) -> AppResult<ApiJson<ApplicationFile>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let application = any_application(&mut tx, &id).await?;
    let requested = application.state.request_correction(&request.items).map_err(AppError::application)?;
    let items = requested.correction.clone().unwrap_or_default();
    let driver = find_account(&mut tx, &application.driver_id).await?.ok_or_else(AppError::not_found)?;
    store::save_state(&mut tx, &id, &requested, now).await?;
    store::reset_replaced(&mut tx, &id).await?;
    let listed: String = items.iter().map(|i| format!("- {} : {}\n", i.item.title_fr(), i.reason)).collect();
    let titles = items.iter().map(|i| i.item.title_fr()).collect::<Vec<_>>().join(", ");
    db::audit(
        &mut tx,
        Some(&agent.account_id),
        "correction_requested",
        &id,
        &format!("Informations complémentaires demandées : {titles}"),
        now,
    )
    .await?;
    mail::enqueue(
        &mut tx,
        &templates::application_correction_requested(&driver.email, &driver.display_name, &listed),
        now,
    )
    .await?;
    if let Some(phone) = driver.registration.as_ref().map(|r| r.mobile_phone.clone()).filter(|p| !p.is_empty()) {
        let text = format!("CQC : des informations complémentaires sont demandées pour votre demande de carte ({titles}). Ouvrez l'application, « Mes demandes en cours ».");
        sms::enqueue(&mut tx, &driver.id, &phone, &text, now).await?;
    }
    db::insert_notification_about(
        &mut tx,
        &driver.id,
        "Informations complémentaires demandées",
        &format!("Votre demande de carte est à compléter : {titles}."),
        Some(&format!("application:{id}")),
        now,
    )
    .await?;
    let file = file_of(&mut tx, &id).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(file))
}

#[utoipa::path(get, path = "/api/v1/agent/cards", responses((status = 200, body = Vec<CardView>), (status = 403, body = ApiError)))]
pub async fn cards(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<Vec<CardView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let mut views = Vec::new();
    for card in store::cards_in_progress(&mut conn).await? {
        views.push(card_view(&mut conn, card).await?);
    }
    Ok(ApiJson(views))
}

/// Printed, shipped, delivered or returned: one card or a batch, all of them or none.
#[utoipa::path(post, path = "/api/v1/agent/cards/step", request_body = CardStepRequest, responses((status = 200, body = Vec<CardView>), (status = 409, body = ApiError)))]
pub async fn card_step(
    State(state): State<AppState>,
    Agent(agent): Agent,
    ApiJson(request): ApiJson<CardStepRequest>,
) -> AppResult<ApiJson<Vec<CardView>>> {
    if !request.event.is_the_agents() {
        return Err(AppError::forbidden());
    }
    if request.card_ids.is_empty() || request.card_ids.len() > 500 {
        return Err(AppError::bad_request("Choisissez entre 1 et 500 cartes."));
    }
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let mut moved = Vec::new();
    for id in &request.card_ids {
        let card = store::find_card(&mut tx, id).await?.ok_or_else(AppError::not_found)?;
        let status = card.status.apply(request.event).map_err(AppError::card_step)?;
        store::set_card_status(&mut tx, id, status, now).await?;
        let label = crate::error::card_status_label(status);
        db::audit(&mut tx, Some(&agent.account_id), status.as_str(), id, &format!("Carte {label}"), now).await?;
        if matches!(request.event, CardEvent::Ship | CardEvent::ReturnUndelivered) {
            let (title, body) = if request.event == CardEvent::Ship {
                (
                    "Carte expédiée",
                    "Votre carte est expédiée. À sa réception, vérifiez-la puis activez-la dans « Mes cartes ».",
                )
            } else {
                (
                    "Pli non distribué",
                    "Votre carte nous a été retournée. Ouvrez « Mes cartes » pour la recevoir de nouveau.",
                )
            };
            db::insert_notification_about(&mut tx, &card.driver_id, title, body, Some(&format!("card:{id}")), now)
                .await?;
        }
        moved.push(store::find_card(&mut tx, id).await?.ok_or_else(AppError::not_found)?);
    }
    let mut views = Vec::new();
    for card in moved {
        views.push(card_view(&mut tx, card).await?);
    }
    tx.commit().await?;
    Ok(ApiJson(views))
}
