import { describe, expect, it } from "vitest";
import { indexItems, searchIndex } from "./search";

const queue = [
  { name: "Éloïse Lefèvre", email: "eloise.lefevre@exemple.fr" },
  { name: "Jean-Pierre Dupont", email: "jp.dupont@exemple.fr" },
  { name: "Paul Martin", email: "paul@transports-martin.fr" },
];
const index = indexItems(queue, (e) => [e.name, e.email]);

describe("an agent's queue searched as one types", () => {
  it("finds a name without its accents, dashes or case, or a part of the email", () => {
    expect(searchIndex(index, "lefevre").map((e) => e.name)).toEqual(["Éloïse Lefèvre"]);
    expect(searchIndex(index, "jean pierre").map((e) => e.name)).toEqual(["Jean-Pierre Dupont"]);
    expect(searchIndex(index, "TRANSPORTS").map((e) => e.name)).toEqual(["Paul Martin"]);
  });

  it("shows everything when nothing is typed, nothing when nothing matches", () => {
    expect(searchIndex(index, "  ")).toHaveLength(3);
    expect(searchIndex(index, "zzz")).toEqual([]);
  });
});
