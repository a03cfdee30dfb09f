import type { AddressInput } from "../../bindings/AddressInput";

/** An address on one line, as summaries show it; « ✖ » when there is none. */
export function addressLine(address: AddressInput | null): string {
  if (!address) return "✖";
  return [address.line1, address.line2, `${address.postcode} ${address.city}`, address.country]
    .filter(Boolean)
    .join(", ");
}
