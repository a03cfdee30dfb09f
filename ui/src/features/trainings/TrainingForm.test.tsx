// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RecordOutcome } from "../../bindings/RecordOutcome";
import type { TrainingRecordInput } from "../../bindings/TrainingRecordInput";
import { TrainingForm } from "./TrainingForm";

/** The app's commands as the form meets them: no saved draft, and a record the service checks. */
const fake = vi.hoisted(() => ({
  recorded: [] as TrainingRecordInput[],
  answer: null as null | (() => Promise<RecordOutcome>),
}));
vi.mock("../../api", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../api")>()),
  api: {
    loadDraft: () => Promise.resolve(null),
    saveDraft: () => Promise.resolve(),
    clearDraft: () => Promise.resolve(),
    checkTraining: () => Promise.resolve({ hours: { code: "too_few_hours", min: 35 } }),
    recordTraining: (_id: string | null, input: TrainingRecordInput) => {
      fake.recorded.push(input);
      return fake.answer!();
    },
  },
}));

afterEach(() => {
  cleanup();
  fake.recorded = [];
});

async function typeHoursAndSave(hours: string) {
  render(<TrainingForm editing={null} trainee={null} onQueued={onQueued} onCancel={() => {}} />);
  await act(async () => {});
  fireEvent.change(screen.getByLabelText(/heures/i, { selector: "input#training-hours" }), {
    target: { value: hours },
  });
  await act(async () => {
    fireEvent.submit(document.querySelector("#training-form")!);
  });
}

const onQueued = vi.fn();

describe("« Nouvelle formation »: a wrong training", () => {
  it("is refused with the reason beside its field, and nothing is queued", async () => {
    fake.answer = () =>
      Promise.resolve({ result: "invalid", fields: { hours: { code: "too_few_hours", min: 35 } } });
    await typeHoursAndSave("7");
    expect(fake.recorded.map((r) => r.hours)).toEqual(["7"]);
    expect(await screen.findByText("Cette formation compte au moins 35 heures.")).toBeTruthy();
    expect(onQueued).not.toHaveBeenCalled();
    expect((document.querySelector("#training-hours") as HTMLInputElement).value).toBe("7");
  });

  it("keeps what was typed when the app cannot record it, and says why", async () => {
    fake.answer = () =>
      Promise.reject({
        code: "internal",
        message: "Les données de cet ordinateur n'ont pas pu être enregistrées.",
      });
    await typeHoursAndSave("140");
    expect(
      await screen.findByText("Les données de cet ordinateur n'ont pas pu être enregistrées."),
    ).toBeTruthy();
    expect((document.querySelector("#training-hours") as HTMLInputElement).value).toBe("140");
    expect(onQueued).not.toHaveBeenCalled();
  });
});
