//! The offline sync: centres push the trainings they recorded; every device pulls what changed
//! for its user since its cursor; anyone fetches the keys that verify certificates.

use crate::auth::{Caller, CentreStaff};
use crate::db::trainings::{self as store, DriverDocument};
use crate::error::{ApiJson, ApiQuery, AppError, AppResult};
use crate::workflows;
use crate::AppState;
use axum::extract::State;
use cqc_domain::account::Role;
use cqc_domain::calendar::french_day;
use cqc_domain::training::TrainingRecordInput;
use cqc_sync::api::{ApiError, CertificateCheckRequest, CertificateVerdict};
use cqc_sync::certificate_code::encode_public_key;
use cqc_sync::protocol::{
    CentreTraining, Certificate, CertificateKeys, Outcome, PullResponse, PushRequest, PushResponse, Recap,
    MAX_PULL_PAGE,
};
use serde::Deserialize;

#[utoipa::path(post, path = "/api/v1/sync/push", request_body = PushRequest, responses((status = 200, body = PushResponse), (status = 400, body = ApiError), (status = 403, body = ApiError)))]
pub async fn push(
    State(state): State<AppState>,
    staff: CentreStaff,
    ApiJson(request): ApiJson<PushRequest>,
) -> AppResult<ApiJson<PushResponse>> {
    Ok(ApiJson(workflows::sync::push(&state, &staff, request).await?))
}

/// The largest cursor: every JSON reader holds it exactly (2⁵³ − 1).
const MAX_CURSOR: i64 = 9_007_199_254_740_991;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PullQuery {
    /// The cursor of the last pull; 0 the first time.
    #[serde(default)]
    #[param(minimum = 0, maximum = 9007199254740991.0)]
    cursor: i64,
    /// A centre's device that holds every training it pushed (its push `client_id`): those
    /// unchanged since its push are left out of the page, the cursor passing them all the same.
    #[param(format = "uuid")]
    client_id: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/sync/pull", params(PullQuery), responses((status = 200, body = PullResponse), (status = 401, body = ApiError)))]
pub async fn pull(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> AppResult<ApiJson<PullResponse>> {
    // Versions count changes: a cursor outside [0, 2⁵³) is no cursor the server ever gave.
    if !(0..=MAX_CURSOR).contains(&query.cursor) {
        return Err(AppError::bad_request("Ce curseur de synchronisation n'a pas été donné par le serveur."));
    }
    if query.client_id.as_deref().is_some_and(|id| uuid::Uuid::parse_str(id).is_err()) {
        return Err(AppError::bad_request("Identifiant d'appareil invalide."));
    }
    let limit = MAX_PULL_PAGE as i64 + 1;
    // Recaps and certificates are read in one snapshot: a push committed between the two reads
    // could otherwise give a certificate whose version passes a recap not yet seen.
    let mut conn = state.db.snapshot().await?;
    let mut response =
        PullResponse { cursor: query.cursor, has_more: false, trainings: vec![], recaps: vec![], certificates: vec![] };
    match caller.role {
        Role::CentreStaff => {
            let centre = store::centre_of(&mut conn, &caller.account_id)
                .await?
                .ok_or_else(|| AppError::reserved_to(Role::CentreStaff))?;
            let holder = query.client_id.as_deref();
            let mut rows = store::centre_changes::<TrainingRecordInput, Outcome>(
                &mut conn,
                &centre.id,
                query.cursor,
                holder,
                limit,
            )
            .await?;
            response.has_more = rows.len() > MAX_PULL_PAGE;
            rows.truncate(MAX_PULL_PAGE);
            response.cursor = match rows.last() {
                Some(row) if response.has_more => row.version,
                // The last page: past the rows left out after it too, read in the same snapshot.
                _ if holder.is_some() => store::centre_latest_version(&mut conn, &centre.id).await?.max(query.cursor),
                last => last.map_or(query.cursor, |r| r.version),
            };
            response.trainings = rows
                .into_iter()
                .map(|r| CentreTraining {
                    training_id: r.id,
                    record: r.record,
                    outcome: r.outcome,
                    matched: r.driver_id.is_some(),
                })
                .collect();
        }
        Role::Driver => {
            let recaps: Vec<(i64, Recap)> =
                store::driver_documents(&mut conn, DriverDocument::Recap, &caller.account_id, query.cursor, limit)
                    .await?;
            let certificates: Vec<(i64, Certificate)> = store::driver_documents(
                &mut conn,
                DriverDocument::Certificate,
                &caller.account_id,
                query.cursor,
                limit,
            )
            .await?;
            // One page across both kinds, in version order, so the cursor never skips a record.
            let mut versions: Vec<i64> =
                recaps.iter().map(|(v, _)| *v).chain(certificates.iter().map(|(v, _)| *v)).collect();
            versions.sort_unstable();
            response.has_more = versions.len() > MAX_PULL_PAGE;
            versions.truncate(MAX_PULL_PAGE);
            let last = versions.last().copied().unwrap_or(query.cursor);
            response.cursor = last;
            let today = french_day(state.clock.now());
            response.recaps = recaps
                .into_iter()
                .filter(|(v, recap)| *v <= last && recap.is_available_on(today))
                .map(|(_, r)| r)
                .collect();
            response.certificates = certificates.into_iter().filter(|(v, _)| *v <= last).map(|(_, c)| c).collect();
        }
        Role::Agent | Role::Admin => {}
    }
    Ok(ApiJson(response))
}

/// A certificate's code checked for someone without the app (a roadside check, an employer): the
/// verification page calls this. Nothing is looked up: the signature says it all.
#[utoipa::path(post, path = "/api/v1/certificates/verify", request_body = CertificateCheckRequest, responses((status = 200, body = CertificateVerdict), (status = 400, body = ApiError)))]
pub async fn verify_certificate(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<CertificateCheckRequest>,
) -> ApiJson<CertificateVerdict> {
    ApiJson(match cqc_sync::certificate_code::verify(&request.code, &[state.certificate_key.verifying_key()]) {
        Ok(claims) => CertificateVerdict::Authentic { claims },
        Err(error) => CertificateVerdict::NotAuthentic { message: error.message_fr().to_owned() },
    })
}

#[utoipa::path(get, path = "/api/v1/certificate-keys", responses((status = 200, body = CertificateKeys)))]
pub async fn certificate_keys(State(state): State<AppState>) -> ApiJson<CertificateKeys> {
    ApiJson(CertificateKeys { keys: vec![encode_public_key(&state.certificate_key.verifying_key())] })
}
