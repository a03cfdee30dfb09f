import { useEffect, useState } from "react";
import { useAction, useLoad } from "../../components/useAsync";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { HeldCertificate } from "../../bindings/HeldCertificate";
import type { CertificateClaims } from "../../bindings/CertificateClaims";
import type { Qualification } from "../../bindings/Qualification";
import type { Recap } from "../../bindings/Recap";
import { Alert, TextField } from "../../components";
import { frenchDate } from "../../components/dates";
import { useT } from "../../i18n";
import { kindLabels, outcomeLabels, qualificationLabels, trainingTexts } from "../../i18n-trainings";

/** What the sync brings, read from this computer (it works offline): read again after each sync,
 * and a sync asked for as soon as the section opens; the app keeps syncing in the background. */
function useSynced<T>(load: () => Promise<T[]>, online: boolean) {
  const list = useLoad<T[]>(load, [], []);
  const reload = list.reload;
  useEffect(() => {
    if (online) api.syncNow().then(reload, () => undefined);
    const stop = api.onSyncProgress((p) => p.phase === "done" && reload());
    return () => void stop.then((unlisten) => unlisten());
  }, [online, reload]);
  return list;
}

/** « Mes formations »: the recaps of the trainings centres recorded for the driver. */
export function MyTrainingsSection({ online }: { online: boolean }) {
  const recaps = useSynced<Recap>(api.myRecaps, online);
  return (
    <>
      <Alert error={recaps.error} />
      <MyTrainings recaps={recaps.data} />
    </>
  );
}

/** « Mes certificats », and the check of a certificate's code. */
export function MyCertificatesSection({ online }: { online: boolean }) {
  const certificates = useSynced<HeldCertificate>(api.myCertificates, online);
  return (
    <>
      <Alert error={certificates.error} />
      <MyCertificates certificates={certificates.data} />
      <VerifyCertificate />
    </>
  );
}

function MyTrainings({ recaps }: { recaps: Recap[] }) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const qualifications = [...new Set(recaps.map((r) => r.qualification))].sort() as Qualification[];
  const [picked, setPicked] = useState<Qualification | null>(null);
  const shown = qualifications.length > 1 ? (picked ?? qualifications[0]) : null;
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  const download = (id: string) =>
    api.saveRecapPdf(id).then(
      (path) => setSaved(tt.savedTo(path)),
      (e) => setError(asApiError(e)),
    );

  return (
    <section className="card printable" id="my-trainings">
      <h2>{tt.myTrainings}</h2>
      {qualifications.length > 1 && (
        <div className="choice" role="radiogroup" aria-label={tt.pickQualification}>
          {qualifications.map((q) => (
            <label key={q}>
              <input type="radio" name="qualification" checked={shown === q} onChange={() => setPicked(q)} />{" "}
              {qualificationLabels[t.lang][q]}
            </label>
          ))}
        </div>
      )}
      <Alert kind="success" error={saved} />
      <Alert error={error} />
      {recaps.length === 0 ? (
        <p className="muted">{tt.noRecap}</p>
      ) : (
        <ul className="documents">
          {recaps
            .filter((r) => shown === null || r.qualification === shown)
            .map((r) => (
              <li key={r.training_id} data-testid="recap">
                <strong>{kindLabels[t.lang][r.kind]}</strong>
                <span>
                  {qualificationLabels[t.lang][r.qualification]} · {tt.from} {frenchDate(r.start_date)}{" "}
                  {tt.to} {frenchDate(r.end_date)} · {tt.hours(r.hours)} · {outcomeLabels[t.lang][r.outcome]}
                </span>
                <span className="muted">
                  {tt.centre} : {r.centre_name} ({r.centre_approval_number}) ·{" "}
                  {r.available_until ? tt.availableUntil(frenchDate(r.available_until)) : tt.availableForever}
                </span>
                <div className="actions-row no-print">
                  <button className="secondary" onClick={() => download(r.training_id)}>
                    {tt.downloadPdf}
                  </button>
                  <button className="link-button" onClick={() => window.print()}>
                    {tt.print}
                  </button>
                </div>
              </li>
            ))}
        </ul>
      )}
    </section>
  );
}

function MyCertificates({ certificates }: { certificates: HeldCertificate[] }) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  return (
    <section className="card" id="my-certificates">
      <h2>{tt.myCertificates}</h2>
      <Alert kind="success" error={saved} />
      <Alert error={error} />
      {certificates.length === 0 ? (
        <p className="muted">{tt.noCertificate}</p>
      ) : (
        <ul className="documents">
          {certificates.map(({ certificate: c, expired }) => {
            const claims = c.claims;
            return (
              <li key={claims.certificate_id} data-testid="certificate">
                <strong>
                  {kindLabels[t.lang][claims.training_kind]} —{" "}
                  {qualificationLabels[t.lang][claims.qualification]}
                </strong>
                <span>
                  {tt.validFromTo(frenchDate(claims.valid_from), frenchDate(claims.valid_until))}
                  {expired && <span className="badge badge-late">{tt.expired}</span>}
                </span>
                <span>
                  {tt.cardExpiry} : <strong>{frenchDate(claims.card_expiry)}</strong>
                </span>
                {!expired && <span className="muted">{tt.applyBefore(frenchDate(claims.valid_until))}</span>}
                <div className="actions-row">
                  <button
                    className="secondary"
                    onClick={() =>
                      api.saveCertificatePdf(claims.certificate_id).then(
                        (path) => setSaved(tt.savedTo(path)),
                        (e) => setError(asApiError(e)),
                      )
                    }
                  >
                    {tt.downloadPdf}
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function VerifyCertificate() {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const [code, setCode] = useState("");
  const [claims, setClaims] = useState<CertificateClaims | null>(null);
  const { error, run } = useAction();

  async function check() {
    setClaims(null);
    await run(() => api.verifyCertificate(code), setClaims);
  }

  return (
    <section className="card" id="verify-certificate">
      <h2>{tt.verifyTitle}</h2>
      <p className="hint">{tt.verifyHint}</p>
      <TextField id="certificate-code" label={tt.verifyField} value={code} onChange={setCode} />
      <button className="secondary" onClick={check} disabled={code.trim() === ""}>
        {tt.verify}
      </button>
      <Alert error={error} />
      {claims && (
        <div className="alert alert-success" role="status">
          <strong>{tt.authentic}</strong> : {claims.holder}, {kindLabels[t.lang][claims.training_kind]},{" "}
          {qualificationLabels[t.lang][claims.qualification]} —{" "}
          {tt.validFromTo(frenchDate(claims.valid_from), frenchDate(claims.valid_until))}
        </div>
      )}
    </section>
  );
}
