//! Administration done from the server's command line: creating processing agents.

use crate::clock::Clock;
use crate::db::{self, Db, NewAccount};
use crate::secrets::hash_password;
use cqc_domain::account::{AccountStatus, Role};
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
    #[error("base de données : {0}")]
    Database(#[from] sqlx::Error),
}

/// Creates an active agent account that can log in at once.
pub async fn create_agent(
    db: &Db,
    clock: &dyn Clock,
    email: &str,
    name: &str,
    password: &str,
) -> Result<String, AdminError> {
    let email = Email::parse(email).map_err(|_| AdminError::InvalidEmail)?;
    let name = clean_name(name)?;
    let password = NewPassword::parse(password, password)?;
    let hash = hash_password(password.expose().to_owned()).await;
    let now = clock.now();
    let mut tx = db.pool.begin().await?;
    if db::find_account_by_email(&mut tx, email.as_str()).await?.is_some() {
        return Err(AdminError::EmailTaken);
    }
    let account = NewAccount {
        role: Role::Agent,
        status: AccountStatus::Active,
        email: email.as_str(),
        licence_number: None,
        display_name: &name,
        registration: None,
        password_hash: Some(&hash),
    };
    let id = db::insert_account(&mut tx, &account, now).await?;
    db::audit(&mut tx, None, "agent_created", &id, "Compte agent créé en ligne de commande", now).await?;
    tx.commit().await?;
    Ok(id)
}
