import { historyText } from "../i18n-history";
import { inputLimits } from "../bindings/limits";
import { AttemptKey } from "../features/replacements/attemptKey";
import { useCallback, useEffect, useRef, useState } from "react";
import { api, type BankCardErrors } from "../api";
import type { AddressInput } from "../bindings/AddressInput";
import type { ApiError } from "../bindings/ApiError";
import type { BankCardField } from "../bindings/BankCardField";
import type { BankCardInput } from "../bindings/BankCardInput";
import type { CardView } from "../bindings/CardView";
import type { Fault } from "../bindings/Fault";
import type { InvoiceSummary } from "../bindings/InvoiceSummary";
import type { PaymentPurpose } from "../bindings/PaymentPurpose";
import type { PaymentView } from "../bindings/PaymentView";
import type { Price } from "../bindings/Price";
import type { ReplacementReason } from "../bindings/ReplacementReason";
import type { ReplacementView } from "../bindings/ReplacementView";
import { Alert, TextField } from "../components";
import { fieldErrorText, useT } from "../i18n";
import { documentLabels } from "../i18n-applications";
import {
  bankCardLabels,
  gapLabels,
  money,
  reasonLabels,
  replacementStatusLabels,
  replacementTexts,
} from "../i18n-replacements";
import { AddressForm } from "./ApplicationWizard";
import { formatDate } from "./DriverHome";
import { frenchDate } from "./MyDocuments";

const REASONS: ReplacementReason[] = ["loss", "theft", "quality"];

function addressLine(address: AddressInput | null): string {
  if (!address) return "✖";
  return [address.line1, address.line2, `${address.postcode} ${address.city}`, address.country]
    .filter(Boolean)
    .join(", ");
}

/** « Remplacement, Echange » in « Mes demandes »: the choice of card and reason, the requests in
 * progress, and the wizard. `openId` opens a request, as a notification's « en savoir plus » does. */
export function ReplacementSection(props: {
  cards: CardView[];
  online: boolean;
  openId: string | null;
  onChanged: () => void;
}) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const [replacements, setReplacements] = useState<ReplacementView[]>([]);
  const [open, setOpen] = useState<ReplacementView | null>(null);
  const [choosing, setChoosing] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const replaceable = props.cards.filter((c) => c.status === "delivered" || c.status === "activated");
  const [cardId, setCardId] = useState("");
  const [reason, setReason] = useState<ReplacementReason>("loss");

  const reload = useCallback(() => {
    api.myReplacements().then(setReplacements, (e) => setError(e as ApiError));
  }, []);
  useEffect(reload, [reload, props.online]);
  useEffect(() => {
    if (props.openId) api.replacement(props.openId).then(setOpen, (e) => setError(e as ApiError));
  }, [props.openId]);

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
            onClick={() => api.startReplacement(cardId, reason).then(setOpen, (e) => setError(e as ApiError))}
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
                        api.cancelReplacement(r.id).then(reload, (e) => setError(e as ApiError));
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

type Step = "declaration" | "theft" | "addresses" | "summary";

/** The wizard: each step may be revisited until « Valider »; then payment, the return coupon or
 * the correction, as the request's state asks. */
function ReplacementWizard({ initial, onClose }: { initial: ReplacementView; onClose: () => void }) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const [view, setView] = useState(initial);
  const [error, setError] = useState<ApiError | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const steps: Step[] =
    view.reason === "theft"
      ? ["declaration", "theft", "addresses", "summary"]
      : ["declaration", "addresses", "summary"];
  const [step, setStep] = useState<Step>("declaration");
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
        setError(e as ApiError);
        return null;
      },
    );
  };
  const gapStep = (gap: string): Step =>
    gap === "theft_declaration" ? "theft" : gap.endsWith("address") ? "addresses" : "declaration";

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
              <input
                id="theft-file"
                type="file"
                accept="image/jpeg,image/png,application/pdf"
                onChange={(e) => {
                  const file = e.target.files?.[0];
                  if (file)
                    void file
                      .arrayBuffer()
                      .then((buffer) =>
                        apply(api.addTheftDeclaration(view.id, new Uint8Array(buffer)), rt.theftUploaded),
                      );
                  e.target.value = "";
                }}
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
                        <button className="link-button" onClick={() => setStep(gapStep(gap))}>
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
            {steps.indexOf(step) > 0 && (
              <button className="secondary" onClick={() => setStep(steps[steps.indexOf(step) - 1])}>
                {t.lang === "fr" ? "Précédent" : "Previous"}
              </button>
            )}
            {steps.indexOf(step) < steps.length - 1 && (
              <button
                className="primary"
                id="replacement-next"
                onClick={() => {
                  setNotice(null);
                  setStep(steps[steps.indexOf(step) + 1]);
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
  return (
    <dl className="summary" id="replacement-summary">
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
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
  const refresh = () => api.replacement(view.id).then(props.onChanged, (e) => props.onError(e as ApiError));
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
              api.saveReturnCoupon(view.id).then(setSavedPath, (e) => props.onError(e as ApiError))
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
                .then(props.onChanged, (e) => props.onError(e as ApiError))
            }
            onInvalid={props.onError}
          />
        </div>
      )}
      {view.status === "in_production" && <Alert kind="success" error={rt.newCard} />}
    </>
  );
}

