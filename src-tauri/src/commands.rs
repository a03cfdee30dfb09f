//! The commands the UI calls, one per user action. Each is glue: rules come from `cqc-domain`.

use cqc_app::lock::{self, LockStatus};
use cqc_app::{local_error, AppCore, CommandResult};
use cqc_domain::account::ReviewItem;
use cqc_domain::licence::{analyse, LicenceAnalysis, LicenceKind};
use cqc_domain::password::{unmet_rules, PasswordRule};
use cqc_domain::registration::RegistrationInput;
use cqc_store::UnsentWork;
use cqc_sync::api::{
    token_from_link, ApiError, CorrectionRequest, CorrectionView, ErrorCode, IdentityCheckView, LinkInfo, Notification,
    Profile, RegistrationFile, RegistrationQueue, RegistrationReceipt, SetPasswordRequest,
};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

/// What the app shows on start: whether the server answers, and who is signed in on this machine.
#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct AppStatus {
    pub online: bool,
    pub server_url: String,
    pub profile: Option<Profile>,
    /// The email of the last registration sent from here, to tell where the request stands.
    pub pending_registration_email: Option<String>,
    /// False on a computer without keychain until the user agreed to keep the keys of the local
    /// data in the data folder: nothing local is opened before.
    pub keys_ready: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(export)]
pub struct OpenedLink {
    pub token: String,
    pub info: LinkInfo,
}

/// « Clôturer mon compte »: closed on the service, then forgotten on this computer.
#[tauri::command]
pub async fn close_account(core: State<'_, AppCore>, password: String) -> CommandResult<()> {
    core.remote(async |api| api.close_account(&password).await).await?;
    core.forget_closed_account().await
}

#[tauri::command]
pub async fn app_status(core: State<'_, AppCore>) -> CommandResult<AppStatus> {
    let online = core.anonymous().health().await.is_ok();
    let saved = core.session()?;
    let mut profile = saved.map(|s| s.profile);
    if online && profile.is_some() {
        // Refresh the profile; an expired session is forgotten and the user logs in again.
        match core.authed()?.me().await {
            Ok(fresh) => {
                core.computer().update_profile(&fresh).map_err(local_error)?;
                profile = Some(fresh);
            }
            Err(error) => {
                if core.remote_error(error).code == ErrorCode::Unauthenticated {
                    profile = None;
                }
            }
        }
    }
    let pending_registration_email = core.computer().last_registration_email().map_err(local_error)?;
    Ok(AppStatus {
        online,
        server_url: core.server_url().to_owned(),
        profile,
        pending_registration_email,
        keys_ready: core.unlocked(),
    })
}

#[tauri::command]
pub fn lock_status(core: State<'_, AppCore>) -> CommandResult<LockStatus> {
    lock::lock_status(&core)
}

/// The screen saw nobody use the app for the policy's duration.
#[tauri::command]
pub fn lock_now(core: State<'_, AppCore>) -> CommandResult<()> {
    lock::lock_now(&core)
}

#[tauri::command]
pub async fn unlock(core: State<'_, AppCore>, password: String) -> CommandResult<()> {
    lock::unlock(&core, password).await
}

/// « Verrouiller après… »: a driver's choice.
#[tauri::command]
pub fn choose_lock(core: State<'_, AppCore>, minutes: Option<u32>) -> CommandResult<LockStatus> {
    lock::choose(&core, minutes)
}

/// No keychain on this computer: the user agreed to keep the keys in the data folder.
#[tauri::command]
pub fn keep_keys_on_this_computer(core: State<'_, AppCore>) -> CommandResult<()> {
    core.keep_keys_in_data_folder()
}

#[tauri::command]
pub fn check_licence(kind: LicenceKind, input: String) -> LicenceAnalysis {
    analyse(kind, &input)
}

#[tauri::command]
pub fn check_password(password: String) -> Vec<PasswordRule> {
    unmet_rules(&password)
}

#[tauri::command]
pub async fn register(core: State<'_, AppCore>, input: RegistrationInput) -> CommandResult<RegistrationReceipt> {
    let receipt = core.anonymous().register(&input).await.map_err(|e| core.remote_error(e))?;
    let computer = core.computer();
    computer.record_registration(&receipt).map_err(local_error)?;
    computer.clear_draft("registration").map_err(local_error)?;
    Ok(receipt)
}

#[tauri::command]
pub async fn open_link(core: State<'_, AppCore>, pasted: String) -> CommandResult<OpenedLink> {
    resolve_link(&core, &pasted).await
}

/// A link pasted or opened from an email (web or `cqc://`): its token and what it is for.
pub async fn resolve_link(core: &AppCore, link: &str) -> CommandResult<OpenedLink> {
    let token = token_from_link(link).ok_or_else(|| {
        ApiError::new(
            ErrorCode::LinkInvalid,
            "Collez le lien complet reçu par courrier électronique (il contient « jeton= »).",
        )
    })?;
    let info = core.anonymous().link_info(&token).await.map_err(|e| core.remote_error(e))?;
    Ok(OpenedLink { token, info })
}

