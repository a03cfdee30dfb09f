import { useEffect, useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { UpdateProgress } from "../../bindings/UpdateProgress";
import type { UpdateStatus } from "../../bindings/UpdateStatus";
import { Alert } from "../../components";
import { useT } from "../../i18n";
import { updateTexts } from "../../i18n-updates";

/** How often a running app asks whether a newer version exists (and once at start). */
export const UPDATE_CHECK_MS = 4 * 60 * 60 * 1000;

/** « Mise à jour disponible »: the version and its notes, installed on request with its progress
 * shown; the app then restarts as the new version. A failure says why and the app keeps working. */
export function UpdateBanner(props: { online: boolean; onStatus: (status: UpdateStatus) => void }) {
  const t = useT();
  const ut = updateTexts[t.lang];
  const { online, onStatus } = props;
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [progress, setProgress] = useState<UpdateProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [later, setLater] = useState<string | null>(null);

  const check = () =>
    api.updateCheck().then(
      (found) => {
        setStatus(found);
        onStatus(found);
      },
      // A check that fails says nothing: the offline banner already tells, and nothing changed.
      () => undefined,
    );

  useEffect(() => {
    if (!online) return;
    void check();
    const timer = setInterval(() => void check(), UPDATE_CHECK_MS);
    return () => clearInterval(timer);
    // `check` reads nothing that changes; the timer restarts only when the network comes back.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [online]);

  const checkAgain = () => {
    setError(null);
    void check();
  };

  const available = status?.available;
  if (!status || !available || later === available.version) {
    // A failure with nothing (or nothing new) to offer: it can be read, retried, or closed.
    return error ? (
      <section className="update-banner" data-testid="update-banner">
        <Alert error={error} />
        <div className="actions">
          <button className="link-button" onClick={checkAgain}>
            {ut.retry}
          </button>
          <button className="link-button" onClick={() => setError(null)}>
            {ut.close}
          </button>
        </div>
      </section>
    ) : null;
  }

  const install = () => {
    setError(null);
    setProgress({ stage: "downloading", received: 0, total: null });
    api.updateInstall(setProgress).catch((e) => {
      setProgress(null);
      setError(asApiError(e));
      // The update found is used up by a failed install: look again for the next attempt.
      setStatus(null);
      void check();
    });
  };

  return (
    <section className="update-banner" aria-labelledby="update-title" data-testid="update-banner">
      <p id="update-title">
        <strong>{ut.available(available.version, status.current_version)}</strong>
      </p>
      {available.notes && (
        <details open>
          <summary>{ut.notes}</summary>
          <p className="update-notes">{available.notes}</p>
        </details>
      )}
      <Alert error={error} />
      {progress ? (
        <Progress progress={progress} />
      ) : (
        <div className="actions">
          <button id="install-update" className="primary" onClick={install}>
            {ut.install}
          </button>
          {error && (
            <button className="link-button" onClick={checkAgain}>
              {ut.retry}
            </button>
          )}
          {/* Always there: a failed install never leaves the card stuck over the screen. */}
          <button
            className="link-button"
            onClick={() => {
              setError(null);
              setLater(available.version);
            }}
          >
            {ut.later}
          </button>
        </div>
      )}
    </section>
  );
}

function Progress({ progress }: { progress: UpdateProgress }) {
  const ut = updateTexts[useT().lang];
  switch (progress.stage) {
    case "waiting_for_sends":
      return <p role="status">{ut.waitingForWork}</p>;
    case "installing":
      return <p role="status">{ut.installing}</p>;
    case "downloading": {
      const percent = progress.total ? Math.floor((progress.received / progress.total) * 100) : null;
      return (
        <div role="status" className="update-progress">
          <progress max={100} value={percent ?? undefined} aria-label={ut.downloading(percent)} />
          <span>{ut.downloading(percent)}</span>
        </div>
      );
    }
  }
}
