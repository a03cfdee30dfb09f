//! The administration space's commands: online only (what an administrator changes must be seen
//! by every instance of the service at once), each a call to the server.

use cqc_app::{AppCore, CommandResult};
use cqc_sync::admin::{
    CentreView, JournalPage, JournalQuery, NewCentre, NewFees, NewStaff, ScheduledFeesView, StaffView,
};
use tauri::State;

#[tauri::command]
pub async fn admin_centres(core: State<'_, AppCore>) -> CommandResult<Vec<CentreView>> {
    core.remote(async |api| api.admin_centres().await).await
}

#[tauri::command]
pub async fn admin_approve_centre(core: State<'_, AppCore>, centre: NewCentre) -> CommandResult<CentreView> {
    core.remote(async |api| api.approve_centre(&centre).await).await
}

#[tauri::command]
pub async fn admin_staff(core: State<'_, AppCore>) -> CommandResult<Vec<StaffView>> {
    core.remote(async |api| api.admin_staff().await).await
}

#[tauri::command]
pub async fn admin_invite_staff(core: State<'_, AppCore>, staff: NewStaff) -> CommandResult<StaffView> {
    core.remote(async |api| api.invite_staff(&staff).await).await
}

#[tauri::command]
pub async fn admin_deactivate_staff(core: State<'_, AppCore>, account_id: String) -> CommandResult<StaffView> {
    core.remote(async |api| api.deactivate_staff(&account_id).await).await
}

#[tauri::command]
pub async fn admin_journal(core: State<'_, AppCore>, query: JournalQuery) -> CommandResult<JournalPage> {
    core.remote(async |api| api.journal(&query).await).await
}

#[tauri::command]
pub async fn admin_fee_schedule(core: State<'_, AppCore>) -> CommandResult<Vec<ScheduledFeesView>> {
    core.remote(async |api| api.fee_schedule().await).await
}

#[tauri::command]
pub async fn admin_schedule_fees(core: State<'_, AppCore>, fees: NewFees) -> CommandResult<ScheduledFeesView> {
    core.remote(async |api| api.schedule_fees(&fees).await).await
}

#[tauri::command]
pub async fn admin_cancel_fees(core: State<'_, AppCore>, starts_on: String) -> CommandResult<()> {
    core.remote(async |api| api.cancel_fees(&starts_on).await).await
}
