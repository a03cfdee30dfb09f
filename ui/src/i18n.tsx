// French first, English second. Labels follow the public guide of the real portal.
import { inputLimits } from "./bindings/limits";
import { counted } from "./components/numbers";
import { createContext, useContext } from "react";
import type { FieldError } from "./bindings/FieldError";
import type { LicenceNumberError } from "./bindings/LicenceNumberError";
import type { LicencePartMeaning } from "./bindings/LicencePartMeaning";
import type { PasswordRule } from "./bindings/PasswordRule";
import type { RegistrationField } from "./bindings/RegistrationField";
import { trainingRuleText } from "./i18n-trainings";

export type Lang = "fr" | "en";

const fr = {
  appTitle: "Carte de qualification de conducteur",
  datePlaceholder: "jj/mm/aaaa",
  myDataHint:
    "Tout ce que le service conserve sur vous : un résumé lisible, les mêmes données au format JSON et vos fichiers, dans une archive .zip.",
  downloadMyData: "Télécharger mes données",
  closeAccount: "Clôturer mon compte",
  closureDeleted:
    "Seront supprimés : vos coordonnées, votre mot de passe, vos notifications, vos brouillons et les pièces envoyées avec vos demandes (pièce d'identité, permis, signature), ainsi que vos données sur cet ordinateur. Vous ne pourrez plus vous connecter.",
  closureKeptIntro: "Ce que la loi impose de conserver le reste :",
  closureKept: [
    "vos cartes (numéro, titulaire, photo imprimée, dates) : le registre des cartes de qualification ;",
    "vos factures et paiements : 10 ans, comme le Code de commerce l'impose ;",
    "vos formations, récapitulatifs et attestations : les registres des centres agréés.",
  ],
  confirmClosure: "Clôturer définitivement mon compte",
  cancel: "Annuler",
  accountClosed: "Votre compte est clôturé. Un courriel vous le confirme.",
  backToStart: "Revenir à l'accueil",
  preparingMyData: "Préparation de l'archive…",
  myDataSaved: (path: string) => `Archive enregistrée : ${path}`,
  chooseFileButton: "Choisir un fichier",
  noFileChosen: "Aucun fichier choisi",
  switchLang: "English",
  offline: "Hors ligne : vos saisies sont conservées sur cet ordinateur.",
  offlineDetail: "Le service est injoignable. Tout ce que vous saisissez part dès le retour du réseau.",
  login: "Connexion",
  loginTitle: "Je me connecte",
  email: "Adresse de messagerie",
  password: "Mot de passe",
  forgotPassword: "Mot de passe oublié",
  createAccount: "Créer un compte",
  receivedLink: "J'ai reçu un lien",
  pendingRegistration: (email: string) =>
    `Votre demande de création de compte (${email}) est en cours d'analyse. Vous recevrez un courrier électronique sous 24 heures au maximum.`,
  chooseProfile: "Je sélectionne mon profil",
  profileIndividual: "Particulier",
  profileIndividualHint: "Conducteur ou conductrice : formations, certificats, demande de carte CQC.",
  registerTitle: "Créer un compte",
  identity: "Identité",
  contact: "Coordonnées",
  postalAddress: "Adresse postale",
  drivingLicence: "Permis de conduire",
  consentsTitle: "Consentements",
  create: "Créer",
  sending: "Envoi en cours…",
  back: "Retour",
  draftSaved: "Brouillon enregistré sur cet ordinateur",
  registrationSentTitle: "Demande envoyée",
  registrationSent: (email: string) =>
    `Les données renseignées sont envoyées pour analyse. Sous 24 heures au maximum, vous recevrez à ${email} un courrier électronique pour créer votre mot de passe, ou pour corriger vos informations.`,
  backToLogin: "Revenir à l'application",
  madame: "Madame",
  monsieur: "Monsieur",
  licenceCard: "Permis au format carte (depuis le 16 septembre 2013)",
  licencePink: "Ancien permis rose (papier, trois volets)",
  licenceHelpTitle: "Aide à la saisie du numéro de permis",
  licenceHelpCard:
    "Permis au format carte : le numéro figure au recto, rubrique 5 « numéro de titre ». Il compte 2 chiffres, 2 lettres et 5 chiffres, par exemple 13AA00002.",
  licenceHelpPink:
    "Ancien permis rose : le numéro de 12 caractères figure sur le premier volet, sous « Permis de conduire n° ». Il se compose de l'année et du mois de délivrance (AAMM), du département (2 chiffres, ou 2A/2B pour la Corse) et de 6 chiffres.",
  licenceHelpNeph:
    "Attention : le numéro à 12 chiffres imprimé au verso du permis au format carte est le NEPH (numéro d'enregistrement préfectoral harmonisé). Ce n'est pas le numéro de permis.",
  licenceParts: "Ce que signifie chaque partie :",
  setPasswordTitle: "Je personnalise mon mot de passe",
  resetPasswordTitle: "Je redéfinis mon mot de passe",
  confirmation: "Confirmation du mot de passe",
  validate: "Valider",
  passwordSaved: "Votre mot de passe est enregistré.",
  passwordsDiffer: "La confirmation ne correspond pas au mot de passe saisi.",
  forgotTitle: "Mot de passe oublié",
  forgotHint:
    "Saisissez l'adresse de messagerie de votre compte : nous vous enverrons un lien pour redéfinir votre mot de passe.",
  forgotSend: "Envoyer le lien",
  forgotSent:
    "Si un compte correspond à cette adresse, un courrier électronique vient de lui être envoyé avec un lien valable 1 heure.",
  linkTitle: "J'ai reçu un lien",
  linkHint:
    "Collez ici le lien reçu par courrier électronique (« Créer mon mot de passe » ou « Corriger ma demande »).",
  linkField: "Lien reçu",
  open: "Ouvrir",
  correctionTitle: "Je mets à jour mes informations",
  correctionIntro:
    "L'analyse de votre demande a révélé au moins une erreur. Corrigez les éléments signalés, puis envoyez.",
  toCorrect: "À corriger",
  sendCorrection: "Envoyer pour nouvelle analyse",
  correctionSent:
    "Vos corrections sont envoyées pour une nouvelle analyse. Vous recevrez une réponse sous 24 heures.",
  mySpace: "Mon espace personnel",
  hello: (name: string) => `Bonjour ${name}`,
  logout: "Se déconnecter",
  unsentOnLogout: (trainings: number, documents: number) =>
    "Pas encore envoyé au service : " +
    [
      trainings > 0 ? counted(trainings, "fr", "formation", "formations") : "",
      documents > 0 ? counted(documents, "fr", "document", "documents") : "",
    ]
      .filter(Boolean)
      .join(" et ") +
    ". Ce travail reste sur cet ordinateur, dans votre espace : personne d'autre ne le voit, et il partira à votre prochaine connexion ici.",
  logoutAnyway: "Se déconnecter quand même",
  noKeychainTitle: "Protéger vos données sur cet ordinateur",
  noKeychain:
    "Vos données sur cet ordinateur (formations, documents, photo, signature) sont chiffrées. Leur clé se garde d'habitude dans le trousseau du système, mais cet ordinateur n'en a pas qui réponde.",
  noKeychainFallback:
    "L'application peut garder la clé dans son dossier de données, lisible seulement par votre session : vos fichiers copiés seuls resteront illisibles, mais toute personne qui ouvre votre session pourra les lire. Pour une meilleure protection, installez un trousseau (GNOME Trousseau, KWallet) puis relancez l'application.",
  keepKeysHere: "Garder la clé sur cet ordinateur et continuer",
  lockedTitle: "Application verrouillée",
  lockedIntro: (email: string) =>
    `Saisissez le mot de passe de ${email} pour reprendre : le travail en cours est conservé et les envois continuent.`,
  unlock: "Déverrouiller",
  lockNow: "Verrouiller",
  lockAfter: "Verrouiller l'application après une période sans utilisation",
  lockNever: "Jamais",
  lockMinutes: (n: number) => `${n} minutes`,
  staffLock: (n: number) =>
    `L'application se verrouille après ${n} minutes sans utilisation : votre mot de passe la rouvre.`,
  stayConnected: "Rester connecté pour les envoyer",
  notificationsTitle: "Notifications",
  noNotifications: "Aucune notification.",
  loading: "Chargement…",
  learnMore: "en savoir plus",
  offlineCopy: "Données enregistrées sur cet ordinateur (hors ligne).",
  agentSpace: "Espace agent de traitement",
  accountsToAnalyse: "Comptes à analyser",
  identityChecks: "Formations à vérifier : noms différents du titulaire du permis",
  identityChecksHelp:
    "Le centre a saisi le numéro de permis et la date de naissance d'un compte, mais d'autres noms. Rattachez la formation seulement s'il s'agit de la même personne.",
  trainee: "Stagiaire saisi par le centre",
  accountHolder: "Titulaire du compte",
  samePerson: "Même personne : rattacher",
  notSamePerson: "Pas la même personne",
  identityAttached: "Formation rattachée au compte du conducteur.",
  identityRefused: "Formation renvoyée au centre pour vérification du numéro de permis.",
  queueCount: (n: number, late: number) => `${n} demande(s) en attente, dont ${late} hors délai (24 h)`,
  queueEmpty: "Aucune demande en attente.",
  searchAccounts: "Rechercher (nom ou adresse de messagerie)",
  name: "Nom",
  submitted: "Envoyée le",
  age: "Ancienneté",
  timeLeft: "Délai restant",
  overdue: "Hors délai",
  resubmitted: "Corrigée",
  openFile: "Ouvrir",
  refresh: "Actualiser",
  fileTitle: (name: string) => `Demande de ${name}`,
  accept: "Valider le compte",
  requestCorrection: "Demander une correction",
  reason: "Motif",
  history: "Historique",
  markHint: "Cochez chaque élément erroné et indiquez le motif que le conducteur lira.",
  fileAccepted: "Compte validé : le conducteur reçoit le lien « Créer mon mot de passe ».",
  fileCorrection: "Demande de correction envoyée au conducteur.",
  required: "obligatoire",
  optional: "facultatif",
  fixFields: "Certains champs sont à corriger : voir le message sous chacun d'eux.",
};

