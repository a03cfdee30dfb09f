import { describe, expect, it } from "vitest";
import { AttemptKey } from "./attemptKey";

function counter() {
  let n = 0;
  return () => `key-${++n}`;
}

describe("the payment panel's attempt key", () => {
  it("sends the same key again when an attempt is retried after a cut", () => {
    const key = new AttemptKey(counter());
    const first = key.forSend();
    // No answer came back (the network dropped): « Payer » again is the same attempt.
    expect(key.forSend()).toBe(first);
  });

  it("keeps the key while the bank asks for its code or the answer is pending", () => {
    const key = new AttemptKey(counter());
    const first = key.forSend();
    expect(key.answered("challenge")).toBe(false);
    expect(key.answered("pending")).toBe(false);
    expect(key.forSend()).toBe(first);
  });

  it.each(["approved", "declined", "timed_out"] as const)("gives a new key after a %s attempt", (status) => {
    const key = new AttemptKey(counter());
    const first = key.forSend();
    expect(key.answered(status)).toBe(true);
    expect(key.forSend()).not.toBe(first);
  });

  it("makes keys the service accepts (16 to 100 characters), never twice the same", () => {
    const key = new AttemptKey();
    const first = key.forSend();
    key.answered("declined");
    const second = key.forSend();
    expect(first).toMatch(/^[0-9a-f]{32}$/);
    expect(second).toMatch(/^[0-9a-f]{32}$/);
    expect(second).not.toBe(first);
  });
});