const EMPTY_CARD: BankCardInput = { holder: "", number: "", expiry: "", security_code: "" };
const CARD_FIELDS: [BankCardField, string, string][] = [
  ["holder", "bank-card-holder", "cc-name"],
  ["number", "bank-card-number", "cc-number"],
  ["expiry", "bank-card-expiry", "cc-exp"],
  ["security_code", "bank-card-code", "cc-csc"],
];

/** The bank card form and what follows it: the 3-D Secure step, the reason of a refusal, the
 * invoice. One key per attempt, sent again on a retry after a cut, so the card is charged once.
 * The card typed here lives in this form only. */
export function PaymentPanel(props: {
  purpose: PaymentPurpose;
  price: Price;
  /** An attempt to show again: approved (its invoice is offered) or waiting for its code. */
  resumed?: PaymentView | null;
  onSettled: () => void;
}) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const [card, setCard] = useState<BankCardInput>(EMPTY_CARD);
  const [errors, setErrors] = useState<BankCardErrors>({});
  const [payment, setPayment] = useState<PaymentView | null>(props.resumed ?? null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState("");
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const attemptKey = useRef(new AttemptKey());

  const settle = (view: PaymentView) => {
    setPayment(view);
    setError(null);
    if (attemptKey.current.answered(view.status.status)) {
      // The card number is forgotten once paid.
      if (view.status.status === "approved") setCard(EMPTY_CARD);
      props.onSettled();
    }
  };
  const failed = (e: unknown) => setError(e as ApiError);

  const pay = async () => {
    setBusy(true);
    try {
      const found = await api.checkBankCard(card);
      setErrors(found);
      if (Object.keys(found).length > 0) return;
      settle(await api.pay(attemptKey.current.forSend(), props.purpose, card));
    } catch (e) {
      failed(e);
    } finally {
      setBusy(false);
    }
  };

  if (payment?.status.status === "approved") {
    const number = payment.invoice_number ?? "";
    return (
      <div className="payment" id="payment-result" data-status="approved">
        <Alert kind="success" error={rt.paid(number)} />
        <button
          className="primary"
          id="download-invoice"
          onClick={() => api.saveInvoice(number).then(setSavedPath, failed)}
        >
          {rt.downloadInvoice}
        </button>
        {savedPath && (
          <p className="muted" id="invoice-saved">
            {rt.savedAt(savedPath)}
          </p>
        )}
        <Alert error={error} />
      </div>
    );
  }

  if (payment?.status.status === "challenge") {
    return (
      <form
        className="payment"
        id="challenge"
        onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          api
            .answerChallenge(payment.id, code)
            .then(settle, failed)
            .finally(() => setBusy(false));
        }}
      >
        <h3>{rt.challengeTitle}</h3>
        <p>{rt.challengeHint}</p>
        <TextField
          id="challenge-code"
          label={rt.challengeCode}
          value={code}
          onChange={setCode}
          autoComplete="one-time-code"
        />
        <Alert error={error} />
        <div className="actions-row">
          <button className="primary" type="submit" id="challenge-confirm" disabled={busy}>
            {rt.confirm}
          </button>
          <button
            className="secondary"
            type="button"
            onClick={() => api.abandonChallenge(payment.id).then(settle, failed)}
          >
            {rt.abandon}
          </button>
        </div>
      </form>
    );
  }

  const refusal = payment?.message;
  return (
    <form
      className="payment"
      id="payment-form"
      onSubmit={(e) => {
        e.preventDefault();
        void pay();
      }}
    >
      <h3>{rt.payTitle}</h3>
      <p className="muted">{rt.payHint}</p>
      {refusal && (
        <div className="alert alert-error" role="alert" id="payment-refused">
          {refusal}
        </div>
      )}
      {error && <Alert error={error.code === "unreachable" ? rt.unreachableRetry : error} />}
      {CARD_FIELDS.map(([field, id, autoComplete]) => {
        const fieldError = errors[field];
        return (
          <TextField
            key={field}
            id={id}
            label={bankCardLabels[t.lang][field]}
            value={card[field]}
            onChange={(value) => setCard({ ...card, [field]: value })}
            error={fieldError ? fieldErrorText(fieldError, t.lang) : undefined}
            autoComplete={autoComplete}
            required
          />
        );
      })}
      <button className="primary" type="submit" id="pay-button" disabled={busy}>
        {busy
          ? rt.paying
          : error?.code === "unreachable"
            ? rt.retry
            : rt.payNow(money(props.price.gross, t.lang))}
      </button>
    </form>
  );
}

