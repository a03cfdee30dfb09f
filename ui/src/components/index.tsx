import type { ReactNode } from "react";
import { api } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { Profile } from "../bindings/Profile";
import { useT } from "../i18n";
import { errorText } from "../i18n-errors";

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
      <FieldMessage id={`${props.id}-error`} error={props.error} />
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
  return (
    <div className="space-header">
      <p className="greeting" data-testid="greeting">
        {t.hello(name)}
      </p>
      <button className="secondary" id="logout" onClick={() => api.logout().finally(onLoggedOut)}>
        {t.logout}
      </button>
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
