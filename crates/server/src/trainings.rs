//! Trainings recorded by centres (guide steps 04 and 08): applying a pushed record, matching it
//! to the trainee's account by licence number and birth date, and issuing the recap and, for a
//! training that entitles to a card, the signed qualification certificate, emailed as a PDF.

use crate::db::trainings::{self as store, Centre, IdentityCheck, NewCertificate, StoredTraining, TrainingRow};
use crate::db::{self, Account};
use crate::db::{Conn, DbError, DbResult};
use crate::mail::{self, templates};
use crate::AppState;
use cqc_domain::account::{AccountStatus, Role};
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::identity::{names_differ_clearly, HolderNames};
use cqc_domain::licence::LicenceNumber;
use cqc_domain::qualification::{card_expiry, certificate_validity, recap_available_until};
use cqc_domain::registration::parse_iso_date;
use cqc_domain::training::{validate_record, TrainingRecord, TrainingRecordInput};
use cqc_sync::certificate_code::{self, CertificateClaims};
use cqc_sync::protocol::{Certificate, Outcome, Recap};
use std::collections::HashMap;
use std::ops::Range;
use time::OffsetDateTime;

pub type Stored = StoredTraining<TrainingRecordInput, Outcome>;

/// What one push reads once and writes once instead of once per training: the trainings, the
/// centre's accepted records and the driver accounts its records name (three queries), the
/// change versions (one), the trainings and the audit entries (written a few hundred rows a
/// statement, at the end or before a training attaches to its driver). A push is a single
/// transaction, so what one record changes is seen by the next through these maps.
pub struct PushBatch {
    known: HashMap<String, KnownTraining>,
    /// Licence number → the centre's accepted trainings (id, record), for the licences read.
    accepted: HashMap<String, Vec<(String, TrainingRecordInput)>>,
    /// Licence number → its driver account, for the licences read.
    drivers: HashMap<String, Option<Account>>,
    versions: Range<i64>,
    /// Trainings not written yet, one row per id (a record corrected in the same push replaces
    /// its row), with the index of each id.
    unwritten: Vec<TrainingRow<TrainingRecordInput, Outcome>>,
    unwritten_index: HashMap<String, usize>,
    audits: Vec<db::PendingAudit>,
    /// The push's instant, for every row it writes.
    now: OffsetDateTime,
    /// The device that pushes.
    device: String,
}

/// A training as the push finds it.
struct KnownTraining {
    centre_id: String,
    accepted: bool,
    record: TrainingRecordInput,
}

impl PushBatch {
    /// Reads what the records (training id, record) of a push from `device` will need.
    pub async fn load(
        conn: &mut Conn,
        state: &AppState,
        centre: &Centre,
        device: &str,
        records: &[(&str, &TrainingRecordInput)],
    ) -> DbResult<Self> {
        let ids: Vec<&str> = records.iter().map(|(id, _)| *id).collect();
        let known = store::find_trainings::<TrainingRecordInput, Outcome>(&mut *conn, &ids)
            .await?
            .into_iter()
            .map(|t| (t.id, KnownTraining { centre_id: t.centre_id, accepted: t.accepted, record: t.record }))
            .collect();
        let today = french_day(state.clock.now());
        let mut licences: Vec<String> = records
            .iter()
            .filter_map(|(_, input)| validate_record(input, today).ok())
            .map(|record| record.licence.as_str().to_owned())
            .collect();
        licences.sort();
        licences.dedup();
        let wanted: Vec<&str> = licences.iter().map(String::as_str).collect();
        let mut accepted: HashMap<_, Vec<_>> = licences.iter().map(|l| (l.clone(), Vec::new())).collect();
        for (id, licence, record) in store::accepted_records_of_licences(&mut *conn, &centre.id, &wanted).await? {
            accepted.entry(licence).or_default().push((id, record));
        }
        let mut drivers: HashMap<_, _> = licences.iter().map(|l| (l.clone(), None)).collect();
        for (licence, account) in store::drivers_with_licences(&mut *conn, &wanted).await? {
            drivers.insert(licence, Some(account));
        }
        let versions = if records.is_empty() { 0..0 } else { store::reserve_versions(conn, records.len()).await? };
        Ok(Self {
            known,
            accepted,
            drivers,
            versions,
            unwritten: Vec::new(),
            unwritten_index: HashMap::new(),
            audits: Vec::new(),
            now: state.clock.now(),
            device: device.to_owned(),
        })
    }

