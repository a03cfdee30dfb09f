import { useEffect, useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { CardView } from "../../bindings/CardView";
import type { Price } from "../../bindings/Price";
import { Alert } from "../../components";
import { useT } from "../../i18n";
import { money, replacementTexts } from "../../i18n-replacements";
import { AddressForm } from "../../components/AddressForm";
import { addressLine } from "./address";
import { PaymentPanel } from "./PaymentPanel";

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
              api.answerReturnedCard(card.id, null).then(onChanged, (e) => setError(asApiError(e)))
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
              api.answerReturnedCard(card.id, address).then(onChanged, (e) => setError(asApiError(e)))
            }
            onInvalid={setError}
          />
        </>
      )}
    </div>
  );
}
