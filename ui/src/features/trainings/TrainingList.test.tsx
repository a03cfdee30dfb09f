// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LocalTraining } from "../../bindings/LocalTraining";
import { recordedFco } from "./fixtures";
import { TrainingList } from "./TrainingList";

const fake = vi.hoisted(() => ({ saved: [] as string[], lists: [] as string[] }));
vi.mock("../../api", async (importOriginal) => ({
  ...(await importOriginal<typeof import("../../api")>()),
  api: {
    saveTrainingsCsv: (list: string, csv: string) => {
      fake.lists.push(list);
      fake.saved.push(csv);
      return Promise.resolve("/home/centre/Téléchargements/formations-2026-11-27.csv");
    },
  },
}));

afterEach(cleanup);

const trainings: LocalTraining[] = Array.from({ length: 120 }, (_, k) =>
  recordedFco(`t${k}`, k === 7 ? { state: "pending" } : { state: "accepted", matched: true }, {
    last_name: k === 7 ? "Lefèvre" : `Stagiaire${k}`,
    licence_number: `13AA${String(k).padStart(5, "0")}`,
  }),
);

describe("« Formations enregistrées » at the scale of a year", () => {
  it("shows 50 lines at a time, searches, filters and exports what is shown", async () => {
    render(<TrainingList trainings={trainings} onCorrect={() => {}} onNewForTrainee={() => {}} />);
    expect(screen.getByText("120 formations sur 120")).toBeTruthy();
    expect(document.querySelectorAll("#training-list li")).toHaveLength(50);
    fireEvent.click(screen.getByText("Afficher 50 de plus"));
    expect(document.querySelectorAll("#training-list li")).toHaveLength(100);
    fireEvent.click(screen.getByText("Afficher 20 de plus"));
    expect(document.querySelectorAll("#training-list li")).toHaveLength(120);

    fireEvent.change(screen.getByLabelText("Rechercher (nom ou numéro de permis)"), {
      target: { value: "lefevre" },
    });
    expect(screen.getByText("1 formation sur 120")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Rechercher (nom ou numéro de permis)"), {
      target: { value: "" },
    });
    fireEvent.change(screen.getByLabelText("État"), { target: { value: "pending" } });
    expect(screen.getByText("1 formation sur 120")).toBeTruthy();

    fireEvent.click(screen.getByText("Exporter en CSV"));
    expect(await screen.findByText(/Enregistré : .*formations-2026-11-27\.csv/)).toBeTruthy();
    expect(fake.lists).toEqual(["trainings"]);
    expect(fake.saved[0]).toContain("Nom;Prénoms;Numéro de permis");
    expect(fake.saved[0]).toContain("Lefèvre;Jean;13AA00007;14/03/1985");
    expect(fake.saved[0].trim().split("\r\n")).toHaveLength(2);
  });
});