type Dictionary = typeof fr;

const en: Dictionary = {
  datePlaceholder: "dd/mm/yyyy",
  myDataHint:
    "Everything the service holds about you: a readable summary, the same data as JSON and your files, in a .zip archive.",
  downloadMyData: "Download my data",
  preparingMyData: "Preparing the archive…",
  myDataSaved: (path: string) => `Archive saved: ${path}`,
  chooseFileButton: "Choose a file",
  noFileChosen: "No file chosen",
  appTitle: "Driver qualification card",
  switchLang: "Français",
  closeAccount: "Close my account",
  closureDeleted:
    "Deleted: your contact details, your password, your notifications, your drafts and the documents sent with your requests (identity card, licence, signature), and your data on this computer. You will no longer be able to log in.",
  closureKeptIntro: "What the law requires to keep stays:",
  closureKept: [
    "your cards (number, holder, printed photo, dates): the register of qualification cards;",
    "your invoices and payments: 10 years, as the French commercial code requires;",
    "your trainings, recaps and certificates: the approved centres' registers.",
  ],
  confirmClosure: "Close my account for good",
  cancel: "Cancel",
  accountClosed: "Your account is closed. An email confirms it.",
  backToStart: "Back to the start",
  offline: "Offline: what you type is kept on this computer.",
  offlineDetail:
    "The service cannot be reached. Everything you type goes out as soon as the network is back.",
  login: "Log in",
  loginTitle: "Log in",
  email: "Email address",
  password: "Password",
  forgotPassword: "Forgotten password",
  createAccount: "Create an account",
  receivedLink: "I received a link",
  pendingRegistration: (email: string) =>
    `Your account request (${email}) is being analysed. You will receive an email within 24 hours at most.`,
  chooseProfile: "Choose your profile",
  profileIndividual: "Individual",
  profileIndividualHint: "Driver: trainings, certificates, CQC card application.",
  registerTitle: "Create an account",
  identity: "Identity",
  contact: "Contact details",
  postalAddress: "Postal address",
  drivingLicence: "Driving licence",
  consentsTitle: "Consents",
  create: "Create",
  sending: "Sending…",
  back: "Back",
  draftSaved: "Draft saved on this computer",
  registrationSentTitle: "Request sent",
  registrationSent: (email: string) =>
    `Your data has been sent for analysis. Within 24 hours at most you will receive at ${email} an email to create your password, or to correct your information.`,
  backToLogin: "Back to the application",
  madame: "Ms",
  monsieur: "Mr",
  licenceCard: "Card licence (since 16 September 2013)",
  licencePink: "Old pink paper licence",
  licenceHelpTitle: "Help with the licence number",
  licenceHelpCard:
    "Card licence: the number is on the front, field 5 « numéro de titre ». It has 2 digits, 2 letters and 5 digits, e.g. 13AA00002.",
  licenceHelpPink:
    "Old pink licence: the 12-character number is on the first fold, under « Permis de conduire n° »: year and month of issue (YYMM), département (2 digits, or 2A/2B for Corsica) and 6 digits.",
  licenceHelpNeph:
    "Beware: the 12-digit number printed on the back of the card licence is the NEPH. It is not the licence number.",
  licenceParts: "What each part means:",
  setPasswordTitle: "Create my password",
  resetPasswordTitle: "Reset my password",
  confirmation: "Confirm the password",
  validate: "Confirm",
  passwordSaved: "Your password is saved.",
  passwordsDiffer: "The confirmation differs from the password.",
  forgotTitle: "Forgotten password",
  forgotHint: "Type your account's email address: we will send you a link to set a new password.",
  forgotSend: "Send the link",
  forgotSent:
    "If an account matches this address, an email with a link valid for 1 hour has just been sent to it.",
  linkTitle: "I received a link",
  linkHint: "Paste the link received by email (« Créer mon mot de passe » or « Corriger ma demande »).",
  linkField: "Link received",
  open: "Open",
  correctionTitle: "Update my information",
  correctionIntro: "The analysis of your request found at least one error. Fix the items marked, then send.",
  toCorrect: "To correct",
  sendCorrection: "Send for a new analysis",
  correctionSent: "Your corrections are sent for a new analysis. You will get an answer within 24 hours.",
  mySpace: "My personal space",
  hello: (name: string) => `Hello ${name}`,
  logout: "Log out",
  unsentOnLogout: (trainings: number, documents: number) =>
    "Not yet sent to the service: " +
    [
      trainings > 0 ? counted(trainings, "en", "training", "trainings") : "",
      documents > 0 ? counted(documents, "en", "document", "documents") : "",
    ]
      .filter(Boolean)
      .join(" and ") +
    ". This work stays on this computer, in your space: nobody else sees it, and it leaves at your next login here.",
  logoutAnyway: "Log out anyway",
  noKeychainTitle: "Protect your data on this computer",
  noKeychain:
    "Your data on this computer (trainings, documents, photo, signature) is encrypted. Its key is usually kept in the system's keychain, but this computer has none that answers.",
  noKeychainFallback:
    "The app can keep the key in its data folder, readable by your session only: your files copied alone stay unreadable, but anyone who opens your session can read them. For better protection, install a keychain (GNOME Keyring, KWallet) and start the app again.",
  keepKeysHere: "Keep the key on this computer and continue",
  lockedTitle: "App locked",
  lockedIntro: (email: string) =>
    `Type the password of ${email} to go on: the work in progress is kept and sending goes on.`,
  unlock: "Unlock",
  lockNow: "Lock",
  lockAfter: "Lock the app after a period without use",
  lockNever: "Never",
  lockMinutes: (n: number) => `${n} minutes`,
  staffLock: (n: number) => `The app locks after ${n} minutes without use: your password opens it again.`,
  stayConnected: "Stay logged in to send them",
  notificationsTitle: "Notifications",
  noNotifications: "No notification.",
  loading: "Loading…",
  learnMore: "learn more",
  offlineCopy: "Data saved on this computer (offline).",
  agentSpace: "Processing agent space",
  accountsToAnalyse: "Accounts to analyse",
  identityChecks: "Trainings to check: names other than the licence holder's",
  identityChecksHelp:
    "The centre typed an account's licence number and birth date, but other names. Attach the training only if it is the same person.",
  trainee: "Trainee as the centre typed",
  accountHolder: "Account holder",
  samePerson: "Same person: attach",
  notSamePerson: "Not the same person",
  identityAttached: "Training attached to the driver's account.",
  identityRefused: "Training sent back to the centre to check the licence number.",
  queueCount: (n: number, late: number) => `${n} request(s) waiting, ${late} past the 24-hour promise`,
  queueEmpty: "No request waiting.",
  searchAccounts: "Search (name or email address)",
  name: "Name",
  submitted: "Sent on",
  age: "Age",
  timeLeft: "Time left",
  overdue: "Overdue",
  resubmitted: "Corrected",
  openFile: "Open",
  refresh: "Refresh",
  fileTitle: (name: string) => `Request of ${name}`,
  accept: "Accept the account",
  requestCorrection: "Request a correction",
  reason: "Reason",
  history: "History",
  markHint: "Tick each wrong item and give the reason the driver will read.",
  fileAccepted: "Account accepted: the driver receives the « Créer mon mot de passe » link.",
  fileCorrection: "Correction request sent to the driver.",
  required: "required",
  optional: "optional",
  fixFields: "Some fields need fixing: see the message under each.",
};

