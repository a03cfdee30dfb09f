import { useEffect, useState } from "react";
import { api } from "../../api";
import type { NextStep } from "../../bindings/NextStep";
import { frenchDate } from "../../components/dates";
import { count } from "../../components/numbers";
import { useT, type Lang } from "../../i18n";
import { goTo } from "../../components/shell/Shell";
import { shellTexts } from "../../i18n-shell";

function inDays(days: number, lang: Lang): string {
  if (lang === "fr")
    return days <= 0 ? "aujourd'hui" : days === 1 ? "demain" : `dans ${count(days, "fr")} jours`;
  return days <= 0 ? "today" : days === 1 ? "tomorrow" : `in ${count(days, "en")} days`;
}

/** The sentence of each next step. */
export function nextStepText(step: NextStep, lang: Lang): string {
  const fr = lang === "fr";
  switch (step.step) {
    case "answer_correction":
      return fr
        ? "Le service de traitement vous demande une correction : ouvrez votre demande dans « Mes demandes »."
        : "The processing service asks you for a correction: open your application in « My applications ».";
    case "activate_card":
      return fr
        ? "Votre carte est arrivée : activez-la dans « Mes cartes »."
        : "Your card has arrived: activate it in « My cards ».";
    case "apply_before":
      return fr
        ? `Votre attestation expire ${inDays(step.days_left, lang)} : faites votre demande de carte avant le ${frenchDate(step.last_day)}.`
        : `Your certificate expires ${inDays(step.days_left, lang)}: apply for your card before ${frenchDate(step.last_day)}.`;
    case "finish_application":
      return fr
        ? `Terminez votre demande de carte avant le ${frenchDate(step.last_day)} (${inDays(step.days_left, lang)}) : votre attestation expire ce jour-là.`
        : `Finish your card application before ${frenchDate(step.last_day)} (${inDays(step.days_left, lang)}): your certificate expires that day.`;
    case "application_under_way":
      return fr
        ? "Votre demande suit son cours : vous serez prévenu à chaque étape."
        : "Your application is under way: you will be told at each step.";
    case "train_before":
      return fr
        ? `Votre code 95 expire le ${frenchDate(step.code95_expiry)} (${inDays(step.days_left, lang)}) : inscrivez-vous à une formation continue obligatoire (FCO) dans un centre agréé.`
        : `Your code 95 expires on ${frenchDate(step.code95_expiry)} (${inDays(step.days_left, lang)}): book a periodic training (FCO) in an approved centre.`;
    case "up_to_date":
      return fr
        ? "Tout est à jour : rien à faire pour le moment."
        : "Everything is up to date: nothing to do for now.";
  }
}

/** The section of the driver's space where each step is done. */
const sectionOfStep: Record<NextStep["step"], string | null> = {
  answer_correction: "mes-demandes",
  activate_card: "mes-cartes",
  apply_before: "mes-demandes",
  finish_application: "mes-demandes",
  application_under_way: "mes-demandes",
  train_before: null,
  up_to_date: null,
};

/** The top of the driver's home: what to do next. */
export function NextStepBanner({ online }: { online: boolean }) {
  const t = useT();
  const names = shellTexts[t.lang].driver;
  const [step, setStep] = useState<NextStep | null>(null);
  useEffect(() => {
    const load = () => void api.nextStep().then(setStep, () => setStep(null));
    load();
    // A certificate or a card may arrive with a background sync.
    const stop = api.onSyncProgress((progress) => progress.phase === "done" && load());
    return () => void stop.then((unlisten) => unlisten());
  }, [online]);
  // The line is there from the start: the sections below never move under a pointer.
  if (!step)
    return (
      <p className="next-step" aria-hidden="true">
        &nbsp;
      </p>
    );
  const section = sectionOfStep[step.step];
  const urgent = (step.step === "apply_before" || step.step === "finish_application") && step.days_left <= 30;
  return (
    <p
      className={`next-step${urgent || step.step === "answer_correction" ? " next-step-urgent" : ""}`}
      role="status"
      data-testid="next-step"
    >
      {nextStepText(step, t.lang)}{" "}
      {section && (
        <button type="button" className="link-button" onClick={() => goTo({ section })}>
          {section === "mes-cartes" ? names.cards : names.applications} →
        </button>
      )}
    </p>
  );
}
