//! The administrator's actions: approving a centre, opening a staff account (the person sets
//! their password from an emailed link), deactivating one, scheduling fees. Each is audited with
//! its author.

use super::accounts::issue_link;
use crate::auth::Caller;
use crate::db::{self, admin, fees, trainings, NewAccount};
use crate::error::{AppError, AppResult};
use crate::mail::templates;
use crate::workflow::UnitOfWork;
use crate::AppState;
use cqc_domain::account::{AccountStatus, LinkPurpose};
use cqc_domain::administration::{
    centre_text, deactivate, ApprovalNumber, ApprovalNumberError, CentreTextError, DeactivationError, StaffRole,
};
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::contact::{clean_name, Email};
use cqc_domain::fees::{cancel, check_new_fees, FeePeriod, FeeSchedule, ScheduledFees};
use cqc_sync::admin::{CentreView, NewCentre, NewFees, NewStaff, ScheduledFeesView, StaffView};
use tracing::instrument;

fn approval_error(error: ApprovalNumberError) -> AppError {
    AppError::bad_request(match error {
        ApprovalNumberError::Missing => "Le numéro d'agrément est obligatoire.",
        ApprovalNumberError::TooLong => "Le numéro d'agrément compte 32 caractères au plus.",
        ApprovalNumberError::InvalidCharacters => {
            "Le numéro d'agrément ne contient que des lettres sans accent, des chiffres et les signes - / . (sans espace)."
        }
        ApprovalNumberError::NoDigit => "Le numéro d'agrément contient au moins un chiffre.",
    })
}

fn centre_field(value: &str, missing: &'static str) -> AppResult<String> {
    centre_text(value).map_err(|e| {
        AppError::bad_request(match e {
            CentreTextError::Missing => missing,
            CentreTextError::TooLong => "Le nom et l'adresse du centre comptent 200 caractères au plus.",
            CentreTextError::HiddenCharacters => {
                "Le nom et l'adresse du centre tiennent sur une ligne, sans caractère invisible."
            }
        })
    })
}

/// « Agréer un centre ».
#[instrument(skip_all, fields(admin = %caller.account_id))]
pub async fn approve_centre(state: &AppState, caller: &Caller, input: &NewCentre) -> AppResult<CentreView> {
    let approval = ApprovalNumber::parse(&input.approval_number).map_err(approval_error)?;
    let name = centre_field(&input.name, "Le nom du centre est obligatoire.")?;
    let address = centre_field(&input.address, "L'adresse du centre est obligatoire.")?;
    let mut work = UnitOfWork::begin_as(state, caller, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    if trainings::find_centre_by_approval(conn, approval.as_str()).await?.is_some() {
        return Err(AppError::conflict("Un centre porte déjà ce numéro d'agrément."));
    }
    let id = trainings::insert_centre(conn, &name, approval.as_str(), &address, now).await?;
    work.audit(AuditAction::CentreApproved, &id, format!("Centre agréé {} : {name}", approval.as_str()));
    work.commit().await?;
    let view = CentreView {
        id,
        name,
        approval_number: approval.as_str().to_owned(),
        address,
        staff: 0,
        approved_at: crate::clock::rfc3339(now),
    };
    Ok(view)
}

fn space_of(role: StaffRole) -> &'static str {
    match role {
        StaffRole::Agent => "agent de traitement",
        StaffRole::CentreStaff => "personnel d'un centre de formation agréé",
        StaffRole::Admin => "administrateur",
    }
}