export const dictionaries: Record<Lang, Dictionary> = { fr, en };

export const fieldLabels: Record<Lang, Record<RegistrationField, string>> = {
  fr: {
    civility: "Civilité",
    last_name: "Nom de naissance",
    usage_name: "Nom d'usage",
    first_names: "Prénom(s)",
    birth_date: "Date de naissance",
    birth_city: "Ville de naissance",
    birth_country: "Pays de naissance",
    email: "Adresse de messagerie",
    mobile_phone: "Téléphone mobile",
    address_line1: "Adresse (numéro et voie)",
    address_line2: "Complément d'adresse",
    postcode: "Code postal",
    city: "Ville",
    country: "Pays",
    licence_kind: "Type de permis",
    licence_number: "Numéro de permis de conduire",
    consent_privacy_policy: "J'ai pris connaissance de la politique de confidentialité et je l'accepte.",
    consent_terms_of_use: "J'accepte les conditions générales d'utilisation.",
    consent_data_accuracy: "Je certifie l'exactitude des informations renseignées.",
    consent_data_processing:
      "J'accepte le traitement de mes données personnelles pour la délivrance de ma carte.",
  },
  en: {
    civility: "Title",
    last_name: "Birth name",
    usage_name: "Usual name",
    first_names: "First name(s)",
    birth_date: "Date of birth",
    birth_city: "Town of birth",
    birth_country: "Country of birth",
    email: "Email address",
    mobile_phone: "Mobile phone",
    address_line1: "Address (number and street)",
    address_line2: "Address line 2",
    postcode: "Postcode",
    city: "Town",
    country: "Country",
    licence_kind: "Kind of licence",
    licence_number: "Driving licence number",
    consent_privacy_policy: "I have read and accept the privacy policy.",
    consent_terms_of_use: "I accept the terms of use.",
    consent_data_accuracy: "I certify that the information given is accurate.",
    consent_data_processing: "I accept the processing of my personal data to issue my card.",
  },
};

