import { useState, type ReactNode } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Profile } from "../bindings/Profile";
import type { UnsentWork } from "../bindings/UnsentWork";
import { useT } from "../i18n";
import { errorText } from "../i18n-errors";
import { frenchDate, isoFromTyped } from "./dates";
import { logOut } from "../draft";
import { LockNowButton } from "../features/account/InactivityLock";

/** A labelled input with its error right below it, tied together for screen readers. */
export function TextField(props: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string;
  hint?: ReactNode;
  type?: string;
  autoComplete?: string;
  required?: boolean;
  onFocus?: () => void;
  highlight?: string;
}) {
  const describedBy = [props.error ? `${props.id}-error` : "", props.hint ? `${props.id}-hint` : ""]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={`field${props.error ? " field-error" : ""}${props.highlight ? " field-flagged" : ""}`}>
      <label htmlFor={props.id}>
        {props.label}
        {props.required && <span aria-hidden="true"> *</span>}
      </label>
      {props.highlight && <p className="flag">{props.highlight}</p>}
      {props.hint && (
        <div id={`${props.id}-hint`} className="hint">
          {props.hint}
        </div>
      )}
      {props.type === "date" ? (
        <DateInput
          id={props.id}
          value={props.value}
          onChange={props.onChange}
          autoComplete={props.autoComplete}
          required={props.required}
          invalid={Boolean(props.error)}
          describedBy={describedBy || undefined}
        />
      ) : (
        <input
          id={props.id}
          name={props.id}
          type={props.type ?? "text"}
          value={props.value}
          autoComplete={props.autoComplete}
          required={props.required}
          aria-invalid={props.error ? true : undefined}
          aria-describedby={describedBy || undefined}
          onChange={(e) => props.onChange(e.target.value)}
          onFocus={props.onFocus}
        />
      )}
      <FieldMessage id={`${props.id}-error`} error={props.error} />
    </div>
  );
}

/**
 * A day typed `jj/mm/aaaa` whatever the system's language (a browser's date input follows the
 * system: `11/27/2026` on an American one). `value` is `aaaa-mm-jj` once a whole date is typed,
 * and what was typed until then, which the rules refuse beside the field.
 */
export function DateInput(props: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete?: string;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
  label?: string;
}) {
  const t = useT();
  return (
    <input
      id={props.id}
      name={props.id}
      type="text"
      inputMode="numeric"
      className="date-input"
      placeholder={t.datePlaceholder}
      maxLength={10}
      value={frenchDate(props.value)}
      autoComplete={props.autoComplete}
      required={props.required}
      aria-label={props.label}
      aria-invalid={props.invalid ? true : undefined}
      aria-describedby={props.describedBy}
      onChange={(e) => props.onChange(isoFromTyped(e.target.value))}
    />
  );
}

/**
 * The choice of a file through the system's dialog, worded in the app's language (a bare file
 * input says « Choose File / no file selected » in the system's). The input itself lies over the
 * button, so a click, the keyboard and assistive technologies reach it as they would.
 */
export function FileChoice(props: {
  id: string;
  accept: string;
  onFile: (file: File) => void;
  disabled?: boolean;
  describedBy?: string;
}) {
  const t = useT();
  const [chosen, setChosen] = useState<string>();
  return (
    <div className="file-choice">
      <span className="file-button">
        <span aria-hidden="true">{t.chooseFileButton}</span>
        <input
          id={props.id}
          type="file"
          accept={props.accept}
          disabled={props.disabled}
          aria-describedby={[`${props.id}-chosen`, props.describedBy].filter(Boolean).join(" ")}
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) {
              setChosen(file.name);
              props.onFile(file);
            }
            e.target.value = "";
          }}
        />
      </span>
      <span id={`${props.id}-chosen`} className="muted">
        {chosen ?? t.noFileChosen}
      </span>
    </div>
  );
}

export function Alert({
  error,
  kind = "error",
}: {
  error?: ApiError | string | null;
  kind?: "error" | "info" | "success";
}) {
  const t = useT();
  if (!error) return null;
  const text = typeof error === "string" ? error : errorText(error, t.lang);
  return (
    <div className={`alert alert-${kind}`} role={kind === "error" ? "alert" : "status"}>
      {text}
    </div>
  );
}

