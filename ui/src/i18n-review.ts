// Texts of the agent's file review. French first, English second.
import type { Lang } from "./i18n";

const fr = {
  zoomIn: (what: string) => `Agrandir : ${what}`,
  zoomOut: (what: string) => `Réduire : ${what}`,
  rotate: (what: string) => `Tourner d'un quart de tour : ${what}`,
  frame: (what: string) => `${what} (touches + et − pour agrandir, R pour tourner, 0 pour revenir)`,
  pdf: "Ouvrir le PDF",
  typed: "Identité saisie par le conducteur",
  holder: "Nom et prénoms",
  next: "Dossier suivant",
  noNext: "Aucun autre dossier en attente.",
  shortcuts: "Raccourcis : Alt+A accepter, Alt+C demander une correction, Alt+N dossier suivant.",
};

export type ReviewDictionary = typeof fr;

const en: ReviewDictionary = {
  zoomIn: (what) => `Zoom in: ${what}`,
  zoomOut: (what) => `Zoom out: ${what}`,
  rotate: (what) => `Rotate a quarter turn: ${what}`,
  frame: (what) => `${what} (keys + and − to zoom, R to rotate, 0 to reset)`,
  pdf: "Open the PDF",
  typed: "Identity typed by the driver",
  holder: "Name",
  next: "Next file",
  noNext: "No other file waiting.",
  shortcuts: "Shortcuts: Alt+A accept, Alt+C request a correction, Alt+N next file.",
};

export const reviewTexts: Record<Lang, ReviewDictionary> = { fr, en };
