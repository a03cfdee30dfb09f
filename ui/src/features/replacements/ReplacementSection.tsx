import { historyText } from "../../i18n-history";
import { useEffect, useState } from "react";
import { api, asApiError } from "../../api";

import type { CardView } from "../../bindings/CardView";
import type { ReplacementReason } from "../../bindings/ReplacementReason";
import type { ReplacementView } from "../../bindings/ReplacementView";
import { useLoad } from "../../components/useAsync";
import { Alert } from "../../components";
import { useT } from "../../i18n";
import { reasonLabels, replacementStatusLabels, replacementTexts } from "../../i18n-replacements";
import { formatDate } from "../../components/dates";
import { ReplacementWizard } from "./ReplacementWizard";

const REASONS: ReplacementReason[] = ["loss", "theft", "quality"];

/** « Remplacement, Echange » in « Mes cartes »: the choice of card and reason, the requests in
 * progress, and the wizard. `openId` opens a request, as a notification's « en savoir plus » does. */
export function ReplacementSection(props: {
  cards: CardView[];
  online: boolean;
  openId: string | null;
  onChanged: () => void;
}) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const {
    data: replacements,
    error,
    setError,
    reload,
  } = useLoad<ReplacementView[]>(() => api.myReplacements(), [], [props.online]);
  const [open, setOpen] = useState<ReplacementView | null>(null);
  const [choosing, setChoosing] = useState(false);
  const replaceable = props.cards.filter((c) => c.status === "delivered" || c.status === "activated");
  const [cardId, setCardId] = useState("");
  const [reason, setReason] = useState<ReplacementReason>("loss");

  useEffect(() => {
    if (props.openId) api.replacement(props.openId).then(setOpen, (e) => setError(asApiError(e)));
  }, [props.openId, setError]);

  const close = () => {
    setOpen(null);
    reload();
    props.onChanged();
  };
  if (open) return <ReplacementWizard key={open.id} initial={open} onClose={close} />;

  return (
    <section className="card" aria-labelledby="replacement-title">
      <h2 id="replacement-title">{rt.replacementTitle}</h2>
      <Alert error={error} />
      {!choosing ? (
        <button className="secondary" id="replacement-start" onClick={() => setChoosing(true)}>
          {rt.replacementTitle}
        </button>
      ) : replaceable.length === 0 ? (
        <p className="muted">{rt.noReplaceableCard}</p>
      ) : (
        <div className="start-application">
          <p>{rt.replacementIntro}</p>
          <div className="field">
            <label htmlFor="replacement-card">{rt.whichCard}</label>
            <select id="replacement-card" value={cardId} onChange={(e) => setCardId(e.target.value)}>
              <option value="">—</option>
              {replaceable.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.face.card_number}
                </option>
              ))}
            </select>
          </div>
          <fieldset className="field">
            <legend>{rt.reason}</legend>
            {REASONS.map((r) => (
              <label key={r} className="choice">
                <input
                  type="radio"
                  name="replacement-reason"
                  id={`reason-${r}`}
                  checked={reason === r}
                  onChange={() => setReason(r)}
                />{" "}
                {reasonLabels[t.lang][r]}
              </label>
            ))}
          </fieldset>
          <button
            className="primary"
            id="start-replacement"
            disabled={!cardId || !props.online}
            onClick={() => api.startReplacement(cardId, reason).then(setOpen, (e) => setError(asApiError(e)))}
          >
            {rt.start}
          </button>
        </div>
      )}
      <h3>{rt.inProgress}</h3>
      {replacements.length === 0 ? (
        <p className="muted">{rt.none}</p>
      ) : (
        <ul className="applications" id="replacements">
          {replacements.map((r) => (
            <li key={r.id} data-status={r.status}>
              <strong>
                {reasonLabels[t.lang][r.reason]} — {r.card_number}
              </strong>{" "}
              — <span className="state">{replacementStatusLabels[t.lang][r.status]}</span>
              <details>
                <summary>{t.lang === "fr" ? "Historique" : "History"}</summary>
                <ol className="timeline">
                  {r.timeline.map((entry, i) => (
                    <li key={i}>
                      <time dateTime={entry.at}>{formatDate(entry.at, t.lang)}</time> —{" "}
                      {historyText(entry, t.lang)}
                    </li>
                  ))}
                </ol>
              </details>
              <div className="actions-row">
                <button className="primary" onClick={() => setOpen(r)}>
                  {r.status === "draft" ? rt.resume : rt.show}
                </button>
                {(r.status === "draft" ||
                  r.status === "awaiting_payment" ||
                  r.status === "awaiting_card") && (
                  <button
                    className="secondary"
                    onClick={() => {
                      if (window.confirm(rt.confirmCancel))
                        api.cancelReplacement(r.id).then(reload, (e) => setError(asApiError(e)));
                    }}
                  >
                    {rt.cancel}
                  </button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
