import { historyText } from "../i18n-history";
import { useAction, useLoad } from "../components/useAsync";
import { inputLimits } from "../bindings/limits";
import { useState } from "react";
import { api, asApiError } from "../api";

import type { IdentityCheckView } from "../bindings/IdentityCheckView";
import type { Profile } from "../bindings/Profile";
import type { RegistrationField } from "../bindings/RegistrationField";
import type { RegistrationFile } from "../bindings/RegistrationFile";
import type { RegistrationInput } from "../bindings/RegistrationInput";
import type { RegistrationQueue } from "../bindings/RegistrationQueue";
import { Alert, SpaceHeader, RefreshableHeading } from "../components";
import { fieldLabels, useT } from "../i18n";
import { ListSearch, ShowMore, useListSearch } from "../components/ListSearch";
import { AgentApplications, CardProduction } from "../features/applications/AgentApplications";
import { type ShellSection, Shell } from "../components/shell/Shell";
import { shellTexts } from "../i18n-shell";
import { AgentReplacements } from "../features/replacements/AgentReplacements";
import { formatDate, frenchDate } from "../components/dates";

function duration(minutes: number): string {
  const m = Math.abs(minutes);
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")}`;
}

/** Each field of a request as the agent reads it, in the order of the form. */
function reviewRows(r: RegistrationInput, lang: "fr" | "en"): [RegistrationField, string][] {
  const civility =
    r.civility === "madame" ? (lang === "fr" ? "Madame" : "Ms") : lang === "fr" ? "Monsieur" : "Mr";
  return [
    ["civility", r.civility ? civility : ""],
    ["last_name", r.last_name],
    ["usage_name", r.usage_name],
    ["first_names", r.first_names],
    ["birth_date", frenchDate(r.birth_date)],
    ["birth_city", r.birth_city],
    ["birth_country", r.birth_country],
    ["email", r.email],
    ["mobile_phone", r.mobile_phone],
    ["address_line1", r.address.line1],
    ["address_line2", r.address.line2],
    ["postcode", r.address.postcode],
    ["city", r.address.city],
    ["country", r.address.country],
    [
      "licence_number",
      `${r.licence_number} (${r.licence_kind === "pink_paper" ? "permis rose" : "permis carte"})`,
    ],
  ];
}

