import { useState } from "react";
import { api } from "../api";
import type { Notification } from "../bindings/Notification";
import type { Profile } from "../bindings/Profile";
import { type SpaceProps, Alert, SpaceHeader, SummaryList } from "../components";
import { type ShellSection, Shell } from "../components/shell/Shell";
import {
  NotificationItem,
  NotificationsSection,
  useNotifications,
} from "../features/notifications/Notifications";
import { MyInvoices } from "../features/replacements";
import { MyCertificatesSection, MyTrainingsSection } from "../features/trainings/MyDocuments";
import { shellTexts } from "../i18n-shell";
import { LockChoice } from "../features/account/InactivityLock";
import { CloseAccount } from "../features/account/CloseAccount";
import { NextStepBanner } from "../features/applications/NextStep";
import { frenchDate } from "../components/dates";
import { fieldLabels, useT } from "../i18n";
import { MyApplications, MyCardsSection } from "../features/applications/MyApplications";
import { useAction } from "../components/useAsync";

/** « Mes données »: the archive of everything held about the driver, saved in Téléchargements. */
function MyData() {
  const t = useT();
  const { busy, error, run } = useAction();
  const [saved, setSaved] = useState<string>();
  return (
    <section className="card my-data">
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
    </section>
  );
}

/** « Mon compte »: what the service holds as the driver's identity and contact, the lock, closure. */
function MyAccount({ profile, onLoggedOut }: { profile: Profile; onLoggedOut: () => void }) {
  const t = useT();
  const labels = fieldLabels[t.lang];
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
    <section className="card">
      <SummaryList rows={rows} />
      <LockChoice />
      <CloseAccount onClosed={onLoggedOut} />
    </section>
  );
}

/** « Accueil »: what to do next, and the latest notifications. */
function Home({ online, notifications }: { online: boolean; notifications: Notification[] }) {
  const t = useT();
  const latest = notifications.slice(0, 3);
  return (
    <>
      <NextStepBanner online={online} />
      {!online && <p className="muted">{t.offlineCopy}</p>}
      <section className="card" aria-labelledby="latest-notifications">
        <h2 id="latest-notifications">{t.notificationsTitle}</h2>
        {latest.length === 0 ? (
          <p className="muted">{t.noNotifications}</p>
        ) : (
          <ul className="notifications">
            {latest.map((n) => (
              <NotificationItem key={n.id} notification={n} fresh={!n.read} />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

/** The driver's personal space, readable offline from this computer's copy. */
export function DriverHome({ profile, online, onLoggedOut }: SpaceProps) {
  const t = useT();
  const names = shellTexts[t.lang].driver;
  const notifications = useNotifications(online);
  const unread = notifications.data.filter((n) => !n.read).length;
  const sections: ShellSection[] = [
    {
      id: "accueil",
      label: names.home,
      render: () => <Home online={online} notifications={notifications.data} />,
    },
    {
      id: "mes-demandes",
      label: names.applications,
      render: (item) => <MyApplications key={item} online={online} openId={item} />,
    },
    {
      id: "mes-cartes",
      label: names.cards,
      render: (item) => <MyCardsSection key={item} online={online} openReplacementId={item} />,
    },
    { id: "mes-formations", label: names.trainings, render: () => <MyTrainingsSection online={online} /> },
    {
      id: "mes-certificats",
      label: names.certificates,
      render: () => <MyCertificatesSection online={online} />,
    },
    { id: "mes-factures", label: names.invoices, render: () => <MyInvoices online={online} /> },
    {
      id: "notifications",
      label: names.notifications,
      count: unread,
      render: () => (
        <NotificationsSection
          notifications={notifications.data}
          error={notifications.error}
          online={online}
          onRead={notifications.reload}
        />
      ),
    },
    {
      id: "mon-compte",
      label: names.account,
      render: () => <MyAccount profile={profile} onLoggedOut={onLoggedOut} />,
    },
    { id: "mes-donnees", label: names.data, render: () => <MyData /> },
  ];
  return (
    <Shell
      title={t.mySpace}
      accountId={profile.account_id}
      sections={sections}
      top={<SpaceHeader name={profile.display_name} onLoggedOut={onLoggedOut} />}
    />
  );
}
