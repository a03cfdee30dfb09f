mod accounts;
mod admin;
mod agent;
mod applications;
mod cards;
mod download;
mod openapi;
mod pages;
mod payments;
mod processing;
mod replacements;
mod session;
mod sync;
mod updates;

use crate::error::AppError;
use crate::AppState;
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::Router;

pub fn router() -> Router<AppState> {
    let api = Router::new()
        .route("/health", get(session::health))
        .route("/ready", get(crate::observe::ready))
        .route("/openapi.json", get(openapi::document))
        .route("/registrations", post(accounts::register))
        .route("/links/{token}", get(accounts::link_info))
        .route("/password", post(accounts::set_password))
        .route("/password/forgot", post(accounts::forgot_password))
        .route("/registration-corrections/{token}", get(accounts::correction).put(accounts::submit_correction))
        .route("/session", post(session::login).delete(session::logout))
        .route("/me", get(session::me))
        .route("/me/data", get(session::my_data))
        .route("/me/closure", post(session::close_account))
        .route("/accounts/{id}", get(session::account))
        .route("/notifications", get(session::notifications))
        .route("/notifications/read", post(session::mark_notifications_read))
        .route("/admin/centres", get(admin::centres).post(admin::approve_centre))
        .route("/admin/staff", get(admin::staff).post(admin::invite_staff))
        .route("/admin/staff/{id}/deactivate", post(admin::deactivate_staff))
        .route("/admin/fees", get(admin::fees).post(admin::schedule_fees))
        .route("/admin/fees/{starts_on}", delete(admin::cancel_fees))
        .route("/admin/journal", get(admin::journal))
        .route("/agent/registrations", get(agent::queue))
        .route("/agent/registrations/{id}", get(agent::file))
        .route("/agent/registrations/{id}/accept", post(agent::accept))
        .route("/agent/registrations/{id}/request-correction", post(agent::request_correction))
        .route("/agent/identity-checks", get(agent::identity_checks))
        .route("/agent/identity-checks/{id}", post(agent::decide_identity_check))
        .route("/sync/push", post(sync::push).layer(DefaultBodyLimit::max(cqc_sync::protocol::MAX_PUSH_BYTES * 2)))
        .route("/sync/pull", get(sync::pull))
        .route("/certificate-keys", get(sync::certificate_keys))
        .route("/certificates/verify", post(sync::verify_certificate))
        .route("/applications", get(applications::list).post(applications::start))
        .route("/applications/eligibility", get(applications::eligibility))
        .route("/applications/{id}", get(applications::show).delete(applications::cancel))
        .route("/applications/{id}/delivery-address", put(applications::delivery_address))
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
        .route("/cards/{id}/returned", post(payments::returned_card))
        .route("/sms", get(cards::sms_outbox))
        .route("/replacements", get(replacements::list).post(replacements::start))
        .route("/replacements/{id}", get(replacements::show).delete(replacements::cancel))
        .route("/replacements/{id}/declaration", put(replacements::declaration))
        .route("/replacements/{id}/addresses/{role}", put(replacements::address))
        .route(
            "/replacements/{id}/theft-declaration",
            put(replacements::theft_declaration)
                .layer(DefaultBodyLimit::max(cqc_domain::upload::MAX_FILE_BYTES + 1024)),
        )
        .route("/replacements/{id}/submit", post(replacements::submit))
        .route("/replacements/{id}/return-coupon", get(replacements::return_coupon))
        .route("/replacements/{id}/fix", post(replacements::fix))
        .route("/fees", get(payments::fees))
        .route("/payments", post(payments::pay))
        .route("/payments/{id}", get(payments::show))
        .route("/payments/{id}/challenge", post(payments::confirm_challenge).delete(payments::abandon_challenge))
        .route("/invoices", get(payments::invoices))
        .route("/invoices/{number}/pdf", get(payments::invoice_pdf))
        .route("/agent/replacements", get(replacements::queue))
        .route("/agent/replacements/{id}/theft-declaration", get(replacements::agent_theft_declaration))
        .route("/agent/replacements/{id}/card-received", post(replacements::card_received))
        .route("/agent/replacements/{id}/analysis", post(replacements::analysis))
        .route("/agent/applications", get(processing::queue))
        .route("/agent/applications/{id}", get(processing::open))
        .route("/agent/applications/{id}/documents/{kind}", get(processing::document))
        .route("/agent/applications/{id}/approve", post(processing::approve))
        .route("/agent/applications/{id}/refuse", post(processing::refuse))
        .route("/agent/applications/{id}/request-correction", post(processing::request_correction))
        .route("/agent/cards", get(processing::cards))
        .route("/agent/cards/step", post(processing::card_step))
        .route("/updates/{target}/{current_version}", get(updates::check))
        .route("/updates/{version}/{target}/package", get(updates::package));
    Router::new()
        .nest(cqc_sync::api::API_PREFIX, api)
        .route("/metrics", get(crate::observe::metrics))
        .route("/mot-de-passe", get(pages::set_password_page))
        .route("/correction", get(pages::correction_page))
        .route("/verification", get(pages::verification_page))
        // Every error is `{code, message}`, an unknown address or method included.
        .fallback(|| async { AppError::no_such_route() })
        .method_not_allowed_fallback(|| async { AppError::method_not_allowed() })
}
