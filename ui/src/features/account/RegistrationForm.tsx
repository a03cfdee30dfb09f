import { useEffect, useState } from "react";
import { api } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { Civility } from "../../bindings/Civility";
import type { Consents } from "../../bindings/Consents";
import type { FieldErrors } from "../../bindings/FieldErrors";
import type { LicenceAnalysis } from "../../bindings/LicenceAnalysis";
import type { LicenceKind } from "../../bindings/LicenceKind";
import type { RegistrationField } from "../../bindings/RegistrationField";
import type { RegistrationInput } from "../../bindings/RegistrationInput";
import { Alert, TextField } from "../../components";
import { fieldErrorText, fieldLabels, licenceErrorText, licencePartText, useT } from "../../i18n";

export type { FieldErrors };
export type Flags = { [key in RegistrationField]?: string };

export const emptyRegistration: RegistrationInput = {
  civility: null,
  last_name: "",
  usage_name: "",
  first_names: "",
  birth_date: "",
  birth_city: "",
  birth_country: "France",
  email: "",
  mobile_phone: "",
  address: { line1: "", line2: "", postcode: "", city: "", country: "France" },
  licence_kind: null,
  licence_number: "",
  consents: { privacy_policy: false, terms_of_use: false, data_accuracy: false, data_processing: false },
};

const consentFields: [keyof Consents, RegistrationField][] = [
  ["privacy_policy", "consent_privacy_policy"],
  ["terms_of_use", "consent_terms_of_use"],
  ["data_accuracy", "consent_data_accuracy"],
  ["data_processing", "consent_data_processing"],
];

/** The account form of guide step 01, shared by the creation and the correction. */
export function RegistrationForm(props: {
  value: RegistrationInput;
  onChange: (next: RegistrationInput) => void;
  errors: FieldErrors;
  flags?: Flags;
  error: ApiError | null;
  busy: boolean;
  submitLabel: string;
  onSubmit: () => void;
}) {
  const t = useT();
  const { value, errors } = props;
  const labels = fieldLabels[t.lang];
  const set = (patch: Partial<RegistrationInput>) => props.onChange({ ...value, ...patch });
  const setAddress = (patch: Partial<RegistrationInput["address"]>) =>
    props.onChange({ ...value, address: { ...value.address, ...patch } });
  const err = (field: RegistrationField) =>
    errors[field] ? fieldErrorText(errors[field]!, t.lang) : undefined;
  const text = (
    field: RegistrationField,
    id: string,
    current: string,
    update: (v: string) => void,
    extra = {},
  ) => (
    <TextField
      id={id}
      label={labels[field]}
      value={current}
      onChange={update}
      error={err(field)}
      highlight={props.flags?.[field] && `${t.toCorrect} : ${props.flags[field]}`}
      required={field !== "usage_name" && field !== "address_line2"}
      {...extra}
    />
  );

  return (
    <form
      className="card"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      <fieldset>
        <legend>{t.identity}</legend>
        <div
          className={`field${errors.civility ? " field-error" : ""}`}
          role="radiogroup"
          aria-labelledby="civility-label"
        >
          <span id="civility-label" className="label">
            {labels.civility} *
          </span>
          {props.flags?.civility && <p className="flag">{`${t.toCorrect} : ${props.flags.civility}`}</p>}
          <div className="inline">
            {(["madame", "monsieur"] as Civility[]).map((c) => (
              <label key={c} className="choice">
                <input
                  type="radio"
                  name="civility"
                  id={`civility-${c}`}
                  checked={value.civility === c}
                  onChange={() => set({ civility: c })}
                />
                {t[c]}
              </label>
            ))}
          </div>
          {err("civility") && (
            <p className="error-text" role="alert">
              {err("civility")}
            </p>
          )}
        </div>
        <div className="grid-2">
          {text("last_name", "last_name", value.last_name, (v) => set({ last_name: v }), {
            autoComplete: "family-name",
          })}
          {text("usage_name", "usage_name", value.usage_name, (v) => set({ usage_name: v }))}
          {text("first_names", "first_names", value.first_names, (v) => set({ first_names: v }), {
            autoComplete: "given-name",
          })}
          {text("birth_date", "birth_date", value.birth_date, (v) => set({ birth_date: v }), {
            type: "date",
            autoComplete: "bday",
          })}
          {text("birth_city", "birth_city", value.birth_city, (v) => set({ birth_city: v }))}
          {text("birth_country", "birth_country", value.birth_country, (v) => set({ birth_country: v }))}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t.contact}</legend>
        <div className="grid-2">
          {text("email", "email", value.email, (v) => set({ email: v }), {
            type: "email",
            autoComplete: "email",
          })}
          {text("mobile_phone", "mobile_phone", value.mobile_phone, (v) => set({ mobile_phone: v }), {
            type: "tel",
            autoComplete: "tel",
          })}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t.postalAddress}</legend>
        {text("address_line1", "address_line1", value.address.line1, (v) => setAddress({ line1: v }), {
          autoComplete: "address-line1",
        })}
        {text("address_line2", "address_line2", value.address.line2, (v) => setAddress({ line2: v }), {
          autoComplete: "address-line2",
        })}
        <div className="grid-3">
          {text("postcode", "postcode", value.address.postcode, (v) => setAddress({ postcode: v }), {
            autoComplete: "postal-code",
          })}
          {text("city", "city", value.address.city, (v) => setAddress({ city: v }), {
            autoComplete: "address-level2",
          })}
          {text("country", "country", value.address.country, (v) => setAddress({ country: v }), {
            autoComplete: "country-name",
          })}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t.drivingLicence}</legend>
        <LicenceField
          kind={value.licence_kind}
          number={value.licence_number}
          onKind={(k) => set({ licence_kind: k })}
          onNumber={(n) => set({ licence_number: n })}
          kindError={err("licence_kind")}
          numberError={err("licence_number")}
          flag={props.flags?.licence_number}
        />
      </fieldset>

      <fieldset>
        <legend>{t.consentsTitle}</legend>
        {consentFields.map(([key, field]) => (
          <div key={key} className={`field${errors[field] ? " field-error" : ""}`}>
            <label className="choice">
              <input
                type="checkbox"
                id={field}
                checked={value.consents[key]}
                aria-invalid={errors[field] ? true : undefined}
                onChange={(e) => set({ consents: { ...value.consents, [key]: e.target.checked } })}
              />
              {labels[field]}
            </label>
            {err(field) && (
              <p className="error-text" role="alert">
                {err(field)}
              </p>
            )}
          </div>
        ))}
      </fieldset>

      <Alert error={props.error} />
      <button type="submit" className="primary" id="submit-registration" disabled={props.busy}>
        {props.busy ? t.sending : props.submitLabel}
      </button>
    </form>
  );
}

