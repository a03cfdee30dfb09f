/** A date and time from the API, in the reader's language. */
export function formatDate(iso: string, lang: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(lang === "fr" ? "fr-FR" : "en-GB");
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `2026-11-25` → `25/11/2026`, as the guide writes dates; anything else as it is. */
export function frenchDate(iso: string): string {
  const day = ISO_DAY.exec(iso);
  return day ? `${day[3]}/${day[2]}/${day[1]}` : iso;
}

/**
 * A date typed `jj/mm/aaaa` (or with `-`, `.` or spaces between, or as 8 digits) → `aaaa-mm-jj`,
 * the form the rules read; anything else unchanged, for the rules to refuse beside the field
 * (a day that does not exist, such as 31/02, is theirs to refuse too).
 */
export function isoFromTyped(text: string): string {
  const typed = text.trim();
  const parts =
    /^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4})$/.exec(typed) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(typed);
  return parts ? `${parts[3]}-${parts[2].padStart(2, "0")}-${parts[1].padStart(2, "0")}` : text;
}
