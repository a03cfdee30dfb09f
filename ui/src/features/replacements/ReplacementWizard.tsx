import { inputLimits } from "../../bindings/limits";
import { useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { ReplacementView } from "../../bindings/ReplacementView";
import { Alert, FileChoice, SummaryList, TextField } from "../../components";
import { useT } from "../../i18n";
import { documentLabels } from "../../i18n-applications";
import {
  gapLabels,
  money,
  reasonLabels,
  replacementStatusLabels,
  replacementTexts,
} from "../../i18n-replacements";
import { AddressForm } from "../../components/AddressForm";
import { addressLine } from "./address";
import { PaymentPanel } from "./PaymentPanel";
import { neighbour, replacementSteps, stepOfGap, type Step } from "./steps";

/** The wizard: each step may be revisited until « Valider »; then payment, the return coupon or
 * the correction, as the request's state asks. */
export function ReplacementWizard({ initial, onClose }: { initial: ReplacementView; onClose: () => void }) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const [view, setView] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const steps = replacementSteps(view.reason);
  const [step, setStep] = useState<Step>("declaration");
  const previous = neighbour(steps, step, -1);
  const next = neighbour(steps, step, 1);
  const titles: Record<Step, string> = {
    declaration: rt.stepTitles[0],
    theft: rt.stepTitles[1],
    addresses: rt.stepTitles[2],
    summary: rt.stepTitles[3],
  };
  const apply = (call: Promise<ReplacementView>, saved: string = rt.saved) => {
    setNotice(null);
    return call.then(
      (next) => {
        setView(next);
        setError(null);
        setNotice(saved);
        return next;
      },
      (e) => {
        setError(asApiError(e));
        return null;
      },
    );
  };

  return (
    <section className="card wizard" aria-labelledby="replacement-wizard-title" data-status={view.status}>
      <h2 id="replacement-wizard-title">
        {rt.replacementTitle} — {reasonLabels[t.lang][view.reason]} — {view.card_number}
      </h2>
      <p className="state">{replacementStatusLabels[t.lang][view.status]}</p>
      <Alert error={error} />
      {notice && <Alert kind="success" error={notice} />}
      {view.status === "draft" ? (
        <>
          <ol className="steps">
            {steps.map((s) => (
              <li key={s} aria-current={s === step ? "step" : undefined}>
                <button className="link-button" onClick={() => setStep(s)}>
                  {titles[s]}
                </button>
              </li>
            ))}
          </ol>
          <h3>{titles[step]}</h3>
          {step === "declaration" && (
            <DeclarationStep
              view={view}
              onSave={(declaration) =>
                apply(api.declareReplacement(view.id, declaration), rt.declarationSaved)
              }
            />
          )}
          {step === "theft" && (
            <div className="field document-field">
              <label htmlFor="theft-file">{rt.theftHint}</label>
              <FileChoice
                id="theft-file"
                accept="image/jpeg,image/png,application/pdf"
                onFile={(file) =>
                  void file
                    .arrayBuffer()
                    .then((buffer) =>
                      apply(api.addTheftDeclaration(view.id, new Uint8Array(buffer)), rt.theftUploaded),
                    )
                }
              />
              {view.declaration.theft_declaration_uploaded && <p id="theft-uploaded">✔ {rt.theftUploaded}</p>}
            </div>
          )}
          {step === "addresses" && (
            <>
              <h4>{rt.deliveryAddress}</h4>
              <p className="muted">{rt.deliveryHint}</p>
              <AddressForm
                idPrefix="replacement-delivery"
                draftKey={`replacement-delivery-${view.id}`}
                submitId="save-delivery"
                submitLabel={rt.saveDelivery}
                saved={view.delivery_address}
                onSave={(address) =>
                  apply(api.setReplacementAddress(view.id, "delivery", address), rt.deliverySaved)
                }
                onInvalid={setError}
              />
              {view.reason !== "quality" && (
                <>
                  <h4>{rt.billingAddress}</h4>
                  <AddressForm
                    idPrefix="billing"
                    draftKey={`replacement-billing-${view.id}`}
                    submitId="save-billing"
                    submitLabel={rt.saveBilling}
                    saved={view.billing_address}
                    onSave={(address) =>
                      apply(api.setReplacementAddress(view.id, "billing", address), rt.billingSaved)
                    }
                    onInvalid={setError}
                  />
                </>
              )}
            </>
          )}
          {step === "summary" && (
            <>
              <p>{rt.summary}</p>
              <ReplacementSummary view={view} />
              {view.gaps.length > 0 && (
                <div className="alert alert-info" id="replacement-gaps">
                  <p>{rt.missingBefore}</p>
                  <ul>
                    {view.gaps.map((gap) => (
                      <li key={gap}>
                        <button className="link-button" onClick={() => setStep(stepOfGap(gap))}>
                          {gapLabels[t.lang][gap]}
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <button
                className="primary"
                id="validate-replacement"
                disabled={view.gaps.length > 0}
                onClick={() => void apply(api.submitReplacement(view.id)).then(() => setNotice(null))}
              >
                {rt.validate}
              </button>
            </>
          )}
          <div className="actions-row">
            {previous && (
              <button className="secondary" onClick={() => setStep(previous)}>
                {t.lang === "fr" ? "Précédent" : "Previous"}
              </button>
            )}
            {next && (
              <button
                className="primary"
                id="replacement-next"
                onClick={() => {
                  setNotice(null);
                  setStep(next);
                }}
              >
                {t.lang === "fr" ? "Suivant" : "Next"}
              </button>
            )}
          </div>
        </>
      ) : (
        <AfterValidation view={view} onChanged={setView} onError={setError} />
      )}
      <button className="secondary" id="close-replacement" onClick={onClose}>
        {rt.close}
      </button>
    </section>
  );
}

function DeclarationStep(props: {
  view: ReplacementView;
  onSave: (declaration: {
    commits_to_return: boolean;
    defect_description: string;
    defective_elements: number;
  }) => void;
}) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const d = props.view.declaration;
  const [commits, setCommits] = useState(d.commits_to_return);
  const [description, setDescription] = useState(d.defect_description);
  const [elements, setElements] = useState(String(d.defective_elements || ""));
  const quality = props.view.reason === "quality";
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave({
          commits_to_return: commits,
          defect_description: description,
          defective_elements: Number.parseInt(elements, 10) || 0,
        });
      }}
    >
      {quality ? (
        <>
          <div className="field">
            <label htmlFor="defect-description">{rt.defectDescription}</label>
            <textarea
              id="defect-description"
              maxLength={inputLimits.defect_description}
              rows={4}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          <TextField
            id="defective-elements"
            type="number"
            label={rt.defectiveElements}
            value={elements}
            onChange={setElements}
          />
        </>
      ) : (
        <label className="choice">
          <input
            id="commitment"
            type="checkbox"
            checked={commits}
            onChange={(e) => setCommits(e.target.checked)}
          />{" "}
          {rt.commitment}
        </label>
      )}
      <button className="primary" type="submit" id="save-declaration">
        {rt.saveDeclaration}
      </button>
    </form>
  );
}

function ReplacementSummary({ view }: { view: ReplacementView }) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const d = view.declaration;
  const rows: [string, string][] = [
    [rt.reason, reasonLabels[t.lang][view.reason]],
    [rt.whichCard, `${view.card_number} — ${view.holder}`],
    ...(view.reason === "quality"
      ? ([
          [rt.defectDescription, d.defect_description || "✖"],
          [rt.defectiveElements, String(d.defective_elements || "✖")],
        ] as [string, string][])
      : ([[rt.commitment, d.commits_to_return ? "✔" : "✖"]] as [string, string][])),
    ...(view.reason === "theft"
      ? ([[documentLabels[t.lang].theft_declaration, d.theft_declaration_uploaded ? "✔" : "✖"]] as [
          string,
          string,
        ][])
      : []),
    [rt.deliveryAddress, addressLine(view.delivery_address)],
    ...(view.reason !== "quality" || view.billing_address
      ? ([[rt.billingAddress, addressLine(view.billing_address)]] as [string, string][])
      : []),
    [rt.toPay, view.price ? money(view.price.gross, t.lang) : rt.free],
  ];
  return <SummaryList rows={rows} id="replacement-summary" />;
}

