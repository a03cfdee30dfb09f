import { type ReactNode, useEffect, useRef, useState } from "react";
import { useT } from "../../i18n";
import { shellTexts } from "../../i18n-shell";
import { type Route, addressOf, lastSectionKey, routeOf, startRoute } from "./route";

export type ShellSection = {
  id: string;
  label: string;
  /** A count shown beside the menu entry (unread notifications). */
  count?: number;
  render: (item: string | undefined) => ReactNode;
};

/** Opens a section of the space: a new step in back/forward. */
export function goTo(route: Route) {
  window.location.hash = addressOf(route);
}

/**
 * A signed-in space: a menu of sections, each its own screen at its own address (`#/mes-cartes`),
 * with back and forward, reopened at the section the account left last.
 */
export function Shell(props: {
  /** The space's name, at the top of the menu. */
  title: string;
  accountId: string;
  sections: ShellSection[];
  /** Above every section: the greeting and « Se déconnecter », the centre's sync bar. */
  top: ReactNode;
}) {
  const t = useT();
  const st = shellTexts[t.lang];
  const ids = props.sections.map((s) => s.id);
  const idsKey = ids.join(" ");
  const [route, setRoute] = useState<Route>(() =>
    startRoute(window.location.hash, localStorage.getItem(lastSectionKey(props.accountId)), ids),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  const opened = useRef(false);

  useEffect(() => {
    // The address says where the space opened, without a step of its own in the history.
    window.history.replaceState(null, "", addressOf(route));
    const follow = () => {
      const next = routeOf(window.location.hash, idsKey.split(" "));
      if (next) setRoute(next);
    };
    window.addEventListener("hashchange", follow);
    return () => window.removeEventListener("hashchange", follow);
    // Only the sections change what the listener accepts; the start route is read once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [idsKey]);

  const section = props.sections.find((s) => s.id === route.section) ?? props.sections[0];
  useEffect(() => {
    localStorage.setItem(lastSectionKey(props.accountId), section.id);
    document.title = `${section.label} · CQC`;
    // A new screen: focus goes to its title, which a screen reader reads (not at the first one).
    if (opened.current) heading.current?.focus();
    opened.current = true;
  }, [props.accountId, section.id, section.label, route.item]);

  useEffect(() => {
    const keys = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "ArrowLeft") window.history.back();
      else if (event.key === "ArrowRight") window.history.forward();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", keys);
    return () => window.removeEventListener("keydown", keys);
  }, []);

  return (
    <>
      <div className="shell">
        <nav className="shell-menu" aria-label={st.menu}>
          <p className="shell-title">{props.title}</p>
          <ul>
            {props.sections.map((s) => (
              <li key={s.id}>
                <a
                  href={addressOf({ section: s.id })}
                  id={`menu-${s.id}`}
                  aria-current={s.id === section.id ? "page" : undefined}
                >
                  <span>{s.label}</span>
                  {!!s.count && (
                    <span className="menu-count" data-testid={`count-${s.id}`}>
                      {s.count}
                      <span className="visually-hidden"> {st.unread(s.count)}</span>
                    </span>
                  )}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="shell-content">
          <div className="shell-history">
            <button type="button" className="link-button" onClick={() => window.history.back()}>
              {st.back}
            </button>
            <button type="button" className="link-button" onClick={() => window.history.forward()}>
              {st.forward}
            </button>
          </div>
          {props.top}
          <section className="page" aria-labelledby="section-title">
            <h1 id="section-title" tabIndex={-1} ref={heading}>
              {section.label}
            </h1>
            {section.render(route.item)}
          </section>
        </div>
      </div>
    </>
  );
}