    async fn version(&mut self, conn: &mut Conn) -> DbResult<i64> {
        match self.versions.next() {
            Some(version) => Ok(version),
            None => store::next_version(conn).await,
        }
    }

    /// The centre's other accepted records of a licence number.
    async fn accepted_of(
        &mut self,
        conn: &mut Conn,
        centre_id: &str,
        training_id: &str,
        licence: &str,
    ) -> DbResult<Vec<TrainingRecordInput>> {
        if !self.accepted.contains_key(licence) {
            self.write_trainings(conn).await?;
            let read = store::accepted_records_of_licences(conn, centre_id, &[licence]).await?;
            self.accepted.insert(licence.to_owned(), read.into_iter().map(|(id, _, record)| (id, record)).collect());
        }
        Ok(self.accepted[licence].iter().filter(|(id, _)| id != training_id).map(|(_, r)| r.clone()).collect())
    }

    async fn driver(&mut self, conn: &mut Conn, licence: &str) -> DbResult<Option<Account>> {
        if !self.drivers.contains_key(licence) {
            let driver = store::driver_with_licence(conn, licence).await?;
            self.drivers.insert(licence.to_owned(), driver);
        }
        Ok(self.drivers[licence].clone())
    }

    fn keep(&mut self, row: TrainingRow<TrainingRecordInput, Outcome>) {
        match self.unwritten_index.get(&row.id) {
            Some(&index) => self.unwritten[index] = row,
            None => {
                self.unwritten_index.insert(row.id.clone(), self.unwritten.len());
                self.unwritten.push(row);
            }
        }
    }

    /// Writes the trainings kept so far, so that queries and updates of the push see them.
    async fn write_trainings(&mut self, conn: &mut Conn) -> DbResult<()> {
        store::save_trainings(conn, &self.unwritten, self.now).await?;
        self.unwritten.clear();
        self.unwritten_index.clear();
        Ok(())
    }

    /// Writes what was kept for the end of the push.
    pub async fn finish(mut self, conn: &mut Conn) -> DbResult<()> {
        self.write_trainings(conn).await?;
        db::audit_many(conn, &self.audits).await
    }
}

/// Applies one pushed record (new, or corrected after a rejection) and answers its outcome.
pub async fn apply_record(
    conn: &mut Conn,
    state: &AppState,
    batch: &mut PushBatch,
    centre: &Centre,
    staff_id: &str,
    training_id: &str,
    input: &TrainingRecordInput,
) -> DbResult<Outcome> {
    let now = batch.now;
    if let Some(existing) = batch.known.get(training_id) {
        if existing.centre_id != centre.id {
            return Ok(rejected("Cet identifiant de formation est déjà utilisé : enregistrez la formation à nouveau."));
        }
        if existing.accepted {
            return Ok(if &existing.record == input {
                Outcome::Accepted
            } else {
                rejected("Cette formation est déjà acceptée : elle ne peut plus être modifiée.")
            });
        }
    }
    let (outcome, record) = match validate_record(input, french_day(now)) {
        Err(fields) => (
            Outcome::Rejected {
                reason: "La formation ne respecte pas les règles : corrigez les champs signalés.".into(),
                fields,
            },
            None,
        ),
        Ok(record) => {
            let others = batch.accepted_of(&mut *conn, &centre.id, training_id, record.licence.as_str()).await?;
            if others.iter().any(|other| same_training(other, input)) {
                (rejected("Cette formation est déjà enregistrée pour ce stagiaire, aux mêmes dates."), None)
            } else {
                (Outcome::Accepted, Some(record))
            }
        }
    };
    let version = batch.version(&mut *conn).await?;
    batch.keep(TrainingRow {
        id: training_id.to_owned(),
        centre_id: centre.id.clone(),
        accepted: record.is_some(),
        record: input.clone(),
        outcome: outcome.clone(),
        // The domain's one spelling, so that every query compares like with like.
        licence_number: record
            .as_ref()
            .map_or_else(|| cqc_domain::licence::normalize(&input.licence_number), |r| r.licence.as_str().to_owned()),
        birth_date: input.birth_date.trim().to_owned(),
        recorded_by: staff_id.to_owned(),
        version,
        pushed_by_device: batch.device.clone(),
    });
    batch.known.insert(
        training_id.to_owned(),
        KnownTraining { centre_id: centre.id.clone(), accepted: record.is_some(), record: input.clone() },
    );
    if let Some(record) = record {
        let licence = record.licence.as_str();
        if let Some(list) = batch.accepted.get_mut(licence) {
            list.push((training_id.to_owned(), input.clone()));
        }
        batch.audits.push(db::PendingAudit {
            actor_id: Some(staff_id.to_owned()),
            action: AuditAction::TrainingRecorded,
            subject_id: training_id.to_owned(),
            detail: record.kind.title_fr().to_owned(),
            at: now,
        });
        if let Some(driver) = batch.driver(&mut *conn, licence).await? {
            batch.write_trainings(&mut *conn).await?;
            attach_or_check(conn, state, centre, training_id, &record, &driver).await?;
        }
    }
    Ok(outcome)
}

