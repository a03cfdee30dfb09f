import { useState } from "react";
import { api } from "../../api";
import type { Profile } from "../../bindings/Profile";
import { Alert, Page, TextField } from "../../components";
import { useAction } from "../../components/useAsync";
import { useT } from "../../i18n";
import type { Navigate } from "../../App";

export function Login({
  go,
  onLoggedIn,
  pendingEmail,
}: {
  go: Navigate;
  onLoggedIn: (p: Profile) => void;
  pendingEmail: string | null;
}) {
  const t = useT();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const { busy, error, run } = useAction();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    await run(() => api.login(email, password), onLoggedIn);
  }

  return (
    <Page title={t.loginTitle}>
      {pendingEmail && <Alert kind="info" error={t.pendingRegistration(pendingEmail)} />}
      <form onSubmit={submit} className="card narrow" noValidate>
        <TextField
          id="login-email"
          label={t.email}
          value={email}
          onChange={setEmail}
          type="email"
          autoComplete="username"
          required
        />
        <TextField
          id="login-password"
          label={t.password}
          value={password}
          onChange={setPassword}
          type="password"
          autoComplete="current-password"
          required
        />
        <Alert error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {t.login}
        </button>
        <button type="button" className="link-button" onClick={() => go({ name: "forgot" })}>
          {t.forgotPassword}
        </button>
      </form>
      <div className="actions-row">
        <button type="button" className="secondary" onClick={() => go({ name: "profile" })}>
          {t.createAccount}
        </button>
        <button type="button" className="secondary" onClick={() => go({ name: "link" })}>
          {t.receivedLink}
        </button>
      </div>
    </Page>
  );
}
