import { useEffect, useState } from "react";
import { useAction, useLoad } from "../components/useAsync";
import { api, type TrainingFieldErrors, asApiError } from "../api";
import type { ApiError } from "../bindings/ApiError";
import type { CentreOverview } from "../bindings/CentreOverview";
import type { CsvError } from "../bindings/CsvError";
import type { LicenceCategory } from "../bindings/LicenceCategory";
import type { LocalTraining } from "../bindings/LocalTraining";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { TrainingField } from "../bindings/TrainingField";
import type { TrainingKind } from "../bindings/TrainingKind";
import type { TrainingRecordInput } from "../bindings/TrainingRecordInput";
import {
  type SpaceProps,
  Alert,
  DateInput,
  FieldMessage,
  FileChoice,
  SpaceHeader,
  Select,
  TextField,
} from "../components";
import { useDraft } from "../draft";
import { TraineeList, TrainingList } from "../features/trainings/TrainingList";
import { type ShellSection, Shell, goTo } from "../components/shell/Shell";
import { shellTexts } from "../i18n-shell";
import { fieldErrorText, useT } from "../i18n";
import {
  kindLabels,
  outcomeLabels,
  qualificationLabels,
  trainingFieldLabels,
  trainingTexts,
} from "../i18n-trainings";

export const emptyTraining: TrainingRecordInput = {
  last_name: "",
  first_names: "",
  birth_date: "",
  licence_kind: "card",
  licence_number: "",
  email: "",
  kind: null,
  qualification: null,
  start_date: "",
  end_date: "",
  hours: "",
  sequences: [],
  outcome: null,
  target_category: null,
};

/** The trainee's part of a record: what a new training of the same person starts from. */
type Trainee = Pick<
  TrainingRecordInput,
  "last_name" | "first_names" | "birth_date" | "licence_kind" | "licence_number" | "email"
>;

function traineeOf(r: TrainingRecordInput): Trainee {
  const { last_name, first_names, birth_date, licence_kind, licence_number, email } = r;
  return { last_name, first_names, birth_date, licence_kind, licence_number, email };
}

/** The item of « Nouvelle formation » that names a trainee rather than a training to correct. */
const TRAINEE = "stagiaire:";

const CATEGORIES: LicenceCategory[] = ["C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"];

/** The centre staff's space: record trainings offline, see what the server made of each, sync. */
export function CentreSpace({ profile, online, onLoggedOut }: SpaceProps) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const {
    data: overview,
    error,
    setError,
    reload,
  } = useLoad<CentreOverview | null>(() => api.centreTrainings(), null, []);
  const [progress, setProgress] = useState<SyncProgress | null>(null);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    const stop = api.onSyncProgress((p) => {
      setProgress(p);
      if (p.phase === "done" || p.phase === "interrupted") reload();
    });
    return () => void stop.then((unlisten) => unlisten());
  }, [reload]);

  async function syncNow() {
    setError(null);
    setDone(null);
    try {
      await api.syncNow();
      setDone(tt.syncDone);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      reload();
    }
  }

  const syncing = progress?.phase === "sending" || progress?.phase === "receiving";
  const names = shellTexts[t.lang].centre;
  const trainings = overview?.trainings ?? [];
  // « Nouvelle formation » opens empty, on a rejected training to correct (its id), or for a
  // trainee picked in a list (`stagiaire:<licence number>`).
  const formFor = (item: string | undefined) => {
    const licence = item?.startsWith(TRAINEE) ? item.slice(TRAINEE.length) : null;
    const editing = licence ? null : (trainings.find((tr) => tr.training_id === item) ?? null);
    const record = licence ? trainings.find((tr) => tr.record.licence_number === licence)?.record : undefined;
    return (
      <TrainingForm
        key={item ?? "new"}
        editing={editing}
        onQueued={(message) => {
          setDone(message);
          reload();
          goTo({ section: "formations" });
        }}
        onCancel={() => goTo({ section: "formations" })}
        trainee={record ? traineeOf(record) : null}
      />
    );
  };
  const newForTrainee = (record: TrainingRecordInput) =>
    goTo({ section: "nouvelle-formation", item: TRAINEE + record.licence_number });
  const sections: ShellSection[] = [
    {
      id: "formations",
      label: names.trainings,
      render: () => (
        <TrainingList
          trainings={trainings}
          onCorrect={(training) => goTo({ section: "nouvelle-formation", item: training.training_id })}
          onNewForTrainee={newForTrainee}
        />
      ),
    },
    { id: "nouvelle-formation", label: names.newTraining, render: formFor },
    { id: "import", label: names.import, render: () => <CsvImport onImported={reload} /> },
    {
      id: "stagiaires",
      label: names.trainees,
      render: () => <TraineeList trainings={trainings} onNewForTrainee={newForTrainee} />,
    },
  ];
  return (
    <Shell
      title={tt.centreSpace}
      accountId={profile.account_id}
      sections={sections}
      top={
        <>
          <SpaceHeader name={profile.display_name} onLoggedOut={onLoggedOut} />
          {/* One height whatever the sync does: a background round every few seconds never moves
              the screen below it. */}
          <section className="card sync-bar" aria-live="polite">
            <div className="sync-text">
              <span data-testid="pending-count">{overview ? tt.toSend(overview.pending) : "\u00a0"}</span>
              <span className="muted sync-detail">
                <SyncDetail progress={progress} />
              </span>
            </div>
            <button className="primary" id="sync-now" onClick={syncNow} disabled={syncing || !online}>
              {syncing ? tt.syncing : tt.syncNow}
            </button>
          </section>
          <Alert kind="success" error={done} />
          <Alert error={error} />
        </>
      }
    />
  );
}

