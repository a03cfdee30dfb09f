// Searching a long list as a person types: accents, case, spaces, dashes and dots aside.

/** How many lines a long list shows at first, and adds at each « Afficher plus ». */
export const PAGE = 50;

/** Lower case, without accents, spaces, dashes or dots: « Éloïse-Marie » finds « eloisemarie ». */
export function searchable(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[\s\-.']/g, "");
}

/** A list made ready to search: each item's words prepared once per list, not per keystroke. */
export type SearchIndex<T> = { item: T; words: string }[];

export function indexItems<T>(items: T[], words: (item: T) => string[]): SearchIndex<T> {
  return items.map((item) => ({ item, words: words(item).map(searchable).join("|") }));
}

/** The items whose words (names, email, numbers) hold what was typed; all when nothing was. */
export function searchIndex<T>(index: SearchIndex<T>, typed: string): T[] {
  const wanted = searchable(typed);
  return (wanted === "" ? index : index.filter((line) => line.words.includes(wanted))).map(
    (line) => line.item,
  );
}
