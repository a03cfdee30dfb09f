// Texts of the signed-in spaces' menu. French first, English second.
import type { Lang } from "./i18n";

const fr = {
  menu: "Menu",
  back: "← Précédent",
  forward: "Suivant →",
  unread: (n: number): string => (n > 1 ? "non lues" : "non lue"),
  driver: {
    home: "Accueil",
    applications: "Mes demandes",
    cards: "Mes cartes",
    trainings: "Mes formations",
    certificates: "Mes certificats",
    invoices: "Mes factures",
    notifications: "Notifications",
    account: "Mon compte",
    data: "Mes données",
  },
  centre: {
    trainings: "Formations",
    newTraining: "Nouvelle formation",
    import: "Import",
    trainees: "Stagiaires",
  },
  agent: {
    accounts: "Comptes",
    applications: "Demandes de carte",
    cards: "Cartes",
    replacements: "Remplacements",
  },
  newSince: "Nouveau",
};

export type ShellDictionary = typeof fr;

const en: ShellDictionary = {
  menu: "Menu",
  back: "← Back",
  forward: "Forward →",
  unread: () => "unread",
  driver: {
    home: "Home",
    applications: "My applications",
    cards: "My cards",
    trainings: "My trainings",
    certificates: "My certificates",
    invoices: "My invoices",
    notifications: "Notifications",
    account: "My account",
    data: "My data",
  },
  centre: {
    trainings: "Trainings",
    newTraining: "New training",
    import: "Import",
    trainees: "Trainees",
  },
  agent: {
    accounts: "Accounts",
    applications: "Card applications",
    cards: "Cards",
    replacements: "Replacements",
  },
  newSince: "New",
};

export const shellTexts: Record<Lang, ShellDictionary> = { fr, en };
