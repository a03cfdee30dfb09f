//! The processing agent's side of the account analysis: the queue against the 24-hour promise,
//! a request's file, acceptance, and the request for corrections.

use super::accounts::issue_link;
use crate::auth::Agent;
use crate::clock::rfc3339;
use crate::db::{self, Account};
use crate::error::{ApiJson, AppError, AppResult};
use crate::mail::{self, templates};
use crate::{trainings, AppState};
use axum::extract::{Path, State};
use cqc_domain::account::{analysis_clock, LinkPurpose, Role};
use cqc_domain::audit::AuditAction;
use cqc_domain::registration::RegistrationField;
use cqc_sync::api::ApiError;
use cqc_sync::api::{
    AuditEntry, CorrectionRequest, IdentityCheckView, IdentityDecision, QueueEntry, RegistrationFile, RegistrationQueue,
};
use sqlx::AnyConnection;

#[utoipa::path(get, path = "/api/v1/agent/registrations", responses((status = 200, body = RegistrationQueue), (status = 403, body = ApiError)))]
pub async fn queue(State(state): State<AppState>, _agent: Agent) -> AppResult<ApiJson<RegistrationQueue>> {
    let now = state.clock.now();
    let pending = db::pending_analysis(&mut *state.db.pool.acquire().await?).await?;
    let entries: Vec<QueueEntry> = pending
        .into_iter()
        .map(|a| QueueEntry {
            clock: analysis_clock(a.submitted_at, now),
            submitted_at: rfc3339(a.submitted_at),
            request_id: a.id,
            display_name: a.display_name,
            email: a.email,
            resubmitted: a.resubmitted,
        })
        .collect();
    Ok(ApiJson(RegistrationQueue {
        count: entries.len() as u32,
        overdue: entries.iter().filter(|e| e.clock.overdue).count() as u32,
        entries,
    }))
}

#[utoipa::path(get, path = "/api/v1/agent/registrations/{id}", params(("id" = String, Path)), responses((status = 200, body = RegistrationFile), (status = 403, body = ApiError), (status = 404, body = ApiError)))]
pub async fn file(
    State(state): State<AppState>,
    _agent: Agent,
    Path(id): Path<String>,
) -> AppResult<ApiJson<RegistrationFile>> {
    let mut conn = state.db.pool.acquire().await?;
    let account = driver_account(&mut conn, &id).await?;
    Ok(ApiJson(file_of(&mut conn, &state, account).await?))
}

#[utoipa::path(post, path = "/api/v1/agent/registrations/{id}/accept", params(("id" = String, Path)), responses((status = 200, body = RegistrationFile), (status = 409, body = ApiError)))]
pub async fn accept(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
) -> AppResult<ApiJson<RegistrationFile>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let account = driver_account(&mut tx, &id).await?;
    let status = account.status.accept().map_err(AppError::transition)?;
    db::set_status(&mut tx, &id, status, now).await?;
    let link = issue_link(&mut tx, &state, &id, LinkPurpose::SetPassword, now).await?;
    mail::enqueue(&mut tx, &templates::set_password(&account.email, &account.display_name, &link), now).await?;
    db::insert_notification(
        &mut tx,
        &id,
        "Compte validé",
        "L'analyse de votre demande est conforme. Bienvenue dans votre espace.",
        now,
    )
    .await?;
    db::audit(&mut tx, Some(&agent.account_id), AuditAction::RegistrationAccepted, &id, "Analyse conforme", now)
        .await?;
    let account = driver_account(&mut tx, &id).await?;
    trainings::attach_waiting(&mut tx, &state, &account).await?;
    let file = file_of(&mut tx, &state, account).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(file))
}

#[utoipa::path(post, path = "/api/v1/agent/registrations/{id}/request-correction", params(("id" = String, Path)), request_body = CorrectionRequest, responses((status = 200, body = RegistrationFile), (status = 409, body = ApiError), (status = 422, body = ApiError)))]
pub async fn request_correction(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CorrectionRequest>,
) -> AppResult<ApiJson<RegistrationFile>> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let account = driver_account(&mut tx, &id).await?;
    let (status, items) = account.status.request_correction(&request.items).map_err(AppError::transition)?;
    db::set_status(&mut tx, &id, status, now).await?;
    db::replace_review_items(&mut tx, &id, &items).await?;
    let link = issue_link(&mut tx, &state, &id, LinkPurpose::CorrectRegistration, now).await?;
    let listed: String = items.iter().map(|i| format!("- {} : {}\n", field_label(i.field), i.reason)).collect();
    mail::enqueue(
        &mut tx,
        &templates::correction_requested(&account.email, &account.display_name, &listed, &link),
        now,
    )
    .await?;
    let summary = items.iter().map(|i| field_label(i.field)).collect::<Vec<_>>().join(", ");
    db::audit(
        &mut tx,
        Some(&agent.account_id),
        AuditAction::RegistrationCorrectionRequested,
        &id,
        &format!("À corriger : {summary}"),
        now,
    )
    .await?;
    let account = driver_account(&mut tx, &id).await?;
    let file = file_of(&mut tx, &state, account).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(ApiJson(file))
}

