import { useState } from "react";
import { api } from "../api";
import type { AddressInput } from "../bindings/AddressInput";
import type { ApiError } from "../bindings/ApiError";
import { useDraft } from "../draft";
import { fieldErrorText, fieldLabels, useT } from "../i18n";
import { applicationTexts } from "../i18n-applications";
import { TextField } from "./index";

const EMPTY_ADDRESS: AddressInput = { line1: "", line2: "", postcode: "", city: "", country: "France" };

/** A postal address, kept as a draft on this computer while typed, checked here with the server's
 * rules before `onSave`; each error goes below its field. */
export function AddressForm(props: {
  idPrefix: string;
  draftKey: string;
  submitId: string;
  submitLabel: string;
  saved: AddressInput | null;
  onSave: (address: AddressInput) => Promise<unknown>;
  onInvalid: (error: ApiError) => void;
}) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const labels = fieldLabels[t.lang];
  const form = useDraft<AddressInput>(props.draftKey, props.saved ?? EMPTY_ADDRESS);
  const [errors, setErrors] = useState<NonNullable<ApiError["fields"]>>({});
  const field = (key: keyof AddressInput, registrationField: keyof typeof labels, autoComplete: string) => {
    const error = errors?.[registrationField];
    return (
      <TextField
        id={`${props.idPrefix}-${key}`}
        label={labels[registrationField]}
        value={form.value[key]}
        onChange={(v) => form.update({ ...form.value, [key]: v })}
        error={error ? fieldErrorText(error, t.lang) : undefined}
        autoComplete={autoComplete}
        required={key !== "line2"}
      />
    );
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        setErrors({});
        // The same checks as the server's, here first: the errors go beside their fields.
        void api.checkAddress(form.value).then((fields) => {
          if (Object.keys(fields).length > 0) {
            setErrors(fields);
            props.onInvalid({ code: "invalid_fields", message: at.addressToFix, fields });
          } else {
            void props.onSave(form.value);
          }
        });
      }}
    >
      {field("line1", "address_line1", "address-line1")}
      {field("line2", "address_line2", "address-line2")}
      <div className="grid-2">
        {field("postcode", "postcode", "postal-code")}
        {field("city", "city", "address-level2")}
      </div>
      {field("country", "country", "country-name")}
      <button className="primary" type="submit" id={props.submitId}>
        {props.submitLabel}
      </button>
    </form>
  );
}
