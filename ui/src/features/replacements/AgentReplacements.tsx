import { useState } from "react";
import { api, asApiError } from "../../api";

import type { Fault } from "../../bindings/Fault";
import type { ReplacementView } from "../../bindings/ReplacementView";
import { useLoad } from "../../components/useAsync";
import { Alert, TextField, RefreshableHeading } from "../../components";
import { useT } from "../../i18n";
import { reasonLabels, replacementStatusLabels, replacementTexts } from "../../i18n-replacements";
import { formatDate } from "../../components/dates";

/** The agent's side: a defective card's receipt and analysis; the theft declarations. */
export function AgentReplacements() {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const {
    data: list,
    error,
    setError,
    reload: load,
  } = useLoad<ReplacementView[]>(() => api.agentReplacements(), [], []);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [faults, setFaults] = useState<Record<string, Fault>>({});
  const [declaration, setDeclaration] = useState<string | null>(null);
  const act = (call: Promise<unknown>) =>
    call.then(
      () => {
        setError(null);
        load();
      },
      (e) => setError(asApiError(e)),
    );
  return (
    <section className="card" aria-labelledby="agent-replacements-title">
      <RefreshableHeading id="agent-replacements-title" title={rt.agentTitle} onRefresh={load} />
      <Alert error={error} />
      {list.length === 0 && <p className="muted">{rt.agentNone}</p>}
      <ul className="applications" id="agent-replacements">
        {list.map((r) => (
          <li key={r.id} data-status={r.status}>
            <strong>
              {reasonLabels[t.lang][r.reason]} — {r.card_number} — {r.holder}
            </strong>{" "}
            — <span className="state">{replacementStatusLabels[t.lang][r.status]}</span>
            {r.reason === "quality" && (
              <p className="muted">
                {r.declaration.defect_description} ({r.declaration.defective_elements})
              </p>
            )}
            {r.declaration.theft_declaration_uploaded && (
              <button
                className="link-button"
                onClick={() =>
                  api.agentTheftDeclaration(r.id).then(setDeclaration, (e) => setError(asApiError(e)))
                }
              >
                {rt.theftDeclaration} — {rt.view}
              </button>
            )}
            {r.status === "awaiting_card" && (
              <button
                className="primary"
                id={`received-${r.id}`}
                onClick={() => act(api.agentCardReceived(r.id))}
              >
                {rt.cardReceived}
              </button>
            )}
            {r.status === "under_analysis" && (
              <div>
                {(["issuer", "driver"] as Fault[]).map((fault) => (
                  <label key={fault} className="choice">
                    <input
                      type="radio"
                      id={`fault-${r.id}-${fault}`}
                      name={`fault-${r.id}`}
                      checked={(faults[r.id] ?? "issuer") === fault}
                      onChange={() => setFaults({ ...faults, [r.id]: fault })}
                    />{" "}
                    {fault === "issuer" ? rt.issuersFault : rt.driversFault}
                  </label>
                ))}
                <TextField
                  id={`analysis-note-${r.id}`}
                  label={rt.analysisNote}
                  value={notes[r.id] ?? ""}
                  onChange={(v) => setNotes({ ...notes, [r.id]: v })}
                />
                <button
                  className="primary"
                  id={`record-analysis-${r.id}`}
                  onClick={() =>
                    act(api.agentRecordAnalysis(r.id, faults[r.id] ?? "issuer", notes[r.id] ?? ""))
                  }
                >
                  {rt.recordAnalysis}
                </button>
              </div>
            )}
            <p className="muted">{formatDate(r.created_at, t.lang)}</p>
          </li>
        ))}
      </ul>
      {declaration &&
        (declaration.startsWith("data:image") ? (
          <img className="document-preview" src={declaration} alt={rt.theftDeclaration} />
        ) : (
          <a href={declaration} download="declaration-de-vol.pdf">
            {rt.theftDeclaration}
          </a>
        ))}
    </section>
  );
}
