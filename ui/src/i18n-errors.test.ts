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

  it("words the domain's reason in either language, whatever the message", () => {
    const refused = {
      code: "invalid_file" as const,
      message: "the photo fails its checks",
      reason: { kind: "photo_refused" as const, problems: ["too_dark" as const, "not_centred" as const] },
    };
    expect(errorText(refused, "fr")).toBe(
      "Photo refusée — Trop sombre : éclairez votre visage · Placez votre visage au centre.",
    );
    expect(errorText(refused, "en")).toBe(
      "Photo refused — Too dark: light your face · Put your face in the centre.",
    );
    const signature = {
      code: "invalid_fields" as const,
      message: "the signature is empty",
      reason: { kind: "signature_refused" as const, problem: "empty" as const },
    };
    expect(errorText(signature, "en")).toBe("Sign in the box before confirming.");
  });
});
