//! The administration space's commands: online only (what an administrator changes must be seen
//! by every instance of the service at once), each a call to the server.

use cqc_app::{AppCore, CommandResult};
use cqc_sync::admin::{
    CentreView, JournalPage, JournalQuery, NewCentre, NewFees, NewStaff, ScheduledFeesView, StaffView,
};
use tauri::State;

#[tauri::command]
pub async fn admin_centres(core: State<'_, AppCore>) -> CommandResult<Vec<CentreView>> {
    core.authed()?.admin_centres().await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_approve_centre(core: State<'_, AppCore>, centre: NewCentre) -> CommandResult<CentreView> {
    core.authed()?.approve_centre(&centre).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_staff(core: State<'_, AppCore>) -> CommandResult<Vec<StaffView>> {
    core.authed()?.admin_staff().await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_invite_staff(core: State<'_, AppCore>, staff: NewStaff) -> CommandResult<StaffView> {
    core.authed()?.invite_staff(&staff).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_deactivate_staff(core: State<'_, AppCore>, account_id: String) -> CommandResult<StaffView> {
    core.authed()?.deactivate_staff(&account_id).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_journal(core: State<'_, AppCore>, query: JournalQuery) -> CommandResult<JournalPage> {
    core.authed()?.journal(&query).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_fee_schedule(core: State<'_, AppCore>) -> CommandResult<Vec<ScheduledFeesView>> {
    core.authed()?.fee_schedule().await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_schedule_fees(core: State<'_, AppCore>, fees: NewFees) -> CommandResult<ScheduledFeesView> {
    core.authed()?.schedule_fees(&fees).await.map_err(|e| core.remote_error(e))
}

#[tauri::command]
pub async fn admin_cancel_fees(core: State<'_, AppCore>, starts_on: String) -> CommandResult<()> {
    core.authed()?.cancel_fees(&starts_on).await.map_err(|e| core.remote_error(e))
}
