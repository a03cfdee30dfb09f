//! The lock after inactivity (rules in `cqc_domain::inactivity`): the screen says when nobody
//! used the app for long enough and locks; the password typed at login opens it, checked here
//! against a verifier kept in the account's encrypted file, so that it opens offline too. Syncs
//! and uploads go on while it is locked; nothing unsent is touched.

use crate::core::{local_error, AppCore, CommandResult};
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use cqc_domain::inactivity::{
    choose_lock, lock_policy, signs_out_after, LockChoiceError, LockPolicy, DRIVER_LOCK_CHOICES, MAX_UNLOCK_ATTEMPTS,
};
use cqc_sync::api::{ApiError, ErrorCode};
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct LockStatus {
    pub locked: bool,
    pub policy: LockPolicy,
    /// The durations a driver may choose (minutes), besides never.
    pub choices: Vec<u32>,
}

/// At login, with the password just typed: its verifier replaces the last one.
pub async fn remember_password(core: &AppCore, password: String) -> CommandResult<()> {
    let verifier = tokio::task::spawn_blocking(move || {
        Argon2::default().hash_password(password.as_bytes(), &SaltString::generate(&mut OsRng)).map(|h| h.to_string())
    })
    .await
    .map_err(local_error)?
    .map_err(local_error)?;
    core.store().remember_password(&verifier).map_err(local_error)
}

pub fn lock_status(core: &AppCore) -> CommandResult<LockStatus> {
    let role = signed_in_role(core)?;
    let state = core.store().lock_state().map_err(local_error)?;
    Ok(LockStatus {
        locked: state.locked,
        policy: lock_policy(role, state.chosen_minutes),
        choices: DRIVER_LOCK_CHOICES.to_vec(),
    })
}

/// The screen saw no use for the policy's duration.
pub fn lock_now(core: &AppCore) -> CommandResult<()> {
    signed_in_role(core)?;
    core.store().set_locked(true).map_err(local_error)
}

pub async fn unlock(core: &AppCore, password: String) -> CommandResult<()> {
    let verifier = core.store().lock_state().map_err(local_error)?.password_verifier;
    let Some(verifier) = verifier else {
        // Signed in before this version kept a verifier: the server checks, at a new login.
        core.sign_out().await?;
        return Err(ApiError::new(ErrorCode::Unauthenticated, "Reconnectez-vous avec votre mot de passe."));
    };
    let matches = tokio::task::spawn_blocking(move || {
        PasswordHash::new(&verifier)
            .is_ok_and(|hash| Argon2::default().verify_password(password.as_bytes(), &hash).is_ok())
    })
    .await
    .map_err(local_error)?;
    if matches {
        return core.store().set_locked(false).map_err(local_error);
    }
    let failed = core.store().count_failed_unlock().map_err(local_error)?;
    if signs_out_after(failed) {
        core.sign_out().await?;
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            format!(
                "{MAX_UNLOCK_ATTEMPTS} mots de passe erronés : vous êtes déconnecté. Votre travail non envoyé reste sur cet \
                 ordinateur, dans votre espace."
            ),
        ));
    }
    Err(ApiError::new(
        ErrorCode::InvalidCredentials,
        format!("Mot de passe incorrect (essai {failed} sur {MAX_UNLOCK_ATTEMPTS} avant la déconnexion)."),
    ))
}

/// A driver's choice of when the app locks.
pub fn choose(core: &AppCore, minutes: Option<u32>) -> CommandResult<LockStatus> {
    let chosen = choose_lock(signed_in_role(core)?, minutes).map_err(|error| match error {
        LockChoiceError::NotYours => {
            ApiError::new(ErrorCode::Forbidden, "Le verrouillage des comptes professionnels est fixé à 10 minutes.")
        }
        LockChoiceError::NotOffered => ApiError::new(ErrorCode::InvalidFields, "Choisissez une des durées proposées."),
    })?;
    core.store().choose_lock_minutes(chosen).map_err(local_error)?;
    lock_status(core)
}

fn signed_in_role(core: &AppCore) -> CommandResult<cqc_domain::account::Role> {
    match core.session()? {
        Some(session) => Ok(session.profile.role),
        None => Err(ApiError::new(ErrorCode::Unauthenticated, "Connectez-vous pour continuer.")),
    }
}
