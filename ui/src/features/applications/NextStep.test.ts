import { describe, expect, it } from "vitest";
import { nextStepText } from "./NextStep";

describe("what the home screen says to do next", () => {
  it("counts the days left to apply, in words for today and tomorrow", () => {
    const step = { step: "apply_before", last_day: "2027-03-24", days_left: 23 } as const;
    expect(nextStepText(step, "fr")).toBe(
      "Votre attestation expire dans 23 jours : faites votre demande de carte avant le 24/03/2027.",
    );
    expect(nextStepText({ ...step, days_left: 1 }, "fr")).toContain("expire demain");
    expect(nextStepText({ ...step, days_left: 0 }, "fr")).toContain("expire aujourd'hui");
    expect(nextStepText(step, "en")).toBe(
      "Your certificate expires in 23 days: apply for your card before 24/03/2027.",
    );
  });

  it("says when the code 95 runs out and what to book", () => {
    const step = { step: "train_before", code95_expiry: "2027-06-30", days_left: 130 } as const;
    expect(nextStepText(step, "fr")).toBe(
      "Votre code 95 expire le 30/06/2027 (dans 130 jours) : inscrivez-vous à une formation continue obligatoire (FCO) dans un centre agréé.",
    );
  });
});