/// When an account is accepted, the trainings that waited for it attach to it.
pub async fn attach_waiting(conn: &mut Conn, state: &AppState, driver: &Account) -> DbResult<()> {
    let licence =
        driver.registration.as_ref().and_then(|r| LicenceNumber::parse(r.licence_kind?, &r.licence_number).ok());
    let Some(licence) = licence else {
        return Ok(());
    };
    let waiting: Vec<Stored> = store::waiting_trainings(&mut *conn, licence.as_str()).await?;
    for training in waiting {
        let Ok(record) = validate_record(&training.record, french_day(state.clock.now())) else { continue };
        if !holds(driver, &record) {
            continue;
        }
        let centre = store::find_centre(&mut *conn, &training.centre_id).await?;
        attach_or_check(conn, state, &centre, &training.id, &record, driver).await?;
    }
    Ok(())
}

/// The training of an account's licence number and birth date attaches to it, unless the names
/// clearly differ: then it waits for an agent's check (`identity_checks`).
async fn attach_or_check(
    conn: &mut Conn,
    state: &AppState,
    centre: &Centre,
    training_id: &str,
    record: &TrainingRecord,
    driver: &Account,
) -> DbResult<()> {
    if !holds(driver, record) {
        return Ok(());
    }
    let registration = driver.registration.as_ref().expect("a driver account has its registration");
    let holder = HolderNames {
        last_name: &registration.last_name,
        usage_name: Some(registration.usage_name.as_str()).filter(|n| !n.trim().is_empty()),
        first_names: &registration.first_names,
    };
    if names_differ_clearly(&record.last_name, &record.first_names, &holder) {
        store::set_identity_check(&mut *conn, training_id, Some(IdentityCheck::Pending)).await?;
        let detail = format!("Stagiaire « {} {} » : noms différents du compte", record.first_names, record.last_name);
        return db::audit(&mut *conn, None, AuditAction::IdentityCheckNeeded, training_id, &detail, state.clock.now())
            .await;
    }
    issue(conn, state, centre, training_id, record, driver).await
}

/// The agent's answer to an identity check: the same person (the training attaches, with its
/// recap and certificate), or not (the centre is told to check the licence number).
pub async fn decide_identity_check(
    conn: &mut Conn,
    state: &AppState,
    training: &Stored,
    same_person: bool,
) -> DbResult<()> {
    let record = validate_record(&training.record, french_day(state.clock.now()));
    let driver = match &record {
        Ok(record) => store::driver_with_licence(&mut *conn, record.licence.as_str()).await?,
        Err(_) => None,
    };
    match (same_person, record, driver) {
        (true, Ok(record), Some(driver)) if holds(&driver, &record) => {
            let centre = store::find_centre(&mut *conn, &training.centre_id).await?;
            store::set_identity_check(&mut *conn, &training.id, None).await?;
            issue(conn, state, &centre, &training.id, &record, &driver).await
        }
        _ => {
            let outcome = rejected(
                "Le nom du stagiaire ne correspond pas au titulaire de ce numéro de permis : \
                 vérifiez le numéro de permis et la date de naissance, puis corrigez la formation.",
            );
            store::refuse_training(&mut *conn, &training.id, &outcome).await
        }
    }
}

fn rejected(reason: &str) -> Outcome {
    Outcome::Rejected { reason: reason.into(), fields: Default::default() }
}

/// The same trainee, kind, qualification and dates.
fn same_training(a: &TrainingRecordInput, b: &TrainingRecordInput) -> bool {
    (a.kind, a.qualification, a.start_date.trim(), a.end_date.trim())
        == (b.kind, b.qualification, b.start_date.trim(), b.end_date.trim())
}

