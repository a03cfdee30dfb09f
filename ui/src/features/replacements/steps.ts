import type { ReplacementGap } from "../../bindings/ReplacementGap";
import type { ReplacementReason } from "../../bindings/ReplacementReason";

export type Step = "declaration" | "theft" | "addresses" | "summary";

/** The wizard's steps: a theft adds its declaration (the police's receipt) before the addresses. */
export function replacementSteps(reason: ReplacementReason): Step[] {
  return reason === "theft"
    ? ["declaration", "theft", "addresses", "summary"]
    : ["declaration", "addresses", "summary"];
}

/** The step where what the summary says is missing is filled in. */
export function stepOfGap(gap: ReplacementGap): Step {
  switch (gap) {
    case "theft_declaration":
      return "theft";
    case "delivery_address":
    case "billing_address":
      return "addresses";
    case "commitment_to_return":
    case "defect_description":
    case "defective_elements":
      return "declaration";
  }
}

/** The step before (-1) or after (+1) `step`, none at either end. */
export function neighbour(steps: Step[], step: Step, direction: -1 | 1): Step | null {
  return steps[steps.indexOf(step) + direction] ?? null;
}
