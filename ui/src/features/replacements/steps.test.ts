import { describe, expect, it } from "vitest";
import { neighbour, replacementSteps, stepOfGap } from "./steps";

describe("the replacement wizard's steps", () => {
  it("asks a theft for its declaration between the declaration and the addresses", () => {
    expect(replacementSteps("theft")).toEqual(["declaration", "theft", "addresses", "summary"]);
    expect(replacementSteps("loss")).toEqual(["declaration", "addresses", "summary"]);
    expect(replacementSteps("quality")).toEqual(["declaration", "addresses", "summary"]);
  });

  it("sends each gap of the summary to the step that fills it", () => {
    expect(stepOfGap("theft_declaration")).toBe("theft");
    expect(stepOfGap("delivery_address")).toBe("addresses");
    expect(stepOfGap("billing_address")).toBe("addresses");
    expect(stepOfGap("commitment_to_return")).toBe("declaration");
    expect(stepOfGap("defect_description")).toBe("declaration");
    expect(stepOfGap("defective_elements")).toBe("declaration");
  });

  it("has no step before the first nor after the summary", () => {
    const steps = replacementSteps("loss");
    expect(neighbour(steps, "declaration", -1)).toBeNull();
    expect(neighbour(steps, "declaration", 1)).toBe("addresses");
    expect(neighbour(steps, "summary", -1)).toBe("addresses");
    expect(neighbour(steps, "summary", 1)).toBeNull();
  });
});
