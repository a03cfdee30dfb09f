// Texts of the trainings screens (guide steps 04 and 08): the centre's space, « Mes formations »,
// « Mes certificats ». French first, English second.
import { count, counted } from "./components/numbers";
import type { FieldError } from "./bindings/FieldError";
import type { Qualification } from "./bindings/Qualification";
import type { TrainingField } from "./bindings/TrainingField";
import type { TrainingKind } from "./bindings/TrainingKind";
import type { TrainingOutcome } from "./bindings/TrainingOutcome";
import type { Lang } from "./i18n";

const fr = {
  centreSpace: "Espace centre de formation agréé",
  newTraining: "Enregistrer une formation",
  correctTraining: "Corriger la formation refusée",
  trainee: "Stagiaire",
  training: "Formation",
  sequences: "Séquences (FCO en plusieurs fois, 7 heures au moins chacune)",
  addSequence: "Ajouter une séquence",
  removeSequence: "Retirer",
  sequenceDate: "Date",
  sequenceHours: "Heures",
  save: "Enregistrer",
  queued: "Formation enregistrée sur cet ordinateur : elle sera envoyée à la prochaine synchronisation.",
  recorded: "Formations enregistrées",
  search: "Rechercher (nom ou numéro de permis)",
  stateFilter: "État",
  allStates: "Tous",
  kindFilter: "Formation",
  allKinds: "Toutes",
  sortBy: "Trier par",
  sortRecent: "Dernières modifiées",
  sortName: "Nom",
  sortStart: "Date de début",
  shownOf: (shown: number, total: number) =>
    `${counted(shown, "fr", "formation", "formations")} sur ${count(total, "fr")}`,
  showMore: (n: number) => `Afficher ${count(n, "fr")} de plus`,
  exportCsv: "Exporter en CSV",
  csvHeaders: [
    "Nom",
    "Prénoms",
    "Numéro de permis",
    "Date de naissance",
    "Formation",
    "Début",
    "Fin",
    "État",
  ],
  csvSaved: (path: string) => `Enregistré : ${path}`,
  noTrainings: "Aucune formation enregistrée sur cet ordinateur.",
  traineeSearch: "Rechercher un stagiaire (nom ou numéro de permis)",
  traineeSummary: (trainings: number, last: string) =>
    `${counted(trainings, "fr", "formation", "formations")}, la dernière commencée le ${last}`,
  traineeCsvHeaders: [
    "Nom",
    "Prénoms",
    "Numéro de permis",
    "Date de naissance",
    "Formations",
    "Dernière formation",
  ],
  pending: "Non envoyée",
  accepted: "Acceptée",
  acceptedWaiting: "Acceptée — en attente du compte du conducteur",
  rejected: "Refusée",
  correct: "Corriger",
  newForTrainee: "Nouvelle formation de ce stagiaire",
  cancel: "Annuler",
  syncNow: "Synchroniser",
  syncing: "Synchronisation…",
  toSend: (n: number) =>
    n === 0 ? "Tout est envoyé." : `${counted(n, "fr", "modification", "modifications")} à envoyer.`,
  syncSent: (sent: number, total: number) => `Envoi : ${count(sent, "fr")} / ${count(total, "fr")}`,
  syncReceived: (n: number) => `Réception : ${counted(n, "fr", "enregistrement", "enregistrements")}`,
  syncDone: "Synchronisation terminée.",
  syncInterrupted: "Synchronisation interrompue : nouvel essai dès que le service répond.",
  importTitle: "Importer un fichier CSV",
  importHint:
    "Le fichier exporté par votre logiciel, séparé par des points-virgules, avec la ligne d'en-tête : nom;prenoms;date_naissance;type_permis;numero_permis;email;formation;qualification;debut;fin;heures;sequences;resultat;categorie_cible. En UTF-8 ou tel qu'Excel l'enregistre (« CSV (séparateur : point-virgule) »). Un fichier comportant une erreur n'est pas importé.",
  importFile: "Fichier CSV",
  imported: (n: number) =>
    `${counted(n, "fr", "formation importée", "formations importées")} : envoyée${n > 1 ? "s" : ""} à la prochaine synchronisation.`,
  importRefused: "Le fichier n'est pas importé : corrigez les lignes ci-dessous puis recommencez.",
  importNotCsv: (columns: string) =>
    `Ce n'est pas un export de formations : colonnes manquantes (${columns}).`,
  importEmpty: "Le fichier ne contient aucune formation.",
  importWorkbook:
    "C'est un classeur, pas son export CSV : dans Excel, « Enregistrer sous » puis « CSV (séparateur : point-virgule) » ou « CSV UTF-8 ».",
  importUtf16:
    "Ce fichier est enregistré en « Texte Unicode » : enregistrez-le plutôt en « CSV UTF-8 » ou « CSV (séparateur : point-virgule) ».",
  importTooMany: (max: number) => `Le fichier dépasse ${max} lignes : découpez-le.`,
  line: (n: number) => `Ligne ${n}`,
  myTrainings: "Mes formations",
  myCertificates: "Mes certificats",
  noRecap: "Aucun récapitulatif de formation pour le moment.",
  noCertificate: "Aucune attestation de qualification pour le moment.",
  pickQualification: "Qualification",
  from: "du",
  to: "au",
  hours: (n: number) => `${n} heures`,
  issuedOn: "Délivré le",
  availableUntil: (d: string) => `Disponible jusqu'au ${d}`,
  availableForever: "Disponible sans limite de durée",
  downloadPdf: "Télécharger le PDF",
  print: "Imprimer",
  savedTo: (path: string) => `PDF enregistré : ${path}`,
  validFromTo: (a: string, b: string) => `Valable du ${a} au ${b} inclus`,
  cardExpiry: "Expiration du code 95 sur la carte",
  expired: "Expirée",
  applyBefore: (d: string) => `Demandez votre carte avant le ${d}.`,
  verifyTitle: "Vérifier une attestation",
  verifyHint:
    "Collez le code signé lu dans le QR code d'une attestation : la vérification se fait sans réseau.",
  verifyField: "Code signé",
  verify: "Vérifier",
  authentic: "Attestation authentique",
  centre: "Centre",
};

