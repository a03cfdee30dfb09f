//! The driver's card application (guide steps 05–07): « Commencer », the documents uploaded in
//! resumable chunks and checked by their content, the delivery address, « Valider », « Annuler »,
//! and « Répondre » to a correction request.

use crate::applications::{delete_stored, eligibility_of, object_key, own_application, own_view, view_of};
use crate::auth::Caller;
use crate::db::applications::{self as store, StoredApplication, StoredDocument};
use crate::db::find_account;
use crate::db::Optional;
use crate::error::{document_label, AppError, AppResult};
use crate::mail::templates;
use crate::workflow::UnitOfWork;
use crate::AppState;
use cqc_domain::application::{ApplicationState, ApplicationTransitionError, DocumentKind};
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::contact::AddressInput;
use cqc_domain::upload::{FileProblem, MAX_FILE_BYTES};
use cqc_sync::applications::ApplicationView;
use sha2::{Digest, Sha256};
use tracing::instrument;

/// « Commencer ». Sent again with the same id (a retry after a cut), it answers the same draft.
#[instrument(skip_all, fields(driver = %driver.account_id, application = id))]
pub async fn start(state: &AppState, driver: &Caller, id: &str) -> AppResult<ApplicationView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    if let Some(existing) = store::find_application(conn, id).await.optional()? {
        if existing.driver_id != driver.account_id {
            return Err(AppError::not_found());
        }
        return view_of(conn, existing).await;
    }
    let entitlement =
        eligibility_of(conn, &driver.account_id, french_day(now)).await?.map_err(AppError::not_eligible)?;
    store::insert_application(conn, id, &driver.account_id, &entitlement, now).await?;
    work.audit(AuditAction::Draft, id, "Demande commencée");
    answer(work, driver, id).await
}

/// The driver's view, read in the unit of work, which is then committed.
async fn answer(mut work: UnitOfWork, driver: &Caller, id: &str) -> AppResult<ApplicationView> {
    let view = own_view(work.conn().await?, &driver.account_id, id).await?;
    work.commit().await?;
    Ok(view)
}

/// « Annuler »: only a draft; its documents, photo, signature and address are deleted.
#[instrument(skip_all, fields(driver = %driver.account_id, application = id))]
pub async fn cancel(state: &AppState, driver: &Caller, id: &str) -> AppResult<()> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let application = own_application(work.conn().await?, &driver.account_id, id).await?;
    let keys = discard_draft(&mut work, &application, "Demande annulée, documents supprimés").await?;
    work.commit().await?;
    delete_stored(&state.documents, keys).await;
    Ok(())
}

/// Cancels a draft: its state, address, documents and unfinished uploads, audited. Answers the
/// stored files, to delete once the unit of work is committed (a failed deletion then leaves an
/// orphan file, never a draft without its files).
pub async fn discard_draft(
    work: &mut UnitOfWork,
    application: &StoredApplication,
    detail: &str,
) -> AppResult<Vec<String>> {
    let now = work.now;
    let conn = work.conn().await?;
    let cancelled = application.state.cancel().map_err(AppError::application)?;
    let keys = store::documents(conn, &application.id).await?.into_iter().map(|d| d.object_key).collect();
    store::save_state(conn, &application.id, &cancelled, now).await?;
    store::set_delivery_address(conn, &application.id, None, now).await?;
    store::delete_documents(conn, &application.id).await?;
    work.audit(AuditAction::Cancelled, &application.id, detail);
    Ok(keys)
}

#[instrument(skip_all, fields(driver = %driver.account_id, application = id))]
pub async fn set_delivery_address(
    state: &AppState,
    driver: &Caller,
    id: &str,
    address: &AddressInput,
) -> AppResult<ApplicationView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let application = own_application(conn, &driver.account_id, id).await?;
    if application.state != ApplicationState::draft() {
        return Err(AppError::application(ApplicationTransitionError::NotADraft));
    }
    store::set_delivery_address(conn, id, Some(address), now).await?;
    answer(work, driver, id).await
}

/// One chunk of a file, at `offset`. A chunk that is already there (a retry) is accepted again
/// without being stored twice; a gap is refused with what the server holds. Answers the bytes
/// held.
#[instrument(skip_all, fields(driver = %driver.account_id, application = id, kind = kind.as_str(), offset))]
pub async fn receive_chunk(
    state: &AppState,
    driver: &Caller,
    id: &str,
    kind: DocumentKind,
    offset: u64,
    chunk: &[u8],
) -> AppResult<u64> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let conn = work.conn().await?;
    let application = own_application(conn, &driver.account_id, id).await?;
    application.state.may_replace(kind).map_err(AppError::application)?;
    let received = store::upload_received(conn, id, kind).await?;
    // The offset is the client's number: an absurd one is a mismatch, never an overflow.
    let end = offset.checked_add(chunk.len() as u64).ok_or_else(AppError::upload_mismatch)?;
    if end <= received {
        return Ok(received);
    }
    if offset != received {
        return Err(AppError::upload_mismatch());
    }
    if end > MAX_FILE_BYTES as u64 {
        store::discard_upload(conn, id, kind).await?;
        work.commit().await?;
        return Err(AppError::file(FileProblem::TooLarge { max_bytes: MAX_FILE_BYTES as u64 }));
    }
    store::append_part(conn, id, kind, received, chunk).await?;
    work.commit().await?;
    Ok(end)
}

