// Texts of « Remplacement, Echange », the card payment, « Mes factures » and the returned card
// (the guide's special cases 01–03). French first, English second.
import type { BankCardField } from "./bindings/BankCardField";
import type { Cents } from "./bindings/Cents";
import type { DeclineReason } from "./bindings/DeclineReason";
import type { PaymentView } from "./bindings/PaymentView";
import type { ReplacementGap } from "./bindings/ReplacementGap";
import type { ReplacementReason } from "./bindings/ReplacementReason";
import type { ReplacementStatus } from "./bindings/ReplacementStatus";
import type { Lang } from "./i18n";

const fr = {
  replacementTitle: "Remplacement, Echange",
  replacementIntro:
    "Votre carte est perdue, volée ou défectueuse : choisissez-la et indiquez le motif. Vous pourrez revenir sur chaque étape tant que la demande n'est pas validée.",
  noReplaceableCard: "Aucune carte reçue ne peut être remplacée pour le moment.",
  whichCard: "Carte concernée",
  reason: "Motif",
  start: "Commencer",
  stepTitles: ["Déclaration", "Déclaration de vol", "Adresses", "Récapitulatif"],
  commitment:
    "Je déclare la perte ou le vol de ma carte et m'engage à la restituer si je venais à la retrouver.",
  defectDescription: "Description du défaut constaté",
  defectiveElements: "Nombre d'éléments en défaut",
  saveDeclaration: "Enregistrer la déclaration",
  theftHint:
    "Versez la déclaration de vol établie par une autorité compétente (exemple : gendarmerie, commissariat), en photo ou en PDF.",
  theftUploaded: "Déclaration de vol versée.",
  deliveryAddress: "Adresse de livraison",
  deliveryHint: "Vérifiez l'adresse à laquelle la nouvelle carte sera envoyée.",
  billingAddress: "Adresse de facturation",
  saveDelivery: "Enregistrer l'adresse de livraison",
  saveBilling: "Enregistrer l'adresse de facturation",
  saved: "Enregistré.",
  declarationSaved: "Déclaration enregistrée.",
  deliverySaved: "Adresse de livraison enregistrée.",
  billingSaved: "Adresse de facturation enregistrée.",
  summary: "Vérifiez votre demande, puis validez-la. Après validation, elle ne peut plus être modifiée.",
  missingBefore: "À compléter avant de valider :",
  goToStep: "Aller à l'étape",
  validate: "Valider",
  toPay: "Montant à régler",
  free: "Sans frais",
  couponHint:
    "Imprimez le coupon de retour et envoyez-le avec votre carte par voie postale à l'adresse indiquée sur le coupon. À réception, la carte est analysée.",
  saveCoupon: "Télécharger le coupon de retour",
  savedAt: (path: string) => `Enregistré : ${path}`,
  fixTitle: "Correction attendue",
  fixHint: "L'analyse de votre carte montre une erreur qui vous est imputée :",
  correction: "Ce que j'ai corrigé",
  sendFix: "Envoyer la correction",
  pay: "Payer",
  payTitle: "Paiement par carte bancaire",
  payHint:
    "Le numéro de votre carte bancaire est transmis à la banque pour ce paiement et n'est conservé nulle part.",
  payNow: (amount: string) => `Payer ${amount}`,
  paying: "Paiement en cours…",
  retry: "Réessayer",
  unreachableRetry:
    "Le service ne répond pas. Réessayez : si le paiement avait déjà abouti, il ne sera pas débité une seconde fois.",
  challengeTitle: "Confirmation auprès de votre banque (3-D Secure)",
  challengeHint: "Saisissez le code à usage unique que votre banque vient de vous envoyer.",
  challengeCode: "Code reçu",
  confirm: "Confirmer",
  abandon: "Abandonner",
  paid: (number: string) =>
    `Paiement accepté. Votre facture ${number} est dans « Mes factures » et vous est envoyée par courrier électronique.`,
  downloadInvoice: "Télécharger la facture",
  inProgress: "Mes demandes de remplacement",
  none: "Aucune demande de remplacement.",
  resume: "Reprendre",
  cancel: "Annuler",
  confirmCancel: "Annuler la demande de remplacement ? Rien n'a été payé.",
  show: "Afficher",
  close: "Fermer",
  newCard: "Nouvelle carte en fabrication : suivez-la dans « Mes cartes ».",
  invoicesTitle: "Mes factures",
  invoicesHint: "Les duplicatas de vos factures restent disponibles pendant 10 ans.",
  noInvoice: "Aucune facture.",
  invoiceNumber: "Facture",
  invoiceDate: "Date",
  invoiceItem: "Objet",
  invoiceTotal: "Montant TTC",
  download: "Télécharger",
  returnedLink: "pli non distribué",
  returnedTitle: "Votre carte nous a été retournée",
  returnedAddress: "Elle avait été envoyée à :",
  addressRight: "Mon adresse est correcte : renvoyer la carte",
  addressWrong: "Mon adresse est incorrecte",
  newAddressHint: (fee: string) =>
    `Indiquez votre nouvelle adresse, puis réglez les frais de réexpédition (${fee}).`,
  saveNewAddress: "Enregistrer la nouvelle adresse",
  resendConfirmed: "Adresse confirmée : votre carte va vous être renvoyée.",
  resendPaid: "Frais réglés : votre carte va être renvoyée à la nouvelle adresse.",
  toResend: "Votre carte va vous être renvoyée.",
  agentTitle: "Remplacements",
  agentNone: "Aucune demande de remplacement.",
  cardReceived: "Carte reçue",
  issuersFault: "Défaut de fabrication (sans frais)",
  driversFault: "Erreur imputée au conducteur",
  analysisNote: "Erreur à corriger par le conducteur",
  recordAnalysis: "Enregistrer l'analyse",
  theftDeclaration: "Déclaration de vol",
  view: "Voir",
};

