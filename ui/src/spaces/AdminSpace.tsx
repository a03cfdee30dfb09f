import { useState } from "react";
import { api } from "../api";
import type { AuditAction } from "../bindings/AuditAction";
import type { CentreView } from "../bindings/CentreView";
import type { JournalPage } from "../bindings/JournalPage";
import type { JournalQuery } from "../bindings/JournalQuery";
import type { NewStaff } from "../bindings/NewStaff";
import type { StaffRole } from "../bindings/StaffRole";
import type { StaffView } from "../bindings/StaffView";
import { type SpaceProps, Alert, Confirm, FormEnd, Select, SpaceHeader, TextField } from "../components";
import { formatDate } from "../components/dates";
import { type ShellSection, Shell } from "../components/shell/Shell";
import { useAction, useLoad } from "../components/useAsync";
import { useT } from "../i18n";
import { adminTexts } from "../i18n-admin";
import { actionNames, historyText } from "../i18n-history";
import { Fees } from "./AdminFees";

const ROLES: StaffRole[] = ["agent", "centre_staff", "admin"];

/** « Centres »: approve a centre, and the list of approved centres with their staff count. */
function Centres() {
  const t = useT();
  const at = adminTexts[t.lang];
  const centres = useLoad<CentreView[]>(api.adminCentres, [], []);
  const sending = useAction();
  const empty = { name: "", approval_number: "", address: "" };
  const [centre, setCentre] = useState(empty);
  const [done, setDone] = useState<string | null>(null);
  const set = (key: keyof typeof empty) => (value: string) => setCentre({ ...centre, [key]: value });

  async function approve(event: React.FormEvent) {
    event.preventDefault();
    setDone(null);
    const ok = await sending.run(
      () => api.adminApproveCentre(centre),
      (made) => setDone(at.approved(`${made.name} (${made.approval_number})`)),
    );
    if (ok) {
      setCentre(empty);
      centres.reload();
    }
  }

  return (
    <>
      <form className="card" onSubmit={approve} noValidate aria-labelledby="approve-title">
        <h2 id="approve-title">{at.approveTitle}</h2>
        <TextField
          id="centre-name"
          label={at.centreName}
          value={centre.name}
          onChange={set("name")}
          required
        />
        <TextField
          id="centre-approval"
          label={at.approvalNumber}
          hint={at.approvalHint}
          value={centre.approval_number}
          onChange={set("approval_number")}
          required
        />
        <TextField
          id="centre-address"
          label={at.centreAddress}
          value={centre.address}
          onChange={set("address")}
          required
        />
        <FormEnd
          id="approve-centre"
          label={at.approve}
          busy={sending.busy}
          error={sending.error}
          done={done}
        />
      </form>
      <section className="card" aria-labelledby="centres-title">
        <h2 id="centres-title">{at.approvedCentres}</h2>
        <Alert error={centres.error} />
        {centres.data.length === 0 ? (
          <p className="muted">{at.noCentre}</p>
        ) : (
          <table className="table" id="centres">
            <thead>
              <tr>
                <th>{at.centreName}</th>
                <th>{at.approvalNumber}</th>
                <th>{at.centreAddress}</th>
                <th>{at.staff}</th>
                <th>{at.approvedOn}</th>
              </tr>
            </thead>
            <tbody>
              {centres.data.map((c) => (
                <tr key={c.id} data-approval={c.approval_number}>
                  <td>{c.name}</td>
                  <td>{c.approval_number}</td>
                  <td>{c.address}</td>
                  <td>{at.staffCount(c.staff)}</td>
                  <td>{formatDate(c.approved_at, t.lang)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

/** « Agents »: open a staff account (an email link sets the password), deactivate one (never
 * one's own: another administrator does it). */
function Staff({ me }: { me: string }) {
  const t = useT();
  const at = adminTexts[t.lang];
  const staff = useLoad<StaffView[]>(api.adminStaff, [], []);
  const centres = useLoad<CentreView[]>(api.adminCentres, [], []);
  const sending = useAction();
  const empty: NewStaff = { role: "agent", email: "", display_name: "", centre: null };
  const [input, setInput] = useState<NewStaff>(empty);
  const [done, setDone] = useState<string | null>(null);
  const [asking, setAsking] = useState<StaffView | null>(null);

  async function invite(event: React.FormEvent) {
    event.preventDefault();
    setDone(null);
    const ok = await sending.run(
      () => api.adminInviteStaff(input),
      (made) => setDone(at.invited(made.email)),
    );
    if (ok) {
      setInput(empty);
      staff.reload();
    }
  }

  async function deactivate(account: StaffView) {
    setDone(null);
    const ok = await sending.run(
      () => api.adminDeactivateStaff(account.account_id),
      () => setDone(at.deactivated(account.display_name)),
    );
    setAsking(null);
    if (ok) staff.reload();
  }

  return (
    <>
      <form className="card" onSubmit={invite} noValidate aria-labelledby="invite-title">
        <h2 id="invite-title">{at.inviteTitle}</h2>
        <p className="hint">{at.inviteHint}</p>
        <div className="field">
          <label htmlFor="staff-role">{at.role}</label>
          <select
            id="staff-role"
            value={input.role}
            onChange={(e) => {
              const role = e.target.value as StaffRole;
              setInput({ ...input, role, centre: role === "centre_staff" ? input.centre : null });
            }}
          >
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {at.roles[role]}
              </option>
            ))}
          </select>
        </div>
        {input.role === "centre_staff" && (
          <Select
            id="staff-centre"
            label={at.centre}
            value={input.centre ?? ""}
            options={centres.data.map((c) => [c.approval_number, `${c.name} (${c.approval_number})`])}
            onChange={(centre) => setInput({ ...input, centre: centre || null })}
          />
        )}
        <TextField
          id="staff-name"
          label={at.name}
          value={input.display_name}
          onChange={(display_name) => setInput({ ...input, display_name })}
          required
        />
        <TextField
          id="staff-email"
          type="email"
          label={at.email}
          value={input.email}
          onChange={(email) => setInput({ ...input, email })}
          required
        />
        <FormEnd id="invite-staff" label={at.invite} busy={sending.busy} error={sending.error} done={done} />
      </form>
      <section className="card" aria-labelledby="staff-title">
        <h2 id="staff-title">{at.accounts}</h2>
        <Alert error={staff.error} />
        <table className="table" id="staff">
          <thead>
            <tr>
              <th>{at.name}</th>
              <th>{at.email}</th>
              <th>{at.role}</th>
              <th>{at.centre}</th>
              <th>{at.status}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {staff.data.map((s) => (
              <tr key={s.account_id} data-email={s.email} data-status={s.status}>
                <td>{s.display_name}</td>
                <td>{s.email}</td>
                <td>{at.roles[s.role]}</td>
                <td>{s.centre ?? ""}</td>
                <td>{at.statuses[s.status]}</td>
                <td>
                  {s.status !== "deactivated" && s.account_id !== me && (
                    <button
                      className="secondary"
                      id={`deactivate-${s.account_id}`}
                      onClick={() => setAsking(s)}
                    >
                      {at.deactivate}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {asking && (
          <Confirm
            id="deactivate-question"
            question={at.confirmDeactivate(asking.display_name)}
            confirmId="confirm-deactivate"
            confirm={at.confirm}
            keep={at.cancel}
            onConfirm={() => void deactivate(asking)}
            onKeep={() => setAsking(null)}
          />
        )}
      </section>
    </>
  );
}

/** « Journal »: every audited action, newest first, filtered by action, author or subject. */
function Journal() {
  const t = useT();
  const at = adminTexts[t.lang];
  const noFilter: JournalQuery = { action: null, actor: null, subject: null, before: null, before_id: null };
  const [typed, setTyped] = useState<JournalQuery>(noFilter);
  // The page shown: the filters applied, and `before` for the older lines.
  const [query, setQuery] = useState<JournalQuery>(noFilter);
  const page = useLoad<JournalPage | null>(() => api.adminJournal(query), null, [query]);
  const lines = page.data?.entries ?? [];
  const next = page.data?.next_before ?? null;
  const nextId = page.data?.next_before_id ?? null;

  return (
    <section className="card">
      <form
        className="list-tools"
        onSubmit={(event) => {
          event.preventDefault();
          setQuery({ ...typed, before: null, before_id: null });
        }}
      >
        <div className="field">
          <label htmlFor="journal-action">{at.action}</label>
          <select
            id="journal-action"
            value={typed.action ?? ""}
            onChange={(e) => setTyped({ ...typed, action: (e.target.value || null) as AuditAction | null })}
          >
            <option value="">{at.allActions}</option>
            {actionNames(t.lang).map(([action, name]) => (
              <option key={action} value={action}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="journal-actor"
          label={at.actor}
          value={typed.actor ?? ""}
          onChange={(actor) => setTyped({ ...typed, actor: actor || null })}
        />
        <TextField
          id="journal-subject"
          label={at.subject}
          value={typed.subject ?? ""}
          onChange={(subject) => setTyped({ ...typed, subject: subject || null })}
        />
        <button className="secondary" id="filter-journal">
          {at.filter}
        </button>
      </form>
      <Alert error={page.error} />
      {page.data && lines.length === 0 ? (
        <p className="muted">{at.noLine}</p>
      ) : (
        <table className="table" id="journal">
          <thead>
            <tr>
              <th>{at.when}</th>
              <th>{at.who}</th>
              <th>{at.what}</th>
              <th>{at.detail}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line) => (
              <tr key={line.seq} data-action={line.action}>
                <td>{formatDate(line.at, t.lang)}</td>
                <td>{line.actor ?? at.service}</td>
                <td>{actionNames(t.lang).find(([a]) => a === line.action)?.[1]}</td>
                <td>{historyText(line, t.lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions-row">
        {query.before !== null && (
          <button className="secondary" onClick={() => setQuery({ ...query, before: null, before_id: null })}>
            {at.newest}
          </button>
        )}
        {next !== null && (
          <button
            className="secondary"
            id="older-lines"
            onClick={() => setQuery({ ...query, before: next, before_id: nextId })}
          >
            {at.older}
          </button>
        )}
      </div>
    </section>
  );
}

/** The administrator's space: centres, staff accounts, fees, the journal. Online only. */
export function AdminSpace({ profile, onLoggedOut }: SpaceProps) {
  const t = useT();
  const at = adminTexts[t.lang];
  const sections: ShellSection[] = [
    { id: "centres", label: at.centres, render: () => <Centres /> },
    { id: "agents", label: at.staff, render: () => <Staff me={profile.account_id} /> },
    { id: "tarifs", label: at.fees, render: () => <Fees /> },
    { id: "journal", label: at.journal, render: () => <Journal /> },
  ];
  return (
    <Shell
      title={at.space}
      accountId={profile.account_id}
      sections={sections}
      top={<SpaceHeader name={profile.display_name} onLoggedOut={onLoggedOut} />}
    />
  );
}