/** « Mes factures »: the duplicates of the last 10 years, each downloadable. */
export function MyInvoices({ online, refreshKey }: { online: boolean; refreshKey: number }) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const [invoices, setInvoices] = useState<InvoiceSummary[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [savedPath, setSavedPath] = useState<string | null>(null);
  useEffect(() => {
    api.myInvoices().then(setInvoices, (e) => setError(e as ApiError));
  }, [online, refreshKey]);
  return (
    <section className="card" aria-labelledby="invoices-title">
      <h2 id="invoices-title">{rt.invoicesTitle}</h2>
      <p className="muted">{rt.invoicesHint}</p>
      <Alert error={error} />
      {invoices.length === 0 ? (
        <p className="muted">{rt.noInvoice}</p>
      ) : (
        <table className="table" id="invoices">
          <thead>
            <tr>
              <th>{rt.invoiceNumber}</th>
              <th>{rt.invoiceDate}</th>
              <th>{rt.invoiceItem}</th>
              <th>{rt.invoiceTotal}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {invoices.map((invoice) => (
              <tr key={invoice.number}>
                <td>{invoice.number}</td>
                <td>{frenchDate(invoice.issued_on)}</td>
                <td>{invoice.title}</td>
                <td>{money(invoice.total, t.lang)}</td>
                <td>
                  <button
                    className="link-button"
                    id={`download-${invoice.number}`}
                    aria-label={`${rt.download} ${invoice.number}`}
                    onClick={() =>
                      api.saveInvoice(invoice.number).then(setSavedPath, (e) => setError(e as ApiError))
                    }
                  >
                    ⬇ {rt.download}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {savedPath && <p className="muted">{rt.savedAt(savedPath)}</p>}
    </section>
  );
}

/** Under a returned card's picture: the link « pli non distribué » and its two answers. */
export function ReturnedCard({ card, onChanged }: { card: CardView; onChanged: () => void }) {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const [open, setOpen] = useState(card.pending_address !== null);
  const [wrong, setWrong] = useState(card.pending_address !== null);
  const [error, setError] = useState<ApiError | null>(null);
  const [fee, setFee] = useState<Price | null>(null);
  useEffect(() => {
    api.fees().then(
      (prices) => setFee(prices.find((p) => p.item === "reshipping") ?? null),
      () => undefined,
    );
  }, []);
  if (!open)
    return (
      <button className="link-button" id={`returned-${card.id}`} onClick={() => setOpen(true)}>
        {rt.returnedLink}
      </button>
    );
  return (
    <div className="returned-card" id="returned-card">
      <h3>{rt.returnedTitle}</h3>
      <p>
        {rt.returnedAddress} <strong>{addressLine(card.delivery_address)}</strong>
      </p>
      <Alert error={error} />
      {!wrong ? (
        <div className="actions-row">
          <button
            className="primary"
            id="address-right"
            onClick={() =>
              api.answerReturnedCard(card.id, null).then(onChanged, (e) => setError(e as ApiError))
            }
          >
            {rt.addressRight}
          </button>
          <button className="secondary" id="address-wrong" onClick={() => setWrong(true)}>
            {rt.addressWrong}
          </button>
        </div>
      ) : card.pending_address && fee ? (
        <>
          <p>
            {rt.deliveryAddress} : <strong id="pending-address">{addressLine(card.pending_address)}</strong>
          </p>
          <PaymentPanel
            purpose={{ kind: "reshipping", card_id: card.id }}
            price={fee}
            onSettled={onChanged}
          />
        </>
      ) : (
        <>
          <p>{rt.newAddressHint(fee ? money(fee.gross, t.lang) : "")}</p>
          <AddressForm
            idPrefix="new-address"
            draftKey={`returned-address-${card.id}`}
            submitId="save-new-address"
            submitLabel={rt.saveNewAddress}
            saved={null}
            onSave={(address) =>
              api.answerReturnedCard(card.id, address).then(onChanged, (e) => setError(e as ApiError))
            }
            onInvalid={setError}
          />
        </>
      )}
    </div>
  );
}

/** The agent's side: a defective card's receipt and analysis; the theft declarations. */
export function AgentReplacements() {
  const t = useT();
  const rt = replacementTexts[t.lang];
  const [list, setList] = useState<ReplacementView[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [faults, setFaults] = useState<Record<string, Fault>>({});
  const [declaration, setDeclaration] = useState<string | null>(null);
  const load = useCallback(() => {
    api.agentReplacements().then(setList, (e) => setError(e as ApiError));
  }, []);
  useEffect(load, [load]);
  const act = (call: Promise<unknown>) =>
    call.then(
      () => {
        setError(null);
        load();
      },
      (e) => setError(e as ApiError),
    );
  return (
    <section className="card" aria-labelledby="agent-replacements-title">
      <div className="space-header">
        <h2 id="agent-replacements-title">{rt.agentTitle}</h2>
        <button className="secondary" onClick={load}>
          {t.refresh}
        </button>
      </div>
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
                  api.agentTheftDeclaration(r.id).then(setDeclaration, (e) => setError(e as ApiError))
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