type ReplacementDictionary = typeof fr;

const en: ReplacementDictionary = {
  replacementTitle: "Replacement, exchange",
  replacementIntro:
    "Your card is lost, stolen or defective: choose it and give the reason. You may go back to any step until the request is validated.",
  noReplaceableCard: "No received card can be replaced at the moment.",
  whichCard: "Card",
  reason: "Reason",
  start: "Start",
  stepTitles: ["Declaration", "Theft declaration", "Addresses", "Summary"],
  commitment: "I declare the loss or theft of my card and undertake to return it if I find it.",
  defectDescription: "Description of the defect",
  defectiveElements: "Number of defective elements",
  saveDeclaration: "Save the declaration",
  theftHint:
    "Upload the theft declaration made to an authority (e.g. police, gendarmerie), as a photo or a PDF.",
  theftUploaded: "Theft declaration uploaded.",
  deliveryAddress: "Delivery address",
  deliveryHint: "Check the address the new card will be sent to.",
  billingAddress: "Billing address",
  saveDelivery: "Save the delivery address",
  saveBilling: "Save the billing address",
  saved: "Saved.",
  declarationSaved: "Declaration saved.",
  deliverySaved: "Delivery address saved.",
  billingSaved: "Billing address saved.",
  summary: "Check your request, then validate it. Once validated, it can no longer be changed.",
  missingBefore: "To complete before validating:",
  goToStep: "Go to step",
  validate: "Validate",
  toPay: "Amount due",
  free: "Free of charge",
  couponHint:
    "Print the return coupon and post it with your card to the address on the coupon. The card is analysed on receipt.",
  saveCoupon: "Download the return coupon",
  savedAt: (path: string) => `Saved: ${path}`,
  fixTitle: "Correction expected",
  fixHint: "The analysis of your card found an error on your side:",
  correction: "What I corrected",
  sendFix: "Send the correction",
  pay: "Pay",
  payTitle: "Bank card payment",
  payHint: "Your bank card number goes to the bank for this payment and is kept nowhere.",
  payNow: (amount: string) => `Pay ${amount}`,
  paying: "Payment in progress…",
  retry: "Try again",
  unreachableRetry:
    "The service does not answer. Try again: a payment already made will not be charged twice.",
  challengeTitle: "Confirmation with your bank (3-D Secure)",
  challengeHint: "Enter the one-time code your bank just sent you.",
  challengeCode: "Code received",
  confirm: "Confirm",
  abandon: "Give up",
  paid: (number: string) =>
    `Payment accepted. Your invoice ${number} is in « My invoices » and was emailed to you.`,
  downloadInvoice: "Download the invoice",
  inProgress: "My replacement requests",
  none: "No replacement request.",
  resume: "Resume",
  cancel: "Cancel",
  confirmCancel: "Cancel the replacement request? Nothing was paid.",
  show: "Show",
  close: "Close",
  newCard: "New card in production: follow it in « My cards ».",
  invoicesTitle: "My invoices",
  invoicesHint: "Invoice duplicates stay available for 10 years.",
  noInvoice: "No invoice.",
  invoiceNumber: "Invoice",
  invoiceDate: "Date",
  invoiceItem: "Item",
  invoiceTotal: "Total incl. VAT",
  download: "Download",
  returnedLink: "returned undelivered",
  returnedTitle: "Your card was returned to us",
  returnedAddress: "It had been sent to:",
  addressRight: "My address is right: send the card again",
  addressWrong: "My address is wrong",
  newAddressHint: (fee: string) => `Give your new address, then pay the re-shipping fee (${fee}).`,
  saveNewAddress: "Save the new address",
  resendConfirmed: "Address confirmed: your card will be sent again.",
  resendPaid: "Fee paid: your card will be sent to the new address.",
  toResend: "Your card will be sent again.",
  agentTitle: "Replacements",
  agentNone: "No replacement request.",
  cardReceived: "Card received",
  issuersFault: "Manufacturing defect (free)",
  driversFault: "Driver's error",
  analysisNote: "Error the driver must correct",
  recordAnalysis: "Record the analysis",
  theftDeclaration: "Theft declaration",
  view: "View",
};

