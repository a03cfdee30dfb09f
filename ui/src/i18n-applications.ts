// Texts of the card application (guide steps 05–07 and 12): « Mes demandes », the application's
// steps, « Mes cartes », and the agent's processing. French first, English second.
import { count } from "./components/numbers";
import type { ApplicationStatus } from "./bindings/ApplicationStatus";
import type { CardEvent } from "./bindings/CardEvent";
import type { CardStatus } from "./bindings/CardStatus";
import type { DocumentKind } from "./bindings/DocumentKind";
import type { NotEligible } from "./bindings/NotEligible";
import type { PhotoProblem } from "./bindings/PhotoProblem";
import type { Reason } from "./bindings/Reason";
import type { ReviewedItem } from "./bindings/ReviewedItem";
import type { SignatureProblem } from "./bindings/SignatureProblem";
import type { Lang } from "./i18n";
import { frenchDate } from "./components/dates";

const fr = {
  myApplications: "Mes demandes",
  makeApplication: "Faire une demande",
  cqcCard: "Carte de qualification de conducteur (CQC)",
  requiredDocuments: "Pour faire la demande, munissez-vous de :",
  requiredList: [
    "votre carte d'identité (recto et verso), en photo ou en PDF ;",
    "votre permis de conduire, en photo ou en PDF ;",
    "une caméra pour la photo d'identité (ou un fichier photo) ;",
    "votre adresse de livraison.",
  ],
  start: "Commencer",
  offlineNoStart: "Hors ligne : la demande pourra commencer dès le retour du réseau.",
  inProgress: "Mes demandes en cours",
  noApplication: "Aucune demande.",
  lastStep: "Dernière étape",
  timeline: "Historique",
  resume: "Reprendre",
  cancel: "Annuler",
  confirmCancel: "Annuler la demande ? Ses informations et ses documents seront supprimés.",
  show: "Afficher",
  answer: "Répondre",
  detail: "Détail",
  close: "Fermer",
  stepTitles: [
    "Pièce d'identité",
    "Permis de conduire",
    "Photo d'identité",
    "Signature",
    "Adresse de livraison",
    "Récapitulatif",
  ],
  previous: "Précédent",
  next: "Suivant",
  chooseFile: "Choisir un fichier (JPEG, PNG ou PDF)",
  chooseImage: "Choisir un fichier photo (JPEG ou PNG)",
  kept: "Enregistré sur cet ordinateur",
  sent: "Envoyé",
  notSentYet: "Pas encore envoyé : il partira dès que le service répond.",
  sending: (kind: string, sent: number, total: number) =>
    `Envoi : ${kind} — ${Math.round((100 * sent) / Math.max(total, 1))} %`,
  camera: "Caméra",
  noCamera: "Aucune caméra détectée. Choisissez un fichier photo.",
  cameraDenied:
    "L'accès à la caméra est refusé. Autorisez-le dans les paramètres de confidentialité de l'ordinateur, ou choisissez un fichier photo.",
  takePhoto: "Prendre la photo",
  retake: "Reprendre la photo",
  photoOk: "Cadrage, lumière et netteté conformes.",
  photoHints: "Visage au centre, fond uni et clair, regard vers la caméra, sans lunettes de soleil.",
  signHere: "Signez dans le cadre avec la souris, un stylet ou le doigt.",
  signWithKeys:
    "Au clavier : les flèches déplacent le stylo (avec Maj, plus loin), Début, Page préc., Fin et Page suiv. en diagonale, Espace le pose ou le lève.",
  signaturePad: "Cadre de signature",
  penDown: "Stylo posé : les flèches tracent.",
  penUp: "Stylo levé.",
  clear: "Effacer",
  keepSignature: "Valider la signature",
  saveAddress: "Enregistrer l'adresse",
  addressToFix: "L'adresse de livraison est à compléter : voir le message sous chaque champ.",
  summary: "Vérifiez votre demande avant de la valider.",
  validate: "Valider",
  submitted: "Votre demande est envoyée au service de traitement.",
  missing: "À fournir",
  correctionIntro: "Le service demande de fournir de nouveau :",
  sendAnswer: "Envoyer",
  answered: "Réponse envoyée : votre demande retourne en traitement.",
  qualifications: "Qualifications",
  code95: "Validité code 95",
  myCards: "Mes cartes",
  noCard: "Aucune carte pour le moment.",
  activate: "Activer ma carte",
  activateHint:
    "À réception, vérifiez vos nom, prénoms, date de naissance, numéro de permis et photo, puis activez la carte.",
  somethingWrong:
    "Une erreur sur la carte ? Demandez un remplacement « Qualité » (ci-dessous, « Remplacement, Echange »).",
  activated: "Carte activée.",
  cardNumber: "N° de carte",
  issued: "Délivrée le",
  born: "Né(e) le",
  licence: "Permis n°",
  agentApplications: "Demandes de carte",
  searchApplications: "Rechercher un conducteur (nom)",
  toProcess: (n: number) => `${count(n, "fr")} à traiter`,
  inProcessingCount: (n: number) => `${count(n, "fr")} en traitement`,
  waitingDriver: (n: number) => `${count(n, "fr")} en attente du conducteur`,
  correctionOpen: "Informations demandées au conducteur",
  age: (hours: number) => (hours < 1 ? "il y a moins d'une heure" : `il y a ${hours} h`),
  open: "Ouvrir",
  approve: "Accepter",
  refuse: "Refuser",
  refusalReason: "Motif du refus",
  askCorrection: "Demander des informations complémentaires",
  reasonFor: (item: string) => `Motif pour « ${item} »`,
  cardsInProduction: "Cartes en production",
  selectCard: (n: string) => `Choisir la carte ${n}`,
  noCardInProduction: "Aucune carte en production.",
  smsTitle: "SMS reçus",
};

