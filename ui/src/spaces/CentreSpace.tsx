import { useEffect, useState } from "react";
import { useLoad } from "../components/useAsync";
import { api, asApiError } from "../api";
import type { CentreOverview } from "../bindings/CentreOverview";
import type { SyncProgress } from "../bindings/SyncProgress";
import type { TrainingRecordInput } from "../bindings/TrainingRecordInput";
import { type SpaceProps, Alert, SpaceHeader } from "../components";
import { TraineeList, TrainingList } from "../features/trainings/TrainingList";
import { TrainingForm, traineeOf } from "../features/trainings/TrainingForm";
import { CsvImport } from "../features/trainings/CsvImport";
import { type ShellSection, Shell, goTo } from "../components/shell/Shell";
import { shellTexts } from "../i18n-shell";
import { useT } from "../i18n";
import { trainingTexts } from "../i18n-trainings";

/** The item of « Nouvelle formation » that names a trainee rather than a training to correct. */
const TRAINEE = "stagiaire:";

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
