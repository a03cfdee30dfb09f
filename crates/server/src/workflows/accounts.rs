//! Guide steps 01 and 02: the registration, the agent's analysis (acceptance or corrections), the
//! driver's correction, the password links; and the agent's identity check of a training whose
//! names differ from the account's.

use crate::auth::Caller;
use crate::clock::rfc3339;
use crate::db::Optional;
use crate::db::{self, guards, Account, Link, NewAccount};
use crate::db::{Conn, DbError};
use crate::error::{AppError, AppResult};
use crate::mail::{templates, LINK_TOKEN_PLACE};
use crate::secrets::{hash_password, token_hash};
use crate::throttle;
use crate::workflow::UnitOfWork;
use crate::{trainings, AppState};
use cqc_domain::account::{analysis_clock, AccountStatus, LinkPurpose, ReviewItem, Role};
use cqc_domain::audit::AuditAction;
use cqc_domain::calendar::french_day;
use cqc_domain::password::NewPassword;
use cqc_domain::registration::{validate, FieldError, FieldErrors, Registration, RegistrationField, RegistrationInput};
use cqc_domain::throttle::Action;
use cqc_sync::api::{AuditEntry, RegistrationFile, RegistrationReceipt};
use tracing::instrument;

/// « Créer mon compte »: the request waits for an agent's analysis.
#[instrument(skip_all)]
pub async fn register(state: &AppState, input: &RegistrationInput) -> AppResult<RegistrationReceipt> {
    let mut work = UnitOfWork::begin(state, None).await?;
    let registration = validate(input, french_day(work.now)).map_err(AppError::invalid_fields)?;
    let now = work.now;
    let conn = work.conn().await?;
    let (email, licence) = (registration.email.as_str(), registration.licence.as_str());
    let (by_email, by_licence) = db::holders(conn, email, licence).await?;
    if by_email.as_ref().is_some_and(|holder| holder.licence_number.as_deref() == Some(licence)) {
        // The address and the licence number of one account: its holder is told, beside the field.
        return Err(AppError::invalid_fields(FieldErrors::from([(RegistrationField::Email, FieldError::AlreadyUsed)])));
    }
    let attempted = match (by_email, by_licence) {
        (Some(holder), _) => Some((holder, templates::TakenBy::Email)),
        (None, Some(holder)) => Some((holder, templates::TakenBy::LicenceNumber)),
        (None, None) => None,
    };
    if let Some((holder, taken_by)) = attempted {
        // Answered as a registration received, so that nobody learns from the answer who has
        // an account; the holder of the address or the licence number is told instead.
        work.email(templates::registration_attempted(&holder.email, &holder.display_name, taken_by));
        let detail = "Demande de création de compte avec l'adresse ou le permis de ce compte";
        work.audit(AuditAction::RegistrationAttemptOnTakenValue, &holder.id, detail);
        work.commit().await?;
        return Ok(RegistrationReceipt {
            request_id: uuid::Uuid::new_v4().to_string(),
            email: registration.email.to_string(),
            status: AccountStatus::PendingAnalysis,
        });
    }
    let new = NewAccount {
        role: Role::Driver,
        status: AccountStatus::PendingAnalysis,
        email: registration.email.as_str(),
        licence_number: Some(registration.licence.as_str()),
        display_name: &registration.display_name(),
        registration: Some(&registration.to_input()),
        password_hash: None,
    };
    let id = db::insert_account(conn, &new, now)
        .await
        .map_err(|e| unique_violation_as_field_error(e, RegistrationField::Email))?;
    acknowledge(
        work,
        &id,
        &registration,
        AuditAction::RegistrationSubmitted,
        "Demande de création de compte envoyée pour analyse",
    )
    .await
}

/// A registration sent (first, or corrected) for analysis: audited, acknowledged by email.
async fn acknowledge(
    mut work: UnitOfWork,
    id: &str,
    registration: &Registration,
    action: AuditAction,
    detail: &str,
) -> AppResult<RegistrationReceipt> {
    work.audit(action, id, detail);
    work.email(templates::registration_received(registration.email.as_str(), &registration.display_name()));
    work.commit().await?;
    Ok(RegistrationReceipt {
        request_id: id.to_owned(),
        email: registration.email.to_string(),
        status: AccountStatus::PendingAnalysis,
    })
}

