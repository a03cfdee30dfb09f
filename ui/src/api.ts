// Typed calls to the desktop's commands. The types come from the Rust definitions (ts-rs).
import { Channel, invoke } from "@tauri-apps/api/core";
import type { CentreList } from "./bindings/CentreList";
import type { CentreView } from "./bindings/CentreView";
import type { JournalPage } from "./bindings/JournalPage";
import type { JournalQuery } from "./bindings/JournalQuery";
import type { NewCentre } from "./bindings/NewCentre";
import type { NewFees } from "./bindings/NewFees";
import type { NewStaff } from "./bindings/NewStaff";
import type { ScheduledFeesView } from "./bindings/ScheduledFeesView";
import type { StaffView } from "./bindings/StaffView";
import type { ApiError } from "./bindings/ApiError";
import type { AppStatus } from "./bindings/AppStatus";
import type { CorrectionView } from "./bindings/CorrectionView";
import type { LicenceAnalysis } from "./bindings/LicenceAnalysis";
import type { LicenceKind } from "./bindings/LicenceKind";
import type { Notification } from "./bindings/Notification";
import type { OpenedLink } from "./bindings/OpenedLink";
import type { PasswordRule } from "./bindings/PasswordRule";
import type { Profile } from "./bindings/Profile";
import type { UnsentWork } from "./bindings/UnsentWork";
import type { LockStatus } from "./bindings/LockStatus";
import type { RegistrationFile } from "./bindings/RegistrationFile";
import type { RegistrationInput } from "./bindings/RegistrationInput";
import type { RegistrationQueue } from "./bindings/RegistrationQueue";
import type { IdentityCheckView } from "./bindings/IdentityCheckView";
import type { RegistrationReceipt } from "./bindings/RegistrationReceipt";
import type { ReviewItem } from "./bindings/ReviewItem";
import type { Certificate } from "./bindings/Certificate";
import type { CertificateClaims } from "./bindings/CertificateClaims";
import type { CentreOverview } from "./bindings/CentreOverview";
import type { ImportOutcome } from "./bindings/ImportOutcome";
import type { Recap } from "./bindings/Recap";
import type { RecordOutcome } from "./bindings/RecordOutcome";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { TrainingField } from "./bindings/TrainingField";
import type { FieldError } from "./bindings/FieldError";
import type { TrainingRecordInput } from "./bindings/TrainingRecordInput";
import type { AddressInput } from "./bindings/AddressInput";
import type { ApplicationDraft } from "./bindings/ApplicationDraft";
import type { ApplicationFile } from "./bindings/ApplicationFile";
import type { ApplicationQueue } from "./bindings/ApplicationQueue";
import type { ApplicationsOverview } from "./bindings/ApplicationsOverview";
import type { CameraChoice } from "./bindings/CameraChoice";
import type { CameraPreview } from "./bindings/CameraPreview";
import type { CardEvent } from "./bindings/CardEvent";
import type { CardView } from "./bindings/CardView";
import type { CorrectionItem } from "./bindings/CorrectionItem";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { SmsMessage } from "./bindings/SmsMessage";
import type { UploadEvent } from "./bindings/UploadEvent";
import type { AddressRole } from "./bindings/AddressRole";
import type { BankCardField } from "./bindings/BankCardField";
import type { BankCardInput } from "./bindings/BankCardInput";
import type { DeclarationRequest } from "./bindings/DeclarationRequest";
import type { Fault } from "./bindings/Fault";
import type { InvoiceSummary } from "./bindings/InvoiceSummary";
import type { PaymentPurpose } from "./bindings/PaymentPurpose";
import type { PaymentView } from "./bindings/PaymentView";
import type { Price } from "./bindings/Price";
import type { ReplacementReason } from "./bindings/ReplacementReason";
import type { ReplacementView } from "./bindings/ReplacementView";
import type { NextStep } from "./bindings/NextStep";
import type { UpdateProgress } from "./bindings/UpdateProgress";
import type { UpdateStatus } from "./bindings/UpdateStatus";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export type TrainingFieldErrors = { [key in TrainingField]?: FieldError };
export type BankCardErrors = { [key in BankCardField]?: FieldError };

