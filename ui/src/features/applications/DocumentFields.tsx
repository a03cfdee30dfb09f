import type { ApplicationDraft } from "../../bindings/ApplicationDraft";
import type { DocumentKind } from "../../bindings/DocumentKind";
import { FileChoice } from "../../components";
import { useT } from "../../i18n";
import { applicationTexts, documentLabels } from "../../i18n-applications";

/** Whether a document is only kept on this computer or already sent. */
export function DocumentState({ document }: { document?: { uploaded: boolean; preview: string | null } }) {
  const at = applicationTexts[useT().lang];
  if (!document) return null;
  return (
    <p className="muted" data-uploaded={document.uploaded}>
      {document.uploaded ? `✔ ${at.sent}` : `${at.kept}. ${at.notSentYet}`}
    </p>
  );
}

/** A document chosen as a file, with its preview and its state. */
export function FileStep(props: {
  kind: DocumentKind;
  accept: string;
  document?: ApplicationDraft["documents"][number];
  onFile: (bytes: Uint8Array) => void;
}) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const id = `file-${props.kind}`;
  return (
    <div className="field document-field" data-document={props.kind}>
      <label htmlFor={id}>
        {documentLabels[t.lang][props.kind]} — {props.accept.includes("pdf") ? at.chooseFile : at.chooseImage}
      </label>
      <FileChoice
        id={id}
        accept={props.accept}
        onFile={(file) => void file.arrayBuffer().then((buffer) => props.onFile(new Uint8Array(buffer)))}
      />
      {props.document?.preview && (
        <img
          className="document-preview"
          src={props.document.preview}
          alt={documentLabels[t.lang][props.kind]}
        />
      )}
      <DocumentState document={props.document} />
    </div>
  );
}