/// The end of an upload: the file is whole, it is what it claims, it is stored. The file is
/// checked with no database connection held, and stored so that a request cut half-way leaves
/// no file behind.
#[instrument(skip_all, fields(driver = %driver.account_id, application = id, kind = kind.as_str()))]
pub async fn complete_upload(
    state: &AppState,
    driver: &Caller,
    id: &str,
    kind: DocumentKind,
    size: u64,
    sha256: &str,
) -> AppResult<ApplicationView> {
    let turn = crate::files::turn(&driver.account_id).await?;
    let bytes = {
        let mut conn = state.db.writer().await?;
        let application = own_application(&mut conn, &driver.account_id, id).await?;
        application.state.may_replace(kind).map_err(AppError::application)?;
        store::read_upload(&mut conn, id, kind).await?
    };
    let checked = if bytes.len() as u64 != size || hex_sha256(&bytes) != sha256.to_lowercase() {
        Err(AppError::upload_mismatch())
    } else {
        crate::files::check_document(turn, kind, bytes).await
    };
    let checked = match checked {
        Ok(checked) => checked,
        Err(refused) => {
            // The refused file is dropped; the driver sends another.
            store::discard_upload(&mut *state.db.writer().await?, id, kind).await?;
            return Err(refused);
        }
    };
    let mut document = StoredDocument {
        kind,
        object_key: object_key(id, kind),
        format: checked.format,
        size: checked.bytes.len() as u64,
        sha256: hex_sha256(&checked.bytes),
        replaced_for_correction: false,
        uploaded_at: state.clock.now(),
    };
    let stored = state.documents.put_uncommitted(&document.object_key, checked.bytes).await?;
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let conn = work.conn().await?;
    // Checked again: the application may have moved on while the file was being checked.
    let application = own_application(conn, &driver.account_id, id).await?;
    application.state.may_replace(kind).map_err(AppError::application)?;
    document.replaced_for_correction = application.state.correction.is_some();
    let previous = store::documents(conn, id).await?.into_iter().find(|d| d.kind == kind);
    store::discard_upload(conn, id, kind).await?;
    store::save_document(conn, id, &document).await?;
    work.audit(AuditAction::Document, id, format!("Ajout : {}", document_label(kind)));
    let view = answer(work, driver, id).await?;
    stored.keep();
    delete_stored(&state.documents, previous.into_iter().map(|d| d.object_key).collect()).await;
    Ok(view)
}

fn hex_sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// « Valider »: the file goes to processing.
#[instrument(skip_all, fields(driver = %driver.account_id, application = id))]
pub async fn submit(state: &AppState, driver: &Caller, id: &str) -> AppResult<ApplicationView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let application = own_application(conn, &driver.account_id, id).await?;
    let provided: Vec<DocumentKind> = store::documents(conn, id).await?.iter().map(|d| d.kind).collect();
    let submitted =
        application.state.submit(&provided, application.delivery_address.is_some()).map_err(AppError::application)?;
    store::save_state(conn, id, &submitted, now).await?;
    let account = find_account(conn, &driver.account_id).await?;
    work.audit(AuditAction::Submitted, id, "Demande envoyée au service de traitement");
    work.email(templates::application_received(&account.email, &account.display_name));
    answer(work, driver, id).await
}

/// « Envoyer » after « Répondre »: every item asked for was provided again.
#[instrument(skip_all, fields(driver = %driver.account_id, application = id))]
pub async fn answer_correction(state: &AppState, driver: &Caller, id: &str) -> AppResult<ApplicationView> {
    let mut work = UnitOfWork::begin(state, Some(&driver.account_id)).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let application = own_application(conn, &driver.account_id, id).await?;
    let replaced: Vec<DocumentKind> =
        store::documents(conn, id).await?.iter().filter(|d| d.replaced_for_correction).map(|d| d.kind).collect();
    let answered = application.state.answer(&replaced).map_err(AppError::application)?;
    store::save_state(conn, id, &answered, now).await?;
    store::reset_replaced(conn, id).await?;
    work.audit(AuditAction::Answered, id, "Réponse envoyée : retour en traitement");
    answer(work, driver, id).await
}