export function AgentSpace({ profile, onLoggedOut }: { profile: Profile; onLoggedOut: () => void }) {
  const t = useT();
  const {
    data: queue,
    error,
    setError,
    reload: load,
  } = useLoad<RegistrationQueue | null>(() => api.agentQueue(), null, []);
  const [file, setFile] = useState<RegistrationFile | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const openFile = (id: string) => {
    setDone(null);
    api.agentFile(id).then(setFile, (e) => setError(asApiError(e)));
  };

  const names = shellTexts[t.lang].agent;
  const search = useListSearch(queue?.entries ?? [], (e) => [e.display_name, e.email]);
  const accounts = file ? (
    <FileReview
      file={file}
      onBack={() => {
        setFile(null);
        load();
      }}
      onDone={(message) => {
        setDone(message);
        setFile(null);
        load();
      }}
    />
  ) : (
    <>
      <section className="card">
        <RefreshableHeading title={t.accountsToAnalyse} onRefresh={load} />
        {queue && <p data-testid="queue-count">{t.queueCount(queue.count, queue.overdue)}</p>}
        {queue && queue.entries.length === 0 && <p className="muted">{t.queueEmpty}</p>}
        {queue && queue.entries.length > 0 && (
          <ListSearch id="accounts-search" label={t.searchAccounts} search={search} />
        )}
        {queue && queue.entries.length > 0 && (
          <table className="queue">
            <thead>
              <tr>
                <th>{t.name}</th>
                <th>{fieldLabels[t.lang].email}</th>
                <th>{t.submitted}</th>
                <th>{t.age}</th>
                <th>{t.timeLeft}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {search.shown.map((e) => (
                <tr key={e.request_id} className={e.clock.overdue ? "overdue" : ""}>
                  <td>
                    {e.display_name} {e.resubmitted && <span className="badge">{t.resubmitted}</span>}
                  </td>
                  <td>{e.email}</td>
                  <td>{formatDate(e.submitted_at, t.lang)}</td>
                  <td>{duration(e.clock.age_minutes)}</td>
                  <td>
                    {e.clock.overdue ? (
                      <span className="badge badge-late">{t.overdue}</span>
                    ) : (
                      duration(e.clock.minutes_left)
                    )}
                  </td>
                  <td>
                    <button className="secondary" data-email={e.email} onClick={() => openFile(e.request_id)}>
                      {t.openFile}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ShowMore search={search} />
      </section>
      <IdentityChecks />
    </>
  );
  const sections: ShellSection[] = [
    { id: "comptes", label: names.accounts, render: () => accounts },
    { id: "demandes", label: names.applications, render: () => <AgentApplications /> },
    { id: "cartes", label: names.cards, render: () => <CardProduction /> },
    { id: "remplacements", label: names.replacements, render: () => <AgentReplacements /> },
  ];
  return (
    <Shell
      title={t.agentSpace}
      accountId={profile.account_id}
      sections={sections}
      top={
        <>
          <SpaceHeader name={profile.display_name} onLoggedOut={onLoggedOut} />
          <Alert kind="success" error={done} />
          <Alert error={error} />
        </>
      }
    />
  );
}

function FileReview({
  file,
  onBack,
  onDone,
}: {
  file: RegistrationFile;
  onBack: () => void;
  onDone: (message: string) => void;
}) {
  const t = useT();
  const labels = fieldLabels[t.lang];
  const [flags, setFlags] = useState<{ [key in RegistrationField]?: string }>({});
  const { busy, error, run } = useAction();
  const flagged = Object.entries(flags) as [RegistrationField, string][];
  const pending = file.status === "pending_analysis";

  async function act(action: () => Promise<RegistrationFile>, message: string) {
    await run(action, () => onDone(message));
  }

  return (
    <section className="card">
      <h2>{t.fileTitle(`${file.registration.first_names} ${file.registration.last_name}`)}</h2>
      <p className="muted">
        {t.submitted} {formatDate(file.submitted_at, t.lang)} · {t.age} {duration(file.clock.age_minutes)}
        {file.clock.overdue && <span className="badge badge-late">{t.overdue}</span>}
      </p>
      {pending && <p>{t.markHint}</p>}
      <table className="review">
        <tbody>
          {reviewRows(file.registration, t.lang).map(([field, value]) => (
            <tr key={field} className={flags[field] !== undefined ? "flagged" : ""}>
              <th scope="row">{labels[field]}</th>
              <td>{value}</td>
              <td>
                {pending && (
                  <label className="choice">
                    <input
                      type="checkbox"
                      id={`flag-${field}`}
                      checked={flags[field] !== undefined}
                      onChange={(e) =>
                        setFlags((f) => {
                          const next = { ...f };
                          if (e.target.checked) next[field] = "";
                          else delete next[field];
                          return next;
                        })
                      }
                    />
                    {t.toCorrect}
                  </label>
                )}
                {flags[field] !== undefined && (
                  <input
                    aria-label={`${t.reason} – ${labels[field]}`}
                    id={`reason-${field}`}
                    className="reason"
                    placeholder={t.reason}
                    value={flags[field]}
                    maxLength={inputLimits.reason}
                    onChange={(e) => setFlags((f) => ({ ...f, [field]: e.target.value }))}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Alert error={error} />
      <div className="actions-row">
        {pending && (
          <>
            <button
              className="primary"
              id="accept-registration"
              disabled={busy || flagged.length > 0}
              onClick={() => act(() => api.agentAccept(file.request_id), t.fileAccepted)}
            >
              {t.accept}
            </button>
            <button
              className="secondary"
              id="request-correction"
              disabled={busy || flagged.length === 0}
              onClick={() =>
                act(
                  () =>
                    api.agentRequestCorrection(
                      file.request_id,
                      flagged.map(([field, reason]) => ({ field, reason })),
                    ),
                  t.fileCorrection,
                )
              }
            >
              {t.requestCorrection}
            </button>
          </>
        )}
        <button className="link-button" onClick={onBack}>
          {t.back}
        </button>
      </div>
      <h3>{t.history}</h3>
      <ol className="history">
        {file.history.map((h, i) => (
          <li key={i}>
            <time dateTime={h.at}>{formatDate(h.at, t.lang)}</time> — {historyText(h, t.lang)}
            {h.actor && <span className="muted"> ({h.actor})</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** Trainings the centre typed with an account's licence number and birth date but other names. */
function IdentityChecks() {
  const t = useT();
  const checks = useLoad<IdentityCheckView[]>(() => api.agentIdentityChecks(), [], []);
  const decision = useAction();
  const error = decision.error ?? checks.error;
  const [done, setDone] = useState<string | null>(null);
  const decide = (trainingId: string, samePerson: boolean) =>
    decision.run(
      () => api.agentDecideIdentityCheck(trainingId, samePerson),
      () => {
        setDone(samePerson ? t.identityAttached : t.identityRefused);
        checks.reload();
      },
    );
  if (checks.data.length === 0 && !done && !error) {
    return null;
  }
  return (
    <section className="card" data-testid="identity-checks">
      <h2>{t.identityChecks}</h2>
      <p className="muted">{t.identityChecksHelp}</p>
      <Alert kind="success" error={done} />
      <Alert error={error} />
      {checks.data.map((c) => (
        <div key={c.training_id} className="identity-check">
          <p>
            <strong>{c.training}</strong> — {c.centre_name} ({c.centre_approval_number})
          </p>
          <table className="queue">
            <tbody>
              <tr>
                <th>{t.trainee}</th>
                <td>{c.trainee}</td>
              </tr>
              <tr>
                <th>{t.accountHolder}</th>
                <td>
                  {c.holder} — {c.holder_email}
                </td>
              </tr>
              <tr>
                <th>{fieldLabels[t.lang].licence_number}</th>
                <td>
                  {c.licence_number} · {frenchDate(c.birth_date)}
                </td>
              </tr>
            </tbody>
          </table>
          <button className="primary" onClick={() => decide(c.training_id, true)}>
            {t.samePerson}
          </button>{" "}
          <button className="secondary" onClick={() => decide(c.training_id, false)}>
            {t.notSamePerson}
          </button>
        </div>
      ))}
    </section>
  );
}