/** What follows « Valider »: the payment, the return coupon, the correction, or where the new
 * card stands. */
function AfterValidation(props: {
  view: ReplacementView;
  onChanged: (view: ReplacementView) => void;
  onError: (error: ApiError | null) => void;
}) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const { view } = props;
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const [correction, setCorrection] = useState("");
  const refresh = () => api.replacement(view.id).then(props.onChanged, (e) => props.onError(asApiError(e)));
  // A payment approved, or waiting for its 3-D Secure code (the app was closed meanwhile).
  const last = view.last_payment;
  const resumed = last && ["approved", "challenge"].includes(last.status.status) ? last : null;
  return (
    <>
      <ReplacementSummary view={view} />
      {(view.status === "awaiting_payment" || resumed) && view.price && (
        <PaymentPanel
          purpose={{ kind: "replacement", replacement_id: view.id }}
          price={view.price}
          resumed={resumed}
          onSettled={() => void refresh()}
        />
      )}
      {view.status === "awaiting_card" && (
        <div>
          <p>{rt.couponHint}</p>
          <button
            className="primary"
            id="save-coupon"
            onClick={() =>
              api.saveReturnCoupon(view.id).then(setSavedPath, (e) => props.onError(asApiError(e)))
            }
          >
            {rt.saveCoupon}
          </button>
          {savedPath && <p className="muted">{rt.savedAt(savedPath)}</p>}
        </div>
      )}
      {view.status === "awaiting_driver_fix" && (
        <div>
          <h3>{rt.fixTitle}</h3>
          <p>
            {rt.fixHint} <strong>{view.analysis_note}</strong>
          </p>
          <TextField id="fix-correction" label={rt.correction} value={correction} onChange={setCorrection} />
          <h4>{rt.billingAddress}</h4>
          <AddressForm
            idPrefix="fix-billing"
            draftKey={`replacement-fix-${view.id}`}
            submitId="send-fix"
            submitLabel={rt.sendFix}
            saved={view.billing_address}
            onSave={(address) =>
              api
                .fixReplacement(view.id, correction, address)
                .then(props.onChanged, (e) => props.onError(asApiError(e)))
            }
            onInvalid={props.onError}
          />
        </div>
      )}
      {view.status === "in_production" && <Alert kind="success" error={rt.newCard} />}
    </>
  );
}
