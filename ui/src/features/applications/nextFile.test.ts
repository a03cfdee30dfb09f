import { describe, expect, it } from "vitest";
import type { ApplicationQueue } from "../../bindings/ApplicationQueue";
import type { ApplicationQueueEntry } from "../../bindings/ApplicationQueueEntry";
import { nextFile } from "./nextFile";

const entry = (id: string, age: number, state: ApplicationQueueEntry["state"]): ApplicationQueueEntry => ({
  application_id: id,
  driver_name: id,
  state,
  submitted_at: "2026-11-28T08:00:00Z",
  age_hours: age,
});

const queue = (entries: ApplicationQueueEntry[]): ApplicationQueue => ({
  to_process: 0,
  in_processing: 0,
  waiting_for_driver: 0,
  entries,
});

describe("« Dossier suivant »", () => {
  it("opens the file that waited longest for an agent, never the one on screen", () => {
    const waiting = queue([
      entry("recent", 2, { status: "submitted", correction: null }),
      entry("oldest", 30, { status: "submitted", correction: null }),
      entry("asked", 50, { status: "in_processing", correction: [{ item: "photo", reason: "Sombre" }] }),
      entry("taken", 10, { status: "in_processing", correction: null }),
    ]);
    expect(nextFile(waiting, "recent")).toBe("oldest");
    expect(nextFile(waiting, "oldest")).toBe("taken");
  });

  it("says when no other file waits", () => {
    expect(nextFile(queue([entry("only", 3, { status: "submitted", correction: null })]), "only")).toBeNull();
    expect(nextFile(null, "x")).toBeNull();
  });
});
