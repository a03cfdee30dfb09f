import type { ApplicationView } from "../../bindings/ApplicationView";
import { frenchDate } from "../../components/dates";
import { useT } from "../../i18n";
import { applicationTexts } from "../../i18n-applications";
import { qualificationLabels } from "../../i18n-trainings";

/** What the card will carry: its qualifications and code 95 expiry, as summary rows. */
export function EntitlementRows({ application }: { application: ApplicationView }) {
  const t = useT();
  const at = applicationTexts[t.lang];
  return (
    <>
      <div>
        <dt>{at.qualifications}</dt>
        <dd>{application.qualifications.map((q) => qualificationLabels[t.lang][q]).join(", ")}</dd>
      </div>
      <div>
        <dt>{at.code95}</dt>
        <dd>{frenchDate(application.card_expiry)}</dd>
      </div>
    </>
  );
}
