//! The commands of guide steps 04 and 08: a centre records trainings offline and syncs; a driver
//! reads their recaps and certificates offline, saves them as PDF, and verifies a certificate.

use crate::events::WindowEvents;
use cqc_app::sync::{background_round, run_sync, BACKGROUND_SYNC_EVERY};
use cqc_app::{local_error, AppCore, CommandResult};
use cqc_client::engine::SyncProgress;
use cqc_domain::calendar::french_day;
use cqc_domain::qualification::CertificateValidity;
use cqc_domain::registration::parse_iso_date;
use cqc_domain::training::{validate_record, TrainingFieldErrors, TrainingRecordInput};
use cqc_domain::training_csv::{decode_export, parse_trainings, CsvError};
use cqc_store::LocalTraining;
use cqc_sync::api::{ApiError, ErrorCode};
use cqc_sync::certificate_code::{verify, CertificateClaims, CodeError};
use cqc_sync::protocol::Replica;
use cqc_sync::protocol::{Certificate, Recap};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Manager, State};
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "result", rename_all = "snake_case")]
#[ts(export)]
pub enum RecordOutcome {
    /// Queued: it goes out at the next sync.
    Queued { training_id: String },
    /// Not queued: the fields to fix.
    Invalid { fields: TrainingFieldErrors },
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "result", rename_all = "snake_case")]
#[ts(export)]
pub enum ImportOutcome {
    Queued {
        #[ts(type = "number")]
        count: usize,
    },
    Refused {
        error: CsvError,
    },
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct CentreOverview {
    pub trainings: Vec<LocalTraining>,
    /// Changes not yet applied by the server.
    #[ts(type = "number")]
    pub pending: usize,
}

/// The French calendar day now, whatever the computer's time zone.
pub fn today() -> time::Date {
    french_day(time::OffsetDateTime::now_utc())
}

#[tauri::command]
pub fn check_training(input: TrainingRecordInput) -> TrainingFieldErrors {
    validate_record(&input, today()).err().unwrap_or_default()
}

/// A new training's id, time-ordered (UUID v7): the device's and the server's indexes of
/// trainings grow at their end instead of in random pages.
fn new_training_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Checks a training and queues it (new, or the correction of `training_id`).
#[tauri::command]
pub fn record_training(
    core: State<'_, AppCore>,
    training_id: Option<String>,
    input: TrainingRecordInput,
) -> CommandResult<RecordOutcome> {
    if let Err(fields) = validate_record(&input, today()) {
        return Ok(RecordOutcome::Invalid { fields });
    }
    let training_id = training_id.unwrap_or_else(new_training_id);
    core.store().record_training(&training_id, &input).map_err(local_error)?;
    Ok(RecordOutcome::Queued { training_id })
}

/// Queues every row of a centre's CSV export (its bytes as saved: UTF-8 or Windows-1252), or none
/// when a row is wrong.
#[tauri::command]
pub fn import_trainings_csv(core: State<'_, AppCore>, bytes: Vec<u8>) -> CommandResult<ImportOutcome> {
    let records = match decode_export(&bytes).and_then(|text| parse_trainings(&text, today())) {
        Ok(records) => records,
        Err(error) => return Ok(ImportOutcome::Refused { error }),
    };
    let batch: Vec<(String, TrainingRecordInput)> = records.into_iter().map(|r| (new_training_id(), r)).collect();
    core.store().record_trainings(&batch).map_err(local_error)?;
    Ok(ImportOutcome::Queued { count: batch.len() })
}

#[tauri::command]
pub fn centre_trainings(core: State<'_, AppCore>) -> CommandResult<CentreOverview> {
    let pending = core.replica().pending_count().map_err(local_error)?;
    Ok(CentreOverview { trainings: core.store().trainings().map_err(local_error)?, pending })
}

/// Sends what waits in the outbox and brings what changed, with progress events.
#[tauri::command]
pub async fn sync_now(app: AppHandle, core: State<'_, AppCore>) -> CommandResult<SyncProgress> {
    run_sync(&core, &WindowEvents(app)).await
}

/// Syncs every few seconds while someone is signed in; a failure waits for the next round.
pub async fn sync_in_background(app: AppHandle) {
    loop {
        tokio::time::sleep(BACKGROUND_SYNC_EVERY).await;
        background_round(&app.state::<AppCore>(), &WindowEvents(app.clone())).await;
    }
}

#[tauri::command]
pub fn my_recaps(core: State<'_, AppCore>) -> CommandResult<Vec<Recap>> {
    let today = today();
    let recaps = core.store().recaps().map_err(local_error)?;
    // A continuing-training recap disappears 6 years after issue, even offline.
    Ok(recaps.into_iter().filter(|r| r.is_available_on(today)).collect())
}

#[tauri::command]
pub fn my_certificates(core: State<'_, AppCore>) -> CommandResult<Vec<HeldCertificate>> {
    let day = today();
    let held = core.store().certificates().map_err(local_error)?;
    Ok(held.into_iter().map(|certificate| HeldCertificate::on(certificate, day)).collect())
}

/// A certificate of « Mes certificats », with whether it has expired on the French day (the
/// screen never decides it from the browser's UTC date).
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct HeldCertificate {
    pub certificate: Certificate,
    pub expired: bool,
}

impl HeldCertificate {
    fn on(certificate: Certificate, day: time::Date) -> Self {
        let claims = &certificate.claims;
        let validity = parse_iso_date(&claims.valid_from).zip(parse_iso_date(&claims.valid_until));
        // The claims are signed by the service: their dates always read.
        let expired = validity
            .is_some_and(|(valid_from, valid_until)| CertificateValidity { valid_from, valid_until }.has_expired(day));
        Self { certificate, expired }
    }
}

/// Writes the recap's PDF into the downloads folder; answers the file's path.
#[tauri::command]
pub fn save_recap_pdf(core: State<'_, AppCore>, training_id: String) -> CommandResult<String> {
    let recap = core.store().recaps().map_err(local_error)?.into_iter().find(|r| r.training_id == training_id);
    let recap = recap.ok_or_else(not_here)?;
    let name = format!("recapitulatif-formation-{}.pdf", recap.end_date);
    core.save_download(&name, &cqc_documents::recap_pdf(&recap))
}

#[tauri::command]
pub fn save_certificate_pdf(core: State<'_, AppCore>, certificate_id: String) -> CommandResult<String> {
    let certificate = core
        .store()
        .certificates()
        .map_err(local_error)?
        .into_iter()
        .find(|c| c.claims.certificate_id == certificate_id);
    let certificate = certificate.ok_or_else(not_here)?;
    let name = format!("attestation-de-qualification-{}.pdf", certificate.claims.issued_on);
    core.save_download(&name, &cqc_documents::certificate_pdf(&certificate))
}

/// The centre's lists that export what they show as CSV.
#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum CentreList {
    Trainings,
    Trainees,
}

/// The CSV of a centre's list as it shows (its search and filters), written into the downloads
/// folder under the list's name (`formations-…`, `stagiaires-…`); answers the file's path.
#[tauri::command]
pub fn save_trainings_csv(core: State<'_, AppCore>, list: CentreList, csv: String) -> CommandResult<String> {
    let name = match list {
        CentreList::Trainings => "formations",
        CentreList::Trainees => "stagiaires",
    };
    core.save_download(&format!("{name}-{}.csv", today()), csv.as_bytes())
}

/// Checks a certificate's signed code with the keys kept on this computer: works offline.
#[tauri::command]
pub fn verify_certificate(core: State<'_, AppCore>, code: String) -> CommandResult<CertificateClaims> {
    let keys = core.store().certificate_keys().map_err(local_error)?;
    if keys.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Unreachable,
            "Connectez-vous une première fois avec le réseau pour recevoir les clés de vérification.",
        ));
    }
    verify(&code, &keys).map_err(|error: CodeError| ApiError::new(ErrorCode::InvalidFields, error.message_fr()))
}

fn not_here() -> ApiError {
    ApiError::new(ErrorCode::NotFound, "Ce document n'est pas sur cet ordinateur : synchronisez puis réessayez.")
}
