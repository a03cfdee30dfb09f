import { describe, expect, it } from "vitest";
import type { ErrorCode } from "./bindings/ErrorCode";
import { errorText } from "./i18n-errors";

const codes: ErrorCode[] = [
  "invalid_request",
  "conflict",
  "not_found",
  "unreachable",
  "link_expired",
  "invalid_fields",
];

describe("error wording", () => {
  it("shows the server's French sentence in French", () => {
    expect(errorText({ code: "conflict", message: "Cette carte n'est pas revenue." }, "fr")).toBe(
      "Cette carte n'est pas revenue.",
    );
  });

  it("never shows French in English mode", () => {
    for (const code of codes) {
      const text = errorText({ code, message: "Une phrase en français." }, "en");
      expect(text).not.toContain("français");
      expect(text.length).toBeGreaterThan(10);
    }
  });
});
