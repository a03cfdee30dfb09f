/** A date and time from the API, in the reader's language. */
export function formatDate(iso: string, lang: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(lang === "fr" ? "fr-FR" : "en-GB");
}

/** `2026-11-25` → `25/11/2026`, as the guide writes dates. */
export function frenchDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return d ? `${d}/${m}/${y}` : iso;
}
