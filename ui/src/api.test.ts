import { describe, expect, it } from "vitest";
import { asApiError } from "./api";

describe("a failure as the screens show it", () => {
  it("keeps an error the commands answered", () => {
    const refused = { code: "conflict", message: "Refusé" } as const;
    expect(asApiError(refused)).toBe(refused);
  });

  it("turns anything else into an internal error with a message", () => {
    expect(asApiError(new TypeError("x is undefined"))).toEqual({
      code: "internal",
      message: "TypeError: x is undefined",
    });
    expect(asApiError("bridge closed")).toEqual({ code: "internal", message: "bridge closed" });
  });
});