type TrainingDictionary = typeof fr;

const en: TrainingDictionary = {
  centreSpace: "Approved training centre space",
  newTraining: "Record a training",
  correctTraining: "Correct the refused training",
  trainee: "Trainee",
  training: "Training",
  sequences: "Sequences (FCO in several parts, at least 7 hours each)",
  addSequence: "Add a sequence",
  removeSequence: "Remove",
  sequenceDate: "Date",
  sequenceHours: "Hours",
  save: "Save",
  queued: "Training saved on this computer: it goes out at the next sync.",
  recorded: "Recorded trainings",
  search: "Search (name or licence number)",
  stateFilter: "State",
  allStates: "All",
  kindFilter: "Training",
  allKinds: "All",
  sortBy: "Sort by",
  sortRecent: "Last changed",
  sortName: "Name",
  sortStart: "Start date",
  shownOf: (shown: number, total: number) =>
    `${counted(shown, "en", "training", "trainings")} of ${count(total, "en")}`,
  showMore: (n: number) => `Show ${count(n, "en")} more`,
  exportCsv: "Export as CSV",
  csvHeaders: [
    "Last name",
    "First names",
    "Licence number",
    "Birth date",
    "Training",
    "Start",
    "End",
    "State",
  ],
  csvSaved: (path: string) => `Saved: ${path}`,
  noTrainings: "No training recorded on this computer.",
  traineeSearch: "Search a trainee (name or licence number)",
  traineeSummary: (trainings, last) =>
    `${counted(trainings, "en", "training", "trainings")}, the latest started on ${last}`,
  traineeCsvHeaders: [
    "Last name",
    "First names",
    "Licence number",
    "Birth date",
    "Trainings",
    "Latest training",
  ],
  pending: "Not sent",
  accepted: "Accepted",
  acceptedWaiting: "Accepted — waiting for the driver's account",
  rejected: "Refused",
  correct: "Correct",
  newForTrainee: "New training of this trainee",
  cancel: "Cancel",
  syncNow: "Sync",
  syncing: "Syncing…",
  toSend: (n: number) =>
    n === 0 ? "Everything is sent." : `${counted(n, "en", "change", "changes")} to send.`,
  syncSent: (sent: number, total: number) => `Sending: ${count(sent, "en")} / ${count(total, "en")}`,
  syncReceived: (n: number) => `Receiving: ${counted(n, "en", "record", "records")}`,
  syncDone: "Sync complete.",
  syncInterrupted: "Sync interrupted: it tries again as soon as the service answers.",
  importTitle: "Import a CSV file",
  importHint:
    "The file exported by your software, semicolon-separated, with the header line: nom;prenoms;date_naissance;type_permis;numero_permis;email;formation;qualification;debut;fin;heures;sequences;resultat;categorie_cible. In UTF-8 or as Excel saves it (« CSV (semicolon delimited) »). A file with an error is not imported.",
  importFile: "CSV file",
  imported: (n: number) => `${counted(n, "en", "training", "trainings")} imported: sent at the next sync.`,
  importRefused: "The file is not imported: fix the lines below and try again.",
  importNotCsv: (columns: string) => `This is not a training export: missing columns (${columns}).`,
  importEmpty: "The file holds no training.",
  importWorkbook:
    "This is a workbook, not its CSV export: in Excel, « Save as » then « CSV (semicolon delimited) » or « CSV UTF-8 ».",
  importUtf16:
    "This file is saved as « Unicode Text »: save it as « CSV UTF-8 » or « CSV (semicolon delimited) » instead.",
  importTooMany: (max: number) => `The file has more than ${max} lines: split it.`,
  line: (n: number) => `Line ${n}`,
  myTrainings: "My trainings",
  myCertificates: "My certificates",
  noRecap: "No training recap yet.",
  noCertificate: "No qualification certificate yet.",
  pickQualification: "Qualification",
  from: "from",
  to: "to",
  hours: (n: number) => `${n} hours`,
  issuedOn: "Issued on",
  availableUntil: (d: string) => `Available until ${d}`,
  availableForever: "Available without time limit",
  downloadPdf: "Download the PDF",
  print: "Print",
  savedTo: (path: string) => `PDF saved: ${path}`,
  validFromTo: (a: string, b: string) => `Valid from ${a} to ${b} included`,
  cardExpiry: "Code 95 expiry on the card",
  expired: "Expired",
  applyBefore: (d: string) => `Apply for your card before ${d}.`,
  verifyTitle: "Check a certificate",
  verifyHint: "Paste the signed code read from a certificate's QR code: the check works without network.",
  verifyField: "Signed code",
  verify: "Check",
  authentic: "Authentic certificate",
  centre: "Centre",
};

