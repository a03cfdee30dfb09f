import type { PaymentStatus } from "../../bindings/PaymentStatus";

/**
 * One idempotency key per payment attempt. A send that is retried after a cut (no answer, the
 * app closed) carries the same key, so the processor charges the card once; once the attempt is
 * settled (paid, refused, timed out) the next « Payer » is a new attempt with a new key.
 */
export class AttemptKey {
  private key: string | null = null;

  constructor(private readonly newKey: () => string = randomKey) {}

  /** The key of the attempt being sent: the current one, or a new one after a settlement. */
  forSend(): string {
    this.key ??= this.newKey();
    return this.key;
  }

  /** Records the processor's answer; true when the attempt is over. */
  answered(status: PaymentStatus["status"]): boolean {
    const over = status !== "challenge" && status !== "pending";
    if (over) this.key = null;
    return over;
  }
}

/** 128 random bits in hex: what the service asks of a key (16 to 100 characters).
 * `crypto.randomUUID` would do, but the WebKit of macOS 10.15 lacks it; this one it has. */
function randomKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) =>
    byte.toString(16).padStart(2, "0"),
  ).join("");
}
