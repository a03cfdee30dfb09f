//! The commands of « Remplacement, Echange », the card payment, « Mes factures » and the
//! returned card (the guide's special cases 01–03), and the agent's side of a returned
//! defective card. The bank card typed in the form goes to the server once and is kept nowhere.

use crate::applications::checked_address;
use cqc_app::documents::{data_url, file_error};
use cqc_app::{AppCore, CommandResult};
use cqc_domain::application::DocumentKind;
use cqc_domain::billing::{BankCardErrors, BankCardInput, Fault, Price};
use cqc_domain::contact::AddressInput;
use cqc_domain::replacement::ReplacementReason;
use cqc_domain::upload::FileFormat;
use cqc_sync::api::{ApiError, ErrorCode};
use cqc_sync::applications::CardView;
use cqc_sync::replacements::{
    AddressRole, AnalysisRequest, DeclarationRequest, DriverFixRequest, InvoiceSummary, NewReplacement, PaymentPurpose,
    PaymentRequest, PaymentView, ReplacementView, ReturnedCardAnswer,
};
use tauri::State;

const REPLACEMENTS_COPY: &str = "replacements";
const INVOICES_COPY: &str = "invoices";

#[tauri::command]
pub async fn my_replacements(core: State<'_, AppCore>) -> CommandResult<Vec<ReplacementView>> {
    let fetched = core.authed()?.replacements().await;
    core.fetched_or_copy(REPLACEMENTS_COPY, fetched)
}

#[tauri::command]
pub async fn start_replacement(
    core: State<'_, AppCore>,
    card_id: String,
    reason: ReplacementReason,
) -> CommandResult<ReplacementView> {
    let request = NewReplacement { id: uuid::Uuid::new_v4().to_string(), card_id, reason };
    core.remote(async |api| api.start_replacement(&request).await).await
}

#[tauri::command]
pub async fn replacement(core: State<'_, AppCore>, id: String) -> CommandResult<ReplacementView> {
    core.remote(async |api| api.replacement(&id).await).await
}

#[tauri::command]
pub async fn declare_replacement(
    core: State<'_, AppCore>,
    id: String,
    declaration: DeclarationRequest,
) -> CommandResult<ReplacementView> {
    core.remote(async |api| api.declare(&id, &declaration).await).await
}

#[tauri::command]
pub async fn set_replacement_address(
    core: State<'_, AppCore>,
    id: String,
    role: AddressRole,
    address: AddressInput,
) -> CommandResult<ReplacementView> {
    let message = match role {
        AddressRole::Delivery => "L'adresse de livraison est à compléter.",
        AddressRole::Billing => "L'adresse de facturation est à compléter.",
    };
    checked_address(&address, message)?;
    core.remote(async |api| api.set_replacement_address(&id, role, &address).await).await
}

/// The theft declaration chosen as a file: checked here first, then sent (raw body, the request
/// named by the `x-replacement` header).
#[tauri::command]
pub async fn add_theft_declaration(
    core: State<'_, AppCore>,
    request: tauri::ipc::Request<'_>,
) -> CommandResult<ReplacementView> {
    let id = request.headers().get("x-replacement").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (Some(id), tauri::ipc::InvokeBody::Raw(bytes)) = (id, request.body()) else {
        return Err(ApiError::new(ErrorCode::InvalidRequest, "Le fichier n'a pas été transmis."));
    };
    let checked = cqc_capture::check_document(DocumentKind::TheftDeclaration, bytes).map_err(file_error)?;
    core.remote(async |api| api.upload_theft_declaration(&id, checked.bytes).await).await
}

#[tauri::command]
pub async fn submit_replacement(core: State<'_, AppCore>, id: String) -> CommandResult<ReplacementView> {
    core.remote(async |api| api.submit_replacement(&id).await).await
}

#[tauri::command]
pub async fn cancel_replacement(core: State<'_, AppCore>, id: String) -> CommandResult<ReplacementView> {
    core.remote(async |api| api.cancel_replacement(&id).await).await
}

#[tauri::command]
pub async fn save_return_coupon(core: State<'_, AppCore>, id: String) -> CommandResult<String> {
    let pdf = core.remote(async |api| api.return_coupon(&id).await).await?;
    core.save_download(&format!("coupon-de-retour-{}.pdf", &id[..8.min(id.len())]), &pdf)
}