type ApplicationDictionary = typeof fr;

const en: ApplicationDictionary = {
  myApplications: "My applications",
  makeApplication: "Make an application",
  cqcCard: "Driver qualification card (CQC)",
  requiredDocuments: "To apply, have at hand:",
  requiredList: [
    "your identity card (front and back), as a photo or a PDF;",
    "your driving licence, as a photo or a PDF;",
    "a camera for the ID photo (or a photo file);",
    "your delivery address.",
  ],
  start: "Start",
  offlineNoStart: "Offline: the application can start as soon as the network is back.",
  inProgress: "My applications in progress",
  noApplication: "No application.",
  lastStep: "Last step",
  timeline: "History",
  resume: "Resume",
  cancel: "Cancel",
  confirmCancel: "Cancel the application? Its information and documents will be deleted.",
  show: "Show",
  answer: "Answer",
  detail: "Details",
  close: "Close",
  stepTitles: [
    "Identity document",
    "Driving licence",
    "ID photo",
    "Signature",
    "Delivery address",
    "Summary",
  ],
  previous: "Previous",
  next: "Next",
  chooseFile: "Choose a file (JPEG, PNG or PDF)",
  chooseImage: "Choose a photo file (JPEG or PNG)",
  kept: "Saved on this computer",
  sent: "Sent",
  notSentYet: "Not sent yet: it goes as soon as the service answers.",
  sending: (kind, sent, total) => `Sending: ${kind} — ${Math.round((100 * sent) / Math.max(total, 1))} %`,
  camera: "Camera",
  noCamera: "No camera found. Choose a photo file.",
  cameraDenied:
    "Access to the camera is refused. Allow it in the computer's privacy settings, or choose a photo file.",
  takePhoto: "Take the photo",
  retake: "Retake the photo",
  photoOk: "Framing, light and sharpness are right.",
  photoHints: "Face in the centre, plain light background, looking at the camera, no sunglasses.",
  signHere: "Sign in the box with the mouse, a pen or your finger.",
  signWithKeys:
    "With the keyboard: the arrows move the pen (further with Shift), Space puts it down or lifts it.",
  signaturePad: "Signature box",
  penDown: "Pen down: the arrows draw.",
  penUp: "Pen lifted.",
  clear: "Clear",
  keepSignature: "Keep this signature",
  saveAddress: "Save the address",
  addressToFix: "The delivery address is incomplete: see the message below each field.",
  summary: "Check your application before validating it.",
  validate: "Validate",
  submitted: "Your application has been sent for processing.",
  missing: "Missing",
  correctionIntro: "The service asks you to provide again:",
  sendAnswer: "Send",
  answered: "Answer sent: your application is back in processing.",
  qualifications: "Qualifications",
  code95: "Code 95 valid until",
  myCards: "My cards",
  noCard: "No card yet.",
  activate: "Activate my card",
  activateHint: "On receipt, check your names, birth date, licence number and photo, then activate the card.",
  somethingWrong:
    "A mistake on the card? Ask for a « Quality » replacement (below, « Replacement, exchange »).",
  activated: "Card activated.",
  cardNumber: "Card no.",
  issued: "Issued on",
  born: "Born on",
  licence: "Licence no.",
  agentApplications: "Card applications",
  searchApplications: "Search a driver (name)",
  toProcess: (n) => `${count(n, "en")} to process`,
  inProcessingCount: (n) => `${count(n, "en")} in processing`,
  waitingDriver: (n) => `${count(n, "en")} waiting for the driver`,
  correctionOpen: "Information asked of the driver",
  age: (hours) => (hours < 1 ? "less than an hour ago" : `${hours} h ago`),
  open: "Open",
  approve: "Approve",
  refuse: "Refuse",
  refusalReason: "Reason for refusal",
  askCorrection: "Ask for more information",
  reasonFor: (item) => `Reason for « ${item} »`,
  cardsInProduction: "Cards in production",
  selectCard: (n) => `Select card ${n}`,
  noCardInProduction: "No card in production.",
  smsTitle: "Text messages received",
};

