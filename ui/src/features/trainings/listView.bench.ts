// `npx vitest bench --run src/features/trainings`: a year of a centre (20,000 trainings) searched,
// filtered and sorted, against the physical limit: the same scan done the most direct way (a
// loop over strings prepared once, no filter object, no sort).
import { bench, describe } from "vitest";
import type { LocalTraining } from "../../bindings/LocalTraining";
import { recordedFco } from "./fixtures";
import { filterTrainings, indexTrainings, noFilter, traineesOf } from "./listView";
import { indexItems, searchIndex } from "../../components/search";

const names = ["Dupont", "Lefèvre", "Martin", "Bernard", "Petit", "Durand", "Moreau", "Laurent"];
const year: LocalTraining[] = Array.from({ length: 20_000 }, (_, k) =>
  recordedFco(`t${k}`, k % 7 === 0 ? { state: "pending" } : { state: "accepted", matched: k % 3 === 0 }, {
    last_name: `${names[k % names.length]}${k}`,
    licence_number: `13AA${String(k).padStart(5, "0")}`,
    start_date: `2026-${String((k % 12) + 1).padStart(2, "0")}-10`,
  }),
);
const index = indexTrainings(year);
const prepared = year.map((t) => (t.record.last_name + t.record.first_names).toLowerCase());

describe("20,000 trainings", () => {
  bench("index the list (once per change of the list)", () => {
    indexTrainings(year);
  });
  bench("search « lefevre12 » (a keystroke)", () => {
    filterTrainings(index, { ...noFilter, text: "lefevre12" });
  });
  bench("physical limit: the same scan, a loop over prepared strings", () => {
    const found: number[] = [];
    for (let k = 0; k < prepared.length; k++) if (prepared[k].includes("lefèvre12")) found.push(k);
  });
  bench("filter by state and sort by name", () => {
    filterTrainings(index, { ...noFilter, state: "waiting", sort: "name" });
  });
});

describe("« Stagiaires » of 20,000 trainings", () => {
  const trainees = indexItems(traineesOf(index), (line) => [line.words]);
  bench("group by licence number and sort by name (once per change of the list)", () => {
    traineesOf(index);
  });
  bench("search « lefevre12 » (a keystroke)", () => {
    searchIndex(trainees, "lefevre12");
  });
});
