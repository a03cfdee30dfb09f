import { useMemo, useState } from "react";
import { useT } from "../i18n";
import { count } from "./numbers";
import { PAGE, indexItems, searchIndex } from "./search";

/** A long list searched as one types and shown 50 lines at a time. */
export function useListSearch<T>(items: T[], words: (item: T) => string[]) {
  const [typed, setTyped] = useState("");
  const [page, setPage] = useState(PAGE);
  // `words` is a fixed reading of an item: only a new list is indexed again.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const index = useMemo(() => indexItems(items, words), [items]);
  const found = useMemo(() => searchIndex(index, typed), [index, typed]);
  return {
    typed,
    type: (text: string) => {
      setTyped(text);
      setPage(PAGE);
    },
    found,
    shown: found.slice(0, page),
    total: items.length,
    hidden: Math.max(0, found.length - page),
    more: () => setPage((p) => p + PAGE),
  };
}

export type ListSearchState = ReturnType<typeof useListSearch>;

/** The search field above a list, and how many lines match. */
export function ListSearch({ id, label, search }: { id: string; label: string; search: ListSearchState }) {
  const t = useT();
  return (
    <div className="list-tools">
      <div className="field">
        <label htmlFor={id}>{label}</label>
        <input id={id} type="search" value={search.typed} onChange={(e) => search.type(e.target.value)} />
      </div>
      <p className="muted" role="status">
        {t.lang === "fr"
          ? `${count(search.found.length, "fr")} sur ${count(search.total, "fr")}`
          : `${count(search.found.length, "en")} of ${count(search.total, "en")}`}
      </p>
    </div>
  );
}

/** « Afficher N de plus » under a list while lines are hidden. */
export function ShowMore({ search }: { search: ListSearchState }) {
  const t = useT();
  if (search.hidden === 0) return null;
  const n = Math.min(PAGE, search.hidden);
  return (
    <button type="button" className="secondary" onClick={search.more}>
      {t.lang === "fr" ? `Afficher ${count(n, "fr")} de plus` : `Show ${count(n, "en")} more`}
    </button>
  );
}
