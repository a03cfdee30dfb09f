import { useEffect, useRef, useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { ApplicationDraft } from "../../bindings/ApplicationDraft";
import type { DocumentKind } from "../../bindings/DocumentKind";
import type { ReviewedItem } from "../../bindings/ReviewedItem";
import type { UploadEvent } from "../../bindings/UploadEvent";
import { Alert } from "../../components";
import { useDraft } from "../../draft";
import { useT } from "../../i18n";
import { applicationTexts, documentLabels, itemLabels } from "../../i18n-applications";
import { AddressForm } from "../../components/AddressForm";
import { FileStep } from "./DocumentFields";
import { EntitlementRows } from "./EntitlementRows";
import { type Pen, type Point, type Strokes, penKey, startPen } from "./keyboardPen";
import { PhotoStep } from "./PhotoStep";

/** The documents of each step; the steps after them are the signature, the address, the summary. */
const STEP_DOCUMENTS: DocumentKind[][] = [
  ["identity_front", "identity_back"],
  ["driving_licence"],
  ["photo"],
];
const ITEM_STEP: Record<ReviewedItem, number> = {
  identity_card: 0,
  driving_licence: 1,
  photo: 2,
  signature: 3,
};

/**
 * The application's steps (guide step 05), or, when a correction is asked for, only the items
 * to provide again (step 07). Each step is kept on this computer the moment it is filled.
 */
export function ApplicationWizard({
  draft: initial,
  onClose,
}: {
  draft: ApplicationDraft;
  onClose: () => void;
}) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const [draft, setDraft] = useState(initial);
  const [error, setError] = useState<ApiError | null>(initial.upload_error);
  const [done, setDone] = useState<string | null>(null);
  const [upload, setUpload] = useState<UploadEvent | null>(null);
  const id = draft.application.id;
  const correction = draft.application.state.correction;
  const steps = correction
    ? [...new Set(correction.map((c) => ITEM_STEP[c.item]))].sort()
    : [0, 1, 2, 3, 4, 5];
  const place = useDraft<{ step: number }>(`application-step-${id}`, { step: steps[0] });
  const step = steps.includes(place.value.step) ? place.value.step : steps[0];
  const goTo = (next: number) => place.update({ step: next });
  const readOnly = draft.application.state.status !== "draft" && !correction;

  useEffect(() => {
    const stop = api.onUploadProgress(setUpload);
    return () => void stop.then((unlisten) => unlisten());
  }, []);

  const apply = (work: Promise<ApplicationDraft>) => {
    setError(null);
    return work.then(
      (next) => {
        setDraft(next);
        setError(next.upload_error);
        setUpload(null);
        return next;
      },
      (e) => {
        setError(asApiError(e));
        setUpload(null);
        return null;
      },
    );
  };
  const has = (kind: DocumentKind) => draft.documents.find((d) => d.kind === kind);

  if (readOnly)
    return (
      <>
        {done && <Alert kind="success" error={done} />}
        <Summary draft={draft} onClose={onClose} />
      </>
    );

  const position = steps.indexOf(step);
  return (
    <section className="card wizard" aria-labelledby="wizard-title">
      <h2 id="wizard-title">
        {at.cqcCard} — {at.stepTitles[step]} ({position + 1}/{steps.length})
      </h2>
      {correction && (
        <div className="alert alert-info" role="status">
          {at.correctionIntro}
          <ul>
            {correction.map((c) => (
              <li key={c.item}>
                <strong>{itemLabels[t.lang][c.item]}</strong> : {c.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      <ol className="steps">
        {steps.map((s) => (
          <li key={s} aria-current={s === step ? "step" : undefined}>
            <button className="link-button" onClick={() => goTo(s)}>
              {at.stepTitles[s]}
            </button>
          </li>
        ))}
      </ol>
      <Alert error={error} />
      {done && <Alert kind="success" error={done} />}
      {upload && (
        <div className="sync-bar" role="status">
          <progress max={upload.total} value={upload.sent} />
          <span>{at.sending(documentLabels[t.lang][upload.kind], upload.sent, upload.total)}</span>
        </div>
      )}

      {step <= 1 &&
        STEP_DOCUMENTS[step].map((kind) => (
          <FileStep
            key={kind}
            kind={kind}
            accept="image/jpeg,image/png,application/pdf"
            document={has(kind)}
            onFile={(bytes) => apply(api.addDocument(id, kind, bytes))}
          />
        ))}
      {step === 2 && (
        <PhotoStep
          document={has("photo")}
          onCapture={(frame) => apply(api.capturePhoto(id, frame))}
          onFile={(bytes) => apply(api.addDocument(id, "photo", bytes))}
        />
      )}
      {step === 3 && (
        <SignatureStep
          preview={has("signature")?.preview ?? null}
          onSign={(strokes) => apply(api.saveSignature(id, strokes))}
        />
      )}
      {step === 4 && (
        <AddressForm
          idPrefix="delivery"
          draftKey={`application-address-${id}`}
          submitId="save-address"
          submitLabel={applicationTexts[t.lang].saveAddress}
          saved={draft.application.delivery_address}
          onSave={(address) =>
            apply(api.setDeliveryAddress(id, address)).then((next) => {
              if (next) goTo(5);
              return next;
            })
          }
          onInvalid={setError}
        />
      )}
      {step === 5 && (
        <>
          <Summary draft={draft} />
          <button
            className="primary"
            id="submit-application"
            onClick={() =>
              apply(api.submitApplication(id)).then((next) => {
                if (next) setDone(at.submitted);
              })
            }
          >
            {at.validate}
          </button>
        </>
      )}

      <div className="actions-row">
        {position > 0 && (
          <button className="secondary" id="wizard-previous" onClick={() => goTo(steps[position - 1])}>
            {at.previous}
          </button>
        )}
        {position < steps.length - 1 && (
          <button className="primary" id="wizard-next" onClick={() => goTo(steps[position + 1])}>
            {at.next}
          </button>
        )}
        {correction && (
          <button
            className="primary"
            id="send-answer"
            onClick={() =>
              apply(api.answerCorrection(id)).then((next) => {
                if (next) setDone(at.answered);
              })
            }
          >
            {at.sendAnswer}
          </button>
        )}
        <button className="secondary" onClick={onClose}>
          {at.close}
        </button>
      </div>
    </section>
  );
}

const PAD = { width: 520, height: 180 };

/** A pad that takes mouse, pen and touch alike (pointer events), and the keyboard (the arrows move
 * a pen, Space puts it down or lifts it); cleared and redone at will. */
function SignatureStep({ preview, onSign }: { preview: string | null; onSign: (strokes: Strokes) => void }) {
  const at = applicationTexts[useT().lang];
  const canvas = useRef<HTMLCanvasElement>(null);
  const [strokes, setStrokes] = useState<Strokes>([]);
  const drawing = useRef(false);
  // The keyboard's pen, shown once a key was used.
  const [pen, setPen] = useState<Pen | null>(null);

  const point = (e: React.PointerEvent<HTMLCanvasElement>): Point => {
    const box = e.currentTarget.getBoundingClientRect();
    return [e.clientX - box.left, e.clientY - box.top];
  };
  const paint = (all: Strokes, cursor: Pen | null = pen) => {
    const ctx = canvas.current?.getContext("2d");
    if (!ctx || !canvas.current) return;
    ctx.clearRect(0, 0, canvas.current.width, canvas.current.height);
    ctx.lineWidth = 2.5;
    ctx.lineCap = "round";
    ctx.strokeStyle = "#0a143c";
    for (const stroke of all) {
      ctx.beginPath();
      stroke.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
      ctx.stroke();
    }
    if (cursor) {
      ctx.save();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = cursor.down ? "#0a143c" : "#b00020";
      ctx.beginPath();
      ctx.arc(cursor.x, cursor.y, 5, 0, 2 * Math.PI);
      ctx.stroke();
      ctx.restore();
    }
  };
  const onKey = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    const next = penKey(pen ?? startPen(PAD.width, PAD.height), strokes, e.key, e.shiftKey, PAD);
    if (!next) return;
    e.preventDefault();
    setPen(next.pen);
    setStrokes(next.strokes);
    paint(next.strokes, next.pen);
  };

  return (
    <div className="signature-step">
      <p className="muted" id="signature-help">
        {at.signHere} {at.signWithKeys}
      </p>
      <canvas
        id="signature-pad"
        ref={canvas}
        width={PAD.width}
        height={PAD.height}
        tabIndex={0}
        role="application"
        aria-label={at.signaturePad}
        aria-describedby="signature-help"
        onKeyDown={onKey}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          drawing.current = true;
          const next = [...strokes, [point(e)]];
          setStrokes(next);
          paint(next);
        }}
        onPointerMove={(e) => {
          if (!drawing.current) return;
          const next = strokes.map((s, i) => (i === strokes.length - 1 ? [...s, point(e)] : s));
          setStrokes(next);
          paint(next);
        }}
        onPointerUp={() => (drawing.current = false)}
      />
      {pen && (
        <p className="visually-hidden" aria-live="polite" id="pen-state">
          {pen.down ? at.penDown : at.penUp}
        </p>
      )}
      <div className="actions-row">
        <button
          className="secondary"
          onClick={() => {
            const lifted = pen && { ...pen, down: false };
            setStrokes([]);
            setPen(lifted);
            paint([], lifted);
          }}
        >
          {at.clear}
        </button>
        <button className="primary" id="keep-signature" onClick={() => onSign(strokes)}>
          {at.keepSignature}
        </button>
      </div>
      {preview && <img id="signature-image" className="signature-image" src={preview} alt="Signature" />}
    </div>
  );
}

/** « Afficher », and the last step before « Valider ». */
function Summary({ draft, onClose }: { draft: ApplicationDraft; onClose?: () => void }) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const a = draft.application;
  const kinds: DocumentKind[] = ["identity_front", "identity_back", "driving_licence", "photo", "signature"];
  return (
    <section className="card" aria-label={at.stepTitles[5]}>
      <p>{at.summary}</p>
      <dl className="summary">
        <EntitlementRows application={a} />
        {kinds.map((kind) => {
          const document = draft.documents.find((d) => d.kind === kind);
          return (
            <div key={kind}>
              <dt>{documentLabels[t.lang][kind]}</dt>
              <dd>{document ? (document.uploaded ? `✔ ${at.sent}` : at.kept) : `✖ ${at.missing}`}</dd>
            </div>
          );
        })}
        <div>
          <dt>{at.stepTitles[4]}</dt>
          <dd>
            {a.delivery_address
              ? [
                  a.delivery_address.line1,
                  a.delivery_address.line2,
                  `${a.delivery_address.postcode} ${a.delivery_address.city}`,
                ]
                  .filter(Boolean)
                  .join(", ")
              : `✖ ${at.missing}`}
          </dd>
        </div>
      </dl>
      {onClose && (
        <button className="secondary" onClick={onClose}>
          {at.close}
        </button>
      )}
    </section>
  );
}