#[tauri::command]
pub async fn fix_replacement(
    core: State<'_, AppCore>,
    id: String,
    correction: String,
    billing_address: AddressInput,
) -> CommandResult<ReplacementView> {
    checked_address(&billing_address, "L'adresse de facturation est à compléter.")?;
    let request = DriverFixRequest { correction, billing_address };
    core.remote(async |api| api.fix_replacement(&id, &request).await).await
}

#[tauri::command]
pub async fn fees(core: State<'_, AppCore>) -> CommandResult<Vec<Price>> {
    core.remote(async |api| api.fees().await).await
}

/// The bank card form's errors, field by field, before anything is sent.
#[tauri::command]
pub fn check_bank_card(card: BankCardInput) -> BankCardErrors {
    card.check(crate::trainings::today()).err().unwrap_or_default()
}

/// « Payer ». The UI makes `idempotency_key` once per attempt and sends it again when it retries
/// after a cut, so the card is charged once.
#[tauri::command]
pub async fn pay(
    core: State<'_, AppCore>,
    idempotency_key: String,
    purpose: PaymentPurpose,
    card: BankCardInput,
) -> CommandResult<PaymentView> {
    if !check_bank_card(card.clone()).is_empty() {
        return Err(ApiError::new(ErrorCode::InvalidFields, "Vérifiez la carte bancaire : voir sous chaque champ."));
    }
    let request = PaymentRequest { idempotency_key, purpose, card };
    core.remote(async |api| api.pay(&request).await).await
}

#[tauri::command]
pub async fn answer_challenge(
    core: State<'_, AppCore>,
    payment_id: String,
    code: String,
) -> CommandResult<PaymentView> {
    core.remote(async |api| api.answer_challenge(&payment_id, &code).await).await
}

#[tauri::command]
pub async fn abandon_challenge(core: State<'_, AppCore>, payment_id: String) -> CommandResult<PaymentView> {
    core.remote(async |api| api.abandon_challenge(&payment_id).await).await
}

#[tauri::command]
pub async fn my_invoices(core: State<'_, AppCore>) -> CommandResult<Vec<InvoiceSummary>> {
    let fetched = core.authed()?.invoices().await;
    core.fetched_or_copy(INVOICES_COPY, fetched)
}

/// The duplicate, saved in the downloads folder.
#[tauri::command]
pub async fn save_invoice(core: State<'_, AppCore>, number: String) -> CommandResult<String> {
    let pdf = core.remote(async |api| api.invoice_pdf(&number).await).await?;
    core.save_download(&format!("facture-{number}.pdf"), &pdf)
}

/// « Pli non distribué »: no address confirms the one the card went to.
#[tauri::command]
pub async fn answer_returned_card(
    core: State<'_, AppCore>,
    card_id: String,
    new_address: Option<AddressInput>,
) -> CommandResult<CardView> {
    if let Some(address) = &new_address {
        checked_address(address, "La nouvelle adresse est à compléter.")?;
    }
    let answer = ReturnedCardAnswer { new_address };
    core.remote(async |api| api.answer_returned_card(&card_id, &answer).await).await
}

#[tauri::command]
pub async fn agent_replacements(core: State<'_, AppCore>) -> CommandResult<Vec<ReplacementView>> {
    core.remote(async |api| api.replacement_queue().await).await
}

#[tauri::command]
pub async fn agent_theft_declaration(core: State<'_, AppCore>, id: String) -> CommandResult<String> {
    let bytes = core.remote(async |api| api.agent_theft_declaration(&id).await).await?;
    Ok(data_url(FileFormat::sniff(&bytes).unwrap_or(FileFormat::Pdf), &bytes))
}

#[tauri::command]
pub async fn agent_card_received(core: State<'_, AppCore>, id: String) -> CommandResult<ReplacementView> {
    core.remote(async |api| api.card_received(&id).await).await
}

#[tauri::command]
pub async fn agent_record_analysis(
    core: State<'_, AppCore>,
    id: String,
    fault: Fault,
    note: String,
) -> CommandResult<ReplacementView> {
    core.remote(async |api| api.record_analysis(&id, &AnalysisRequest { fault, note }).await).await
}