/// The driver's corrected registration, through the emailed link.
#[instrument(skip_all)]
pub async fn correct_registration(
    state: &AppState,
    token: &str,
    input: &RegistrationInput,
) -> AppResult<RegistrationReceipt> {
    let registration = validate(input, french_day(state.clock.now())).map_err(AppError::invalid_fields)?;
    let mut work = UnitOfWork::begin(state, None).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let link = live_link(conn, state, token, &[LinkPurpose::CorrectRegistration]).await?;
    let account = db::find_account(conn, &link.account_id).await.optional()?.ok_or_else(AppError::link_invalid)?;
    account.status.resubmit().map_err(AppError::transition)?;
    ensure_unique(conn, &registration, &account.id).await?;
    if !db::use_link(conn, &token_hash(token), now).await? {
        return Err(AppError::link_used());
    }
    db::resubmit_registration(
        conn,
        &account.id,
        &registration.to_input(),
        registration.email.as_str(),
        registration.licence.as_str(),
        &registration.display_name(),
        now,
    )
    .await
    .map_err(|e| unique_violation_as_field_error(e, RegistrationField::Email))?;
    work.act_as(&account.id);
    acknowledge(
        work,
        &account.id,
        &registration,
        AuditAction::RegistrationCorrected,
        "Informations corrigées, nouvelle analyse",
    )
    .await
}

/// « Créer mon mot de passe » or a new one, through the emailed link. Every session opened with
/// the old password is closed, and a login lock ends.
#[instrument(skip_all)]
pub async fn set_password(state: &AppState, token: &str, password: &str, confirmation: &str) -> AppResult<()> {
    let password = NewPassword::parse(password, confirmation).map_err(AppError::password)?;
    let purposes = [LinkPurpose::SetPassword, LinkPurpose::ResetPassword];
    // Checked before the costly hashing, and again in the transaction that uses it.
    live_link(&mut *state.db.writer().await?, state, token, &purposes).await?;
    let hash = hash_password(password.expose().to_owned()).await?;

    let mut work = UnitOfWork::begin(state, None).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let link = live_link(conn, state, token, &purposes).await?;
    let account = db::find_account(conn, &link.account_id).await.optional()?.ok_or_else(AppError::link_invalid)?;
    let status = account.status.set_password().map_err(AppError::transition)?;
    if !db::use_link(conn, &token_hash(token), now).await? {
        return Err(AppError::link_used());
    }
    db::set_password(conn, &account.id, &hash, status, now).await?;
    guards::clear_login_guard(conn, &login_guard_key(&account.email)).await?;
    db::delete_sessions_of(conn, &account.id).await?;
    work.act_as(&account.id);
    work.audit(AuditAction::PasswordSet, &account.id, "Mot de passe enregistré");
    work.notify(&account.id, "Mot de passe enregistré", "Votre mot de passe a été enregistré.", None);
    work.email(templates::password_changed(&account.email));
    work.commit().await
}

/// The key of an email's series of failed logins: its hash, so that no unknown address is kept.
pub fn login_guard_key(typed_email: &str) -> String {
    let normalised = cqc_domain::contact::Email::parse(typed_email)
        .map_or_else(|_| typed_email.trim().to_lowercase(), |e| e.to_string());
    token_hash(&normalised)
}

/// Why a password email goes out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordEmail {
    /// « Mot de passe oublié ».
    Requested,
    /// The account was just locked: the owner may unlock it with a new password.
    LockWarning,
}

/// Sends the account a link to set its password (retiring its older ones), at most one such
/// email every few minutes whoever asks: a mailbox cannot be flooded. Accounts that cannot have
/// a password yet get nothing.
pub async fn send_password_email(state: &AppState, account: &Account, why: PasswordEmail) -> AppResult<()> {
    // An accepted account still waiting for its password gets a new « Créer mon mot de passe ».
    let purpose = match account.status {
        AccountStatus::Active => LinkPurpose::ResetPassword,
        AccountStatus::AwaitingPassword => LinkPurpose::SetPassword,
        AccountStatus::PendingAnalysis
        | AccountStatus::CorrectionRequested
        | AccountStatus::Closed
        | AccountStatus::Deactivated => return Ok(()),
    };
    if throttle::count(state, Action::PasswordEmailToAccount, &account.id).await.is_err() {
        return Ok(());
    }
    let mut work = UnitOfWork::begin(state, None).await?;
    let link = issue_link(&mut work, state, &account.id, purpose).await?;
    let email = match (purpose, why) {
        (LinkPurpose::SetPassword, _) => templates::set_password(&account.email, &account.display_name, &link.url),
        (_, PasswordEmail::LockWarning) => templates::account_locked(&account.email, &link.url),
        (_, PasswordEmail::Requested) => templates::reset_password(&account.email, &link.url),
    };
    work.email_with_link(email, link);
    work.audit(AuditAction::PasswordLinkRequested, &account.id, "Lien de mot de passe envoyé");
    work.commit().await
}

