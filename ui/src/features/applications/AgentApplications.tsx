import { historyText } from "../../i18n-history";
import { useEffect, useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { ApplicationFile } from "../../bindings/ApplicationFile";
import type { ApplicationQueue } from "../../bindings/ApplicationQueue";
import type { CardEvent } from "../../bindings/CardEvent";
import type { CardView } from "../../bindings/CardView";
import type { DocumentKind } from "../../bindings/DocumentKind";
import type { ReviewedItem } from "../../bindings/ReviewedItem";
import { useLoad } from "../../components/useAsync";
import { Alert, TextField, RefreshableHeading } from "../../components";
import { useT } from "../../i18n";
import {
  applicationTexts,
  cardEventLabels,
  cardStatusLabels,
  documentLabels,
  itemLabels,
  statusLabels,
} from "../../i18n-applications";
import { EntitlementRows } from "./EntitlementRows";
import { ListSearch, ShowMore, useListSearch } from "../../components/ListSearch";
import { DocumentViewer } from "./DocumentViewer";
import { reviewTexts } from "../../i18n-review";
import { formatDate, frenchDate } from "../../components/dates";

const ITEMS: ReviewedItem[] = ["identity_card", "driving_licence", "photo", "signature"];
const DOCUMENTS: DocumentKind[] = [
  "identity_front",
  "identity_back",
  "driving_licence",
  "photo",
  "signature",
];
const AGENT_EVENTS: CardEvent[] = ["print", "ship", "deliver", "return_undelivered"];

/** The agent's card applications: the queue with counts and ages, and a file. */
export function AgentApplications() {
  const t = useT();
  const at = applicationTexts[t.lang];
  const {
    data: queue,
    error,
    setError,
    reload: load,
  } = useLoad<ApplicationQueue | null>(() => api.agentApplications(), null, []);
  const [file, setFile] = useState<ApplicationFile | null>(null);
  const search = useListSearch(queue?.entries ?? [], (e) => [e.driver_name]);
  const open = (id: string) => api.agentOpenApplication(id).then(setFile, (x) => setError(asApiError(x)));

  if (file) {
    // « Dossier suivant »: the server lists the waiting files in the order to take them.
    const next = queue?.waiting_order.find((id) => id !== file.application.id) ?? null;
    return (
      <ApplicationReview
        key={file.application.id}
        file={file}
        onChanged={(changed) => {
          setFile(changed);
          load();
        }}
        onNext={next ? () => void open(next) : null}
        onBack={() => {
          setFile(null);
          load();
        }}
      />
    );
  }
  return (
    <>
      <section className="card" aria-labelledby="agent-applications-title">
        <RefreshableHeading id="agent-applications-title" title={at.agentApplications} onRefresh={load} />
        <Alert error={error} />
        {queue && (
          <p id="applications-count">
            {at.toProcess(queue.to_process)} · {at.inProcessingCount(queue.in_processing)} ·{" "}
            {at.waitingDriver(queue.waiting_for_driver)}
          </p>
        )}
        {queue && queue.entries.length > 0 && (
          <ListSearch id="applications-search" label={at.searchApplications} search={search} />
        )}
        {queue && queue.entries.length > 0 && (
          <table className="queue">
            <tbody>
              {search.shown.map((e) => (
                <tr key={e.application_id}>
                  <td>{e.driver_name}</td>
                  <td>
                    {statusLabels[t.lang][e.state.status]}
                    {e.state.correction && ` — ${at.correctionOpen}`}
                  </td>
                  <td>{at.age(e.age_hours)}</td>
                  <td>
                    <button
                      className="secondary"
                      data-driver={e.driver_name}
                      onClick={() => void open(e.application_id)}
                    >
                      {at.open}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <ShowMore search={search} />
      </section>
    </>
  );
}

/** A file, built for a day of files: the typed identity and the ID photo beside the scans, each
 * large with zoom and rotation; Alt+A accepts, Alt+C goes to the correction reasons, Alt+N opens
 * the next waiting file. */
function ApplicationReview(props: {
  file: ApplicationFile;
  onChanged: (file: ApplicationFile) => void;
  /** Opens the file that waited longest, if another waits. */
  onNext: (() => void) | null;
  onBack: () => void;
}) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const rt = reviewTexts[t.lang];
  const { application: a, driver } = props.file;
  const id = a.id;
  const [images, setImages] = useState<Partial<Record<DocumentKind, string>>>({});
  const [reasons, setReasons] = useState<Partial<Record<ReviewedItem, string>>>({});
  const [refusal, setRefusal] = useState("");
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    for (const kind of DOCUMENTS)
      api.agentApplicationDocument(id, kind).then(
        (url) => setImages((all) => ({ ...all, [kind]: url })),
        () => undefined,
      );
  }, [id]);

  const act = (work: Promise<ApplicationFile>) => {
    setError(null);
    work.then(props.onChanged, (e) => setError(asApiError(e)));
  };
  const inProcessing = a.state.status === "in_processing";
  const deciding = inProcessing && !a.state.correction;
  const { onNext } = props;
  useEffect(() => {
    const keys = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const key = event.key.toLowerCase();
      if (key === "a" && deciding) document.getElementById("approve-application")?.click();
      else if (key === "c" && deciding) document.getElementById("reason-identity_card")?.focus();
      else if (key === "n" && onNext) onNext();
      else return;
      event.preventDefault();
    };
    window.addEventListener("keydown", keys);
    return () => window.removeEventListener("keydown", keys);
  }, [deciding, onNext]);
  return (
    <section className="card" aria-labelledby="review-title">
      <h2 id="review-title">
        {at.cqcCard} — {driver.last_name} {driver.first_names}
      </h2>
      <p className="state" id="review-state">
        {statusLabels[t.lang][a.state.status]}
      </p>
      <Alert error={error} />
      {a.state.correction && (
        <div className="alert alert-info" role="status">
          {at.correctionOpen} :{" "}
          {a.state.correction.map((c) => `${itemLabels[t.lang][c.item]} (${c.reason})`).join(", ")}
        </div>
      )}
      <p className="hint">{rt.shortcuts}</p>
      <div className="review-layout">
        <aside className="review-identity" aria-labelledby="typed-identity">
          <h3 id="typed-identity">{rt.typed}</h3>
          <dl className="summary">
            <div>
              <dt>{rt.holder}</dt>
              <dd>
                {driver.last_name} {driver.first_names}
              </dd>
            </div>
            <div>
              <dt>{at.born}</dt>
              <dd>
                {frenchDate(driver.birth_date)} — {driver.birth_place}
              </dd>
            </div>
            <div>
              <dt>{at.licence}</dt>
              <dd>{driver.licence_number}</dd>
            </div>
            <EntitlementRows application={a} />
          </dl>
          <DocumentViewer id="photo" src={images.photo} label={documentLabels[t.lang].photo} />
        </aside>
        <div className="review-documents">
          {DOCUMENTS.filter((kind) => kind !== "photo").map((kind) => (
            <DocumentViewer key={kind} id={kind} src={images[kind]} label={documentLabels[t.lang][kind]} />
          ))}
        </div>
      </div>
      {inProcessing && !a.state.correction && (
        <>
          <h3>{at.askCorrection}</h3>
          {ITEMS.map((item) => (
            <TextField
              key={item}
              id={`reason-${item}`}
              label={at.reasonFor(itemLabels[t.lang][item])}
              value={reasons[item] ?? ""}
              onChange={(v) => setReasons({ ...reasons, [item]: v })}
            />
          ))}
          <div className="actions-row">
            <button
              id="request-application-correction"
              className="secondary"
              onClick={() =>
                act(
                  api.agentRequestApplicationCorrection(
                    id,
                    ITEMS.filter((i) => reasons[i]?.trim()).map((item) => ({ item, reason: reasons[item]! })),
                  ),
                )
              }
            >
              {at.askCorrection}
            </button>
            <button className="primary" id="approve-application" onClick={() => act(api.agentApprove(id))}>
              {at.approve}
            </button>
          </div>
          <TextField id="refusal-reason" label={at.refusalReason} value={refusal} onChange={setRefusal} />
          <button className="secondary" onClick={() => act(api.agentRefuse(id, refusal))}>
            {at.refuse}
          </button>
        </>
      )}
      <details>
        <summary>{at.timeline}</summary>
        <ol className="timeline">
          {props.file.history.map((h, i) => (
            <li key={i}>
              {formatDate(h.at, t.lang)} — {h.actor ?? ""} — {historyText(h, t.lang)}
            </li>
          ))}
        </ol>
      </details>
      <div className="actions-row">
        <button className="secondary" onClick={props.onBack}>
          {at.close}
        </button>
        <button className="secondary" id="next-file" disabled={!onNext} onClick={() => onNext?.()}>
          {rt.next}
        </button>
        {!onNext && <span className="muted">{rt.noNext}</span>}
      </div>
    </section>
  );
}

/** Cards in production: one card or a batch moves one step. */
export function CardProduction() {
  const t = useT();
  const at = applicationTexts[t.lang];
  const { data: cards, error, setError, reload: load } = useLoad<CardView[]>(() => api.agentCards(), [], []);
  const [selected, setSelected] = useState<string[]>([]);
  return (
    <section className="card" aria-labelledby="production-title">
      <RefreshableHeading id="production-title" title={at.cardsInProduction} onRefresh={load} />
      <Alert error={error} />
      {cards.length === 0 && <p className="muted">{at.noCardInProduction}</p>}
      <ul className="cards-in-production">
        {cards.map((c) => (
          <li key={c.id} data-status={c.status}>
            <label>
              <input
                type="checkbox"
                aria-label={at.selectCard(c.face.card_number)}
                checked={selected.includes(c.id)}
                onChange={(e) =>
                  setSelected(e.target.checked ? [...selected, c.id] : selected.filter((s) => s !== c.id))
                }
              />{" "}
              {c.face.card_number} — {c.face.holder.last_name} {c.face.holder.first_names} —{" "}
              <span className="state">{cardStatusLabels[t.lang][c.status]}</span>
            </label>
          </li>
        ))}
      </ul>
      <div className="actions-row">
        {AGENT_EVENTS.map((event) => (
          <button
            key={event}
            className="secondary"
            disabled={selected.length === 0}
            onClick={() =>
              api.agentCardStep(selected, event).then(
                () => {
                  setSelected([]);
                  setError(null);
                  load();
                },
                (e) => setError(asApiError(e)),
              )
            }
          >
            {cardEventLabels[t.lang][event]}
          </button>
        ))}
      </div>
    </section>
  );
}