export const replacementTexts: Record<Lang, ReplacementDictionary> = { fr, en };

export const reasonLabels: Record<Lang, Record<ReplacementReason, string>> = {
  fr: { loss: "Perte", theft: "Vol", quality: "Qualité" },
  en: { loss: "Loss", theft: "Theft", quality: "Quality" },
};

export const replacementStatusLabels: Record<Lang, Record<ReplacementStatus, string>> = {
  fr: {
    draft: "Brouillon non validé",
    awaiting_payment: "En attente de paiement",
    awaiting_card: "En attente de votre carte (coupon de retour)",
    under_analysis: "Carte reçue, en cours d'analyse",
    awaiting_driver_fix: "Correction et paiement attendus",
    in_production: "Nouvelle carte en fabrication",
    cancelled: "Annulée",
  },
  en: {
    draft: "Draft not validated",
    awaiting_payment: "Awaiting payment",
    awaiting_card: "Awaiting your card (return coupon)",
    under_analysis: "Card received, being analysed",
    awaiting_driver_fix: "Correction and payment expected",
    in_production: "New card in production",
    cancelled: "Cancelled",
  },
};

export const gapLabels: Record<Lang, Record<ReplacementGap, string>> = {
  fr: {
    commitment_to_return: "Cochez l'engagement à restituer la carte si vous la retrouvez.",
    theft_declaration: "Versez la déclaration de vol.",
    defect_description: "Décrivez le défaut constaté.",
    defective_elements: "Indiquez le nombre d'éléments en défaut.",
    delivery_address: "Vérifiez l'adresse de livraison.",
    billing_address: "Précisez l'adresse de facturation.",
  },
  en: {
    commitment_to_return: "Tick the undertaking to return the card if found.",
    theft_declaration: "Upload the theft declaration.",
    defect_description: "Describe the defect.",
    defective_elements: "Give the number of defective elements.",
    delivery_address: "Check the delivery address.",
    billing_address: "Give the billing address.",
  },
};

export const bankCardLabels: Record<Lang, Record<BankCardField, string>> = {
  fr: {
    holder: "Titulaire de la carte",
    number: "Numéro de carte",
    expiry: "Date d'expiration (MM/AA)",
    security_code: "Cryptogramme",
  },
  en: {
    holder: "Cardholder",
    number: "Card number",
    expiry: "Expiry date (MM/YY)",
    security_code: "Security code",
  },
};

/** `2500` → `25,00 €` (or `€25.00`). */
export function money(cents: Cents, lang: Lang): string {
  return new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", {
    style: "currency",
    currency: "EUR",
  }).format(cents / 100);
}

/** Why a payment failed: in French the server's own sentence (`message`), in English this one. */
export function paymentFailure(payment: PaymentView, lang: Lang): string | null {
  if (lang === "fr") return payment.message;
  const english: Record<DeclineReason, string> = {
    insufficient_funds: "Payment refused: insufficient funds. Nothing was charged.",
    card_expired: "Payment refused: the bank card has expired. Nothing was charged.",
    challenge_failed: "Payment refused: your bank's confirmation failed. Nothing was charged.",
    refused: "Payment refused by your bank. Nothing was charged.",
  };
  const status = payment.status;
  if (status.status === "declined") return english[status.reason];
  if (status.status === "timed_out")
    return "The payment did not go through: the bank did not answer in time. Nothing was charged; you may try again.";
  return null;
}
