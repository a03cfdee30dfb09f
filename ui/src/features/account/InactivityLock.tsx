import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { LockStatus } from "../../bindings/LockStatus";
import type { Profile } from "../../bindings/Profile";
import { TextField } from "../../components";
import { useT } from "../../i18n";
import { errorText } from "../../i18n-errors";
import { logOut } from "../../draft";

/** What counts as someone using the app. */
const ACTIVITY = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart"] as const;

/** Calls `onIdle` once `minutes` pass with no activity (never when `minutes` is null). */
export function useIdle(minutes: number | null, onIdle: () => void) {
  const latest = useRef(onIdle);
  useEffect(() => {
    latest.current = onIdle;
  }, [onIdle]);
  useEffect(() => {
    if (minutes === null) return;
    let timer = window.setTimeout(() => latest.current(), minutes * 60_000);
    const restart = () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(() => latest.current(), minutes * 60_000);
    };
    ACTIVITY.forEach((event) => window.addEventListener(event, restart, { passive: true }));
    return () => {
      window.clearTimeout(timer);
      ACTIVITY.forEach((event) => window.removeEventListener(event, restart));
    };
  }, [minutes]);
}

type LockControls = { status: LockStatus | null; lock: () => void; setStatus: (status: LockStatus) => void };
const LockContext = createContext<LockControls>({
  status: null,
  lock: () => undefined,
  setStatus: () => undefined,
});

/** The signed-in space, locked after the policy's minutes without use; the password opens it. */
export function InactivityLock({
  profile,
  onLoggedOut,
  children,
}: {
  profile: Profile;
  onLoggedOut: () => void;
  children: ReactNode;
}) {
  const [status, setStatus] = useState<LockStatus | null>(null);
  const [locked, setLocked] = useState(false);
  useEffect(() => {
    api.lockStatus().then(
      (s) => {
        setStatus(s);
        setLocked(s.locked);
      },
      () => undefined,
    );
  }, []);
  const lock = () => void api.lockNow().then(() => setLocked(true));
  useIdle(locked ? null : (status?.policy.after_minutes ?? null), lock);

  return (
    <LockContext.Provider value={{ status, lock, setStatus }}>
      {/* Hidden as well as inert: an older WebKit without `inert` (macOS 10.15) would still let the
          keyboard reach what the lock screen covers. Hidden, not removed: the work in progress stays. */}
      <div inert={locked} aria-hidden={locked || undefined} className={locked ? "locked-space" : undefined}>
        {children}
      </div>
      {locked && (
        <LockScreen email={profile.email} onUnlocked={() => setLocked(false)} onLoggedOut={onLoggedOut} />
      )}
    </LockContext.Provider>
  );
}

function LockScreen({
  email,
  onUnlocked,
  onLoggedOut,
}: {
  email: string;
  onUnlocked: () => void;
  onLoggedOut: () => void;
}) {
  const t = useT();
  const [password, setPassword] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.unlock(password);
      onUnlocked();
    } catch (e) {
      const refused = asApiError(e);
      if (refused.code === "unauthenticated") onLoggedOut();
      setError(refused);
      setPassword("");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="lock-screen" role="dialog" aria-modal="true" aria-labelledby="lock-title">
      <form className="card narrow" onSubmit={submit} noValidate>
        <h1 id="lock-title">{t.lockedTitle}</h1>
        <p>{t.lockedIntro(email)}</p>
        <TextField
          id="unlock-password"
          label={t.password}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          error={error ? errorText(error, t.lang) : undefined}
          required
        />
        <button type="submit" className="primary" id="unlock" disabled={busy || password === ""}>
          {t.unlock}
        </button>
        <button
          type="button"
          className="secondary"
          id="locked-logout"
          onClick={() => logOut().finally(onLoggedOut)}
        >
          {t.logout}
        </button>
      </form>
    </div>
  );
}

/** « Verrouiller », beside « Se déconnecter »: for someone leaving the desk. */
export function LockNowButton() {
  const t = useT();
  const { status, lock } = useContext(LockContext);
  if (!status) return null;
  return (
    <button className="secondary" id="lock-now" onClick={lock}>
      {t.lockNow}
    </button>
  );
}

/** In « Mon compte »: a driver chooses; staff are told. */
export function LockChoice() {
  const t = useT();
  const { status, setStatus } = useContext(LockContext);
  const [error, setError] = useState<ApiError | null>(null);
  if (!status) {
    // Its place kept while the status comes: nothing below moves under the pointer.
    return (
      <div className="field">
        <label htmlFor="lock-minutes">{t.lockAfter}</label>
        <select id="lock-minutes" disabled>
          <option>{t.loading}</option>
        </select>
      </div>
    );
  }
  if (!status.policy.user_chooses) {
    return <p className="hint">{t.staffLock(status.policy.after_minutes ?? 0)}</p>;
  }
  const choose = (value: string) => {
    setError(null);
    api.chooseLock(value === "" ? null : Number(value)).then(setStatus, (e) => setError(asApiError(e)));
  };
  return (
    <div className={`field${error ? " field-error" : ""}`}>
      <label htmlFor="lock-minutes">{t.lockAfter}</label>
      <select
        id="lock-minutes"
        value={status.policy.after_minutes ?? ""}
        onChange={(event) => choose(event.target.value)}
        aria-describedby={error ? "lock-minutes-error" : undefined}
      >
        <option value="">{t.lockNever}</option>
        {status.choices.map((minutes) => (
          <option key={minutes} value={minutes}>
            {t.lockMinutes(minutes)}
          </option>
        ))}
      </select>
      {error && (
        <p id="lock-minutes-error" className="error-text" role="alert">
          {errorText(error, t.lang)}
        </p>
      )}
    </div>
  );
}
