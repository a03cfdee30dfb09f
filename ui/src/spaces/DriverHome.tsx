import { useEffect, useState } from "react";
import { api, asApiError } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Notification } from "../bindings/Notification";
import { type SpaceProps, Alert, Page, SpaceHeader } from "../components";
import { LockChoice } from "../features/account/InactivityLock";
import { CloseAccount } from "../features/account/CloseAccount";
import { NextStepBanner } from "../features/applications/NextStep";
import { formatDate, frenchDate } from "../components/dates";
import { fieldLabels, useT } from "../i18n";
import type { SmsMessage } from "../bindings/SmsMessage";
import { applicationTexts } from "../i18n-applications";
import { MyApplications } from "../features/applications/MyApplications";
import { MyDocuments } from "../features/trainings/MyDocuments";
import { useAction } from "../components/useAsync";

/** « Mes données »: the archive of everything held about the driver, saved in Téléchargements. */
function MyData() {
  const t = useT();
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState<string>();
  return (
    <div className="my-data">
      <h3>{t.myData}</h3>
      <p className="hint">{t.myDataHint}</p>
      <button
        type="button"
        className="secondary"
        id="download-my-data"
        disabled={busy}
        onClick={() => void run(api.savePersonalData, setSaved)}
      >
        {busy ? t.preparingMyData : t.downloadMyData}
      </button>
      <Alert error={error} />
      {saved && (
        <p className="muted" role="status">
          {t.myDataSaved(saved)}
        </p>
      )}
    </div>
  );
}

/** The driver's personal space, readable offline from this computer's copy. */
export function DriverHome({ profile, online, onLoggedOut }: SpaceProps) {
  const t = useT();
  const labels = fieldLabels[t.lang];
  const [notifications, setNotifications] = useState<Notification[]>([]);
  const [sms, setSms] = useState<SmsMessage[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [openApplication, setOpenApplication] = useState<string | null>(null);
  const [openReplacement, setOpenReplacement] = useState<string | null>(null);
  const at = applicationTexts[t.lang];

  useEffect(() => {
    api.notifications().then(setNotifications, (e) => setError(asApiError(e)));
    if (online) api.smsOutbox().then(setSms, () => undefined);
  }, [online]);

  const r = profile.registration;
  const rows: [string, string][] = r
    ? [
        [labels.email, profile.email],
        [labels.mobile_phone, r.mobile_phone],
        [labels.birth_date, frenchDate(r.birth_date)],
        [
          t.postalAddress,
          [r.address.line1, r.address.line2, `${r.address.postcode} ${r.address.city}`, r.address.country]
            .filter(Boolean)
            .join(", "),
        ],
        [labels.licence_number, r.licence_number],
      ]
    : [[labels.email, profile.email]];

  return (
    <Page title={t.mySpace}>
      <SpaceHeader name={profile.display_name} onLoggedOut={onLoggedOut} />
      {profile.role === "driver" && <NextStepBanner online={online} />}
      {!online && <p className="muted">{t.offlineCopy}</p>}
      <div className="grid-2">
        <section className="card">
          <h2>{t.notificationsTitle}</h2>
          <Alert error={error} />
          {notifications.length === 0 ? (
            <p className="muted">{t.noNotifications}</p>
          ) : (
            <ul className="notifications">
              {notifications.map((n) => (
                <li key={n.id}>
                  <strong>{n.title}</strong>
                  <span>{n.body}</span>
                  <time dateTime={n.created_at}>{formatDate(n.created_at, t.lang)}</time>
                  {n.target?.startsWith("application:") && (
                    <button
                      className="link-button"
                      onClick={() => setOpenApplication(n.target!.slice("application:".length))}
                    >
                      {t.learnMore}
                    </button>
                  )}
                  {n.target?.startsWith("replacement:") && (
                    <button
                      className="link-button"
                      onClick={() => setOpenReplacement(n.target!.slice("replacement:".length))}
                    >
                      {t.learnMore}
                    </button>
                  )}
                </li>
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
        <section className="card">
          <h2>{t.myAccount}</h2>
          <dl className="summary">
            {rows.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
          <LockChoice />
          {profile.role === "driver" && <MyData />}
          {profile.role === "driver" && <CloseAccount onClosed={onLoggedOut} />}
        </section>
      </div>
      <MyApplications online={online} openId={openApplication} openReplacementId={openReplacement} />
      <MyDocuments online={online} />
    </Page>
  );
}