export const trainingTexts: Record<Lang, TrainingDictionary> = { fr, en };

export const trainingFieldLabels: Record<Lang, Record<TrainingField, string>> = {
  fr: {
    last_name: "Nom",
    first_names: "Prénom(s)",
    birth_date: "Date de naissance",
    licence_kind: "Type de permis",
    licence_number: "Numéro de permis de conduire",
    email: "Adresse de messagerie",
    kind: "Type de formation",
    qualification: "Qualification",
    start_date: "Début",
    end_date: "Fin",
    hours: "Nombre d'heures",
    sequences: "Séquences",
    outcome: "Résultat",
    target_category: "Catégorie de permis visée (passerelle)",
  },
  en: {
    last_name: "Last name",
    first_names: "First name(s)",
    birth_date: "Date of birth",
    licence_kind: "Licence type",
    licence_number: "Driving licence number",
    email: "Email address",
    kind: "Training",
    qualification: "Qualification",
    start_date: "Start",
    end_date: "End",
    hours: "Hours",
    sequences: "Sequences",
    outcome: "Result",
    target_category: "Target licence category (bridge)",
  },
};

export const kindLabels: Record<Lang, Record<TrainingKind, string>> = {
  fr: {
    long_initial: "Qualification initiale longue (280 h)",
    fimo: "FIMO — formation initiale minimale obligatoire (140 h)",
    fco: "FCO — formation continue obligatoire (35 h)",
    passerelle: "Passerelle marchandises ↔ voyageurs (35 h)",
  },
  en: {
    long_initial: "Long initial qualification (280 h)",
    fimo: "FIMO — fast initial qualification (140 h)",
    fco: "FCO — continuing training (35 h)",
    passerelle: "Bridge goods ↔ passengers (35 h)",
  },
};

