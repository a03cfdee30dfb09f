import { useState } from "react";
import { useAction } from "../../components/useAsync";
import { api } from "../../api";
import type { CsvError } from "../../bindings/CsvError";
import type { TrainingField } from "../../bindings/TrainingField";
import { Alert, FileChoice } from "../../components";
import { fieldErrorText, useT } from "../../i18n";
import { trainingFieldLabels, trainingTexts } from "../../i18n-trainings";

function csvErrorText(error: CsvError, tt: (typeof trainingTexts)["fr"]): string {
  switch (error.code) {
    case "not_a_training_file":
      return tt.importNotCsv(error.missing_columns.join(", "));
    case "too_many_rows":
      return tt.importTooMany(error.max);
    case "empty":
      return tt.importEmpty;
    case "workbook":
      return tt.importWorkbook;
    case "utf16":
      return tt.importUtf16;
    case "rows":
      return tt.importRefused;
  }
}

export function CsvImport({ onImported }: { onImported: () => void }) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const labels = trainingFieldLabels[t.lang];
  const [refused, setRefused] = useState<CsvError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { busy, error, run } = useAction();

  async function importFile(file: File) {
    setRefused(null);
    setDone(null);
    await run(
      async () => api.importTrainingsCsv(Array.from(new Uint8Array(await file.arrayBuffer()))),
      (outcome) => {
        if (outcome.result === "refused") {
          setRefused(outcome.error);
        } else {
          setDone(tt.imported(outcome.count));
          onImported();
        }
      },
    );
  }

  return (
    <section className="card">
      <h2>{tt.importTitle}</h2>
      <p className="hint">{tt.importHint}</p>
      <label htmlFor="csv-file">{tt.importFile}</label>
      <FileChoice
        id="csv-file"
        accept=".csv,text/csv"
        disabled={busy}
        onFile={(file) => void importFile(file)}
      />
      <Alert kind="success" error={done} />
      <Alert error={error} />
      {refused && (
        <div className="alert alert-error" role="alert" id="csv-report">
          <p>{csvErrorText(refused, tt)}</p>
          {refused.code === "rows" && (
            <ul>
              {refused.rows.map((row) => (
                <li key={row.line}>
                  <strong>{tt.line(row.line)}</strong> :{" "}
                  {Object.entries(row.fields)
                    .map(([field, e]) => `${labels[field as TrainingField]} — ${fieldErrorText(e!, t.lang)}`)
                    .join(" ; ")}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
