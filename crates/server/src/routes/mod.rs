mod accounts;
mod agent;
mod openapi;
mod pages;
mod session;
mod sync;

use crate::AppState;
use axum::routing::{get, post};
use axum::Router;

pub fn router() -> Router<AppState> {
    let api = Router::new()
        .route("/health", get(session::health))
        .route("/openapi.json", get(openapi::document))
        .route("/registrations", post(accounts::register))
        .route("/links/{token}", get(accounts::link_info))
        .route("/password", post(accounts::set_password))
        .route("/password/forgot", post(accounts::forgot_password))
        .route("/registration-corrections/{token}", get(accounts::correction).put(accounts::submit_correction))
        .route("/session", post(session::login).delete(session::logout))
        .route("/me", get(session::me))
        .route("/accounts/{id}", get(session::account))
        .route("/notifications", get(session::notifications))
        .route("/agent/registrations", get(agent::queue))
        .route("/agent/registrations/{id}", get(agent::file))
        .route("/agent/registrations/{id}/accept", post(agent::accept))
        .route("/agent/registrations/{id}/request-correction", post(agent::request_correction))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/certificate-keys", get(sync::certificate_keys));
    Router::new()
        .nest(cqc_sync::api::API_PREFIX, api)
        .route("/mot-de-passe", get(pages::set_password_page))
        .route("/correction", get(pages::correction_page))
}