async fn driver_account(conn: &mut AnyConnection, id: &str) -> AppResult<Account> {
    db::find_account(conn, id).await?.filter(|a| a.role == Role::Driver).ok_or_else(AppError::not_found)
}

async fn file_of(conn: &mut AnyConnection, state: &AppState, account: Account) -> AppResult<RegistrationFile> {
    let history = db::audit_of(conn, &account.id)
        .await?
        .into_iter()
        .map(|row| AuditEntry { at: rfc3339(row.at), actor: row.actor, action: row.action, detail: row.detail })
        .collect();
    Ok(RegistrationFile {
        clock: analysis_clock(account.submitted_at, state.clock.now()),
        submitted_at: rfc3339(account.submitted_at),
        request_id: account.id,
        status: account.status,
        registration: account.registration.unwrap_or_default(),
        history,
    })
}

/// The field's label in the form, as the driver reads it in the email.
fn field_label(field: RegistrationField) -> &'static str {
    use RegistrationField::*;
    match field {
        Civility => "Civilité",
        LastName => "Nom de naissance",
        UsageName => "Nom d'usage",
        FirstNames => "Prénom(s)",
        BirthDate => "Date de naissance",
        BirthCity => "Ville de naissance",
        BirthCountry => "Pays de naissance",
        Email => "Adresse de messagerie",
        MobilePhone => "Téléphone mobile",
        AddressLine1 => "Adresse",
        AddressLine2 => "Complément d'adresse",
        Postcode => "Code postal",
        City => "Ville",
        Country => "Pays",
        LicenceKind => "Type de permis",
        LicenceNumber => "Numéro de permis de conduire",
        ConsentPrivacyPolicy => "Politique de confidentialité",
        ConsentTermsOfUse => "Conditions générales d'utilisation",
        ConsentDataAccuracy => "Exactitude des données",
        ConsentDataProcessing => "Traitement des données personnelles",
    }
}

/// The trainings waiting for an identity check, oldest first, each beside the account it names.
#[utoipa::path(get, path = "/api/v1/agent/identity-checks", responses((status = 200, body = Vec<IdentityCheckView>)))]
pub async fn identity_checks(
    State(state): State<AppState>,
    _agent: Agent,
) -> AppResult<ApiJson<Vec<IdentityCheckView>>> {
    let mut conn = state.db.pool.acquire().await?;
    let pending: Vec<trainings::Stored> = crate::db::trainings::pending_identity_checks(&mut conn).await?;
    let mut views = Vec::new();
    for training in pending {
        let record = &training.record;
        let licence = cqc_domain::licence::normalize(&record.licence_number);
        let holder = crate::db::trainings::driver_with_licence(&mut conn, &licence).await?;
        let centre = crate::db::trainings::find_centre(&mut conn, &training.centre_id).await?;
        let (Some(holder), Some(centre)) = (holder, centre) else { continue };
        let registered = holder.registration.as_ref();
        views.push(IdentityCheckView {
            training_id: training.id.clone(),
            centre_name: centre.name,
            centre_approval_number: centre.approval_number,
            trainee: format!("{} {}", record.first_names.trim(), record.last_name.trim()),
            birth_date: record.birth_date.trim().to_owned(),
            licence_number: licence,
            training: format!(
                "{} du {} au {}",
                record.kind.map_or("Formation", |k| k.title_fr()),
                record.start_date.trim(),
                record.end_date.trim()
            ),
            holder: registered.map_or(holder.display_name.clone(), |r| {
                let usage =
                    if r.usage_name.trim().is_empty() { String::new() } else { format!(" (usage : {})", r.usage_name) };
                format!("{} {}{usage}", r.first_names, r.last_name)
            }),
            holder_email: holder.email,
        });
    }
    Ok(ApiJson(views))
}

#[utoipa::path(post, path = "/api/v1/agent/identity-checks/{id}", params(("id" = String, Path)), request_body = IdentityDecision, responses((status = 204), (status = 404, body = ApiError)))]
pub async fn decide_identity_check(
    State(state): State<AppState>,
    Agent(agent): Agent,
    Path(id): Path<String>,
    ApiJson(decision): ApiJson<IdentityDecision>,
) -> AppResult<axum::http::StatusCode> {
    let now = state.clock.now();
    let mut tx = state.db.pool.begin().await?;
    let training = crate::db::trainings::pending_identity_checks::<_, _>(&mut tx)
        .await?
        .into_iter()
        .find(|t: &trainings::Stored| t.id == id)
        .ok_or_else(AppError::not_found)?;
    trainings::decide_identity_check(&mut tx, &state, &training, decision.same_person).await?;
    let detail = if decision.same_person { "Même personne : formation rattachée" } else { "Pas la même personne" };
    db::audit(&mut tx, Some(&agent.account_id), AuditAction::IdentityCheckDecided, &id, detail, now).await?;
    tx.commit().await?;
    state.mail.wake();
    Ok(axum::http::StatusCode::NO_CONTENT)
}
