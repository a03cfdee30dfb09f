import { AttemptKey } from "./attemptKey";
import { useAction } from "../../components/useAsync";
import { useRef, useState } from "react";
import { api, type BankCardErrors } from "../../api";

import type { BankCardField } from "../../bindings/BankCardField";
import type { BankCardInput } from "../../bindings/BankCardInput";
import type { PaymentPurpose } from "../../bindings/PaymentPurpose";
import type { PaymentView } from "../../bindings/PaymentView";
import type { Price } from "../../bindings/Price";
import { Alert, TextField } from "../../components";
import { fieldErrorText, useT } from "../../i18n";
import { bankCardLabels, money, paymentFailure, replacementTexts } from "../../i18n-replacements";

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
  const { busy, error, run } = useAction();
  const [code, setCode] = useState("");
  const [savedPath, setSavedPath] = useState<string | null>(null);
  const attemptKey = useRef(new AttemptKey());

  const settle = (view: PaymentView) => {
    setPayment(view);
    if (attemptKey.current.answered(view.status.status)) {
      // The card number is forgotten once paid.
      if (view.status.status === "approved") setCard(EMPTY_CARD);
      props.onSettled();
    }
  };
  const pay = () =>
    run(async () => {
      const found = await api.checkBankCard(card);
      setErrors(found);
      if (Object.keys(found).length === 0)
        settle(await api.pay(attemptKey.current.forSend(), props.purpose, card));
    });

  if (payment?.status.status === "approved") {
    const number = payment.invoice_number ?? "";
    return (
      <div className="payment" id="payment-result" data-status="approved">
        <Alert kind="success" error={rt.paid(number)} />
        <button
          className="primary"
          id="download-invoice"
          onClick={() => run(() => api.saveInvoice(number), setSavedPath)}
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
          void run(() => api.answerChallenge(payment.id, code), settle);
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
            onClick={() => run(() => api.abandonChallenge(payment.id), settle)}
          >
            {rt.abandon}
          </button>
        </div>
      </form>
    );
  }

  const refusal = payment ? paymentFailure(payment, t.lang) : null;
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
