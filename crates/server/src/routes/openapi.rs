//! The API's OpenAPI document, built from the handlers' annotations and the wire types.

use super::{accounts, admin, agent, applications, cards, payments, processing, replacements, session, sync, updates};
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "CQC — service central", description = "Comptes, analyse, mots de passe, sessions (guide, étapes 01 à 03) ; formations, récapitulatifs et attestations, synchronisation hors ligne (étapes 04 et 08) ; demande de carte, traitement, fabrication et activation (étapes 05 à 07 et 12) ; remplacement, paiement, factures et pli non distribué (cas particuliers 01 à 03) ; administration (centres, comptes du personnel, tarifs, journal)."),
    paths(
        session::health, crate::observe::ready, session::login, session::logout, session::me, session::my_data, session::close_account, session::account, session::notifications, session::mark_notifications_read,
        accounts::register, accounts::link_info, accounts::set_password, accounts::forgot_password,
        accounts::correction, accounts::submit_correction,
        admin::centres, admin::approve_centre, admin::staff, admin::invite_staff, admin::deactivate_staff,
        admin::fees, admin::schedule_fees, admin::cancel_fees, admin::journal,
        agent::queue, agent::file, agent::accept, agent::request_correction, agent::identity_checks,
        agent::decide_identity_check,
        sync::push, sync::pull, sync::certificate_keys, sync::verify_certificate,
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
        updates::check, updates::package,
    ),
    modifiers(&BearerAuth, &ErrorAnswers)
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

/// The failures every operation can answer, each with the `{code, message}` body, added where an
/// operation's own annotation does not list them: a malformed request (400), a missing or other
/// role's session (401, 403), an object that is not the caller's or not there (404), a step that
/// does not fit the state (409), a body too large, of the wrong type or with wrong fields (413,
/// 415, 422), a rate limit (429), a saturated password hashing (503).
struct ErrorAnswers;

/// The calls that need no session.
const PUBLIC: &[&str] = &[
    "/api/v1/health",
    "/api/v1/openapi.json",
    "/api/v1/registrations",
    "/api/v1/links/{token}",
    "/api/v1/password",
    "/api/v1/password/forgot",
    "/api/v1/registration-corrections/{token}",
    "/api/v1/certificate-keys",
];

/// The reads counted against a rate limit (emailed links opened).
const THROTTLED_READS: &[&str] = &["/api/v1/links/{token}", "/api/v1/registration-corrections/{token}"];

/// The calls that hash a password.
const HASHING: &[&str] = &["/api/v1/session", "/api/v1/password"];

impl utoipa::Modify for ErrorAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::content::ContentBuilder;
        use utoipa::openapi::{Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ApiError"))).build(),
                )
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let public = PUBLIC.contains(&path.as_str()) || (path == "/api/v1/session");
            let operations =
                [(false, &mut item.get), (true, &mut item.post), (true, &mut item.put), (true, &mut item.delete)];
            for (changes, operation) in operations {
                let Some(operation) = operation.as_mut() else { continue };
                let has_body = operation.request_body.is_some();
                let logout = path == "/api/v1/session" && !has_body;
                let mut answers = vec![("400", "Requête mal formée (paramètres ou corps illisibles).")];
                if !public || logout {
                    answers.push(("401", "Session absente ou expirée."));
                    answers.push(("403", "Réservé à un autre rôle."));
                }
                if path.contains('{') || !public {
                    answers.push(("404", "Introuvable, ou pas à l'appelant."));
                }
                if changes {
                    answers.push(("409", "L'étape ne suit pas l'état actuel."));
                }
                if changes || THROTTLED_READS.contains(&path.as_str()) {
                    answers.push(("429", "Trop de demandes : voir Retry-After."));
                }
                if has_body {
                    answers.push(("413", "Corps trop volumineux."));
                    answers.push(("415", "Type de contenu non accepté."));
                    answers.push(("422", "Champs à corriger : voir `fields`."));
                }
                if HASHING.contains(&path.as_str()) && has_body {
                    answers.push(("503", "Service momentanément saturé : voir Retry-After."));
                }
                for (status, description) in answers {
                    operation.responses.responses.entry(status.to_owned()).or_insert_with(|| error(description).into());
                }
            }
        }
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
