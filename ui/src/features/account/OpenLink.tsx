import { useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import { Page, TextField } from "../../components";
import { useT } from "../../i18n";
import { errorText } from "../../i18n-errors";
import type { Navigate, Screen } from "../../App";
import type { OpenedLink } from "../../bindings/OpenedLink";

/** The screen a link is for. */
export function screenOfLink({ token, info }: OpenedLink): Screen {
  return info.purpose === "correct_registration"
    ? { name: "correction", token }
    : { name: "password", token, purpose: info.purpose, email: info.email };
}

/** Takes the link of an email and opens the screen it is for (`error`: a link opened from the
 * email that did not hold). */
export function OpenLink({ go, error: opened }: { go: Navigate; error?: ApiError }) {
  const t = useT();
  const [pasted, setPasted] = useState("");
  const [error, setError] = useState<ApiError | null>(opened ?? null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      go(screenOfLink(await api.openLink(pasted)));
    } catch (e) {
      setError(asApiError(e));
    }
  }

  return (
    <Page title={t.linkTitle}>
      <form className="card narrow" onSubmit={submit} noValidate>
        <TextField
          id="pasted-link"
          label={t.linkField}
          hint={t.linkHint}
          value={pasted}
          onChange={setPasted}
          error={error ? errorText(error, t.lang) : undefined}
          required
        />
        <button type="submit" className="primary" id="open-link">
          {t.open}
        </button>
      </form>
      <button className="link-button" onClick={() => go({ name: "login" })}>
        {t.back}
      </button>
    </Page>
  );
}