/** What a failure is as the screens show it: an ApiError as the commands answer, anything else
 * (a bug, a broken bridge) turned into one. */
export function asApiError(error: unknown): ApiError {
  if (typeof error === "object" && error !== null && "code" in error && "message" in error)
    return error as ApiError;
  return { code: "internal", message: String(error) };
}

/** Every failed command rejects with an ApiError. */
async function call<T>(
  command: string,
  args?: Record<string, unknown> | Uint8Array,
  headers?: Record<string, string>,
): Promise<T> {
  try {
    return await invoke<T>(command, args, headers ? { headers } : undefined);
  } catch (error) {
    throw asApiError(error);
  }
}

export const api = {
  appStatus: () => call<AppStatus>("app_status"),
  updateCheck: () => call<UpdateStatus>("update_check"),
  /** Downloads, checks and installs the update found by the last check; the app then restarts. */
  updateInstall: (onProgress: (progress: UpdateProgress) => void) => {
    const progress = new Channel<UpdateProgress>();
    progress.onmessage = onProgress;
    return call<void>("update_install", { progress });
  },
  checkLicence: (kind: LicenceKind, input: string) => call<LicenceAnalysis>("check_licence", { kind, input }),
  checkPassword: (password: string) => call<PasswordRule[]>("check_password", { password }),
  register: (input: RegistrationInput) => call<RegistrationReceipt>("register", { input }),
  openLink: (pasted: string) => call<OpenedLink>("open_link", { pasted }),
  takeOpenedLink: () => call<OpenedLink | null>("take_opened_link"),
  setPassword: (token: string, password: string, confirmation: string) =>
    call<void>("set_password", { token, password, confirmation }),
  forgotPassword: (email: string) => call<void>("forgot_password", { email }),
  login: (email: string, password: string) => call<Profile>("login", { email, password }),
  logout: () => call<void>("logout"),
  unsentWork: () => call<UnsentWork>("unsent_work"),
  keepKeysOnThisComputer: () => call<void>("keep_keys_on_this_computer"),
  lockStatus: () => call<LockStatus>("lock_status"),
  lockNow: () => call<void>("lock_now"),
  unlock: (password: string) => call<void>("unlock", { password }),
  chooseLock: (minutes: number | null) => call<LockStatus>("choose_lock", { minutes }),
  notifications: () => call<Notification[]>("notifications"),
  markNotificationsRead: () => call<void>("mark_notifications_read"),
  showSystemNotification: (title: string, body: string) =>
    call<void>("show_system_notification", { title, body }),
  adminCentres: () => call<CentreView[]>("admin_centres"),
  adminApproveCentre: (centre: NewCentre) => call<CentreView>("admin_approve_centre", { centre }),
  adminStaff: () => call<StaffView[]>("admin_staff"),
  adminInviteStaff: (staff: NewStaff) => call<StaffView>("admin_invite_staff", { staff }),
  adminDeactivateStaff: (accountId: string) => call<StaffView>("admin_deactivate_staff", { accountId }),
  adminFeeSchedule: () => call<ScheduledFeesView[]>("admin_fee_schedule"),
  adminScheduleFees: (fees: NewFees) => call<ScheduledFeesView>("admin_schedule_fees", { fees }),
  adminCancelFees: (startsOn: string) => call<void>("admin_cancel_fees", { startsOn }),
  adminJournal: (query: JournalQuery) => call<JournalPage>("admin_journal", { query }),
  loadCorrection: (token: string) => call<CorrectionView>("load_correction", { token }),
  submitCorrection: (token: string, input: RegistrationInput) =>
    call<RegistrationReceipt>("submit_correction", { token, input }),
  agentQueue: () => call<RegistrationQueue>("agent_queue"),
  agentIdentityChecks: () => call<IdentityCheckView[]>("agent_identity_checks"),
  agentDecideIdentityCheck: (trainingId: string, samePerson: boolean) =>
    call<void>("agent_decide_identity_check", { trainingId, samePerson }),
  agentFile: (requestId: string) => call<RegistrationFile>("agent_file", { requestId }),
  agentAccept: (requestId: string) => call<RegistrationFile>("agent_accept", { requestId }),
  agentRequestCorrection: (requestId: string, items: ReviewItem[]) =>
    call<RegistrationFile>("agent_request_correction", { requestId, items }),
  saveDraft: (form: string, value: unknown) => call<void>("save_draft", { form, value }),
  loadDraft: <T>(form: string) => call<T | null>("load_draft", { form }),
  clearDraft: (form: string) => call<void>("clear_draft", { form }),
  checkTraining: (input: TrainingRecordInput) => call<TrainingFieldErrors>("check_training", { input }),
  recordTraining: (trainingId: string | null, input: TrainingRecordInput) =>
    call<RecordOutcome>("record_training", { trainingId, input }),
  /** The file's bytes as saved: the app reads UTF-8 and Windows-1252 (Excel on a French Windows). */
  importTrainingsCsv: (bytes: number[]) => call<ImportOutcome>("import_trainings_csv", { bytes }),
  centreTrainings: () => call<CentreOverview>("centre_trainings"),
  syncNow: () => call<SyncProgress>("sync_now"),
  myRecaps: () => call<Recap[]>("my_recaps"),
  myCertificates: () => call<Certificate[]>("my_certificates"),
  saveRecapPdf: (trainingId: string) => call<string>("save_recap_pdf", { trainingId }),
  saveCertificatePdf: (certificateId: string) => call<string>("save_certificate_pdf", { certificateId }),
  saveTrainingsCsv: (list: CentreList, csv: string) => call<string>("save_trainings_csv", { list, csv }),
  verifyCertificate: (code: string) => call<CertificateClaims>("verify_certificate", { code }),
  applicationsOverview: () => call<ApplicationsOverview>("applications_overview"),
  startApplication: () => call<ApplicationDraft>("start_application"),
  applicationDraft: (id: string) => call<ApplicationDraft>("application_draft", { id }),
  addDocument: (id: string, kind: DocumentKind, bytes: Uint8Array) =>
    call<ApplicationDraft>("add_document", bytes, { "x-application": id, "x-kind": kind }),
  cameras: () => call<CameraChoice[]>("cameras"),
  cameraPreview: (index: number) => call<CameraPreview>("camera_preview", { index }),
  webCameraFrame: (rgba: Uint8Array, width: number, height: number) =>
    call<CameraPreview>("web_camera_frame", rgba, { "x-width": String(width), "x-height": String(height) }),
  stopCamera: () => call<void>("stop_camera"),
  capturePhoto: (id: string, frame: number) => call<ApplicationDraft>("capture_photo", { id, frame }),
  saveSignature: (id: string, strokes: [number, number][][]) =>
    call<ApplicationDraft>("save_signature", { id, strokes }),
  checkAddress: (address: AddressInput) =>
    call<NonNullable<ApiError["fields"]>>("check_address", { address }),
  setDeliveryAddress: (id: string, address: AddressInput) =>
    call<ApplicationDraft>("set_delivery_address", { id, address }),
  submitApplication: (id: string) => call<ApplicationDraft>("submit_application", { id }),
  answerCorrection: (id: string) => call<ApplicationDraft>("answer_correction", { id }),
  cancelApplication: (id: string) => call<void>("cancel_application", { id }),
  myCards: () => call<CardView[]>("my_cards"),
  cardPhoto: (cardId: string) => call<string>("card_photo", { cardId }),
  activateCard: (cardId: string) => call<CardView>("activate_card", { cardId }),
  smsOutbox: () => call<SmsMessage[]>("sms_outbox"),
  agentApplications: () => call<ApplicationQueue>("agent_applications"),
  agentOpenApplication: (id: string) => call<ApplicationFile>("agent_open_application", { id }),
  agentApplicationDocument: (id: string, kind: DocumentKind) =>
    call<string>("agent_application_document", { id, kind }),
  agentApprove: (id: string) => call<ApplicationFile>("agent_approve", { id }),
  agentRefuse: (id: string, reason: string) => call<ApplicationFile>("agent_refuse", { id, reason }),
  agentRequestApplicationCorrection: (id: string, items: CorrectionItem[]) =>
    call<ApplicationFile>("agent_request_application_correction", { id, items }),
  agentCards: () => call<CardView[]>("agent_cards"),
  agentCardStep: (cardIds: string[], event: CardEvent) =>
    call<CardView[]>("agent_card_step", { cardIds, event }),
  myReplacements: () => call<ReplacementView[]>("my_replacements"),
  startReplacement: (cardId: string, reason: ReplacementReason) =>
    call<ReplacementView>("start_replacement", { cardId, reason }),
  replacement: (id: string) => call<ReplacementView>("replacement", { id }),
  declareReplacement: (id: string, declaration: DeclarationRequest) =>
    call<ReplacementView>("declare_replacement", { id, declaration }),
  setReplacementAddress: (id: string, role: AddressRole, address: AddressInput) =>
    call<ReplacementView>("set_replacement_address", { id, role, address }),
  addTheftDeclaration: (id: string, bytes: Uint8Array) =>
    call<ReplacementView>("add_theft_declaration", bytes, { "x-replacement": id }),
  submitReplacement: (id: string) => call<ReplacementView>("submit_replacement", { id }),
  cancelReplacement: (id: string) => call<ReplacementView>("cancel_replacement", { id }),
  saveReturnCoupon: (id: string) => call<string>("save_return_coupon", { id }),
  fixReplacement: (id: string, correction: string, billingAddress: AddressInput) =>
    call<ReplacementView>("fix_replacement", { id, correction, billingAddress }),
  fees: () => call<Price[]>("fees"),
  checkBankCard: (card: BankCardInput) => call<BankCardErrors>("check_bank_card", { card }),
  pay: (idempotencyKey: string, purpose: PaymentPurpose, card: BankCardInput) =>
    call<PaymentView>("pay", { idempotencyKey, purpose, card }),
  answerChallenge: (paymentId: string, code: string) =>
    call<PaymentView>("answer_challenge", { paymentId, code }),
  abandonChallenge: (paymentId: string) => call<PaymentView>("abandon_challenge", { paymentId }),
  myInvoices: () => call<InvoiceSummary[]>("my_invoices"),
  saveInvoice: (number: string) => call<string>("save_invoice", { number }),
  savePersonalData: () => call<string>("save_personal_data"),
  closeAccount: (password: string) => call<void>("close_account", { password }),
  nextStep: () => call<NextStep>("next_step"),
  answerReturnedCard: (cardId: string, newAddress: AddressInput | null) =>
    call<CardView>("answer_returned_card", { cardId, newAddress }),
  agentReplacements: () => call<ReplacementView[]>("agent_replacements"),
  agentTheftDeclaration: (id: string) => call<string>("agent_theft_declaration", { id }),
  agentCardReceived: (id: string) => call<ReplacementView>("agent_card_received", { id }),
  agentRecordAnalysis: (id: string, fault: Fault, note: string) =>
    call<ReplacementView>("agent_record_analysis", { id, fault, note }),
  onUploadProgress: (handler: (progress: UploadEvent) => void): Promise<UnlistenFn> =>
    listen<UploadEvent>("upload-progress", (event) => handler(event.payload)),
  /** Every sync's progress, whether asked for or in the background. */
  onSyncProgress: (handler: (progress: SyncProgress) => void): Promise<UnlistenFn> =>
    listen<SyncProgress>("sync-progress", (event) => handler(event.payload)),
  /** An emailed `cqc://` link opened while the app runs. */
  onLinkOpened: (handler: () => void): Promise<UnlistenFn> => listen("link-opened", () => handler()),
};

export function isApiError(error: unknown): error is ApiError {
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}
