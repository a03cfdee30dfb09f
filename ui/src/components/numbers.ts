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