/** The licence-number field with its entry help: where each licence prints it, the NEPH trap,
 *  and what each part of the typed number means (checked live by the domain rules). */
function LicenceField(props: {
  kind: LicenceKind | null;
  number: string;
  onKind: (k: LicenceKind) => void;
  onNumber: (n: string) => void;
  kindError?: string;
  numberError?: string;
  flag?: string;
}) {
  const t = useT();
  const labels = fieldLabels[t.lang];
  const [helpOpen, setHelpOpen] = useState(false);
  const [analysis, setAnalysis] = useState<LicenceAnalysis | null>(null);

  useEffect(() => {
    if (!props.kind || props.number.trim() === "") {
      setAnalysis(null);
      return;
    }
    let current = true;
    api.checkLicence(props.kind, props.number).then(
      (a) => current && setAnalysis(a),
      () => current && setAnalysis(null),
    );
    return () => {
      current = false;
    };
  }, [props.kind, props.number]);

  const liveError =
    analysis?.error && analysis.error.code !== "incomplete" && analysis.error.code !== "empty"
      ? licenceErrorText(analysis.error, t.lang)
      : undefined;

  return (
    <>
      <div
        className={`field${props.kindError ? " field-error" : ""}`}
        role="radiogroup"
        aria-labelledby="licence-kind-label"
      >
        <span id="licence-kind-label" className="label">
          {labels.licence_kind} *
        </span>
        {(["card", "pink_paper"] as LicenceKind[]).map((k) => (
          <label key={k} className="choice">
            <input
              type="radio"
              name="licence_kind"
              id={`licence-kind-${k}`}
              checked={props.kind === k}
              onChange={() => props.onKind(k)}
            />
            {k === "card" ? t.licenceCard : t.licencePink}
          </label>
        ))}
        {props.kindError && (
          <p className="error-text" role="alert">
            {props.kindError}
          </p>
        )}
      </div>
      <TextField
        id="licence_number"
        label={labels.licence_number}
        value={props.number}
        onChange={props.onNumber}
        onFocus={() => setHelpOpen(true)}
        error={props.numberError ?? liveError}
        highlight={props.flag && `${t.toCorrect} : ${props.flag}`}
        required
        hint={
          helpOpen && (
            <div className="licence-help" data-testid="licence-help">
              <strong>{t.licenceHelpTitle}</strong>
              {props.kind !== "pink_paper" && <p>{t.licenceHelpCard}</p>}
              {props.kind !== "card" && <p>{t.licenceHelpPink}</p>}
              <p className="warning">{t.licenceHelpNeph}</p>
              {analysis && analysis.parts.length > 0 && (
                <div>
                  {t.licenceParts}
                  <ul className="licence-parts">
                    {analysis.parts.map((part) => (
                      <li key={part.meaning}>
                        <code>{part.value}</code> : {licencePartText[t.lang][part.meaning]}
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          )
        }
      />
    </>
  );
}
