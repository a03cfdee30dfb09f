/** A signed-in space's address: `#/<section>` or `#/<section>/<item>` (an application, a
 * replacement…), so that each section is its own screen with back and forward. */
export type Route = { section: string; item?: string };

export function addressOf({ section, item }: Route): string {
  return item ? `#/${section}/${encodeURIComponent(item)}` : `#/${section}`;
}

/** The route an address names, if it is one of `sections`. */
export function routeOf(hash: string, sections: readonly string[]): Route | null {
  const [section, item] = hash.replace(/^#\/?/, "").split("/");
  if (!section || !sections.includes(section)) return null;
  return item ? { section, item: decodeURIComponent(item) } : { section };
}

/** Where a space opens: the address it was opened at, else the section the account left it on
 * (an item is not reopened: it may be gone), else the first. */
export function startRoute(hash: string, lastSection: string | null, sections: readonly string[]): Route {
  return (
    routeOf(hash, sections) ??
    (lastSection && sections.includes(lastSection) ? { section: lastSection } : { section: sections[0] })
  );
}

/** Where the section last open is kept, per account. */
export const lastSectionKey = (accountId: string) => `cqc.section.${accountId}`;
