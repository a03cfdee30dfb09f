import { useState } from "react";
import { useT } from "../../i18n";
import { reviewTexts } from "../../i18n-review";

const ZOOMS = [0.5, 0.75, 1, 1.5, 2, 3];

/** A scanned document, large, with zoom and rotation (buttons, or + − R 0 once it has focus):
 * a licence photographed sideways is read upright, a small print is enlarged. */
export function DocumentViewer({ src, label, id }: { src: string | undefined; label: string; id: string }) {
  const t = useT();
  const rt = reviewTexts[t.lang];
  const [zoom, setZoom] = useState(2);
  const [turns, setTurns] = useState(0);
  const zoomBy = (step: number) => setZoom((z) => Math.min(ZOOMS.length - 1, Math.max(0, z + step)));
  const rotate = () => setTurns((n) => (n + 1) % 4);
  const reset = () => {
    setZoom(2);
    setTurns(0);
  };
  const keys = (event: React.KeyboardEvent) => {
    const action = {
      "+": () => zoomBy(1),
      "=": () => zoomBy(1),
      "-": () => zoomBy(-1),
      r: rotate,
      "0": reset,
    }[event.key];
    if (!action || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    action();
  };
  const scale = ZOOMS[zoom];
  return (
    <figure className="document-viewer" data-document={id} data-zoom={scale} data-turns={turns}>
      <figcaption>
        <span>{label}</span>
        <span className="viewer-tools">
          <button
            type="button"
            className="link-button"
            onClick={() => zoomBy(-1)}
            aria-label={rt.zoomOut(label)}
          >
            −
          </button>
          <span aria-live="polite">{Math.round(scale * 100)} %</span>
          <button
            type="button"
            className="link-button"
            onClick={() => zoomBy(1)}
            aria-label={rt.zoomIn(label)}
          >
            +
          </button>
          <button type="button" className="link-button" onClick={rotate} aria-label={rt.rotate(label)}>
            ↻
          </button>
        </span>
      </figcaption>
      {/* The frame takes the focus so that the keys zoom and turn this document. */}
      <div className="viewer-frame" tabIndex={0} onKeyDown={keys} aria-label={rt.frame(label)} role="group">
        {src?.startsWith("data:image") ? (
          // The width grows with the zoom (not a transform), so that the frame scrolls to every part.
          <img
            src={src}
            alt={label}
            style={{ width: `${scale * 100}%`, transform: `rotate(${turns * 90}deg)` }}
          />
        ) : src ? (
          <a href={src} download={`${id}.pdf`}>
            {rt.pdf}
          </a>
        ) : (
          <span className="muted">{t.loading}</span>
        )}
      </div>
    </figure>
  );
}
