import { useMemo, useState } from "react";
import { ListSearch, useListSearch } from "../../components/ListSearch";
import { api } from "../../api";
import type { CentreList } from "../../bindings/CentreList";
import type { LocalTraining } from "../../bindings/LocalTraining";
import type { TrainingKind } from "../../bindings/TrainingKind";
import type { TrainingRecordInput } from "../../bindings/TrainingRecordInput";
import { Alert } from "../../components";
import { frenchDate } from "../../components/dates";
import { useAction } from "../../components/useAsync";
import { useT } from "../../i18n";
import { kindLabels, trainingTexts } from "../../i18n-trainings";
import {
  type StateFilter,
  type TrainingFilter,
  PAGE,
  filterTrainings,
  indexTrainings,
  noFilter,
  traineesCsv,
  traineesOf,
  trainingsCsv,
} from "./listView";

const states = ["pending", "accepted", "waiting", "rejected"] as const;

/** A labelled choice among `options` (value, words). */
function Choice<V extends string>(props: {
  id: string;
  label: string;
  value: V;
  options: readonly (readonly [V, string])[];
  onChange: (value: V) => void;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.options.map(([value, words]) => (
          <option key={value} value={value}>
            {words}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Under a long list: « Afficher N de plus » while lines are hidden, and the CSV of what is shown,
 * saved in the downloads folder. */
function ListFooter(props: {
  shown: number;
  page: number;
  onMore: () => void;
  exportId: string;
  list: CentreList;
  csv: () => string;
}) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const [saved, setSaved] = useState<string>();
  const exporting = useAction();
  return (
    <>
      <div className="actions-row">
        {props.shown > props.page && (
          <button type="button" className="secondary" onClick={props.onMore}>
            {tt.showMore(Math.min(PAGE, props.shown - props.page))}
          </button>
        )}
        <button
          type="button"
          className="link-button"
          id={props.exportId}
          disabled={exporting.busy || props.shown === 0}
          onClick={() => void exporting.run(() => api.saveTrainingsCsv(props.list, props.csv()), setSaved)}
        >
          {tt.exportCsv}
        </button>
      </div>
      <Alert error={exporting.error} />
      {saved && <p className="muted">{tt.csvSaved(saved)}</p>}
    </>
  );
}

/**
 * « Formations enregistrées »: a year of a centre (500 a week) searched by name or licence
 * number, filtered, sorted, shown 50 at a time, and exported as the CSV of what is shown.
 */
export function TrainingList({
  trainings,
  onCorrect,
  onNewForTrainee,
}: {
  trainings: LocalTraining[];
  onCorrect: (training: LocalTraining) => void;
  onNewForTrainee: (record: TrainingRecordInput) => void;
}) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const [filter, setFilter] = useState<TrainingFilter>(noFilter);
  const [page, setPage] = useState(PAGE);
  const index = useMemo(() => indexTrainings(trainings), [trainings]);
  const shown = useMemo(() => filterTrainings(index, filter), [index, filter]);
  const change = (patch: Partial<TrainingFilter>) => {
    setFilter({ ...filter, ...patch });
    setPage(PAGE);
  };
  const stateLabel = (state: Exclude<StateFilter, "all">) =>
    ({ pending: tt.pending, accepted: tt.accepted, waiting: tt.acceptedWaiting, rejected: tt.rejected })[
      state
    ];

  return (
    <section className="card">
      <h2>{tt.recorded}</h2>
      {trainings.length === 0 ? (
        <p className="muted">{tt.noTrainings}</p>
      ) : (
        <>
          <div className="list-tools">
            <div className="field">
              <label htmlFor="training-search">{tt.search}</label>
              <input
                id="training-search"
                type="search"
                value={filter.text}
                onChange={(e) => change({ text: e.target.value })}
              />
            </div>
            <Choice
              id="training-state-filter"
              label={tt.stateFilter}
              value={filter.state}
              options={[["all", tt.allStates], ...states.map((state) => [state, stateLabel(state)] as const)]}
              onChange={(state) => change({ state })}
            />
            <Choice
              id="training-kind-filter"
              label={tt.kindFilter}
              value={filter.kind}
              options={[
                ["", tt.allKinds],
                ...(Object.entries(kindLabels[t.lang]) as [TrainingKind, string][]),
              ]}
              onChange={(kind) => change({ kind })}
            />
            <Choice
              id="training-sort"
              label={tt.sortBy}
              value={filter.sort}
              options={[
                ["recent", tt.sortRecent],
                ["name", tt.sortName],
                ["start", tt.sortStart],
              ]}
              onChange={(sort) => change({ sort })}
            />
          </div>
          <p className="muted" role="status" id="training-count">
            {tt.shownOf(shown.length, trainings.length)}
          </p>
          <ul className="training-list" id="training-list">
            {shown.slice(0, page).map((training) => {
              const r = training.record;
              const s = training.status;
              return (
                <li key={training.training_id} data-state={s.state}>
                  <strong>
                    {r.first_names} {r.last_name}
                  </strong>
                  <span>
                    {r.kind ? kindLabels[t.lang][r.kind] : ""} · {frenchDate(r.start_date)} →{" "}
                    {frenchDate(r.end_date)}
                  </span>
                  {s.state === "pending" && <span className="badge">{tt.pending}</span>}
                  {s.state === "accepted" && (
                    <>
                      <span className="badge badge-ok">{s.matched ? tt.accepted : tt.acceptedWaiting}</span>
                      <button className="link-button" onClick={() => onNewForTrainee(r)}>
                        {tt.newForTrainee}
                      </button>
                    </>
                  )}
                  {s.state === "rejected" && (
                    <>
                      <span className="badge badge-late">{tt.rejected}</span>
                      <span className="error-text">{s.reason}</span>
                      <button className="secondary" onClick={() => onCorrect(training)}>
                        {tt.correct}
                      </button>
                    </>
                  )}
                </li>
              );
            })}
          </ul>
          <ListFooter
            shown={shown.length}
            page={page}
            onMore={() => setPage(page + PAGE)}
            exportId="export-trainings"
            list="trainings"
            csv={() => trainingsCsv(shown, tt.csvHeaders, (kind) => kindLabels[t.lang][kind], stateLabel)}
          />
        </>
      )}
    </section>
  );
}

/** « Stagiaires »: everyone the centre trained (a line per licence number), searched, exported,
 * each with « Nouvelle formation de ce stagiaire ». */
export function TraineeList({
  trainings,
  onNewForTrainee,
}: {
  trainings: LocalTraining[];
  onNewForTrainee: (record: TrainingRecordInput) => void;
}) {
  const t = useT();
  const tt = trainingTexts[t.lang];
  const trainees = useMemo(() => traineesOf(indexTrainings(trainings)), [trainings]);
  const search = useListSearch(trainees, (line) => [line.words]);
  return (
    <section className="card">
      {trainees.length === 0 ? (
        <p className="muted">{tt.noTrainings}</p>
      ) : (
        <>
          <ListSearch id="trainee-search" label={tt.traineeSearch} search={search} />
          <ul className="training-list" id="trainee-list">
            {search.shown.map(({ record: r, trainings: n, lastStart }) => (
              <li key={r.licence_number}>
                <strong>
                  {r.first_names} {r.last_name}
                </strong>
                <span>
                  {r.licence_number} · {tt.traineeSummary(n, frenchDate(lastStart))}
                </span>
                <button className="link-button" onClick={() => onNewForTrainee(r)}>
                  {tt.newForTrainee}
                </button>
              </li>
            ))}
          </ul>
          <ListFooter
            shown={search.found.length}
            page={search.shown.length}
            onMore={search.more}
            exportId="export-trainees"
            list="trainees"
            csv={() => traineesCsv(search.found, tt.traineeCsvHeaders)}
          />
        </>
      )}
    </section>
  );
}
