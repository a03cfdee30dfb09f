// Texts of the app's own updates. French first, English second.
import type { Lang } from "./i18n";

const fr = {
  available: (version: string, current: string) =>
    `Mise à jour disponible : version ${version} (vous avez la version ${current}).`,
  notes: "Nouveautés",
  install: "Installer la mise à jour",
  later: "Plus tard",
  downloading: (percent: number | null) =>
    percent === null
      ? "Téléchargement de la mise à jour…"
      : `Téléchargement de la mise à jour : ${percent} %`,
  installing: "Installation… L'application va redémarrer d'elle-même.",
  waitingForWork: "Un envoi est en cours : l'installation commencera dès qu'il sera terminé.",
  retry: "Vérifier à nouveau",
  close: "Fermer",
  version: (version: string) => `Version ${version}`,
};

export type UpdateDictionary = typeof fr;

const en: UpdateDictionary = {
  available: (version, current) => `Update available: version ${version} (you have version ${current}).`,
  notes: "What's new",
  install: "Install the update",
  later: "Later",
  downloading: (percent) =>
    percent === null ? "Downloading the update…" : `Downloading the update: ${percent}%`,
  installing: "Installing… The app will restart by itself.",
  waitingForWork: "Something is being sent: the install starts as soon as it is done.",
  retry: "Check again",
  close: "Close",
  version: (version) => `Version ${version}`,
};

export const updateTexts: Record<Lang, UpdateDictionary> = { fr, en };