export function licenceErrorText(error: LicenceNumberError, lang: Lang): string {
  const frText: Record<LicenceNumberError["code"], string> = {
    empty: "Le numéro de permis est obligatoire.",
    incomplete: "Le numéro n'est pas complet.",
    neph_instead_of_number:
      "Ces 12 chiffres sont le NEPH imprimé au verso du permis : saisissez le numéro de la rubrique 5 au recto (2 chiffres, 2 lettres, 5 chiffres).",
    card_number_on_pink_licence:
      "Ce numéro a le format d'un permis au format carte : choisissez « Permis au format carte ».",
    card_format:
      "Un numéro de permis au format carte compte 2 chiffres, 2 lettres et 5 chiffres (ex. : 13AA00002).",
    pink_format:
      "Un numéro de permis rose compte 12 caractères : AAMM, le département (ou 2A/2B) et 6 chiffres.",
    pink_month: "Le mois de délivrance (3e et 4e chiffres) doit être compris entre 01 et 12.",
    pink_departement: "Le département (5e et 6e caractères) n'existe pas : 01 à 95, 2A ou 2B.",
  };
  const enText: Record<LicenceNumberError["code"], string> = {
    empty: "The licence number is required.",
    incomplete: "The number is not complete.",
    neph_instead_of_number:
      "These 12 digits are the NEPH from the back of the licence: type the number of field 5 on the front (2 digits, 2 letters, 5 digits).",
    card_number_on_pink_licence: "This number has the card-licence format: choose « Card licence ».",
    card_format: "A card licence number has 2 digits, 2 letters and 5 digits (e.g. 13AA00002).",
    pink_format: "A pink licence number has 12 characters: YYMM, the département (or 2A/2B) and 6 digits.",
    pink_month: "The month of issue (3rd and 4th digits) must be between 01 and 12.",
    pink_departement: "The département (5th and 6th characters) does not exist: 01 to 95, 2A or 2B.",
  };
  return (lang === "fr" ? frText : enText)[error.code];
}

