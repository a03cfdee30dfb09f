import { useEffect, useState } from "react";
import { api } from "../api";
import type { FeeTable } from "../bindings/FeeTable";
import type { ScheduledFeesView } from "../bindings/ScheduledFeesView";
import { Alert, Confirm, FormEnd, TextField } from "../components";
import { frenchDate } from "../components/dates";
import { fromHundredths, hundredths } from "../components/numbers";
import { useAction, useLoad } from "../components/useAsync";
import { useT } from "../i18n";
import { adminTexts } from "../i18n-admin";
import { money } from "../i18n-replacements";

/** The form's numbers, each with its label: the three fees before tax, then the VAT rate. */
const NUMBERS = {
  replacement_card: "replacementCard",
  quality_replacement_card: "qualityReplacementCard",
  reshipping: "reshipping",
  vat_basis_points: "vat",
} as const;
type Typed = Record<keyof typeof NUMBERS | "starts_on", string>;

const NOTHING_TYPED: Typed = {
  starts_on: "",
  replacement_card: "",
  quality_replacement_card: "",
  reshipping: "",
  vat_basis_points: "",
};

/** The form's fields as typed, from a table (the one in force, to change what must change). */
function typedFrom(fees: FeeTable, lang: "fr" | "en"): Typed {
  return {
    starts_on: "",
    replacement_card: fromHundredths(fees.replacement_card, lang),
    quality_replacement_card: fromHundredths(fees.quality_replacement_card, lang),
    reshipping: fromHundredths(fees.reshipping, lang),
    // « 20 », « 5,5 »: a rate as it is usually written.
    vat_basis_points: fromHundredths(fees.vat_basis_points, lang).replace(/[,.]?0+$/, ""),
  };
}

type Problems = Partial<Record<keyof Typed, "amount" | "rate" | "date">>;

/** The typed form as a table, or what is wrong with each field's format (the server checks the
 * rules: the start day, the amounts' range). */
function read(typed: Typed): { fees: FeeTable; problems: Problems } {
  const problems: Problems = {};
  const value = (field: keyof Typed, kind: "amount" | "rate") => {
    const parsed = hundredths(typed[field]);
    if (parsed === null) problems[field] = kind;
    return parsed ?? 0;
  };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(typed.starts_on)) problems.starts_on = "date";
  const fees: FeeTable = {
    replacement_card: value("replacement_card", "amount"),
    quality_replacement_card: value("quality_replacement_card", "amount"),
    reshipping: value("reshipping", "amount"),
    vat_basis_points: value("vat_basis_points", "rate"),
  };
  return { fees, problems };
}

function rate(basisPoints: number, lang: "fr" | "en"): string {
  const number = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB").format(basisPoints / 100);
  return lang === "fr" ? `${number}\u00a0%` : `${number}%`;
}

/** « Tarifs »: the tables with their start day, and a new one scheduled from tomorrow on. */
export function Fees() {
  const t = useT();
  const at = adminTexts[t.lang];
  const schedule = useLoad<ScheduledFeesView[]>(api.adminFeeSchedule, [], []);
  const sending = useAction();
  const [typed, setTyped] = useState<Typed | null>(null);
  const [problems, setProblems] = useState<Problems>({});
  const [done, setDone] = useState<string | null>(null);
  const [asking, setAsking] = useState<ScheduledFeesView | null>(null);
  const inForce = schedule.data.find((s) => s.period === "in_force");

  useEffect(() => {
    if (inForce && typed === null) setTyped(typedFrom(inForce.fees, t.lang));
  }, [inForce, typed, t.lang]);

  const form = typed ?? { ...NOTHING_TYPED };
  const messages = { amount: at.notAnAmount, rate: at.notARate, date: at.missingDate };
  const errorOf = (field: keyof Typed) => {
    const problem = problems[field];
    return problem && messages[problem];
  };
  const set = (field: keyof Typed) => (value: string) => setTyped({ ...form, [field]: value });

  async function scheduleFees(event: React.FormEvent) {
    event.preventDefault();
    setDone(null);
    const { fees, problems } = read(form);
    setProblems(problems);
    if (Object.keys(problems).length > 0) return;
    const ok = await sending.run(
      () => api.adminScheduleFees({ starts_on: form.starts_on, fees }),
      (made) => setDone(at.scheduled(frenchDate(made.starts_on))),
    );
    if (ok) {
      setTyped({ ...form, starts_on: "" });
      schedule.reload();
    }
  }

  async function cancel(table: ScheduledFeesView) {
    setDone(null);
    const ok = await sending.run(
      () => api.adminCancelFees(table.starts_on),
      () => setDone(at.cancelledFees(frenchDate(table.starts_on))),
    );
    setAsking(null);
    if (ok) schedule.reload();
  }

  return (
    <>
      <form className="card" onSubmit={scheduleFees} noValidate aria-labelledby="fees-title">
        <h2 id="fees-title">{at.feesTitle}</h2>
        <p className="hint">{at.feesHint}</p>
        <TextField
          id="fees-starts-on"
          type="date"
          label={at.startsOn}
          value={form.starts_on}
          onChange={set("starts_on")}
          error={errorOf("starts_on")}
          required
        />
        {(Object.keys(NUMBERS) as (keyof typeof NUMBERS)[]).map((field) => (
          <TextField
            key={field}
            id={`fees-${field}`}
            label={at[NUMBERS[field]]}
            hint={field === "vat_basis_points" ? undefined : at.amountHint}
            value={form[field]}
            onChange={set(field)}
            error={errorOf(field)}
            required
          />
        ))}
        <FormEnd
          id="schedule-fees"
          label={at.schedule}
          busy={sending.busy}
          error={sending.error}
          done={done}
        />
      </form>
      <section className="card" aria-labelledby="schedule-title">
        <h2 id="schedule-title">{at.scheduleTitle}</h2>
        <Alert error={schedule.error} />
        <table className="table" id="fee-schedule">
          <caption className="hint">{at.columns.caption}</caption>
          <thead>
            <tr>
              <th>{at.startsOn}</th>
              <th>{at.columns.replacementCard}</th>
              <th>{at.columns.qualityReplacementCard}</th>
              <th>{at.columns.reshipping}</th>
              <th>{at.columns.vat}</th>
              <th>{at.status}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {schedule.data.map((s) => (
              <tr key={s.starts_on} data-starts-on={s.starts_on} data-period={s.period}>
                <td>
                  {frenchDate(s.starts_on)}
                  <br />
                  <span className="muted">
                    {at.scheduledBy} {s.scheduled_by ?? at.firstTable}
                  </span>
                </td>
                <td>{money(s.fees.replacement_card, t.lang)}</td>
                <td>{money(s.fees.quality_replacement_card, t.lang)}</td>
                <td>{money(s.fees.reshipping, t.lang)}</td>
                <td>{rate(s.fees.vat_basis_points, t.lang)}</td>
                <td>{at.period[s.period]}</td>
                <td>
                  {s.period === "upcoming" && (
                    <button
                      className="secondary"
                      id={`cancel-fees-${s.starts_on}`}
                      onClick={() => setAsking(s)}
                    >
                      {at.cancelFees}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {asking && (
          <Confirm
            id="cancel-fees-question"
            question={at.confirmCancelFees(frenchDate(asking.starts_on))}
            confirmId="confirm-cancel-fees"
            confirm={at.confirmCancel}
            keep={at.keep}
            onConfirm={() => void cancel(asking)}
            onKeep={() => setAsking(null)}
          />
        )}
      </section>
    </>
  );
}
