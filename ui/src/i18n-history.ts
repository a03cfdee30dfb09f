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
  staff_deactivated: "Staff account deactivated",
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

/** The actions' names in French, for the journal's filter (the lines show their own sentence). */
const fr: Record<AuditAction, string> = {
  registration_submitted: "Demande de compte envoyée",
  registration_accepted: "Compte validé",
  registration_correction_requested: "Correction de la demande de compte demandée",
  registration_corrected: "Demande de compte corrigée",
  password_link_requested: "Lien de mot de passe envoyé",
  password_set: "Mot de passe enregistré",
  login_failed: "Mot de passe erroné",
  login_locked: "Compte bloqué après des erreurs de mot de passe",
  account_closed: "Compte clôturé",
  staff_created: "Compte du personnel ouvert",
  staff_deactivated: "Compte du personnel désactivé",
  centre_approved: "Centre agréé",
  reminded: "Rappel envoyé",
  training_recorded: "Formation enregistrée",
  certificate_issued: "Attestation délivrée",
  identity_check_needed: "Vérification d'identité demandée",
  identity_check_decided: "Vérification d'identité décidée",
  draft: "Demande commencée",
  document: "Pièce ajoutée",
  submitted: "Demande envoyée",
  in_processing: "Prise en charge",
  correction_requested: "Informations demandées",
  answered: "Informations envoyées",
  approved: "Acceptée",
  refused: "Refusée",
  cancelled: "Annulée",
  analysed: "Carte renvoyée analysée",
  fixed: "Corrigée par le conducteur",
  in_production: "Carte en fabrication",
  printed: "Carte imprimée",
  shipped: "Carte expédiée",
  delivered: "Carte distribuée",
  activated: "Carte activée",
  returned: "Pli non distribué",
  to_resend: "Carte à renvoyer",
  void: "Carte annulée",
  card_received: "Carte renvoyée reçue",
  new_address: "Nouvelle adresse",
  payment: "Paiement commencé",
  paid: "Payé",
  invoice: "Facture émise",
};

/** Each action with its name, for a filter. */
export function actionNames(lang: Lang): [AuditAction, string][] {
  return Object.entries(lang === "fr" ? fr : en) as [AuditAction, string][];
}

export function historyText(entry: { action: AuditAction; detail: string }, lang: Lang): string {
  return lang === "fr" ? entry.detail : en[entry.action];
}
