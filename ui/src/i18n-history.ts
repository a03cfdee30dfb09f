// The history of an account, an application, a card or a replacement, worded from each entry's
// action code. French shows the sentence recorded at the time (with its numbers and addresses,
// the archive's wording); English words the code.
import type { AuditAction } from "./bindings/AuditAction";
import type { Lang } from "./i18n";

const en: Record<AuditAction, string> = {
  registration_submitted: "Registration sent",
  registration_accepted: "Registration accepted",
  registration_correction_requested: "Corrections requested on the registration",
  registration_corrected: "Registration corrected",
  password_link_requested: "Password link requested",
  password_set: "Password set",
  login_failed: "Wrong password",
  login_locked: "Account locked after repeated wrong passwords",
  account_closed: "Account closed at the driver's request",
  staff_created: "Staff account created",
  centre_approved: "Training centre approved",
  reminded: "Reminder sent",
  training_recorded: "Training recorded",
  certificate_issued: "Qualification certificate issued",
  identity_check_needed: "Training waiting for an identity check",
  identity_check_decided: "Identity check decided",
  draft: "Started",
  document: "Document added",
  submitted: "Sent",
  in_processing: "Taken up by an agent",
  correction_requested: "More information requested",
  answered: "More information sent",
  approved: "Accepted",
  refused: "Refused",
  cancelled: "Cancelled",
  analysed: "Returned card analysed",
  fixed: "Corrected by the driver",
  in_production: "Card in production",
  printed: "Card printed",
  shipped: "Card shipped",
  delivered: "Card delivered",
  activated: "Card activated",
  returned: "Card returned to sender",
  to_resend: "Card to be sent again",
  void: "Card cancelled",
  card_received: "Returned card received",
  new_address: "New address given",
  payment: "Payment started",
  paid: "Paid",
  invoice: "Invoice issued",
};

export function historyText(entry: { action: AuditAction; detail: string }, lang: Lang): string {
  return lang === "fr" ? entry.detail : en[entry.action];
}