export function fieldErrorText(error: FieldError, lang: Lang): string {
  const isFr = lang === "fr";
  switch (error.code) {
    case "required":
      return isFr ? "Ce champ est obligatoire." : "This field is required.";
    case "too_long":
      return isFr ? `${error.max} caractères au maximum.` : `At most ${error.max} characters.`;
    case "invalid_characters":
      return isFr
        ? "Lettres, espaces, tirets et apostrophes uniquement."
        : "Letters, spaces, hyphens and apostrophes only.";
    case "hidden_characters":
      return isFr
        ? "Ce champ contient des caractères invisibles ou de contrôle : retapez-le."
        : "This field holds invisible or control characters: type it again.";
    case "invalid_date":
      return isFr
        ? "Date invalide : saisissez-la au format jj/mm/aaaa."
        : "Invalid date: type it as dd/mm/yyyy.";
    case "birth_date_in_future":
      return isFr
        ? "La date de naissance ne peut pas être dans le futur."
        : "The date of birth cannot be in the future.";
    case "too_young":
      return isFr
        ? `Il faut avoir au moins ${error.min_years} ans pour créer un compte.`
        : `You must be at least ${error.min_years} to create an account.`;
    case "too_old":
      return isFr ? "Vérifiez l'année de naissance." : "Check the year of birth.";
    case "invalid_email":
      return isFr
        ? "Adresse de messagerie invalide (ex. : prenom.nom@exemple.fr)."
        : "Invalid email address (e.g. first.last@example.com).";
    case "invalid_phone":
      return isFr
        ? "Numéro de mobile invalide (ex. : 06 12 34 56 78 ou +33 6 12 34 56 78)."
        : "Invalid mobile number (e.g. +33 6 12 34 56 78).";
    case "invalid_french_postcode":
      return isFr ? "Un code postal français compte 5 chiffres." : "A French postcode has 5 digits.";
    case "licence":
      return licenceErrorText(error.error, lang);
    case "consent_required":
      return isFr ? "Cette case doit être cochée." : "This box must be ticked.";
    case "already_used":
      return isFr
        ? "Cette valeur est déjà utilisée par un autre compte."
        : "Another account already uses this value.";
    case "invalid_bank_card_number":
      return isFr
        ? `Numéro de carte invalide : vérifiez les chiffres inscrits sur la carte (${error.min_digits} à ${error.max_digits}).`
        : `Invalid card number: check the digits on the card (${error.min_digits} to ${error.max_digits}).`;
    case "invalid_expiry":
      return isFr ? "Date d'expiration au format MM/AA (ex. : 09/28)." : "Expiry date as MM/YY (e.g. 09/28).";
    case "bank_card_expired":
      return isFr ? "Cette carte bancaire a expiré." : "This bank card has expired.";
    case "invalid_security_code":
      return isFr
        ? `Le cryptogramme compte ${error.min_digits} ou ${error.max_digits} chiffres (au dos de la carte).`
        : `The security code has ${error.min_digits} or ${error.max_digits} digits (on the back of the card).`;
    case "amount_out_of_range":
      return isFr
        ? `Un montant entre 0,00 € et ${error.max_cents / 100} €.`
        : `An amount between €0.00 and €${error.max_cents / 100}.`;
    case "rate_out_of_range":
      return isFr
        ? `Un taux de ${error.max_basis_points / 100} % au plus.`
        : `A rate of ${error.max_basis_points / 100}% at most.`;
    case "not_after_today":
      return isFr ? "Une date à partir de demain." : "A date from tomorrow on.";
    case "too_far_ahead":
      return isFr ? `${error.max_years} ans à l'avance au plus.` : `${error.max_years} years ahead at most.`;
    default:
      return trainingRuleText(error, lang) ?? error.code;
  }
}