/// « Analyse conforme »: the driver is told to create a password, and the trainings that waited
/// for the account attach to it.
#[instrument(skip_all, fields(agent = %agent.account_id, account = id))]
pub async fn accept(state: &AppState, agent: &Caller, id: &str) -> AppResult<RegistrationFile> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let account = driver_account(conn, id).await?;
    let status = account.status.accept().map_err(AppError::transition)?;
    db::set_status(conn, id, status, now).await?;
    let link = issue_link(&mut work, state, id, LinkPurpose::SetPassword).await?;
    work.email_with_link(templates::set_password(&account.email, &account.display_name, &link.url), link);
    work.notify(id, "Compte validé", "L'analyse de votre demande est conforme. Bienvenue dans votre espace.", None);
    work.audit(AuditAction::RegistrationAccepted, id, "Analyse conforme");
    let conn = work.conn_that_sends().await?;
    let account = driver_account(conn, id).await?;
    trainings::attach_waiting(conn, state, &account).await?;
    answer(work, state, id).await
}

/// Fields to correct, each with its reason: the driver gets a link to the form.
#[instrument(skip_all, fields(agent = %agent.account_id, account = id))]
pub async fn request_correction(
    state: &AppState,
    agent: &Caller,
    id: &str,
    items: &[ReviewItem],
) -> AppResult<RegistrationFile> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let now = work.now;
    let conn = work.conn().await?;
    let account = driver_account(conn, id).await?;
    let (status, items) = account.status.request_correction(items).map_err(AppError::transition)?;
    db::set_status(conn, id, status, now).await?;
    db::replace_review_items(conn, id, &items).await?;
    let link = issue_link(&mut work, state, id, LinkPurpose::CorrectRegistration).await?;
    let listed: String = items.iter().map(|i| format!("- {} : {}\n", field_label(i.field), i.reason)).collect();
    let email = templates::correction_requested(&account.email, &account.display_name, &listed, &link.url);
    work.email_with_link(email, link);
    let summary = items.iter().map(|i| field_label(i.field)).collect::<Vec<_>>().join(", ");
    work.audit(AuditAction::RegistrationCorrectionRequested, id, format!("À corriger : {summary}"));
    answer(work, state, id).await
}

async fn answer(mut work: UnitOfWork, state: &AppState, id: &str) -> AppResult<RegistrationFile> {
    let conn = work.conn().await?;
    let account = driver_account(conn, id).await?;
    let file = registration_file(conn, state, account).await?;
    work.commit().await?;
    Ok(file)
}

/// The same person or not: the training attaches to the account, or stays apart.
#[instrument(skip_all, fields(agent = %agent.account_id, training = id))]
pub async fn decide_identity_check(state: &AppState, agent: &Caller, id: &str, same_person: bool) -> AppResult<()> {
    let mut work = UnitOfWork::begin_as(state, agent, &[]).await?;
    let conn = work.conn_that_sends().await?;
    let training = crate::db::trainings::pending_identity_checks::<_, _>(&mut *conn)
        .await?
        .into_iter()
        .find(|t: &trainings::Stored| t.id == id)
        .ok_or_else(AppError::not_found)?;
    trainings::decide_identity_check(conn, state, &training, same_person).await?;
    let detail = if same_person { "Même personne : formation rattachée" } else { "Pas la même personne" };
    work.audit(AuditAction::IdentityCheckDecided, id, detail);
    work.commit().await
}

pub async fn driver_account(conn: &mut Conn, id: &str) -> AppResult<Account> {
    db::find_account(conn, id).await.optional()?.filter(|a| a.role == Role::Driver).ok_or_else(AppError::not_found)
}

