import { useEffect, useState } from "react";
import { api, asApiError } from "../../api";

import type { ReviewItem } from "../../bindings/ReviewItem";
import { Alert, Page } from "../../components";
import { useAction } from "../../components/useAsync";
import { useT } from "../../i18n";
import type { Navigate } from "../../App";
import { emptyRegistration, type FieldErrors, type Flags, RegistrationForm } from "./RegistrationForm";
import { useDraft } from "../../draft";

/** The invitation of guide step 01 to correct the items an analysis found wrong. */
export function Correction({ go, token }: { go: Navigate; token: string }) {
  const t = useT();
  const draft = useDraft(`correction:${token}`, emptyRegistration);
  const [items, setItems] = useState<ReviewItem[] | null>(null);
  const { busy, error, setError, run } = useAction();
  const errors: FieldErrors = error?.fields ?? {};
  const [sent, setSent] = useState(false);

  useEffect(() => {
    if (!draft.loaded) return;
    api.loadCorrection(token).then(
      (view) => {
        setItems(view.items);
        // A draft typed earlier on this computer wins over the server's copy.
        draft.prefill(view.registration);
      },
      (e) => setError(asApiError(e)),
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token, draft.loaded]);

  async function submit() {
    await run(
      async () => {
        await draft.flush();
        return api.submitCorrection(token, draft.value);
      },
      () => setSent(true),
    );
  }

  const flags: Flags = Object.fromEntries((items ?? []).map((i) => [i.field, i.reason]));
  return (
    <Page title={t.correctionTitle}>
      {sent ? (
        <>
          <Alert kind="success" error={t.correctionSent} />
          <button className="primary" onClick={() => go({ name: "login" })}>
            {t.backToLogin}
          </button>
        </>
      ) : items === null ? (
        <Alert error={error} />
      ) : (
        <>
          <Alert kind="info" error={t.correctionIntro} />
          <RegistrationForm
            value={draft.value}
            onChange={draft.update}
            errors={errors}
            flags={flags}
            error={error}
            busy={busy}
            submitLabel={t.sendCorrection}
            onSubmit={submit}
          />
        </>
      )}
      <button className="link-button" onClick={() => go({ name: "login" })}>
        {t.back}
      </button>
    </Page>
  );
}
