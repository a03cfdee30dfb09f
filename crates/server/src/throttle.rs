//! Who is knocking, and how often: the client's address (from the connection, or from the load
//! balancer's `X-Forwarded-For` when the server is told to trust it) and the rate limits of
//! `cqc_domain::throttle`, counted in the shared database.

use crate::db::guards;
use crate::error::{AppError, AppResult};
use crate::secrets::token_hash;
use crate::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use cqc_domain::throttle::{Action, Hits};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// The address of the client that sent the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        // Behind a load balancer the connection comes from it: the client is the last address
        // it appended (earlier ones are the client's own claim and may be forged).
        let forwarded = state
            .trust_forwarded_for
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.rsplit(',').next())
            .and_then(|last| last.trim().parse::<IpAddr>().ok());
        let connected = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|info| info.0.ip());
        Ok(Self(forwarded.or(connected).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))))
    }
}

/// Counts one `action` by `subject` (an address or an account id); refuses it with 429 and
/// `Retry-After` past its limit. Counted on its own, so that a refused request still counts.
pub async fn count(state: &AppState, action: Action, subject: &str) -> AppResult<()> {
    let now = state.clock.now();
    let limit = action.limit();
    let hits = guards::hit(&mut *state.db.writer().await?, &key(action, subject), limit, now).await?;
    limit.check(hits, now).map_err(|too_many| AppError::too_many_requests(too_many.retry_after.whole_seconds()))
}

/// Refuses with 429 when `subject` has already reached the limit of `action`, without counting
/// (for limits on outcomes, counted once the outcome is known).
pub async fn ensure_below(state: &AppState, action: Action, subject: &str) -> AppResult<()> {
    let now = state.clock.now();
    let limit = action.limit();
    let hits = guards::hits(&mut *state.db.writer().await?, &key(action, subject), limit, now).await?;
    let next = Hits { count: hits.count + 1, ..hits };
    limit.check(next, now).map_err(|too_many| AppError::too_many_requests(too_many.retry_after.whole_seconds()))
}

fn key(action: Action, subject: &str) -> String {
    format!("{}:{}", action.key_prefix(), token_hash(subject))
}

/// Counts `action` from the client's address.
pub async fn count_address(state: &AppState, action: Action, address: ClientAddress) -> AppResult<()> {
    count(state, action, &address.0.to_string()).await
}
