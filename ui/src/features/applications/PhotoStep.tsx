import { useEffect, useState } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { ApplicationDraft } from "../../bindings/ApplicationDraft";
import type { CameraChoice } from "../../bindings/CameraChoice";
import type { CameraPreview } from "../../bindings/CameraPreview";
import { Alert } from "../../components";
import { useT } from "../../i18n";
import { applicationTexts, documentLabels, photoProblemLabels } from "../../i18n-applications";
import { DocumentState, FileStep } from "./DocumentFields";
import { type WebCameraFailure, useWebCamera } from "./webCamera";

const PREVIEW_EVERY_MS = 700;

/** Where the frames come from: the computer's camera read by Rust (nokhwa); where it finds none
 * or cannot open one, the web view's own camera; or no camera at all (a photo file then). */
type Source =
  { kind: "native"; cameras: CameraChoice[] } | { kind: "web" } | { kind: "none"; denied: boolean };

/** The camera: pick it, watch the live preview with the checks' verdict, take, retake. */
export function PhotoStep(props: {
  document?: ApplicationDraft["documents"][number];
  /** Keeps the frame on screen, by its number. */
  onCapture: (frame: number) => Promise<unknown>;
  onFile: (bytes: Uint8Array) => void;
}) {
  const t = useT();
  const at = applicationTexts[t.lang];
  const [source, setSource] = useState<Source | null>(null);
  const [camera, setCamera] = useState(0);
  const [preview, setPreview] = useState<CameraPreview | null>(null);
  const [live, setLive] = useState(!props.document);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    api.cameras().then(
      (found) => {
        if (found[0]) setCamera(found[0].index);
        setSource(found.length > 0 ? { kind: "native", cameras: found } : { kind: "web" });
      },
      () => setSource({ kind: "web" }),
    );
    return () => void api.stopCamera();
  }, []);

  useEffect(() => {
    if (!live || source?.kind !== "native") return;
    let stopped = false;
    let opened = false;
    const tick = () =>
      api.cameraPreview(camera).then(
        (next) => {
          opened = true;
          if (!stopped) setPreview(next);
        },
        (e) => {
          if (stopped) return;
          // A camera listed but never opened (a driver's format nokhwa cannot read): the web
          // view's camera instead; a camera lost after it worked is said.
          if (opened) setError(asApiError(e));
          else setSource({ kind: "web" });
        },
      );
    void tick();
    const timer = window.setInterval(tick, PREVIEW_EVERY_MS);
    return () => {
      stopped = true;
      window.clearInterval(timer);
    };
  }, [live, camera, source]);

  const video = useWebCamera(
    live && source?.kind === "web",
    PREVIEW_EVERY_MS,
    setPreview,
    (failure: WebCameraFailure) =>
      failure.kind === "frame"
        ? setError(failure.error)
        : setSource({ kind: "none", denied: failure.kind === "denied" }),
  );

  const filming = live && (source?.kind === "native" || source?.kind === "web");
  return (
    <div className="photo-step" data-camera={source?.kind}>
      <p className="muted">{at.photoHints}</p>
      <Alert error={error} />
      {source?.kind === "none" && (
        <p className="muted" id="no-camera">
          {source.denied ? at.cameraDenied : at.noCamera}
        </p>
      )}
      {source?.kind === "native" && (
        <div className="field">
          <label htmlFor="camera">{at.camera}</label>
          <select id="camera" value={camera} onChange={(e) => setCamera(Number(e.target.value))}>
            {source.cameras.map((c) => (
              <option key={c.index} value={c.index}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="photo-frames">
        {filming && (
          <figure>
            {source?.kind === "web" ? (
              <video id="camera-video" ref={video} autoPlay muted playsInline aria-label={at.camera} />
            ) : (
              preview?.image && <img id="camera-preview" src={preview.image} alt={at.camera} />
            )}
            {preview && (
              <figcaption id="photo-verdict" data-ok={preview.problems.length === 0}>
                {preview.problems.length === 0
                  ? at.photoOk
                  : preview.problems.map((p) => photoProblemLabels[t.lang][p]).join(" · ")}
              </figcaption>
            )}
          </figure>
        )}
        {!live && props.document?.preview && (
          <img
            id="id-photo"
            className="id-photo"
            src={props.document.preview}
            alt={documentLabels[t.lang].photo}
          />
        )}
      </div>
      <div className="actions-row">
        {filming && (
          <button
            className="primary"
            id="take-photo"
            disabled={!preview}
            onClick={() =>
              preview &&
              props.onCapture(preview.frame).then((next) => {
                if (next) setLive(false);
              })
            }
          >
            {at.takePhoto}
          </button>
        )}
        {!live && (
          <button
            className="secondary"
            id="retake-photo"
            onClick={() => {
              setPreview(null);
              setLive(true);
            }}
          >
            {at.retake}
          </button>
        )}
      </div>
      <FileStep kind="photo" accept="image/jpeg,image/png" onFile={props.onFile} />
      <DocumentState document={props.document} />
    </div>
  );
}
