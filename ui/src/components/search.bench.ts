// `npx vitest bench --run src/components`: an agent's queue of 20,000 requests searched at each
// keystroke, against the physical limit (the same scan over strings prepared once).
import { bench, describe } from "vitest";
import { indexItems, searchable, searchIndex } from "./search";

const names = ["Dupont", "Lefèvre", "Martin", "Bernard", "Petit", "Durand", "Moreau", "Laurent"];
const queue = Array.from({ length: 20_000 }, (_, k) => ({
  name: `Jean ${names[k % names.length]}${k}`,
  email: `conducteur${k}@exemple.fr`,
}));
const index = indexItems(queue, (e) => [e.name, e.email]);
const prepared = queue.map((e) => searchable(e.name) + "|" + searchable(e.email));

describe("an agent's queue of 20,000 requests", () => {
  bench("index the queue (once per new list)", () => {
    indexItems(queue, (e) => [e.name, e.email]);
  });
  bench("search « lefevre12 » (a keystroke)", () => {
    searchIndex(index, "lefevre12");
  });
  bench("physical limit: the same scan over strings prepared once", () => {
    const found: number[] = [];
    for (let k = 0; k < prepared.length; k++) if (prepared[k].includes("lefevre12")) found.push(k);
  });
});
