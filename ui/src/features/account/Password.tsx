import { useEffect, useState } from "react";
import { api } from "../../api";
import type { LinkPurpose } from "../../bindings/LinkPurpose";
import type { PasswordRule } from "../../bindings/PasswordRule";
import { Alert, Page, TextField } from "../../components";
import { useAction } from "../../components/useAsync";
import { passwordRuleText, useT } from "../../i18n";
import type { Navigate } from "../../App";

const shownRules: PasswordRule[] = ["min_length", "uppercase", "lowercase", "special"];

/** Guide step 02: « Créer mon mot de passe », with each rule ticked off live. */
export function SetPassword({
  go,
  token,
  purpose,
  email,
}: {
  go: Navigate;
  token: string;
  purpose: LinkPurpose;
  email: string;
}) {
  const t = useT();
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [unmet, setUnmet] = useState<PasswordRule[]>(shownRules);
  const { busy, error, run } = useAction();
  const [done, setDone] = useState(false);

  useEffect(() => {
    let current = true;
    api.checkPassword(password).then((rules) => current && setUnmet(rules));
    return () => {
      current = false;
    };
  }, [password]);

  const mismatch = confirmation !== "" && confirmation !== password;
  const rules = unmet.includes("max_length") ? [...shownRules, "max_length" as const] : shownRules;

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    await run(
      () => api.setPassword(token, password, confirmation),
      () => setDone(true),
    );
  }

  const title = purpose === "reset_password" ? t.resetPasswordTitle : t.setPasswordTitle;
  if (done) {
    return (
      <Page title={title}>
        <Alert kind="success" error={t.passwordSaved} />
        <button className="primary" id="back-to-app" onClick={() => go({ name: "login" })}>
          {t.backToLogin}
        </button>
      </Page>
    );
  }
  return (
    <Page title={title}>
      <p className="muted">{email}</p>
      <form className="card narrow" onSubmit={submit} noValidate>
        <TextField
          id="new-password"
          label={t.password}
          value={password}
          onChange={setPassword}
          type="password"
          autoComplete="new-password"
          required
        />
        <ul className="rules" aria-live="polite" data-testid="password-rules">
          {rules.map((rule) => {
            const met = !unmet.includes(rule);
            return (
              <li key={rule} className={met ? "met" : "unmet"}>
                <span aria-hidden="true">{met ? "✓" : "•"}</span> {passwordRuleText[t.lang][rule]}
              </li>
            );
          })}
        </ul>
        <TextField
          id="confirm-password"
          label={t.confirmation}
          value={confirmation}
          onChange={setConfirmation}
          type="password"
          autoComplete="new-password"
          error={mismatch ? t.passwordsDiffer : undefined}
          required
        />
        <Alert error={error} />
        <button
          type="submit"
          className="primary"
          id="submit-password"
          disabled={busy || unmet.length > 0 || mismatch || confirmation === ""}
        >
          {t.validate}
        </button>
      </form>
    </Page>
  );
}

export function Forgot({ go }: { go: Navigate }) {
  const t = useT();
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const { busy, error, run } = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    await run(
      () => api.forgotPassword(email),
      () => setSent(true),
    );
  }

  return (
    <Page title={t.forgotTitle}>
      {sent ? (
        <Alert kind="success" error={t.forgotSent} />
      ) : (
        <form className="card narrow" onSubmit={submit} noValidate>
          <p>{t.forgotHint}</p>
          <TextField
            id="forgot-email"
            label={t.email}
            value={email}
            onChange={setEmail}
            type="email"
            autoComplete="username"
            required
          />
          <Alert error={error} />
          <button type="submit" className="primary" disabled={busy}>
            {t.forgotSend}
          </button>
        </form>
      )}
      <button className="link-button" onClick={() => go({ name: "login" })}>
        {t.back}
      </button>
    </Page>
  );
}
