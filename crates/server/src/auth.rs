//! Who is calling: the bearer session token, checked on every call that needs it, and the role.

use crate::db;
use crate::db::trainings::{self, Centre};
use crate::error::AppError;
use crate::secrets::token_hash;
use crate::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use cqc_domain::account::Role;

pub struct Caller {
    pub account_id: String,
    pub role: Role,
    pub token_hash: String,
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(AppError::unauthenticated)?;
        let hash = token_hash(token.trim());
        let mut conn = state.db.reader().await?;
        let (account_id, role) =
            db::session_account(&mut conn, &hash, state.clock.now()).await?.ok_or_else(AppError::unauthenticated)?;
        Ok(Self { account_id, role, token_hash: hash })
    }
}

/// A caller with the processing agent's role.
pub struct Agent(pub Caller);

impl FromRequestParts<AppState> for Agent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        match caller.role {
            Role::Agent => Ok(Self(caller)),
            Role::Driver | Role::CentreStaff | Role::Admin => Err(AppError::reserved_to(Role::Agent)),
        }
    }
}

/// A caller with the administrator's role.
pub struct Admin(pub Caller);

impl FromRequestParts<AppState> for Admin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        match caller.role {
            Role::Admin => Ok(Self(caller)),
            Role::Driver | Role::CentreStaff | Role::Agent => Err(AppError::reserved_to(Role::Admin)),
        }
    }
}

/// A caller on the staff of an approved centre, with that centre.
pub struct CentreStaff {
    pub caller: Caller,
    pub centre: Centre,
}

impl FromRequestParts<AppState> for CentreStaff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        if caller.role != Role::CentreStaff {
            return Err(AppError::reserved_to(Role::CentreStaff));
        }
        let centre = trainings::centre_of(&mut *state.db.reader().await?, &caller.account_id)
            .await?
            .ok_or_else(|| AppError::reserved_to(Role::CentreStaff))?;
        Ok(Self { caller, centre })
    }
}

/// A caller with the driver's role.
pub struct Driver(pub Caller);

impl FromRequestParts<AppState> for Driver {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        match caller.role {
            Role::Driver => Ok(Self(caller)),
            Role::Agent | Role::CentreStaff | Role::Admin => Err(AppError::drivers_only()),
        }
    }
}