export const qualificationLabels: Record<Lang, Record<Qualification, string>> = {
  fr: { goods: "Marchandises", passengers: "Voyageurs" },
  en: { goods: "Goods", passengers: "Passengers" },
};

export const outcomeLabels: Record<Lang, Record<TrainingOutcome, string>> = {
  fr: { passed: "Formation validée", failed: "Formation non validée" },
  en: { passed: "Passed", failed: "Not passed" },
};

/** The messages of the training rules, for the codes `fieldErrorText` leaves to this module. */
export function trainingRuleText(error: FieldError, lang: Lang): string | null {
  const isFr = lang === "fr";
  switch (error.code) {
    case "invalid_number":
      return isFr ? "Saisissez un nombre entier d'heures." : "Type a whole number of hours.";
    case "unknown_value":
      return isFr ? "Valeur inconnue." : "Unknown value.";
    case "date_in_future":
      return isFr
        ? "Une formation s'enregistre une fois terminée : la date ne peut pas être dans le futur."
        : "A training is recorded once over: the date cannot be in the future.";
    case "end_before_start":
      return isFr ? "La fin précède le début." : "The end is before the start.";
    case "too_few_hours":
      return isFr
        ? `Cette formation compte au moins ${error.min} heures.`
        : `This training lasts at least ${error.min} hours.`;
    case "too_many_hours":
      return isFr ? `${error.max} heures au plus.` : `At most ${error.max} hours.`;
    case "longer_than_four_weeks":
      return isFr
        ? "La FIMO se déroule sur 4 semaines consécutives au plus."
        : "FIMO lasts 4 consecutive weeks at most.";
    case "not_five_consecutive_days":
      return isFr
        ? "Sans séquences, la FCO dure 5 jours consécutifs (du premier au dernier jour)."
        : "Without sequences, FCO lasts 5 consecutive days.";
    case "sequence_too_short":
      return isFr
        ? `Chaque séquence dure au moins ${error.min_hours} heures.`
        : `Each sequence lasts at least ${error.min_hours} hours.`;
    case "sequences_outside_dates":
      return isFr
        ? "Les séquences se suivent dans l'ordre, la première au début et la dernière à la fin."
        : "Sequences are in order, the first on the start date, the last on the end date.";
    case "sequences_do_not_add_up":
      return isFr
        ? "Le total des séquences doit égaler le nombre d'heures."
        : "The sequences must add up to the hours.";
    case "sequences_only_for_fco":
      return isFr ? "Seule la FCO se fait en séquences." : "Only FCO comes in sequences.";
    case "category_not_of_qualification":
      return isFr
        ? "Cette catégorie ne relève pas de la qualification choisie (C pour marchandises, D pour voyageurs)."
        : "This category is not of the chosen qualification (C for goods, D for passengers).";
    case "category_only_for_passerelle":
      return isFr
        ? "La catégorie visée ne concerne que la passerelle."
        : "The target category only applies to a bridge training.";
    default:
      return null;
  }
}
