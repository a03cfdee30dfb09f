import { type RefObject, useEffect, useRef } from "react";
import { api, asApiError } from "../../api";
import type { ApiError } from "../../bindings/ApiError";
import type { CameraPreview } from "../../bindings/CameraPreview";

/** Why the web view's camera gives no picture: refused by the person or the system, none there,
 * or a frame the checks could not read. */
export type WebCameraFailure = { kind: "denied" } | { kind: "none" } | { kind: "frame"; error: ApiError };

/** What the web view asks for: the camera alone, as sharp as it goes up to 720p. */
const CONSTRAINTS: MediaStreamConstraints = {
  audio: false,
  video: { width: { ideal: 1280 }, height: { ideal: 720 } },
};

/**
 * The web view's own camera (`getUserMedia`) while `on`: the photo step's second path, where the
 * computer's camera cannot be reached from Rust. Its live picture plays in the returned video
 * element; every `everyMs` the frame on screen goes to Rust as raw RGBA pixels, where the same
 * checks and, on « Prendre la photo », the same 35×45 crop apply as to the native camera's.
 * The camera is released (its light off) as soon as `on` turns false or the step is left.
 */
export function useWebCamera(
  on: boolean,
  everyMs: number,
  onPreview: (preview: CameraPreview) => void,
  onFailure: (failure: WebCameraFailure) => void,
): RefObject<HTMLVideoElement | null> {
  const video = useRef<HTMLVideoElement | null>(null);
  const handlers = useRef({ onPreview, onFailure });
  useEffect(() => {
    handlers.current = { onPreview, onFailure };
  });

  useEffect(() => {
    if (!on) return;
    let stopped = false;
    let stream: MediaStream | undefined;
    let inFlight = false;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    const release = (opened: MediaStream) => opened.getTracks().forEach((track) => track.stop());

    const sendFrame = () => {
      const playing = video.current;
      if (inFlight || stopped || !context || !playing || playing.videoWidth === 0) return;
      canvas.width = playing.videoWidth;
      canvas.height = playing.videoHeight;
      context.drawImage(playing, 0, 0);
      const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
      inFlight = true;
      api
        .webCameraFrame(new Uint8Array(pixels.buffer), canvas.width, canvas.height)
        .then(
          (preview) => !stopped && handlers.current.onPreview(preview),
          (error) => !stopped && handlers.current.onFailure({ kind: "frame", error: asApiError(error) }),
        )
        .finally(() => (inFlight = false));
    };

    if (!navigator.mediaDevices?.getUserMedia) {
      handlers.current.onFailure({ kind: "none" });
      return;
    }
    navigator.mediaDevices.getUserMedia(CONSTRAINTS).then(
      (opened) => {
        if (stopped) return release(opened);
        stream = opened;
        if (video.current) {
          video.current.srcObject = opened;
          void video.current.play();
        }
      },
      (error: unknown) => {
        if (stopped) return;
        const denied = error instanceof DOMException && error.name === "NotAllowedError";
        handlers.current.onFailure({ kind: denied ? "denied" : "none" });
      },
    );
    const timer = window.setInterval(sendFrame, everyMs);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      if (stream) release(stream);
    };
  }, [on, everyMs]);

  return video;
}
