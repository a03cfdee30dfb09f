import type { ApplicationQueue } from "../../bindings/ApplicationQueue";

/** « Dossier suivant »: the file that waited longest for an agent (sent, or taken up with no
 * question open to the driver), other than the one on screen. */
export function nextFile(queue: ApplicationQueue | null, current: string): string | null {
  const waiting = (queue?.entries ?? []).filter(
    (e) =>
      e.application_id !== current &&
      (e.state.status === "submitted" || (e.state.status === "in_processing" && !e.state.correction)),
  );
  waiting.sort((a, b) => b.age_hours - a.age_hours || a.submitted_at.localeCompare(b.submitted_at));
  return waiting[0]?.application_id ?? null;
}