export function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="page">
      <h1>{title}</h1>
      {children}
    </section>
  );
}

/** What every signed-in space gets from the app. */
export type SpaceProps = { profile: Profile; online: boolean; onLoggedOut: () => void };

/** The greeting and « Se déconnecter » at the top of every signed-in space. */
export function SpaceHeader({ name, onLoggedOut }: { name: string; onLoggedOut: () => void }) {
  const t = useT();
  const [unsent, setUnsent] = useState<UnsentWork>();
  const logout = () => logOut().finally(onLoggedOut);
  // Unsent work stays with the account: say so before leaving, never lose it.
  const askFirst = () =>
    api.unsentWork().then(
      (work) => (work.trainings + work.documents > 0 ? setUnsent(work) : logout()),
      () => logout(),
    );
  return (
    <div className="space-header">
      <p className="greeting" data-testid="greeting">
        {t.hello(name)}
      </p>
      <div className="space-actions">
        <LockNowButton />
        <button className="secondary" id="logout" onClick={askFirst}>
          {t.logout}
        </button>
      </div>
      {unsent && (
        <div
          className="alert alert-info logout-question"
          role="alertdialog"
          aria-labelledby="unsent-on-logout"
        >
          <p id="unsent-on-logout">{t.unsentOnLogout(unsent.trainings, unsent.documents)}</p>
          <button className="primary" id="stay-connected" autoFocus onClick={() => setUnsent(undefined)}>
            {t.stayConnected}
          </button>
          <button className="secondary" id="logout-anyway" onClick={logout}>
            {t.logoutAnyway}
          </button>
        </div>
      )}
    </div>
  );
}

/** The end of a form: its refusal or its success, then its button (off while it is sent). */
export function FormEnd(props: {
  id: string;
  label: string;
  busy: boolean;
  error: ApiError | null;
  done: string | null;
}) {
  return (
    <>
      <Alert error={props.error} />
      <Alert kind="success" error={props.done} />
      <button className="primary" id={props.id} disabled={props.busy}>
        {props.label}
      </button>
    </>
  );
}

/** The question asked before an action that cannot be undone; the answer that changes nothing
 * has the focus. */
export function Confirm(props: {
  id: string;
  question: string;
  confirmId: string;
  confirm: string;
  keep: string;
  onConfirm: () => void;
  onKeep: () => void;
}) {
  return (
    <div className="alert alert-info" role="alertdialog" aria-labelledby={props.id}>
      <p id={props.id}>{props.question}</p>
      <button className="danger" id={props.confirmId} onClick={props.onConfirm}>
        {props.confirm}
      </button>
      <button className="secondary" autoFocus onClick={props.onKeep}>
        {props.keep}
      </button>
    </div>
  );
}

/** Labels and their values, one per line. */
export function SummaryList({ rows, id }: { rows: [string, ReactNode][]; id?: string }) {
  return (
    <dl className="summary" id={id}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A labelled choice with « — » first (nothing chosen yet) and its error below. */
export function Select({
  id,
  label,
  value,
  options,
  onChange,
  error,
}: {
  id: string;
  label: string;
  value: string;
  options: [string, string][];
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <div className={`field${error ? " field-error" : ""}`}>
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
      >
        <option value="">—</option>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
      <FieldMessage error={error} />
    </div>
  );
}

/** A field's error, right below it, read out when it appears. */
export function FieldMessage({ id, error }: { id?: string; error?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="error-text" role="alert">
      {error}
    </p>
  );
}

/** A list's title with its « Actualiser » button. */
export function RefreshableHeading({
  id,
  title,
  onRefresh,
}: {
  id?: string;
  title: string;
  onRefresh: () => void;
}) {
  const t = useT();
  return (
    <div className="space-header">
      <h2 id={id}>{title}</h2>
      <button className="secondary" onClick={onRefresh}>
        {t.refresh}
      </button>
    </div>
  );
}
