mod accounts;
mod agent;
mod applications;
mod cards;
mod openapi;
mod pages;
mod processing;
mod session;
mod sync;

use crate::AppState;
use axum::extract::DefaultBodyLimit;
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
        .route("/certificate-keys", get(sync::certificate_keys))
        .route("/applications", get(applications::list).post(applications::start))
        .route("/applications/eligibility", get(applications::eligibility))
        .route("/applications/{id}", get(applications::show).delete(applications::cancel))
        .route("/applications/{id}/delivery-address", axum::routing::put(applications::delivery_address))
        .route(
            "/applications/{id}/documents/{kind}/upload",
            get(applications::upload_progress)
                .put(applications::upload_chunk)
                // A chunk, with room for a client that sends slightly more.
                .layer(DefaultBodyLimit::max(cqc_domain::upload::UPLOAD_CHUNK_BYTES * 2)),
        )
        .route("/applications/{id}/documents/{kind}", get(applications::download).post(applications::complete_upload))
        .route("/applications/{id}/submit", post(applications::submit))
        .route("/applications/{id}/answer", post(applications::answer))
        .route("/cards", get(cards::mine))
        .route("/cards/{id}/photo", get(cards::photo))
        .route("/cards/{id}/activate", post(cards::activate))
        .route("/sms", get(cards::sms_outbox))
        .route("/agent/applications", get(processing::queue))
        .route("/agent/applications/{id}", get(processing::open))
        .route("/agent/applications/{id}/documents/{kind}", get(processing::document))
        .route("/agent/applications/{id}/approve", post(processing::approve))
        .route("/agent/applications/{id}/refuse", post(processing::refuse))
        .route("/agent/applications/{id}/request-correction", post(processing::request_correction))
        .route("/agent/cards", get(processing::cards))
        .route("/agent/cards/step", post(processing::card_step));
    Router::new()
        .nest(cqc_sync::api::API_PREFIX, api)
        .route("/mot-de-passe", get(pages::set_password_page))
        .route("/correction", get(pages::correction_page))
}
