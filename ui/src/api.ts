// Typed calls to the desktop's commands. The types come from the Rust definitions (ts-rs).
import { Channel, type InvokeArgs, invoke } from "@tauri-apps/api/core";
import type { Commands, Events } from "./bindings/Commands";
import type { CentreList } from "./bindings/CentreList";
import type { JournalQuery } from "./bindings/JournalQuery";
import type { NewCentre } from "./bindings/NewCentre";
import type { NewFees } from "./bindings/NewFees";
import type { NewStaff } from "./bindings/NewStaff";
import type { ApiError } from "./bindings/ApiError";
import type { LicenceKind } from "./bindings/LicenceKind";
import type { RegistrationInput } from "./bindings/RegistrationInput";
import type { ReviewItem } from "./bindings/ReviewItem";
import type { SyncProgress } from "./bindings/SyncProgress";
import type { TrainingRecordInput } from "./bindings/TrainingRecordInput";
import type { AddressInput } from "./bindings/AddressInput";
import type { CardEvent } from "./bindings/CardEvent";
import type { CorrectionItem } from "./bindings/CorrectionItem";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { UploadEvent } from "./bindings/UploadEvent";
import type { AddressRole } from "./bindings/AddressRole";
import type { BankCardInput } from "./bindings/BankCardInput";
import type { DeclarationRequest } from "./bindings/DeclarationRequest";
import type { Fault } from "./bindings/Fault";
import type { PaymentPurpose } from "./bindings/PaymentPurpose";
import type { ReplacementReason } from "./bindings/ReplacementReason";
import type { UpdateProgress } from "./bindings/UpdateProgress";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export type { BankCardErrors } from "./bindings/BankCardErrors";
export type { TrainingFieldErrors } from "./bindings/TrainingFieldErrors";

/** What a failure is as the screens show it: an ApiError as the commands answer, anything else
 * (a bug, a broken bridge) turned into one. */
export function asApiError(error: unknown): ApiError {
  if (typeof error === "object" && error !== null && "code" in error && "message" in error)
    return error as ApiError;
  return { code: "internal", message: String(error) };
}

type Command = keyof Commands;
/** A command's arguments as the contract says: none, an object, or the raw body and its headers. */
type CallArgs<K extends Command> = Commands[K]["args"] extends void
  ? []
  : Commands[K]["args"] extends Uint8Array
    ? [body: Uint8Array, headers: Record<string, string>]
    : [args: Commands[K]["args"]];

/** Every command, typed by the contract generated from its Rust signature; every failure rejects
 * with an ApiError. */
async function call<K extends Command>(
  command: K,
  ...[args, headers]: CallArgs<K>
): Promise<Commands[K]["result"]> {
  try {
    return await invoke<Commands[K]["result"]>(
      command,
      args as InvokeArgs | undefined,
      headers ? { headers } : undefined,
    );
  } catch (error) {
    throw asApiError(error);
  }
}

/** An event, typed by the contract. */
function on<E extends keyof Events>(event: E, handler: (payload: Events[E]) => void): Promise<UnlistenFn> {
  return listen<Events[E]>(event, (heard) => handler(heard.payload));
}