/// Whether a driver account, accepted by an agent, is the trainee: same licence number and birth
/// date.
fn holds(driver: &Account, record: &TrainingRecord) -> bool {
    let accepted = matches!(driver.status, AccountStatus::AwaitingPassword | AccountStatus::Active);
    let same_birth =
        driver.registration.as_ref().and_then(|r| parse_iso_date(&r.birth_date)) == Some(record.birth_date);
    driver.role == Role::Driver && accepted && same_birth
}

/// Puts the recap, and the certificate when the training entitles to a card, on the driver's
/// account, with the email and the notifications.
async fn issue(
    conn: &mut Conn,
    state: &AppState,
    centre: &Centre,
    training_id: &str,
    record: &TrainingRecord,
    driver: &Account,
) -> DbResult<()> {
    let now = state.clock.now();
    let today = french_day(now);
    let registration = driver.registration.as_ref().expect("a driver account has its registration");
    let holder = format!("{} {}", registration.first_names, registration.last_name);
    store::attach_driver(&mut *conn, training_id, &driver.id).await?;

    let available_until = recap_available_until(record.kind, today).map(|d| d.to_string());
    let recap = Recap {
        training_id: training_id.to_owned(),
        holder: holder.clone(),
        birth_date: record.birth_date.to_string(),
        licence_number: record.licence.as_str().to_owned(),
        centre_name: centre.name.clone(),
        centre_approval_number: centre.approval_number.clone(),
        centre_address: centre.address.clone(),
        kind: record.kind,
        qualification: record.qualification,
        start_date: record.start.to_string(),
        end_date: record.end.to_string(),
        hours: record.hours,
        outcome: record.outcome,
        issued_on: today.to_string(),
        available_until: available_until.clone(),
    };
    store::insert_recap(&mut *conn, training_id, &driver.id, &recap, available_until.as_deref()).await?;
    db::insert_notification(
        &mut *conn,
        &driver.id,
        "Nouveau récapitulatif de formation",
        &format!("{} : votre récapitulatif est dans « Mes formations ».", record.kind.title_fr()),
        now,
    )
    .await?;
    if !record.entitles_to_card() {
        return Ok(());
    }

    let current_expiry = crate::db::cards::current_code95_expiry(&mut *conn, &driver.id, record.qualification).await?;
    let validity = certificate_validity(today, record.birth_date);
    let claims = CertificateClaims {
        certificate_id: uuid::Uuid::new_v4().to_string(),
        holder,
        birth_date: record.birth_date.to_string(),
        licence_number: record.licence.as_str().to_owned(),
        qualification: record.qualification,
        training_kind: record.kind,
        issued_on: today.to_string(),
        valid_from: validity.valid_from.to_string(),
        valid_until: validity.valid_until.to_string(),
        card_expiry: card_expiry(record.kind, record.end, current_expiry).to_string(),
        centre_approval_number: centre.approval_number.clone(),
    };
    let certificate = Certificate {
        code: certificate_code::sign(&claims, &state.certificate_key)
            // The claims are an issued certificate's (a UUID, days, a checked licence and approval
            // number): never refused, unless those checks were bypassed.
            .map_err(|_| DbError::Invariant(format!("certificate {} has unprintable claims", claims.certificate_id)))?,
        claims,
        training_id: training_id.to_owned(),
        centre_name: centre.name.clone(),
        training_end: record.end.to_string(),
    };
    let qualification = serde_json::to_string(&record.qualification).expect("serialisable");
    let new = NewCertificate {
        id: &certificate.claims.certificate_id,
        training_id,
        driver_id: &driver.id,
        qualification: &qualification,
        card_expiry: &certificate.claims.card_expiry,
        valid_until: &certificate.claims.valid_until,
        body: &certificate,
    };
    store::insert_certificate(&mut *conn, &new).await?;
    let email = templates::certificate_issued(&driver.email, &driver.display_name, &certificate);
    mail::enqueue_with_certificate(&mut *conn, &email, &certificate.claims.certificate_id, now).await?;
    db::insert_notification(
        &mut *conn,
        &driver.id,
        "Nouvelle attestation de qualification",
        "Votre attestation est dans « Mes certificats » : demandez votre carte dans les 4 mois.",
        now,
    )
    .await?;
    db::audit(&mut *conn, None, AuditAction::CertificateIssued, &driver.id, &certificate.claims.certificate_id, now)
        .await?;
    Ok(())
}