/// « Créer un compte »: an agent, a centre's staff or another administrator; the person gets an
/// email link to set their password (7 days; « Mot de passe oublié » sends a new one).
#[instrument(skip_all, fields(admin = %caller.account_id))]
pub async fn invite_staff(state: &AppState, caller: &Caller, input: &NewStaff) -> AppResult<StaffView> {
    let email = Email::parse(&input.email).map_err(|_| AppError::bad_request("Adresse de messagerie invalide."))?;
    let name = clean_name(&input.display_name)
        .map_err(|_| AppError::bad_request("Le nom est obligatoire, en lettres (100 caractères au plus)."))?;
    let mut work = UnitOfWork::begin_as(state, caller, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let centre = match (input.role, input.centre.as_deref()) {
        (StaffRole::CentreStaff, Some(number)) => {
            let approval = ApprovalNumber::parse(number).map_err(approval_error)?;
            let centre = trainings::find_centre_by_approval(conn, approval.as_str())
                .await?
                .ok_or_else(|| AppError::bad_request("Aucun centre agréé ne porte ce numéro d'agrément."))?;
            Some(centre)
        }
        (StaffRole::CentreStaff, None) => {
            return Err(AppError::bad_request("Choisissez le centre de ce compte."));
        }
        (_, Some(_)) => return Err(AppError::bad_request("Seul le personnel d'un centre est rattaché à un centre.")),
        (_, None) => None,
    };
    if db::find_account_by_email(conn, email.as_str()).await?.is_some() {
        return Err(AppError::conflict("Un compte utilise déjà cette adresse de messagerie."));
    }
    let account = NewAccount {
        role: input.role.role(),
        status: AccountStatus::AwaitingPassword,
        email: email.as_str(),
        licence_number: None,
        display_name: &name,
        registration: None,
        password_hash: None,
    };
    let id = db::insert_account(conn, &account, now).await?;
    if let Some(centre) = &centre {
        trainings::assign_centre(conn, &id, &centre.id).await?;
    }
    let link = issue_link(&mut work, state, &id, LinkPurpose::SetPassword).await?;
    work.email_with_link(templates::staff_invitation(email.as_str(), &name, space_of(input.role), &link.url), link);
    let at = centre.as_ref().map(|c| format!(" du centre {}", c.approval_number)).unwrap_or_default();
    work.audit(
        AuditAction::StaffCreated,
        &id,
        format!("Compte {}{at} ouvert pour {}", space_of(input.role), email.as_str()),
    );
    let view = staff_view(work.conn().await?, &id).await?;
    work.commit().await?;
    Ok(view)
}

/// « Désactiver »: no more login, every session ends; the account's history stays.
#[instrument(skip_all, fields(admin = %caller.account_id, account = id))]
pub async fn deactivate_staff(state: &AppState, caller: &Caller, id: &str) -> AppResult<StaffView> {
    let mut work = UnitOfWork::begin_as(state, caller, &[id]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let target = admin::staff_member(conn, id).await?.ok_or_else(AppError::not_found)?;
    let status = deactivate(target.role, target.status, target.id == caller.account_id).map_err(|e| {
        AppError::conflict(match e {
            DeactivationError::NotStaff => "Le compte d'un conducteur se clôture à sa demande.",
            DeactivationError::OwnAccount => "Un administrateur ne peut pas désactiver son propre compte.",
            DeactivationError::AlreadyDeactivated => "Ce compte est déjà désactivé.",
        })
    })?;
    db::set_status(conn, id, status, now).await?;
    db::delete_sessions_of(conn, id).await?;
    work.audit(AuditAction::StaffDeactivated, id, format!("Compte de {} désactivé", target.email));
    let view = staff_view(work.conn().await?, id).await?;
    work.commit().await?;
    Ok(view)
}

pub fn to_view(row: admin::StaffRow) -> StaffView {
    StaffView {
        account_id: row.id,
        role: StaffRole::of(row.role).expect("the query reads staff only"),
        email: row.email,
        display_name: row.display_name,
        status: row.status,
        centre: row.centre,
        created_at: crate::clock::rfc3339(row.created_at),
    }
}

async fn staff_view(conn: &mut db::Conn, id: &str) -> AppResult<StaffView> {
    Ok(to_view(admin::staff_member(conn, id).await?.ok_or_else(AppError::not_found)?))
}

/// « Tarifs »: every table, the latest first, with where it stands today.
pub async fn fee_schedule(conn: &mut db::Conn, today: time::Date) -> AppResult<Vec<ScheduledFeesView>> {
    let rows = fees::rows(conn).await?;
    let by: std::collections::HashMap<_, _> =
        rows.iter().map(|r| (r.table.starts_on, r.scheduled_by.clone())).collect();
    let schedule = FeeSchedule::new(rows.into_iter().map(|r| r.table).collect());
    Ok(schedule
        .periods(today)
        .into_iter()
        .map(|(table, period)| fees_view(table, period, by.get(&table.starts_on).cloned().flatten()))
        .collect())
}

fn fees_view(table: ScheduledFees, period: FeePeriod, scheduled_by: Option<String>) -> ScheduledFeesView {
    ScheduledFeesView { starts_on: table.starts_on.to_string(), fees: table.fees, period, scheduled_by }
}

fn fees_detail(table: &ScheduledFees) -> String {
    let fees = &table.fees;
    format!(
        "duplicata {}, remplacement {}, réexpédition {} hors taxes, TVA {},{:02} %",
        fees.replacement_card.french(),
        fees.quality_replacement_card.french(),
        fees.reshipping.french(),
        fees.vat_basis_points / 100,
        fees.vat_basis_points % 100
    )
}

/// « Programmer un tarif »: from tomorrow at the earliest; one table a day.
#[instrument(skip_all, fields(admin = %caller.account_id))]
pub async fn schedule_fees(state: &AppState, caller: &Caller, input: &NewFees) -> AppResult<ScheduledFeesView> {
    let mut work = UnitOfWork::begin_as(state, caller, &[]).await?;
    let now = work.now;
    let table = check_new_fees(&input.starts_on, &input.fees, french_day(now)).map_err(|e| AppError::fees(&e))?;
    if !fees::insert(work.conn().await?, &table, &caller.account_id, now).await? {
        return Err(AppError::conflict("Un tarif prend déjà effet ce jour-là : annulez-le d'abord."));
    }
    let day = table.starts_on.to_string();
    work.audit(AuditAction::FeesScheduled, &day, format!("Tarif au {day} : {}", fees_detail(&table)));
    let email = db::find_account(work.conn().await?, &caller.account_id).await?.email;
    work.commit().await?;
    Ok(fees_view(table, FeePeriod::Upcoming, Some(email)))
}

/// « Annuler ce tarif »: only one still to come; the others priced real payments.
#[instrument(skip_all, fields(admin = %caller.account_id, starts_on = %starts_on))]
pub async fn cancel_fees(state: &AppState, caller: &Caller, starts_on: &str) -> AppResult<()> {
    let day = cqc_domain::registration::parse_iso_date(starts_on).ok_or_else(AppError::not_found)?;
    let mut work = UnitOfWork::begin_as(state, caller, &[]).await?;
    let today = french_day(work.now);
    let rows = fees::rows(work.conn().await?).await?;
    let table = rows.into_iter().map(|r| r.table).find(|t| t.starts_on == day).ok_or_else(AppError::not_found)?;
    cancel(&table, today).map_err(|_| {
        AppError::conflict(
            "Un tarif en vigueur ou passé ne s'annule pas : il a servi à des paiements. Programmez-en un nouveau.",
        )
    })?;
    fees::delete(work.conn().await?, day).await?;
    let day = day.to_string();
    work.audit(AuditAction::FeesCancelled, &day, format!("Tarif au {day} annulé : {}", fees_detail(&table)));
    work.commit().await?;
    Ok(())
}
