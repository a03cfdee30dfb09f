//! The API's OpenAPI document, built from the handlers' annotations and the wire types.

use super::{accounts, agent, applications, cards, payments, processing, replacements, session, sync};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "CQC — service central", description = "Comptes, analyse, mots de passe, sessions (guide, étapes 01 à 03) ; formations, récapitulatifs et attestations, synchronisation hors ligne (étapes 04 et 08) ; demande de carte, traitement, fabrication et activation (étapes 05 à 07 et 12) ; remplacement, paiement, factures et pli non distribué (cas particuliers 01 à 03)."),
    paths(
        session::health, session::login, session::logout, session::me, session::account, session::notifications,
        accounts::register, accounts::link_info, accounts::set_password, accounts::forgot_password,
        accounts::correction, accounts::submit_correction,
        agent::queue, agent::file, agent::accept, agent::request_correction,
        sync::push, sync::pull, sync::certificate_keys,
        applications::eligibility, applications::list, applications::start, applications::show, applications::cancel,
        applications::delivery_address, applications::upload_progress, applications::upload_chunk,
        applications::complete_upload, applications::download, applications::submit, applications::answer,
        cards::mine, cards::photo, cards::activate, cards::sms_outbox,
        processing::queue, processing::open, processing::document, processing::approve, processing::refuse,
        processing::request_correction, processing::cards, processing::card_step,
        replacements::list, replacements::start, replacements::show, replacements::declaration, replacements::address,
        replacements::theft_declaration, replacements::submit, replacements::cancel, replacements::return_coupon,
        replacements::fix, replacements::queue, replacements::agent_theft_declaration, replacements::card_received,
        replacements::analysis,
        payments::fees, payments::pay, payments::show, payments::confirm_challenge, payments::abandon_challenge,
        payments::invoices, payments::invoice_pdf, payments::returned_card,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
