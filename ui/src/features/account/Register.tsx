import { api } from "../../api";
import { useDraft } from "../../draft";
import { Alert, Page } from "../../components";
import { useAction } from "../../components/useAsync";
import { useT } from "../../i18n";
import type { Navigate } from "../../App";
import { emptyRegistration, type FieldErrors, RegistrationForm } from "./RegistrationForm";

export function ProfileChoice({ go }: { go: Navigate }) {
  const t = useT();
  return (
    <Page title={t.chooseProfile}>
      <button className="profile-card" id="profile-particulier" onClick={() => go({ name: "register" })}>
        <strong>{t.profileIndividual}</strong>
        <span>{t.profileIndividualHint}</span>
      </button>
      <button className="link-button" onClick={() => go({ name: "login" })}>
        {t.back}
      </button>
    </Page>
  );
}

export function Register({ go }: { go: Navigate }) {
  const t = useT();
  const draft = useDraft("registration", emptyRegistration, (initial, saved) => ({
    ...initial,
    ...saved,
    address: { ...initial.address, ...saved.address },
  }));
  const { busy, error, run } = useAction();
  const errors: FieldErrors = error?.fields ?? {};

  async function submit() {
    await run(
      async () => {
        // Written before it is sent: the send clears it, and no late save brings it back.
        await draft.flush();
        return api.register(draft.value);
      },
      (receipt) => go({ name: "registered", email: receipt.email }),
    );
  }

  if (!draft.loaded) return null;
  return (
    <Page title={t.registerTitle}>
      <p className="muted">
        {t.profileIndividual} · {draft.saved ? t.draftSaved : "\u00a0"}
      </p>
      <RegistrationForm
        value={draft.value}
        onChange={draft.update}
        errors={errors}
        error={error}
        busy={busy}
        submitLabel={t.create}
        onSubmit={submit}
      />
      <button className="link-button" onClick={() => go({ name: "login" })}>
        {t.back}
      </button>
    </Page>
  );
}

export function Registered({ go, email }: { go: Navigate; email: string }) {
  const t = useT();
  return (
    <Page title={t.registrationSentTitle}>
      <Alert kind="success" error={t.registrationSent(email)} />
      <button className="primary" onClick={() => go({ name: "login" })}>
        {t.backToLogin}
      </button>
    </Page>
  );
}
