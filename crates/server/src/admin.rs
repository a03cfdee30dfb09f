//! Administration done from the server's command line: creating processing agents, approving
//! training centres and creating their staff accounts.

use crate::clock::Clock;
use crate::db::DbError;
use crate::db::{self, trainings, Db, NewAccount};
use crate::secrets::hash_password;
use cqc_domain::account::{AccountStatus, Role};
use cqc_domain::administration::{centre_text, ApprovalNumber, ApprovalNumberError, CentreTextError};
use cqc_domain::audit::AuditAction;
use cqc_domain::contact::{clean_name, Email};
use cqc_domain::password::{NewPassword, PasswordError};

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("adresse de messagerie invalide")]
    InvalidEmail,
    #[error("nom invalide : {0}")]
    InvalidName(#[from] cqc_domain::contact::NameError),
    #[error("mot de passe refusé : {0}")]
    Password(#[from] PasswordError),
    #[error("un compte utilise déjà cette adresse")]
    EmailTaken,
    #[error("numéro d'agrément refusé : {0}")]
    Approval(#[from] ApprovalNumberError),
    #[error("nom ou adresse du centre refusé : {0}")]
    CentreText(#[from] CentreTextError),
    #[error("un centre porte déjà ce numéro d'agrément")]
    ApprovalTaken,
    #[error("aucun centre ne porte le numéro d'agrément {0}")]
    UnknownCentre(String),
    #[error("{0} manquant")]
    Missing(&'static str),
    #[error("le calcul du mot de passe est saturé : réessayez")]
    HashingBusy(#[from] crate::secrets::HashingBusy),
    #[error("base de données : {0}")]
    Database(#[from] DbError),
}

/// Creates an active agent account that can log in at once.
pub async fn create_agent(
    db: &Db,
    clock: &dyn Clock,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, AdminError> {
    create_staff(db, clock, Role::Agent, None, email, name, password).await
}

/// The first administrator (the next ones are created in the app by an administrator).
pub async fn create_admin(
    db: &Db,
    clock: &dyn Clock,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, AdminError> {
    create_staff(db, clock, Role::Admin, None, email, name, password).await
}

/// Approves a training centre; answers its id.
pub async fn create_centre(
    db: &Db,
    clock: &dyn Clock,
    name: &str,
    approval_number: &str,
    address: &str,
) -> Result<String, AdminError> {
    let name = centre_text(name)?;
    let approval = ApprovalNumber::parse(approval_number)?;
    let address = centre_text(address)?;
    let now = clock.now();
    let mut tx = db.begin().await?;
    if trainings::find_centre_by_approval(&mut tx, approval.as_str()).await?.is_some() {
        return Err(AdminError::ApprovalTaken);
    }
    let id = trainings::insert_centre(&mut tx, &name, approval.as_str(), &address, now).await?;
    let detail = format!("Centre agréé {} : {name}", approval.as_str());
    db::audit(&mut tx, None, AuditAction::CentreApproved, &id, &detail, now).await?;
    db::commit(tx).await?;
    Ok(id)
}

/// Creates an active staff account of the centre with this approval number.
pub async fn create_centre_staff(
    db: &Db,
    clock: &dyn Clock,
    approval_number: &str,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, AdminError> {
    let approval = ApprovalNumber::parse(approval_number)?;
    let centre = trainings::find_centre_by_approval(&mut *db.writer().await?, approval.as_str())
        .await?
        .ok_or_else(|| AdminError::UnknownCentre(approval.as_str().to_owned()))?;
    create_staff(db, clock, Role::CentreStaff, Some(&centre.id), email, name, password).await
}

async fn create_staff(
    db: &Db,
    clock: &dyn Clock,
    role: Role,
    centre_id: Option<&str>,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, AdminError> {
    let email = Email::parse(email).map_err(|_| AdminError::InvalidEmail)?;
    let name = clean_name(name)?;
    let password = NewPassword::parse(password, password)?;
    let hash = hash_password(password.expose().to_owned()).await?;
    let now = clock.now();
    let mut tx = db.begin().await?;
    if db::find_account_by_email(&mut tx, email.as_str()).await?.is_some() {
        return Err(AdminError::EmailTaken);
    }
    let account = NewAccount {
        role,
        status: AccountStatus::Active,
        email: email.as_str(),
        licence_number: None,
        display_name: &name,
        registration: None,
        password_hash: Some(&hash),
    };
    let id = db::insert_account(&mut tx, &account, now).await?;
    if let Some(centre_id) = centre_id {
        trainings::assign_centre(&mut tx, &id, centre_id).await?;
    }
    db::audit(&mut tx, None, AuditAction::StaffCreated, &id, "Compte créé en ligne de commande", now).await?;
    db::commit(tx).await?;
    Ok(id)
}