export const applicationTexts: Record<Lang, ApplicationDictionary> = { fr, en };

export const documentLabels: Record<Lang, Record<DocumentKind, string>> = {
  fr: {
    identity_front: "Carte d'identité (recto)",
    identity_back: "Carte d'identité (verso)",
    driving_licence: "Permis de conduire",
    photo: "Photo d'identité",
    signature: "Signature",
    theft_declaration: "Déclaration de vol",
  },
  en: {
    identity_front: "Identity card (front)",
    identity_back: "Identity card (back)",
    driving_licence: "Driving licence",
    photo: "ID photo",
    signature: "Signature",
    theft_declaration: "Theft declaration",
  },
};

export const itemLabels: Record<Lang, Record<ReviewedItem, string>> = {
  fr: {
    identity_card: "Carte d'identité",
    driving_licence: "Permis de conduire",
    photo: "Photo d'identité",
    signature: "Signature",
  },
  en: {
    identity_card: "Identity card",
    driving_licence: "Driving licence",
    photo: "ID photo",
    signature: "Signature",
  },
};

export const statusLabels: Record<Lang, Record<ApplicationStatus, string>> = {
  fr: {
    draft: "Brouillon non envoyé",
    submitted: "Envoyée",
    in_processing: "En cours de traitement",
    approved: "Acceptée",
    refused: "Refusée",
    cancelled: "Annulée",
  },
  en: {
    draft: "Draft not sent",
    submitted: "Sent",
    in_processing: "In processing",
    approved: "Approved",
    refused: "Refused",
    cancelled: "Cancelled",
  },
};

export const cardStatusLabels: Record<Lang, Record<CardStatus, string>> = {
  fr: {
    in_production: "En fabrication",
    printed: "Imprimée",
    shipped: "Expédiée",
    delivered: "Distribuée",
    activated: "Activée",
    returned: "Pli non distribué",
    to_resend: "À renvoyer",
    void: "Annulée (remplacée)",
  },
  en: {
    in_production: "In production",
    printed: "Printed",
    shipped: "Shipped",
    delivered: "Delivered",
    activated: "Activated",
    returned: "Returned undelivered",
    to_resend: "To send again",
    void: "Void (replaced)",
  },
};

