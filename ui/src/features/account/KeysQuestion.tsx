import { useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import { Alert, Page } from "../../components";
import { useT } from "../../i18n";

/** No keychain on this computer: the user is told what it means before the keys go elsewhere. */
export function KeysQuestion({ onChosen }: { onChosen: () => void }) {
  const t = useT();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function keepHere() {
    setBusy(true);
    setError(null);
    try {
      await api.keepKeysOnThisComputer();
      onChosen();
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t.noKeychainTitle}>
      <div className="card narrow" data-testid="no-keychain">
        <p>{t.noKeychain}</p>
        <p>{t.noKeychainFallback}</p>
        <Alert error={error} />
        <button className="primary" id="keep-keys-here" onClick={keepHere} disabled={busy}>
          {t.keepKeysHere}
        </button>
      </div>
    </Page>
  );
}
