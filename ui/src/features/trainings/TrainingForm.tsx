import { useEffect, useState } from "react";
import { api, type TrainingFieldErrors, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { LicenceCategory } from "../../bindings/LicenceCategory";
import type { LocalTraining } from "../../bindings/LocalTraining";
import type { TrainingField } from "../../bindings/TrainingField";
import type { TrainingKind } from "../../bindings/TrainingKind";
import type { TrainingRecordInput } from "../../bindings/TrainingRecordInput";
import { Alert, DateInput, FieldMessage, Select, TextField } from "../../components";
import { useDraft } from "../../draft";
import { fieldErrorText, useT } from "../../i18n";
import {
  kindLabels,
  outcomeLabels,
  qualificationLabels,
  trainingFieldLabels,
  trainingTexts,
} from "../../i18n-trainings";

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
export type Trainee = Pick<
  TrainingRecordInput,
  "last_name" | "first_names" | "birth_date" | "licence_kind" | "licence_number" | "email"
>;

export function traineeOf(r: TrainingRecordInput): Trainee {
  const { last_name, first_names, birth_date, licence_kind, licence_number, email } = r;
  return { last_name, first_names, birth_date, licence_kind, licence_number, email };
}

const CATEGORIES: LicenceCategory[] = ["C1", "C1E", "C", "CE", "D1", "D1E", "D", "DE"];

export function TrainingForm({
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
