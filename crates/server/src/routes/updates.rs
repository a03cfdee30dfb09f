//! The desktop app's updater asks here whether a newer version exists for its kind of package,
//! then downloads it. Open to every app, signed in or not: the package is public software, and
//! the app checks its signature before installing it.

use crate::error::{ApiPath, AppError, AppResult};
use crate::releases;
use crate::AppState;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use cqc_domain::release::{AppVersion, UpdateTarget};
use cqc_sync::api::UpdateOffer;

fn target(text: &str) -> AppResult<UpdateTarget> {
    UpdateTarget::parse(text).map_err(|_| AppError::bad_request("Ce type de paquet de l'application n'existe pas."))
}

fn version(text: &str) -> AppResult<AppVersion> {
    text.parse().map_err(|_| AppError::bad_request("Ce numéro de version de l'application n'est pas valide."))
}

/// The release an app of this kind and version should install, or 204 when it is up to date
/// (the answers the Tauri updater expects).
#[utoipa::path(get, path = "/api/v1/updates/{target}/{current_version}", params(("target" = String, Path, description = "linux-x86_64-deb, …"), ("current_version" = String, Path)), responses((status = 200, body = UpdateOffer), (status = 204), (status = 400, body = cqc_sync::api::ApiError)))]
pub async fn check(
    State(state): State<AppState>,
    ApiPath((kind, current)): ApiPath<(String, String)>,
) -> AppResult<Response> {
    let (kind, current) = (target(&kind)?, version(&current)?);
    let offered = releases::offer(&mut *state.db.writer().await?, kind, &current).await?;
    let Some((version, package)) = offered else {
        return Ok(StatusCode::NO_CONTENT.into_response());
    };
    let offer = UpdateOffer {
        url: format!("{}{}/updates/{version}/{}/package", state.public_url, cqc_sync::api::API_PREFIX, kind.as_str()),
        version: version.to_string(),
        notes: package.notes,
        pub_date: package.published_at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default(),
        signature: package.signature,
    };
    Ok(axum::Json(offer).into_response())
}

/// A published package, sent as it is read from the store.
#[utoipa::path(get, path = "/api/v1/updates/{version}/{target}/package", params(("version" = String, Path), ("target" = String, Path)), responses((status = 200, content_type = "application/octet-stream"), (status = 400, body = cqc_sync::api::ApiError), (status = 404, body = cqc_sync::api::ApiError)))]
pub async fn package(
    State(state): State<AppState>,
    ApiPath((release, kind)): ApiPath<(String, String)>,
) -> AppResult<Response> {
    let (release, kind) = (version(&release)?, target(&kind)?);
    let Some((size, bytes)) = state.documents.open(&releases::package_key(&release, kind)).await? else {
        return Err(AppError::not_found());
    };
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_owned()),
            (header::CONTENT_LENGTH, size.to_string()),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        ],
        Body::from_stream(bytes),
    )
        .into_response())
}
