//! What the desktop does with pictures before anything leaves the machine: frames from the
//! computer's camera (nokhwa, or the web view's `getUserMedia`) or from recorded files, the
//! ID-photo checks and the 35×45 crop, the checks of document files by their content, and the
//! drawn signature turned into an image.
//!
//! The rules (limits, what makes a photo acceptable) live in `cqc_domain`; this crate measures
//! and transforms pixels.
#![forbid(unsafe_code)]

pub mod files;
pub mod photo;
pub mod signature;
pub mod source;

pub use files::{check_document, CheckedFile};
pub use photo::{id_photo, measure, IdPhoto};
pub use signature::{render_signature, Stroke};
#[cfg(feature = "camera")]
pub use source::{list_cameras, NokhwaCamera};
pub use source::{web_view_frame, CameraChoice, CaptureError, FrameSource, RecordedFrames};