/** The sync bar's second line: the round's progress, why it stopped, or a blank that keeps the
 * line's height. */
function SyncDetail({ progress }: { progress: SyncProgress | null }) {
  const tt = trainingTexts[useT().lang];
  if (progress?.phase === "interrupted") return tt.syncInterrupted;
  if (progress?.phase !== "sending" && progress?.phase !== "receiving") return "\u00a0";
  return (
    <>
      <progress
        max={Math.max(progress.to_send, 1)}
        value={progress.phase === "sending" ? progress.sent : progress.to_send}
      />
      {progress.phase === "sending"
        ? tt.syncSent(progress.sent, progress.to_send)
        : tt.syncReceived(progress.received)}
    </>
  );
}

function TrainingForm({
  editing,
  onQueued,
  onCancel,
  trainee,
}: {
  editing: LocalTraining | null;
  onQueued: (message: string) => void;
  onCancel: () => void;
  /** A trainee picked in the list: the form starts a new training of theirs. */
  trainee: Trainee | null;
}) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const labels = trainingFieldLabels[t.lang];
  const draft = useDraft<TrainingRecordInput>(
    editing ? `training:${editing.training_id}` : "training",
    editing?.record ?? emptyTraining,
  );
  const [errors, setErrors] = useState<TrainingFieldErrors>({});
  const [failure, setFailure] = useState<ApiError | null>(null);
  const [checked, setChecked] = useState(false);
  const value = draft.value;

  useEffect(() => {
    if (trainee && draft.loaded) draft.update({ ...emptyTraining, ...trainee });
    // Only when another trainee is picked, once the saved draft is loaded.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [trainee, draft.loaded]);

  // Once a save was tried, every change is checked again at once.
  useEffect(() => {
    if (checked) api.checkTraining(value).then(setErrors, () => undefined);
  }, [checked, value]);

  const set = <K extends keyof TrainingRecordInput>(key: K, v: TrainingRecordInput[K]) =>
    draft.update({ ...value, [key]: v });
  const message = (field: TrainingField) =>
    errors[field] ? fieldErrorText(errors[field]!, t.lang) : undefined;

  async function save() {
    setChecked(true);
    setFailure(null);
    try {
      const outcome = await api.recordTraining(editing?.training_id ?? null, value);
      if (outcome.result === "invalid") {
        setErrors(outcome.fields);
        return;
      }
      await draft.discard(emptyTraining);
      setChecked(false);
      setErrors({});
      onQueued(tt.queued);
    } catch (e) {
      // Nothing is lost: the form and its draft stay as typed.
      setFailure(asApiError(e));
    }
  }

  const text = (field: TrainingField & keyof TrainingRecordInput, type = "text") => (
    <TextField
      id={`training-${field}`}
      label={labels[field]}
      type={type}
      required
      value={value[field] as string}
      onChange={(v) => set(field, v)}
      error={message(field)}
    />
  );

  return (
    <form
      className="card"
      id="training-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
      noValidate
    >
      <h2>{editing ? tt.correctTraining : tt.newTraining}</h2>
      {editing?.status.state === "rejected" && <Alert error={editing.status.reason} />}
      <fieldset>
        <legend>{tt.trainee}</legend>
        {text("last_name")}
        {text("first_names")}
        {text("birth_date", "date")}
        <Select
          id="training-licence_kind"
          label={labels.licence_kind}
          value={value.licence_kind ?? ""}
          options={[
            ["card", t.licenceCard],
            ["pink_paper", t.licencePink],
          ]}
          onChange={(v) => set("licence_kind", v === "" ? null : (v as "card" | "pink_paper"))}
          error={message("licence_kind")}
        />
        {text("licence_number")}
        {text("email", "email")}
      </fieldset>
      <fieldset>
        <legend>{tt.training}</legend>
        <Select
          id="training-kind"
          label={labels.kind}
          value={value.kind ?? ""}
          options={Object.entries(kindLabels[t.lang])}
          onChange={(v) => set("kind", v === "" ? null : (v as TrainingKind))}
          error={message("kind")}
        />
        <Select
          id="training-qualification"
          label={labels.qualification}
          value={value.qualification ?? ""}
          options={Object.entries(qualificationLabels[t.lang])}
          onChange={(v) => set("qualification", v === "" ? null : (v as "goods" | "passengers"))}
          error={message("qualification")}
        />
        {value.kind === "passerelle" && (
          <Select
            id="training-target_category"
            label={labels.target_category}
            value={value.target_category ?? ""}
            options={CATEGORIES.map((c) => [c, c])}
            onChange={(v) => set("target_category", v === "" ? null : (v as LicenceCategory))}
            error={message("target_category")}
          />
        )}
        <div className="inline">
          {text("start_date", "date")}
          {text("end_date", "date")}
          {text("hours", "number")}
        </div>
        {value.kind === "fco" && (
          <Sequences
            value={value}
            onChange={(sequences) => set("sequences", sequences)}
            error={message("sequences")}
          />
        )}
        <Select
          id="training-outcome"
          label={labels.outcome}
          value={value.outcome ?? ""}
          options={Object.entries(outcomeLabels[t.lang])}
          onChange={(v) => set("outcome", v === "" ? null : (v as "passed" | "failed"))}
          error={message("outcome")}
        />
      </fieldset>
      {Object.keys(errors).length > 0 && <Alert error={t.fixFields} />}
      <Alert error={failure} />
      <div className="actions-row">
        {editing && (
          <button type="button" className="secondary" onClick={onCancel}>
            {tt.cancel}
          </button>
        )}
        <button type="submit" className="primary" id="save-training">
          {tt.save}
        </button>
        {/* After the button: the words appearing as the draft is written never move it under the pointer. */}
        <span className="muted" role="status">
          {draft.saved ? t.draftSaved : ""}
        </span>
      </div>
    </form>
  );
}

function Sequences({
  value,
  onChange,
  error,
}: {
  value: TrainingRecordInput;
  onChange: (sequences: TrainingRecordInput["sequences"]) => void;
  error?: string;
}) {
  const tt = trainingTexts[useT().lang];
  const list = value.sequences;
  const change = (index: number, key: "date" | "hours", v: string) =>
    onChange(list.map((s, i) => (i === index ? { ...s, [key]: v } : s)));
  return (
    <div className={`field${error ? " field-error" : ""}`}>
      <p>{tt.sequences}</p>
      {list.map((s, i) => (
        <div className="inline" key={i}>
          <DateInput
            id={`training-sequence-${i}`}
            label={`${tt.sequenceDate} ${i + 1}`}
            value={s.date}
            onChange={(v) => change(i, "date", v)}
          />
          <input
            type="number"
            aria-label={`${tt.sequenceHours} ${i + 1}`}
            value={s.hours}
            onChange={(e) => change(i, "hours", e.target.value)}
          />
          <button
            type="button"
            className="link-button"
            onClick={() => onChange(list.filter((_, j) => j !== i))}
          >
            {tt.removeSequence}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary"
        onClick={() => onChange([...list, { date: "", hours: "7" }])}
      >
        {tt.addSequence}
      </button>
      <FieldMessage error={error} />
    </div>
  );
}

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

function CsvImport({ onImported }: { onImported: () => void }) {
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