pub async fn registration_file(conn: &mut Conn, state: &AppState, account: Account) -> AppResult<RegistrationFile> {
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

/// Creates a single-use link of `purpose` (retiring the account's older ones) and returns its URL.
pub(crate) async fn issue_link(
    work: &mut UnitOfWork,
    state: &AppState,
    account_id: &str,
    purpose: LinkPurpose,
) -> AppResult<IssuedLink> {
    let now = work.now;
    let conn = work.conn().await?;
    let (key, hash) = state.link_secret.new_link();
    db::retire_links(conn, account_id, purpose, now).await?;
    db::insert_link(conn, &hash, &key, account_id, purpose, now).await?;
    let page = match purpose {
        LinkPurpose::CorrectRegistration => "correction",
        LinkPurpose::SetPassword | LinkPurpose::ResetPassword => "mot-de-passe",
    };
    Ok(IssuedLink { url: format!("{}/{page}?jeton={LINK_TOKEN_PLACE}", state.public_url), key })
}

/// A new emailed link: its address, with the place of its token, for the email's text, and its
/// key, for the unit of work that queues the email ([`UnitOfWork::email_with_link`]).
pub struct IssuedLink {
    pub url: String,
    pub(crate) key: String,
}

/// The link behind `token` if it is one of `purposes`, unused, not expired, and made with the
/// link secret in force (a secret changed since voids it).
pub async fn live_link(conn: &mut Conn, state: &AppState, token: &str, purposes: &[LinkPurpose]) -> AppResult<Link> {
    let link = db::find_link(conn, &token_hash(token))
        .await?
        .filter(|l| purposes.contains(&l.purpose))
        .filter(|l| l.key.as_deref().is_none_or(|key| state.link_secret.made(key, token)))
        .ok_or_else(AppError::link_invalid)?;
    if link.used {
        return Err(AppError::link_used());
    }
    if link.expires_at <= state.clock.now() {
        return Err(AppError::link_expired());
    }
    Ok(link)
}

async fn ensure_unique(conn: &mut Conn, registration: &Registration, except_id: &str) -> AppResult<()> {
    let (email_taken, licence_taken) =
        db::taken_by_other(conn, registration.email.as_str(), registration.licence.as_str(), except_id).await?;
    let mut fields = FieldErrors::new();
    if email_taken {
        fields.insert(RegistrationField::Email, FieldError::AlreadyUsed);
    }
    if licence_taken {
        fields.insert(RegistrationField::LicenceNumber, FieldError::AlreadyUsed);
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::invalid_fields(fields))
    }
}

/// Two identical registrations at the same instant: the database's unique index decides.
fn unique_violation_as_field_error(error: DbError, field: RegistrationField) -> AppError {
    match error {
        DbError::Conflict(_) => AppError::invalid_fields(FieldErrors::from([(field, FieldError::AlreadyUsed)])),
        other => other.into(),
    }
}

/// « Clôturer mon compte », confirmed with the password: unless something is under way, what the
/// law does not make the service keep is deleted, the account can no longer log in, and the
/// driver is told by email (at the address they had, which the account then loses).
#[instrument(skip_all)]
pub async fn close_account(state: &AppState, driver_id: &str, password: String) -> AppResult<()> {
    use cqc_domain::application::ApplicationStatus;
    use cqc_domain::card::CardStatus;
    use cqc_domain::closure::may_close;
    use cqc_domain::replacement::ReplacementStatus;

    throttle::count(state, Action::ClosureByAccount, driver_id).await?;
    let account = db::find_account(&mut *state.db.writer().await?, driver_id).await?;
    if !crate::secrets::verify_password(account.password_hash.clone(), password).await? {
        return Err(AppError::closure(None));
    }
    let now = state.clock.now();
    let mut work = UnitOfWork::begin(state, Some(driver_id)).await?;
    let conn = work.conn().await?;
    let (applications, cards, replacements) = db::closure::statuses(conn, driver_id).await?;
    let applications: Vec<_> = applications.iter().filter_map(|s| ApplicationStatus::parse(s)).collect();
    let cards: Vec<_> = cards.iter().filter_map(|s| CardStatus::parse(s)).collect();
    let replacements: Vec<ReplacementStatus> = replacements.iter().filter_map(|s| db::decode(s).ok()).collect();
    may_close(&applications, &cards, &replacements).map_err(|refused| AppError::closure(Some(refused)))?;
    let closed_email = format!("compte-clos-{driver_id}@cqc.invalid");
    let files = db::closure::close(conn, driver_id, &account.email, &closed_email, now).await?;
    work.email(templates::account_closed(&account.email, &account.display_name));
    work.audit(AuditAction::AccountClosed, driver_id, "Compte clôturé à la demande du conducteur");
    work.commit().await?;
    state.db.forget_deleted().await?;
    // Once the closure is committed: a file that fails to go is only an orphan, logged.
    for key in files {
        if let Err(error) = state.documents.delete(&key).await {
            tracing::warn!(%error, "a closed account's file stays in the store");
        }
    }
    Ok(())
}
