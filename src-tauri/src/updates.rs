//! The app's own updates, through tauri-plugin-updater: the central service says whether a newer
//! version exists for this kind of package (`/api/v1/updates/linux-x86_64-deb/0.1.0`), the app
//! shows it with its notes, and on request downloads it (progress shown), checks its signature
//! against the release key built into the app, installs it and starts again as the new version.
//! Never while a sync or an upload is in flight: the install waits for them and holds them off.
//!
//! A build made without a release key (`plugins.updater.pubkey`, set by the release build) has no
//! updater: a development build cannot install anything.

use cqc_app::{AppCore, CommandResult};
use cqc_sync::api::{ApiError, ErrorCode};
use serde::Serialize;
use std::sync::Mutex;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_updater::{Update, UpdaterExt};
use ts_rs::TS;

/// Where the updater asks; the plugin fills in the package kind (`linux-x86_64-deb`) and version.
const CHECK_PATH: &str = "/api/v1/updates/{{target}}-{{arch}}-{{bundle_type}}/{{current_version}}";

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct UpdateStatus {
    pub current_version: String,
    /// False for a build without a release key (development): it never updates itself.
    pub automatic: bool,
    pub available: Option<AvailableUpdate>,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AvailableUpdate {
    pub version: String,
    pub notes: String,
}

/// Where an install stands, sent to the window as it goes.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum UpdateProgress {
    /// A sync or an upload is in flight: the install waits for it.
    WaitingForSends,
    Downloading {
        #[ts(type = "number")]
        received: u64,
        #[ts(type = "number | null")]
        total: Option<u64>,
    },
    Installing,
}

/// The update the last check found, installed as it was shown.
#[derive(Default)]
pub struct FoundUpdate(Mutex<Option<Update>>);

/// Whether this build carries the release key, i.e. may update itself.
fn automatic(app: &AppHandle) -> bool {
    app.config().plugins.0.contains_key("updater")
}

/// Registers the updater in a build that carries the release key.
pub fn register(app: &AppHandle) -> tauri::Result<()> {
    app.manage(FoundUpdate::default());
    if automatic(app) {
        app.plugin(tauri_plugin_updater::Builder::new().build())?;
    }
    Ok(())
}

fn failed(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Internal, message)
}

/// Each failure said as what it means for the person: their version keeps working.
fn update_error(error: tauri_plugin_updater::Error) -> ApiError {
    use tauri_plugin_updater::Error;
    tracing::warn!(%error, "update");
    match error {
        Error::Minisign(_)
        | Error::Base64(_)
        | Error::SignatureUtf8(_)
        | Error::SignedVersionMismatch { .. }
        | Error::MissingSignedVersion => failed(
            "La mise à jour n'a pas été installée : sa signature n'est pas celle du service CQC. \
             Votre version actuelle continue de fonctionner normalement.",
        ),
        Error::Reqwest(_) | Error::Network(_) => ApiError::new(
            ErrorCode::Unreachable,
            "La mise à jour n'a pas pu être téléchargée : vérifiez la connexion, puis réessayez.",
        ),
        Error::InsecureTransportProtocol => {
            failed("Les mises à jour ne sont proposées que par une connexion chiffrée (https).")
        }
        Error::PackageInstallFailed | Error::DebInstallFailed | Error::AuthenticationFailed => failed(
            "L'installation a été refusée : elle demande le mot de passe d'un administrateur de cet ordinateur. \
             Votre version actuelle continue de fonctionner.",
        ),
        _ => failed("La mise à jour n'a pas pu être installée. Votre version actuelle continue de fonctionner."),
    }
}

/// Asks the central service whether a newer version exists for this app.
#[tauri::command]
pub async fn update_check(
    app: AppHandle,
    core: State<'_, AppCore>,
    found: State<'_, FoundUpdate>,
) -> CommandResult<UpdateStatus> {
    let current_version = app.package_info().version.to_string();
    if !automatic(&app) {
        return Ok(UpdateStatus { current_version, automatic: false, available: None });
    }
    let endpoint =
        format!("{}{CHECK_PATH}", core.server_url()).parse().map_err(|_| failed("Adresse du service invalide."))?;
    let updater =
        app.updater_builder().endpoints(vec![endpoint]).map_err(update_error)?.build().map_err(update_error)?;
    let update = updater.check().await.map_err(update_error)?;
    let available = update
        .as_ref()
        .map(|u| AvailableUpdate { version: u.version.clone(), notes: u.body.clone().unwrap_or_default() });
    *found.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = update;
    Ok(UpdateStatus { current_version, automatic: true, available })
}

/// « Installer la mise à jour »: downloads, checks, installs, then the app starts again as the
/// new version. On any failure the running version stays as it was.
#[tauri::command]
pub async fn update_install(
    app: AppHandle,
    core: State<'_, AppCore>,
    found: State<'_, FoundUpdate>,
    progress: Channel<UpdateProgress>,
) -> CommandResult<()> {
    let update = found.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
    let update = update.ok_or_else(|| ApiError::new(ErrorCode::Conflict, "Aucune mise à jour n'est disponible."))?;
    // Not while a sync or an upload runs, and none starts until the app has restarted.
    if core.sync_lock.try_lock().is_err() || core.upload_lock.try_lock().is_err() {
        let _ = progress.send(UpdateProgress::WaitingForSends);
    }
    let _no_sync = core.sync_lock.lock().await;
    let _no_upload = core.upload_lock.lock().await;
    let mut received = 0u64;
    update
        .download_and_install(
            |chunk, total| {
                received += chunk as u64;
                let _ = progress.send(UpdateProgress::Downloading { received, total });
            },
            || {
                let _ = progress.send(UpdateProgress::Installing);
            },
        )
        .await
        .map_err(update_error)?;
    tracing::info!(version = %update.version, "update installed, restarting");
    app.restart()
}
