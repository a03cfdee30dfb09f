// A recorded training for the tests and the benchmark of the centre's list.
import type { LocalTraining } from "../../bindings/LocalTraining";
import type { TrainingRecordInput } from "../../bindings/TrainingRecordInput";

export function recordedFco(
  id: string,
  status: LocalTraining["status"],
  record: Partial<TrainingRecordInput>,
): LocalTraining {
  return {
    training_id: id,
    status,
    updated_at: "2026-11-27 10:00:00",
    record: {
      last_name: "Dupont",
      first_names: "Jean",
      birth_date: "1985-03-14",
      licence_kind: "card",
      licence_number: "13AA00001",
      email: "",
      kind: "fco",
      qualification: "goods",
      start_date: "2026-11-16",
      end_date: "2026-11-20",
      hours: "35",
      sequences: [],
      outcome: "passed",
      target_category: null,
      ...record,
    },
  };
}
