import { useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import { Page, TextField } from "../../components";
import { useT } from "../../i18n";
import { errorText } from "../../i18n-errors";
import type { Navigate } from "../../App";

/** Takes the link of an email and opens the screen it is for. */
export function OpenLink({ go }: { go: Navigate }) {
  const t = useT();
  const [pasted, setPasted] = useState("");
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const { token, info } = await api.openLink(pasted);
      if (info.purpose === "correct_registration") go({ name: "correction", token });
      else go({ name: "password", token, purpose: info.purpose, email: info.email });
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
