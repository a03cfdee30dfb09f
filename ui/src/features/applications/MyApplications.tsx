import { historyText } from "../../i18n-history";
import { useLoad } from "../../components/useAsync";
import { useCallback, useEffect, useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { ApplicationDraft } from "../../bindings/ApplicationDraft";
import type { ApplicationView } from "../../bindings/ApplicationView";
import type { ApplicationsOverview } from "../../bindings/ApplicationsOverview";
import type { CardView } from "../../bindings/CardView";
import { Alert } from "../../components";
import { useT } from "../../i18n";
import {
  applicationTexts,
  cardStatusLabels,
  itemLabels,
  notEligibleText,
  statusLabels,
} from "../../i18n-applications";
import { qualificationLabels } from "../../i18n-trainings";
import { replacementTexts } from "../../i18n-replacements";
import { ApplicationWizard } from "./ApplicationWizard";
import { ReplacementSection, ReturnedCard } from "../replacements";
import { formatDate, frenchDate } from "../../components/dates";

/** « Mes cartes » (guide step 12) with « Remplacement, Echange »; `openReplacementId` opens a
 * replacement, as a notification's « en savoir plus » does. */
export function MyCardsSection({
  online,
  openReplacementId,
}: {
  online: boolean;
  openReplacementId?: string;
}) {
  // Bumped when a payment or a card changes: the cards are read again.
  const [changes, setChanges] = useState(0);
  const { data: cards, error } = useLoad<CardView[]>(() => api.myCards(), [], [online, changes]);
  const changed = () => setChanges((n) => n + 1);
  return (
    <>
      <ReplacementSection
        cards={cards}
        online={online}
        openId={openReplacementId ?? null}
        onChanged={changed}
      />
      <MyCards cards={cards} error={error} onChanged={changed} />
    </>
  );
}

/** « Mes demandes » (guide steps 05–07); `openId` opens an application, as a notification's
 * « en savoir plus » does. */
export function MyApplications({ online, openId }: { online: boolean; openId?: string }) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const [open, setOpen] = useState<ApplicationDraft | null>(null);
  const [showStart, setShowStart] = useState(false);
  const {
    data: overview,
    error,
    setError,
    reload,
  } = useLoad<ApplicationsOverview | null>(() => api.applicationsOverview(), null, [online]);

  const openApplication = useCallback(
    (id: string) => {
      setError(null);
      api.applicationDraft(id).then(setOpen, (e) => setError(asApiError(e)));
    },
    [setError],
  );
  useEffect(() => {
    if (openId) openApplication(openId);
  }, [openId, openApplication]);

  const close = () => {
    setOpen(null);
    reload();
  };

  if (open) return <ApplicationWizard key={open.application.id} draft={open} onClose={close} />;

  const eligibility = overview?.eligibility;
  return (
    <>
      <section className="card" aria-labelledby="applications-title">
        <h2 id="applications-title">{at.myApplications}</h2>
        <Alert error={error} />
        {!showStart ? (
          <button className="primary" id="make-application" onClick={() => setShowStart(true)}>
            {at.makeApplication}
          </button>
        ) : (
          <div className="start-application">
            <h3>{at.cqcCard}</h3>
            <p>{at.requiredDocuments}</p>
            <ul>
              {at.requiredList.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            {!overview?.online && <p className="muted">{at.offlineNoStart}</p>}
            {eligibility?.not_eligible && (
              <div className="alert alert-error" role="alert" id="not-eligible">
                {notEligibleText(eligibility.not_eligible, t.lang)}
              </div>
            )}
            <button
              className="primary"
              id="start-application"
              disabled={!eligibility?.entitlement}
              onClick={() => api.startApplication().then(setOpen, (e) => setError(asApiError(e)))}
            >
              {at.start}
            </button>
          </div>
        )}
        <h3>{at.inProgress}</h3>
        {!overview ? (
          <p className="muted" aria-busy="true">
            {t.loading}
          </p>
        ) : overview.applications.length === 0 ? (
          <p className="muted">{at.noApplication}</p>
        ) : (
          <ul className="applications" id="applications">
            {overview.applications.map((a) => (
              <ApplicationRow
                key={a.id}
                application={a}
                onOpen={openApplication}
                onChanged={reload}
                onError={setError}
              />
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ApplicationRow(props: {
  application: ApplicationView;
  onOpen: (id: string) => void;
  onChanged: () => void;
  onError: (error: ApiError) => void;
}) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const a = props.application;
  const correction = a.state.correction;
  const last = a.timeline[a.timeline.length - 1];
  const [detail, setDetail] = useState(false);
  return (
    <li data-status={a.state.status} data-correction={correction ? "open" : undefined}>
      <strong>{at.cqcCard}</strong> — <span className="state">{statusLabels[t.lang][a.state.status]}</span>
      {last && (
        <p className="muted">
          {at.lastStep} : {historyText(last, t.lang)} ({formatDate(last.at, t.lang)})
        </p>
      )}
      <details>
        <summary>{at.timeline}</summary>
        <ol className="timeline">
          {a.timeline.map((entry, i) => (
            <li key={i}>
              <time dateTime={entry.at}>{formatDate(entry.at, t.lang)}</time> — {historyText(entry, t.lang)}
            </li>
          ))}
        </ol>
      </details>
      {a.refusal_reason && <p className="error-text">{a.refusal_reason}</p>}
      {correction && detail && (
        <ul className="correction-items">
          {correction.map((c) => (
            <li key={c.item}>
              <strong>{itemLabels[t.lang][c.item]}</strong> : {c.reason}
            </li>
          ))}
        </ul>
      )}
      <div className="actions-row">
        {a.state.status === "draft" && (
          <>
            <button className="primary" onClick={() => props.onOpen(a.id)}>
              {at.resume}
            </button>
            <button
              className="secondary"
              onClick={() => {
                if (window.confirm(at.confirmCancel))
                  api.cancelApplication(a.id).then(props.onChanged, (e) => props.onError(asApiError(e)));
              }}
            >
              {at.cancel}
            </button>
          </>
        )}
        {correction && (
          <>
            <button className="secondary" onClick={() => setDetail(!detail)}>
              {at.detail}
            </button>
            <button className="primary" id={`answer-${a.id}`} onClick={() => props.onOpen(a.id)}>
              {at.answer}
            </button>
          </>
        )}
        {a.state.status !== "draft" && !correction && (
          <button className="secondary" onClick={() => props.onOpen(a.id)}>
            {at.show}
          </button>
        )}
      </div>
    </li>
  );
}

/** « Mes cartes »: the card's picture drawn from its data and photo; activation on receipt; the
 * link « pli non distribué » under a returned card. */
function MyCards(props: { cards: CardView[]; error: ApiError | null; onChanged: () => void }) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const rt = replacementTexts[t.lang];
  const { cards } = props;
  const [actionError, setError] = useState<ApiError | null>(null);
  const error = actionError ?? props.error;
  const [done, setDone] = useState<string | null>(null);
  const reload = props.onChanged;

  return (
    <section className="card" aria-labelledby="cards-title">
      <h2 id="cards-title">{at.myCards}</h2>
      <Alert error={error} />
      {done && <Alert kind="success" error={done} />}
      {cards.length === 0 && <p className="muted">{at.noCard}</p>}
      {cards.map((card) => (
        <div key={card.id} className="card-entry" data-status={card.status}>
          <CardPicture card={card} />
          <p>
            <span className="state">{cardStatusLabels[t.lang][card.status]}</span>
          </p>
          {card.status === "returned" && <ReturnedCard card={card} onChanged={reload} />}
          {card.status === "to_resend" && <p className="muted">{rt.toResend}</p>}
          {card.status === "delivered" && (
            <>
              <p className="muted">{at.activateHint}</p>
              <button
                className="primary"
                id="activate-card"
                onClick={() =>
                  api.activateCard(card.id).then(
                    () => {
                      setDone(at.activated);
                      reload();
                    },
                    (e) => setError(asApiError(e)),
                  )
                }
              >
                {at.activate}
              </button>
              <p className="muted">{at.somethingWrong}</p>
            </>
          )}
        </div>
      ))}
    </section>
  );
}

function CardPicture({ card }: { card: CardView }) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const [photo, setPhoto] = useState<string | null>(null);
  useEffect(() => {
    api.cardPhoto(card.id).then(setPhoto, () => setPhoto(null));
  }, [card.id]);
  const f = card.face;
  return (
    <figure className="cqc-card" aria-label={`${at.cqcCard} ${f.card_number}`}>
      <div className="cqc-card-band">CARTE DE QUALIFICATION DE CONDUCTEUR — RF</div>
      <div className="cqc-card-body">
        {photo ? <img src={photo} alt="" className="cqc-card-photo" /> : <div className="cqc-card-photo" />}
        <dl>
          <dt>1.</dt>
          <dd>{f.holder.last_name}</dd>
          <dt>2.</dt>
          <dd>{f.holder.first_names}</dd>
          <dt>3.</dt>
          <dd>
            {frenchDate(f.holder.birth_date)} {f.holder.birth_place}
          </dd>
          <dt>4a.</dt>
          <dd>{frenchDate(f.issued_on)}</dd>
          <dt>4b.</dt>
          <dd>{frenchDate(f.code95_expiry)}</dd>
          <dt>5a.</dt>
          <dd>{f.holder.licence_number}</dd>
          <dt>5b.</dt>
          <dd id="card-number">{f.card_number}</dd>
          <dt>10.</dt>
          <dd>95 — {f.qualifications.map((q) => qualificationLabels[t.lang][q]).join(", ")}</dd>
        </dl>
      </div>
    </figure>
  );
}
