// The centre's list of trainings at the scale of a year (500 a week): search by name or licence
// number, filters, sort, and the CSV of what is shown. Pure, so that it is tested and measured
// apart from the screen.
import type { LocalTraining } from "../../bindings/LocalTraining";
import type { TrainingKind } from "../../bindings/TrainingKind";
import { frenchDate } from "../../components/dates";
import { searchable } from "../../components/search";

export type StateFilter = "all" | "pending" | "accepted" | "waiting" | "rejected";
export type TrainingSort = "recent" | "name" | "start";

export interface TrainingFilter {
  text: string;
  state: StateFilter;
  kind: TrainingKind | "";
  sort: TrainingSort;
}

export const noFilter: TrainingFilter = { text: "", state: "all", kind: "", sort: "recent" };

export { PAGE, searchable } from "../../components/search";

/** A line ready to be searched, made once per list rather than once per keystroke. */
export interface IndexedTraining {
  training: LocalTraining;
  /** Names both ways and the licence number, searchable. */
  words: string;
}

export function indexTrainings(trainings: LocalTraining[]): IndexedTraining[] {
  return trainings.map((training) => {
    const r = training.record;
    const words = [r.last_name + r.first_names, r.first_names + r.last_name, r.licence_number]
      .map(searchable)
      .join("|");
    return { training, words };
  });
}

function stateOf(training: LocalTraining): Exclude<StateFilter, "all"> {
  const s = training.status;
  if (s.state === "accepted") return s.matched ? "accepted" : "waiting";
  return s.state;
}

/** The lines that match `filter`, in its order. */
export function filterTrainings(index: IndexedTraining[], filter: TrainingFilter): LocalTraining[] {
  const wanted = searchable(filter.text);
  const shown = index
    .filter(
      (line) =>
        (wanted === "" || line.words.includes(wanted)) &&
        (filter.state === "all" || stateOf(line.training) === filter.state) &&
        (filter.kind === "" || line.training.record.kind === filter.kind),
    )
    .map((line) => line.training);
  switch (filter.sort) {
    case "name":
      return shown.sort(
        (a, b) =>
          a.record.last_name.localeCompare(b.record.last_name, "fr") ||
          a.record.first_names.localeCompare(b.record.first_names, "fr"),
      );
    case "start":
      return shown.sort((a, b) => b.record.start_date.localeCompare(a.record.start_date));
    case "recent":
      return shown; // as the store gives them: the last changed first
  }
}

/** A CSV as French spreadsheets read it (`;`, a byte-order mark). */
export function csvOf(headers: string[], rows: string[][]): string {
  const cell = (value: string) => (/[;"\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return "\uFEFF" + [headers, ...rows].map((row) => row.map(cell).join(";")).join("\r\n") + "\r\n";
}

/** The CSV of the lines shown. */
export function trainingsCsv(
  trainings: LocalTraining[],
  headers: string[],
  kindLabel: (kind: TrainingKind) => string,
  stateLabel: (state: Exclude<StateFilter, "all">) => string,
): string {
  const rows = trainings.map((training) => {
    const r = training.record;
    return [
      r.last_name,
      r.first_names,
      r.licence_number,
      frenchDate(r.birth_date),
      r.kind ? kindLabel(r.kind) : "",
      frenchDate(r.start_date),
      frenchDate(r.end_date),
      stateLabel(stateOf(training)),
    ];
  });
  return csvOf(headers, rows);
}

/** A person the centre trained: the identity of their latest training, and how many it recorded. */
export interface TraineeLine {
  record: LocalTraining["record"];
  trainings: number;
  /** The first day of their latest training (ISO). */
  lastStart: string;
  words: string;
}

/** « Stagiaires »: one line per licence number, the most recent training's identity first. */
export function traineesOf(index: IndexedTraining[]): TraineeLine[] {
  const byLicence = new Map<string, TraineeLine>();
  for (const { training, words } of index) {
    const r = training.record;
    const known = byLicence.get(r.licence_number);
    if (!known) byLicence.set(r.licence_number, { record: r, trainings: 1, lastStart: r.start_date, words });
    else {
      known.trainings += 1;
      if (r.start_date > known.lastStart) Object.assign(known, { record: r, lastStart: r.start_date, words });
    }
  }
  return [...byLicence.values()].sort(
    (a, b) =>
      a.record.last_name.localeCompare(b.record.last_name, "fr") ||
      a.record.first_names.localeCompare(b.record.first_names, "fr"),
  );
}

export function traineesCsv(trainees: TraineeLine[], headers: string[]): string {
  return csvOf(
    headers,
    trainees.map(({ record: r, trainings, lastStart }) => [
      r.last_name,
      r.first_names,
      r.licence_number,
      frenchDate(r.birth_date),
      String(trainings),
      frenchDate(lastStart),
    ]),
  );
}
