import { useEffect, useRef, useState } from "react";
import { api } from "../../api";
import type { Notification } from "../../bindings/Notification";
import type { SmsMessage } from "../../bindings/SmsMessage";
import { Alert } from "../../components";
import { formatDate } from "../../components/dates";
import { goTo } from "../../components/shell/Shell";
import { useLoad } from "../../components/useAsync";
import { useT } from "../../i18n";
import { applicationTexts } from "../../i18n-applications";
import { shellTexts } from "../../i18n-shell";

/** How often a running app looks for new notifications (a reminder, an agent's answer). */
const NOTIFICATIONS_POLL_MS = 60_000;

/** The unread notifications of `list` that were not there at the last look (`seen`, updated):
 * none at the first look, whose notifications were waiting before the app opened. */
export function arrivals(seen: Set<string> | null, list: Notification[]): [Set<string>, Notification[]] {
  const ids = new Set(list.map((n) => n.id));
  if (seen === null) return [ids, []];
  return [ids, list.filter((n) => !n.read && !seen.has(n.id))];
}

/** The account's notifications, from the server when it answers, else this computer's copy.
 * One that arrives while the app runs (a reminder, an agent's answer) is also shown by the
 * system, so that it is seen while another window is in front. */
export function useNotifications(online: boolean) {
  const notifications = useLoad<Notification[]>(api.notifications, [], [online]);
  const reload = notifications.reload;
  const seen = useRef<Set<string> | null>(null);
  const { data, error } = notifications;
  useEffect(() => {
    const timer = setInterval(reload, NOTIFICATIONS_POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);
  useEffect(() => {
    // An answer that failed (offline, first render) says nothing about what is new.
    if (error || (seen.current === null && data.length === 0)) return;
    const [ids, fresh] = arrivals(seen.current, data);
    seen.current = ids;
    for (const n of fresh) void api.showSystemNotification(n.title, n.body).catch(() => undefined);
  }, [data, error]);
  return notifications;
}

/** Where a notification's « en savoir plus » leads in the driver's space. */
function routeOfTarget(target: string | null) {
  const [kind, id] = target?.split(":") ?? [];
  if (!id) return null;
  if (kind === "application") return { section: "mes-demandes", item: id };
  if (kind === "replacement") return { section: "mes-cartes", item: id };
  return null;
}

/** One notification, with its « en savoir plus » when it is about an application or a card. */
export function NotificationItem({ notification: n, fresh }: { notification: Notification; fresh: boolean }) {
  const t = useT();
  const route = routeOfTarget(n.target);
  return (
    <li className={fresh ? "unread" : undefined}>
      <strong>
        {fresh && <span className="badge">{shellTexts[t.lang].newSince}</span>} {n.title}
      </strong>
      <span>{n.body}</span>
      <time dateTime={n.created_at}>{formatDate(n.created_at, t.lang)}</time>
      {route && (
        <button className="link-button" onClick={() => goTo(route)}>
          {t.learnMore}
        </button>
      )}
    </li>
  );
}

/** « Notifications »: opening it marks them read (on every computer of the account); those that
 * were unread stay marked « Nouveau » while the section is open. */
export function NotificationsSection(props: {
  notifications: Notification[];
  error: ReturnType<typeof useNotifications>["error"];
  online: boolean;
  onRead: () => void;
}) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [sms, setSms] = useState<SmsMessage[]>([]);
  const { onRead, online } = props;
  const unread = props.notifications
    .filter((n) => !n.read)
    .map((n) => n.id)
    .join(" ");
  useEffect(() => {
    if (!unread) return;
    setFresh((seen) => new Set([...seen, ...unread.split(" ")]));
    api.markNotificationsRead().then(onRead, () => undefined);
  }, [unread, onRead]);
  useEffect(() => {
    if (online) api.smsOutbox().then(setSms, () => undefined);
  }, [online]);

  return (
    <section className="card">
      <Alert error={props.error} />
      {props.notifications.length === 0 ? (
        <p className="muted">{t.noNotifications}</p>
      ) : (
        <ul className="notifications" id="notifications">
          {props.notifications.map((n) => (
            <NotificationItem key={n.id} notification={n} fresh={fresh.has(n.id)} />
          ))}
        </ul>
      )}
      {sms.length > 0 && (
        <details>
          <summary>{at.smsTitle}</summary>
          <ul className="notifications" id="sms">
            {sms.map((m, i) => (
              <li key={i}>
                <span>{m.body}</span>
                <time dateTime={m.created_at}>{formatDate(m.created_at, t.lang)}</time>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
