// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ReplacementView } from "../../bindings/ReplacementView";
import { ReplacementWizard } from "./ReplacementWizard";

// The wizard talks to the app through `api`; here a fake answers what the server would.
const fake = vi.hoisted(() => ({ submitted: [] as string[] }));
vi.mock("../../api", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../api")>()),
  api: {
    loadDraft: () => Promise.resolve(null),
    saveDraft: () => Promise.resolve(),
    checkAddress: () => Promise.resolve({}),
    submitReplacement: (id: string) => {
      fake.submitted.push(id);
      return Promise.reject({ code: "conflict", message: "Refusé" });
    },
  },
}));

const address = { line1: "1 rue de la Paix", line2: "", postcode: "75002", city: "Paris", country: "France" };

function theftDraft(gaps: ReplacementView["gaps"]): ReplacementView {
  return {
    id: "r1",
    card_id: "c1",
    card_number: "FR-2026-000001",
    holder: "Jean DUPONT",
    reason: "theft",
    status: "draft",
    declaration: {
      commits_to_return: false,
      theft_declaration_uploaded: false,
      defect_description: "",
      defective_elements: 0,
      has_delivery_address: true,
      has_billing_address: true,
    },
    delivery_address: address,
    billing_address: address,
    gaps,
    price: null,
    fault: null,
    analysis_note: null,
    driver_fix: null,
    new_card_id: null,
    last_payment: null,
    created_at: "2026-11-27T10:00:00Z",
    timeline: [],
  };
}

const heading = () => screen.getByRole("heading", { level: 3 }).textContent;

afterEach(cleanup);

describe("the replacement wizard", () => {
  it("walks a theft through its four steps with « Suivant » and back with « Précédent »", () => {
    render(<ReplacementWizard initial={theftDraft([])} onClose={() => undefined} />);
    expect(heading()).toBe("Déclaration");
    for (const title of ["Déclaration de vol", "Adresses", "Récapitulatif"]) {
      fireEvent.click(screen.getByRole("button", { name: "Suivant" }));
      expect(heading()).toBe(title);
    }
    expect(screen.queryByRole("button", { name: "Suivant" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Précédent" }));
    expect(heading()).toBe("Adresses");
  });

  it("keeps « Valider » off while something is missing, and a gap opens the step that fills it", () => {
    render(<ReplacementWizard initial={theftDraft(["theft_declaration"])} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole("button", { name: "Récapitulatif" }));
    const validate = screen.getByRole("button", { name: "Valider" }) as HTMLButtonElement;
    expect(validate.disabled).toBe(true);
    const gapList = document.getElementById("replacement-gaps")!;
    fireEvent.click(gapList.querySelector("button")!);
    expect(heading()).toBe("Déclaration de vol");
  });

  it("shows the server's refusal of « Valider » and stays on the summary", async () => {
    render(<ReplacementWizard initial={theftDraft([])} onClose={() => undefined} />);
    fireEvent.click(screen.getByRole("button", { name: "Récapitulatif" }));
    fireEvent.click(screen.getByRole("button", { name: "Valider" }));
    expect(await screen.findByRole("alert")).toHaveProperty("textContent", "Refusé");
    expect(fake.submitted).toEqual(["r1"]);
    expect(heading()).toBe("Récapitulatif");
  });
});
