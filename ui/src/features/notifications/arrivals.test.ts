import { describe, expect, it } from "vitest";
import type { Notification } from "../../bindings/Notification";
import { arrivals } from "./Notifications";

const told = (id: string, read = false): Notification => ({
  id,
  title: `Rappel ${id}`,
  body: "Votre code 95 expire dans 3 mois.",
  target: null,
  created_at: "2026-11-28T06:00:00Z",
  read,
});

describe("a notification shown by the system", () => {
  it("is one that arrives while the app runs, never those waiting when it opened", () => {
    const [seen, first] = arrivals(null, [told("a"), told("b")]);
    expect(first).toEqual([]);
    const [later, fresh] = arrivals(seen, [told("c"), told("d", true), told("a"), told("b")]);
    expect(fresh.map((n) => n.id)).toEqual(["c"]);
    // Shown once: the next look finds nothing new.
    expect(arrivals(later, [told("c"), told("a")])[1]).toEqual([]);
  });
});
