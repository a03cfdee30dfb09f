// Numbers as each language writes them: `12 345` in French (a narrow no-break space between
// thousands), `12,345` in English; and the noun that goes with a count.

const formats = {
  fr: new Intl.NumberFormat("fr-FR"),
  en: new Intl.NumberFormat("en-GB"),
};

/** `12345` → `12 345` (fr) or `12,345` (en). */
export function count(n: number, lang: "fr" | "en"): string {
  return formats[lang].format(n);
}

/** The count with its noun: « 1 formation », « 0 formation », « 3 formations » (French puts 0
 * and 1 in the singular); « 1 training », « 0 trainings » in English. */
export function counted(n: number, lang: "fr" | "en", one: string, many: string): string {
  const singular = lang === "fr" ? Math.abs(n) < 2 : n === 1;
  return `${count(n, lang)} ${singular ? one : many}`;
}

/** An amount typed with at most two decimals, in hundredths: « 25,50 » → 2550 (euros to
 * cents), « 5,5 » → 550 (a rate to basis points); a comma or a point, thousands spaced or not.
 * `null` when it is not such a number. */
export function hundredths(typed: string): number | null {
  const text = typed.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  const match = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "0").padEnd(2, "0"));
}

/** Hundredths written back for a field: 2550 → « 25,50 » (fr) or « 25.50 » (en). */
export function fromHundredths(value: number, lang: "fr" | "en"): string {
  const text = (value / 100).toFixed(2);
  return lang === "fr" ? text.replace(".", ",") : text;
}