#[tauri::command]
pub async fn set_password(
    core: State<'_, AppCore>,
    token: String,
    password: String,
    confirmation: String,
) -> CommandResult<()> {
    let request = SetPasswordRequest { token, password, confirmation };
    core.anonymous().set_password(&request).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn forgot_password(core: State<'_, AppCore>, email: String) -> CommandResult<()> {
    core.anonymous().forgot_password(&email).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn login(core: State<'_, AppCore>, email: String, password: String) -> CommandResult<Profile> {
    let session = core.anonymous().login(&email, &password).await.map_err(|e| core.remote_error(e))?;
    core.sign_in(&session).await?;
    lock::remember_password(&core, password).await?;
    Ok(session.profile)
}

#[tauri::command]
pub async fn logout(core: State<'_, AppCore>) -> CommandResult<()> {
    if let Ok(client) = core.authed() {
        // Offline, the token is forgotten here anyway and expires on the server.
        let _ = client.logout().await;
    }
    core.sign_out().await
}

/// What logging out would leave on this computer, for the question asked first.
#[tauri::command]
pub fn unsent_work(core: State<'_, AppCore>) -> CommandResult<UnsentWork> {
    core.unsent_work()
}

/// « Mes données »: the archive of everything the service holds about the driver, saved in the
/// downloads folder.
#[tauri::command]
pub async fn save_personal_data(core: State<'_, AppCore>) -> CommandResult<String> {
    let archive = core.remote(async |api| api.personal_data().await).await?;
    core.save_download("mes-donnees-cqc.zip", &archive)
}

/// From the server when it answers, else the copy kept on this machine.
#[tauri::command]
pub async fn notifications(core: State<'_, AppCore>) -> CommandResult<Vec<Notification>> {
    match core.authed()?.notifications().await {
        Ok(list) => {
            core.store().save_notifications(&list).map_err(local_error)?;
            Ok(list)
        }
        Err(error) => {
            let error = core.remote_error(error);
            if error.code == ErrorCode::Unreachable {
                core.store().notifications().map_err(local_error)
            } else {
                Err(error)
            }
        }
    }
}

/// The notifications were seen: none counts as unread, here and on the account's other computers.
/// Offline, the copy on this machine says so at once and the server is told at the next opening.
#[tauri::command]
pub async fn mark_notifications_read(core: State<'_, AppCore>) -> CommandResult<()> {
    if let Err(error) = core.authed()?.mark_notifications_read().await {
        let error = core.remote_error(error);
        if error.code != ErrorCode::Unreachable {
            return Err(error);
        }
    }
    let store = core.store();
    let mut seen = store.notifications().map_err(local_error)?;
    seen.iter_mut().for_each(|n| n.read = true);
    store.save_notifications(&seen).map_err(local_error)
}

/// A notification that arrived while the app runs (a reminder before the code 95 expires, an
/// agent's answer), shown by the system too. Where the system has no notification service, the
/// app's own list still shows it: nothing is lost, so a failure is only logged.
#[tauri::command]
pub fn show_system_notification(app: tauri::AppHandle, title: String, body: String) {
    use tauri_plugin_notification::NotificationExt as _;
    let title: String = title.chars().take(120).collect();
    let body: String = body.chars().take(500).collect();
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::warn!(%error, "the system could not show a notification");
    }
}

#[tauri::command]
pub async fn load_correction(core: State<'_, AppCore>, token: String) -> CommandResult<CorrectionView> {
    core.anonymous().correction(&token).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn submit_correction(
    core: State<'_, AppCore>,
    token: String,
    input: RegistrationInput,
) -> CommandResult<RegistrationReceipt> {
    let receipt = core.anonymous().submit_correction(&token, &input).await.map_err(|e| core.remote_error(e))?;
    core.drafts()?.clear_draft(&format!("correction:{token}")).map_err(local_error)?;
    Ok(receipt)
}

#[tauri::command]
pub async fn agent_queue(core: State<'_, AppCore>) -> CommandResult<RegistrationQueue> {
    core.remote(async |api| api.registration_queue().await).await
}

#[tauri::command]
pub async fn agent_identity_checks(core: State<'_, AppCore>) -> CommandResult<Vec<IdentityCheckView>> {
    core.remote(async |api| api.identity_checks().await).await
}

#[tauri::command]
pub async fn agent_decide_identity_check(
    core: State<'_, AppCore>,
    training_id: String,
    same_person: bool,
) -> CommandResult<()> {
    core.remote(async |api| api.decide_identity_check(&training_id, same_person).await).await
}

#[tauri::command]
pub async fn agent_file(core: State<'_, AppCore>, request_id: String) -> CommandResult<RegistrationFile> {
    core.remote(async |api| api.registration_file(&request_id).await).await
}

#[tauri::command]
pub async fn agent_accept(core: State<'_, AppCore>, request_id: String) -> CommandResult<RegistrationFile> {
    core.remote(async |api| api.accept_registration(&request_id).await).await
}

#[tauri::command]
pub async fn agent_request_correction(
    core: State<'_, AppCore>,
    request_id: String,
    items: Vec<ReviewItem>,
) -> CommandResult<RegistrationFile> {
    let request = CorrectionRequest { items };
    core.remote(async |api| api.request_correction(&request_id, &request).await).await
}

#[tauri::command]
pub fn save_draft(core: State<'_, AppCore>, form: String, value: serde_json::Value) -> CommandResult<()> {
    core.drafts()?.save_draft(&form, &value).map_err(local_error)
}

#[tauri::command]
pub fn load_draft(core: State<'_, AppCore>, form: String) -> CommandResult<Option<serde_json::Value>> {
    core.drafts()?.draft(&form).map_err(local_error)
}

#[tauri::command]
pub fn clear_draft(core: State<'_, AppCore>, form: String) -> CommandResult<()> {
    core.drafts()?.clear_draft(&form).map_err(local_error)
}
