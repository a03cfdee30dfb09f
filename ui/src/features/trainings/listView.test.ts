import { describe, expect, it } from "vitest";
import type { LocalTraining } from "../../bindings/LocalTraining";
import { recordedFco } from "./fixtures";
import { filterTrainings, indexTrainings, noFilter, traineesCsv, traineesOf, trainingsCsv } from "./listView";
import { indexItems, searchIndex } from "../../components/search";

function training(
  id: string,
  last_name: string,
  first_names: string,
  licence_number: string,
  status: LocalTraining["status"],
  start_date = "2026-11-16",
): LocalTraining {
  return recordedFco(id, status, { last_name, first_names, licence_number, start_date });
}

const list = [
  training("t1", "Dupont", "Jean", "13AA00001", { state: "accepted", matched: true }, "2026-11-16"),
  training("t2", "Lefèvre", "Éloïse-Marie", "14BB00002", { state: "pending" }, "2026-10-05"),
  training(
    "t3",
    "Martin",
    "Paul",
    "15CC00003",
    { state: "rejected", reason: "Heures", fields: {} },
    "2026-11-02",
  ),
  training("t4", "Bernard", "Luc", "16DD00004", { state: "accepted", matched: false }, "2026-09-28"),
];
const index = indexTrainings(list);
const ids = (shown: LocalTraining[]) => shown.map((t) => t.training_id);

describe("the centre's trainings: search, filters, sort", () => {
  it("finds a trainee by name either way, without accents or case, or by licence number as typed", () => {
    expect(ids(filterTrainings(index, { ...noFilter, text: "eloise marie lefevre" }))).toEqual(["t2"]);
    expect(ids(filterTrainings(index, { ...noFilter, text: "DUPONT jean" }))).toEqual(["t1"]);
    expect(ids(filterTrainings(index, { ...noFilter, text: "15-cc-00003" }))).toEqual(["t3"]);
    expect(ids(filterTrainings(index, { ...noFilter, text: "personne" }))).toEqual([]);
  });

  it("filters by state, telling a training waiting for its driver from one attached", () => {
    expect(ids(filterTrainings(index, { ...noFilter, state: "accepted" }))).toEqual(["t1"]);
    expect(ids(filterTrainings(index, { ...noFilter, state: "waiting" }))).toEqual(["t4"]);
    expect(ids(filterTrainings(index, { ...noFilter, state: "rejected" }))).toEqual(["t3"]);
    expect(ids(filterTrainings(index, { ...noFilter, kind: "fimo" }))).toEqual([]);
  });

  it("sorts by name the French way, or by start, latest first", () => {
    expect(ids(filterTrainings(index, { ...noFilter, sort: "name" }))).toEqual(["t4", "t1", "t2", "t3"]);
    expect(ids(filterTrainings(index, { ...noFilter, sort: "start" }))).toEqual(["t1", "t3", "t2", "t4"]);
    expect(ids(filterTrainings(index, noFilter))).toEqual(["t1", "t2", "t3", "t4"]);
  });

  it("exports what is shown as a CSV French spreadsheets read, quoting what must be", () => {
    const odd = training("t5", 'O"Neil; Jr', "Sam", "17EE00005", { state: "pending" });
    const csv = trainingsCsv(
      [list[0], odd],
      ["Nom", "Prénoms"],
      () => "FCO",
      (s) => s,
    );
    expect(csv.startsWith("\uFEFFNom;Prénoms\r\n")).toBe(true);
    expect(csv).toContain("Dupont;Jean;13AA00001;14/03/1985;FCO;16/11/2026;20/11/2026;accepted\r\n");
    expect(csv).toContain('"O""Neil; Jr";Sam;');
  });
});

describe("« Stagiaires »", () => {
  const again = training("t5", "Dupont", "Jean", "13AA00001", { state: "pending" }, "2026-12-01");
  const trainees = traineesOf(indexTrainings([...list, again]));

  it("lists each licence number once, by name, with its count and latest training", () => {
    expect(trainees.map((line) => line.record.last_name)).toEqual(["Bernard", "Dupont", "Lefèvre", "Martin"]);
    const dupont = trainees[1];
    expect(dupont.trainings).toBe(2);
    expect(dupont.lastStart).toBe("2026-12-01");
  });

  it("finds a trainee by name without accents or by licence number, and exports what is shown", () => {
    const index = indexItems(trainees, (line) => [line.words]);
    expect(searchIndex(index, "eloise").map((line) => line.record.licence_number)).toEqual(["14BB00002"]);
    expect(searchIndex(index, "15CC").map((line) => line.record.last_name)).toEqual(["Martin"]);
    const csv = traineesCsv(searchIndex(index, "dupont"), ["Nom", "Formations"]);
    expect(csv).toContain("Dupont;Jean;13AA00001;14/03/1985;2;01/12/2026");
  });
});