export const api = {
  appStatus: () => call("app_status"),
  updateCheck: () => call("update_check"),
  /** Downloads, checks and installs the update found by the last check; the app then restarts. */
  updateInstall: (onProgress: (progress: UpdateProgress) => void) => {
    const progress = new Channel<UpdateProgress>();
    progress.onmessage = onProgress;
    return call("update_install", { progress });
  },
  checkLicence: (kind: LicenceKind, input: string) => call("check_licence", { kind, input }),
  checkPassword: (password: string) => call("check_password", { password }),
  register: (input: RegistrationInput) => call("register", { input }),
  openLink: (pasted: string) => call("open_link", { pasted }),
  takeOpenedLink: () => call("take_opened_link"),
  setPassword: (token: string, password: string, confirmation: string) =>
    call("set_password", { token, password, confirmation }),
  forgotPassword: (email: string) => call("forgot_password", { email }),
  login: (email: string, password: string) => call("login", { email, password }),
  logout: () => call("logout"),
  unsentWork: () => call("unsent_work"),
  keepKeysOnThisComputer: () => call("keep_keys_on_this_computer"),
  lockStatus: () => call("lock_status"),
  lockNow: () => call("lock_now"),
  unlock: (password: string) => call("unlock", { password }),
  chooseLock: (minutes: number | null) => call("choose_lock", { minutes }),
  notifications: () => call("notifications"),
  markNotificationsRead: () => call("mark_notifications_read"),
  showSystemNotification: (title: string, body: string) => call("show_system_notification", { title, body }),
  adminCentres: () => call("admin_centres"),
  adminApproveCentre: (centre: NewCentre) => call("admin_approve_centre", { centre }),
  adminStaff: () => call("admin_staff"),
  adminInviteStaff: (staff: NewStaff) => call("admin_invite_staff", { staff }),
  adminDeactivateStaff: (accountId: string) => call("admin_deactivate_staff", { accountId }),
  adminFeeSchedule: () => call("admin_fee_schedule"),
  adminScheduleFees: (fees: NewFees) => call("admin_schedule_fees", { fees }),
  adminCancelFees: (startsOn: string) => call("admin_cancel_fees", { startsOn }),
  adminJournal: (query: JournalQuery) => call("admin_journal", { query }),
  loadCorrection: (token: string) => call("load_correction", { token }),
  submitCorrection: (token: string, input: RegistrationInput) => call("submit_correction", { token, input }),
  agentQueue: () => call("agent_queue"),
  agentIdentityChecks: () => call("agent_identity_checks"),
  agentDecideIdentityCheck: (trainingId: string, samePerson: boolean) =>
    call("agent_decide_identity_check", { trainingId, samePerson }),
  agentFile: (requestId: string) => call("agent_file", { requestId }),
  agentAccept: (requestId: string) => call("agent_accept", { requestId }),
  agentRequestCorrection: (requestId: string, items: ReviewItem[]) =>
    call("agent_request_correction", { requestId, items }),
  saveDraft: (form: string, value: unknown) => call("save_draft", { form, value }),
  loadDraft: <T>(form: string) => call("load_draft", { form }) as Promise<T | null>,
  clearDraft: (form: string) => call("clear_draft", { form }),
  checkTraining: (input: TrainingRecordInput) => call("check_training", { input }),
  recordTraining: (trainingId: string | null, input: TrainingRecordInput) =>
    call("record_training", { trainingId, input }),
  /** The file's bytes as saved: the app reads UTF-8 and Windows-1252 (Excel on a French Windows). */
  importTrainingsCsv: (bytes: number[]) => call("import_trainings_csv", { bytes }),
  centreTrainings: () => call("centre_trainings"),
  syncNow: () => call("sync_now"),
  myRecaps: () => call("my_recaps"),
  myCertificates: () => call("my_certificates"),
  saveRecapPdf: (trainingId: string) => call("save_recap_pdf", { trainingId }),
  saveCertificatePdf: (certificateId: string) => call("save_certificate_pdf", { certificateId }),
  saveTrainingsCsv: (list: CentreList, csv: string) => call("save_trainings_csv", { list, csv }),
  verifyCertificate: (code: string) => call("verify_certificate", { code }),
  applicationsOverview: () => call("applications_overview"),
  startApplication: () => call("start_application"),
  applicationDraft: (id: string) => call("application_draft", { id }),
  addDocument: (id: string, kind: DocumentKind, bytes: Uint8Array) =>
    call("add_document", bytes, { "x-application": id, "x-kind": kind }),
  cameras: () => call("cameras"),
  cameraPreview: (index: number) => call("camera_preview", { index }),
  webCameraFrame: (rgba: Uint8Array, width: number, height: number) =>
    call("web_camera_frame", rgba, { "x-width": String(width), "x-height": String(height) }),
  stopCamera: () => call("stop_camera"),
  capturePhoto: (id: string, frame: number) => call("capture_photo", { id, frame }),
  saveSignature: (id: string, strokes: [number, number][][]) => call("save_signature", { id, strokes }),
  checkAddress: (address: AddressInput) => call("check_address", { address }),
  setDeliveryAddress: (id: string, address: AddressInput) => call("set_delivery_address", { id, address }),
  submitApplication: (id: string) => call("submit_application", { id }),
  answerCorrection: (id: string) => call("answer_correction", { id }),
  cancelApplication: (id: string) => call("cancel_application", { id }),
  myCards: () => call("my_cards"),
  cardPhoto: (cardId: string) => call("card_photo", { cardId }),
  activateCard: (cardId: string) => call("activate_card", { cardId }),
  smsOutbox: () => call("sms_outbox"),
  agentApplications: () => call("agent_applications"),
  agentOpenApplication: (id: string) => call("agent_open_application", { id }),
  agentApplicationDocument: (id: string, kind: DocumentKind) =>
    call("agent_application_document", { id, kind }),
  agentApprove: (id: string) => call("agent_approve", { id }),
  agentRefuse: (id: string, reason: string) => call("agent_refuse", { id, reason }),
  agentRequestApplicationCorrection: (id: string, items: CorrectionItem[]) =>
    call("agent_request_application_correction", { id, items }),
  agentCards: () => call("agent_cards"),
  agentCardStep: (cardIds: string[], event: CardEvent) => call("agent_card_step", { cardIds, event }),
  myReplacements: () => call("my_replacements"),
  startReplacement: (cardId: string, reason: ReplacementReason) =>
    call("start_replacement", { cardId, reason }),
  replacement: (id: string) => call("replacement", { id }),
  declareReplacement: (id: string, declaration: DeclarationRequest) =>
    call("declare_replacement", { id, declaration }),
  setReplacementAddress: (id: string, role: AddressRole, address: AddressInput) =>
    call("set_replacement_address", { id, role, address }),
  addTheftDeclaration: (id: string, bytes: Uint8Array) =>
    call("add_theft_declaration", bytes, { "x-replacement": id }),
  submitReplacement: (id: string) => call("submit_replacement", { id }),
  cancelReplacement: (id: string) => call("cancel_replacement", { id }),
  saveReturnCoupon: (id: string) => call("save_return_coupon", { id }),
  fixReplacement: (id: string, correction: string, billingAddress: AddressInput) =>
    call("fix_replacement", { id, correction, billingAddress }),
  fees: () => call("fees"),
  checkBankCard: (card: BankCardInput) => call("check_bank_card", { card }),
  pay: (idempotencyKey: string, purpose: PaymentPurpose, card: BankCardInput) =>
    call("pay", { idempotencyKey, purpose, card }),
  answerChallenge: (paymentId: string, code: string) => call("answer_challenge", { paymentId, code }),
  abandonChallenge: (paymentId: string) => call("abandon_challenge", { paymentId }),
  myInvoices: () => call("my_invoices"),
  saveInvoice: (number: string) => call("save_invoice", { number }),
  savePersonalData: () => call("save_personal_data"),
  closeAccount: (password: string) => call("close_account", { password }),
  nextStep: () => call("next_step"),
  answerReturnedCard: (cardId: string, newAddress: AddressInput | null) =>
    call("answer_returned_card", { cardId, newAddress }),
  agentReplacements: () => call("agent_replacements"),
  agentTheftDeclaration: (id: string) => call("agent_theft_declaration", { id }),
  agentCardReceived: (id: string) => call("agent_card_received", { id }),
  agentRecordAnalysis: (id: string, fault: Fault, note: string) =>
    call("agent_record_analysis", { id, fault, note }),
  onUploadProgress: (handler: (progress: UploadEvent) => void) => on("upload-progress", handler),
  /** Every sync's progress, whether asked for or in the background. */
  onSyncProgress: (handler: (progress: SyncProgress) => void) => on("sync-progress", handler),
  /** An emailed `cqc://` link opened while the app runs. */
  onLinkOpened: (handler: () => void) => on("link-opened", () => handler()),
};

export function isApiError(error: unknown): error is ApiError {
  return typeof error === "object" && error !== null && "code" in error && "message" in error;
}