export const passwordRuleText: Record<Lang, Record<PasswordRule, string>> = {
  fr: {
    min_length: `${inputLimits.password_min} caractères minimum`,
    max_length: `${inputLimits.password} caractères maximum`,
    uppercase: "1 majuscule",
    lowercase: "1 minuscule",
    special: "1 caractère spécial (?, !, *, #, -, ...)",
  },
  en: {
    min_length: `At least ${inputLimits.password_min} characters`,
    max_length: `At most ${inputLimits.password} characters`,
    uppercase: "1 uppercase letter",
    lowercase: "1 lowercase letter",
    special: "1 special character (?, !, *, #, -, ...)",
  },
};

export const licencePartText: Record<Lang, Record<LicencePartMeaning, string>> = {
  fr: {
    year_of_issue: "année de délivrance",
    month_of_issue: "mois de délivrance",
    series: "série",
    departement: "département",
    serial_number: "numéro d'ordre",
  },
  en: {
    year_of_issue: "year of issue",
    month_of_issue: "month of issue",
    series: "series",
    departement: "département",
    serial_number: "serial number",
  },
};

export const LangContext = createContext<Lang>("fr");

export function useT(): Dictionary & { lang: Lang } {
  const lang = useContext(LangContext);
  return { ...dictionaries[lang], lang };
}