export const cardEventLabels: Record<Lang, Record<CardEvent, string>> = {
  fr: {
    print: "Marquer imprimée",
    ship: "Marquer expédiée",
    deliver: "Marquer distribuée",
    return_undelivered: "Pli non distribué",
    activate: "Activer",
    resend: "Renvoyer",
    invalidate: "Annuler la carte",
  },
  en: {
    print: "Mark printed",
    ship: "Mark shipped",
    deliver: "Mark delivered",
    return_undelivered: "Returned undelivered",
    activate: "Activate",
    resend: "Send again",
    invalidate: "Void the card",
  },
};

export const photoProblemLabels: Record<Lang, Record<PhotoProblem, string>> = {
  fr: {
    resolution_too_low: "Image trop petite",
    too_dark: "Trop sombre : éclairez votre visage",
    too_bright: "Trop clair : évitez la lumière directe",
    low_contrast: "Le visage ne se détache pas du fond",
    blurred: "Image floue : ne bougez pas",
    no_person: "Personne devant la caméra",
    not_centred: "Placez votre visage au centre",
    too_far: "Rapprochez-vous",
  },
  en: {
    resolution_too_low: "Image too small",
    too_dark: "Too dark: light your face",
    too_bright: "Too bright: avoid direct light",
    low_contrast: "Your face does not stand out from the background",
    blurred: "Blurred: hold still",
    no_person: "Nobody in front of the camera",
    not_centred: "Put your face in the centre",
    too_far: "Come closer",
  },
};

export const signatureProblemLabels: Record<Lang, Record<SignatureProblem, string>> = {
  fr: {
    empty: "Signez dans le cadre avant de valider.",
    too_short: "Cette signature est trop courte : signez comme sur vos documents.",
  },
  en: {
    empty: "Sign in the box before confirming.",
    too_short: "This signature is too short: sign as on your documents.",
  },
};

/** A refusal the domain gave a reason for, in the person's language. */
export function reasonText(reason: Reason, lang: Lang): string {
  switch (reason.kind) {
    case "photo_refused":
      return `${lang === "fr" ? "Photo refusée" : "Photo refused"} — ${reason.problems
        .map((problem) => photoProblemLabels[lang][problem])
        .join(" · ")}.`;
    case "signature_refused":
      return signatureProblemLabels[lang][reason.problem];
    case "not_eligible":
      return notEligibleText(reason.why, lang);
  }
}

export function notEligibleText(reason: NotEligible, lang: Lang): string {
  const fr = lang === "fr";
  switch (reason.code) {
    case "no_entitling_training":
      return fr
        ? "Aucune formation récente ne vous ouvre droit à une nouvelle carte. Suivez une formation (FIMO, FCO, passerelle…) dans un centre agréé : votre attestation apparaîtra dans « Mes certificats »."
        : "No recent training entitles you to a new card. Attend a training (FIMO, FCO, bridge…) in an approved centre: your certificate will appear in « My certificates ».";
    case "certificate_expired":
      return fr
        ? `Votre attestation de qualification a expiré le ${frenchDate(reason.on)} : une nouvelle formation est nécessaire.`
        : `Your qualification certificate expired on ${frenchDate(reason.on)}: a new training is needed.`;
    case "certificate_not_yet_valid":
      return fr
        ? `Votre attestation sera valable à partir du ${frenchDate(reason.from)} (vos 18 ans) : vous pourrez faire la demande ce jour-là.`
        : `Your certificate is valid from ${frenchDate(reason.from)} (your 18th birthday): you can apply from that day.`;
    case "application_already_open":
      return fr
        ? "Une demande est déjà en cours : reprenez-la depuis « Mes demandes en cours »."
        : "An application is already open: resume it from « My applications in progress ».";
  }
}
