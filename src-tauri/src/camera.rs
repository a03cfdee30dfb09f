//! The camera, on a thread of its own (a camera handle stays on the thread that opened it): the
//! UI asks for preview frames and freezes the one it shows. Where `CQC_CAMERA_FRAMES` names a
//! folder of recorded frames (tests, demonstrations), that folder is the only camera.
//!
//! The photo step's second path, for a computer where nokhwa finds no camera or cannot open one
//! (its Windows and macOS backends have open format bugs): the web view's own `getUserMedia`. The
//! screen sends those frames' pixels to Rust, where the same checks and the same crop apply.

use cqc_capture::{CameraChoice, CaptureError, FrameSource, RecordedFrames};
use image::RgbImage;
use std::path::PathBuf;
use std::sync::mpsc::{channel, Sender};

type Reply<T> = Sender<Result<T, CaptureError>>;

enum Request {
    List(Reply<Vec<CameraChoice>>),
    Frame { index: u32, reply: Reply<RgbImage> },
    Stop,
}

pub struct CameraService {
    requests: std::sync::Mutex<Sender<Request>>,
}

impl CameraService {
    pub fn start() -> Self {
        let recorded = std::env::var_os("CQC_CAMERA_FRAMES").map(PathBuf::from);
        let (requests, inbox) = channel::<Request>();
        std::thread::Builder::new()
            .name("camera".into())
            .spawn(move || {
                let mut open: Option<(u32, Box<dyn FrameSource>)> = None;
                for request in inbox {
                    match request {
                        Request::List(reply) => {
                            let _ = reply.send(list(&recorded));
                        }
                        Request::Frame { index, reply } => {
                            if open.as_ref().map(|(i, _)| *i) != Some(index) {
                                open = None; // close the previous camera before opening another
                                match source(&recorded, index) {
                                    Ok(source) => open = Some((index, source)),
                                    Err(error) => {
                                        let _ = reply.send(Err(error));
                                        continue;
                                    }
                                }
                            }
                            let frame =
                                open.as_mut().map(|(_, s)| s.next_frame()).unwrap_or(Err(CaptureError::NoCamera));
                            if frame.is_err() {
                                open = None;
                            }
                            let _ = reply.send(frame);
                        }
                        Request::Stop => open = None,
                    }
                }
            })
            .expect("the camera thread starts");
        Self { requests: std::sync::Mutex::new(requests) }
    }

    fn ask<T>(&self, make: impl FnOnce(Reply<T>) -> Request) -> Result<T, CaptureError> {
        let (reply, answer) = channel();
        self.requests.lock().expect("camera channel").send(make(reply)).map_err(|_| CaptureError::NoCamera)?;
        answer.recv().map_err(|_| CaptureError::NoCamera)?
    }

    pub fn cameras(&self) -> Result<Vec<CameraChoice>, CaptureError> {
        self.ask(Request::List)
    }

    pub fn frame(&self, index: u32) -> Result<RgbImage, CaptureError> {
        self.ask(|reply| Request::Frame { index, reply })
    }

    /// Turns the camera off (its light too) when the photo step is left.
    pub fn stop(&self) {
        let _ = self.requests.lock().expect("camera channel").send(Request::Stop);
    }
}

fn list(recorded: &Option<PathBuf>) -> Result<Vec<CameraChoice>, CaptureError> {
    match recorded {
        Some(_) => Ok(vec![CameraChoice { index: 0, name: "Images enregistrées".into() }]),
        None => cqc_capture::list_cameras(),
    }
}

fn source(recorded: &Option<PathBuf>, index: u32) -> Result<Box<dyn FrameSource>, CaptureError> {
    match recorded {
        Some(dir) => Ok(Box::new(RecordedFrames::open(dir)?)),
        None => Ok(Box::new(cqc_capture::NokhwaCamera::open(index)?)),
    }
}

/// The web view's camera. WebView2 and WKWebView have `getUserMedia` and ask the person (macOS
/// with `NSCameraUsageDescription`, in `packaging/macos/Info.plist`); WebKitGTK has it off and
/// refuses every request unless the app says otherwise: here it is turned on and the camera alone
/// granted (never the microphone or the screen) to the app's own page, which the content security
/// policy keeps to the app's code. `CQC_MOCK_CAMERA=1` gives WebKit's mock camera (tests).
#[cfg(target_os = "linux")]
pub fn allow_web_view_camera(window: &tauri::WebviewWindow) -> tauri::Result<()> {
    use webkit2gtk::glib::prelude::Cast;
    use webkit2gtk::{
        PermissionRequestExt, SettingsExt, UserMediaPermissionRequest, UserMediaPermissionRequestExt, WebViewExt,
    };
    let mock = std::env::var("CQC_MOCK_CAMERA").as_deref() == Ok("1");
    window.with_webview(move |webview| {
        let view = webview.inner();
        if let Some(settings) = view.settings() {
            settings.set_enable_media_stream(true);
            settings.set_enable_mock_capture_devices(mock);
        }
        view.connect_permission_request(|_, request| {
            let Some(media) = request.downcast_ref::<UserMediaPermissionRequest>() else {
                return false; // anything else: WebKit's default, a refusal
            };
            if media.is_for_video_device() && !media.is_for_audio_device() {
                request.allow();
            } else {
                request.deny();
            }
            true
        });
    })
}
