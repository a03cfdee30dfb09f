//! When a camera frame makes an acceptable ID photo, and how it is cut to the 35×45 format.
//!
//! The capture crate measures a frame (light, contrast, sharpness, where the person is); the
//! rules below judge those measures, so that the same judgement runs on the desktop before upload
//! and can be explained in French next to the preview.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The ID photo format: 35 mm wide, 45 mm high.
pub const PHOTO_ASPECT: (u32, u32) = (35, 45);
/// The photo sent: 35×45 mm at 300 dpi.
pub const PHOTO_PIXELS: (u32, u32) = (413, 531);
/// A frame smaller than this cannot give a sharp 413×531 crop.
pub const MIN_FRAME: (u32, u32) = (640, 480);
/// Mean brightness (0–255) of a well-lit frame.
pub const LIGHT_RANGE: (f32, f32) = (70.0, 210.0);
/// Standard deviation of brightness below which the face does not stand out.
pub const MIN_CONTRAST: f32 = 25.0;
/// Variance of the Laplacian below which the frame is blurred (measured on the frame scaled to
/// 640 pixels wide, so that it does not depend on the camera's resolution).
pub const MIN_SHARPNESS: f32 = 40.0;
/// The person's centre may stray this share of the frame's width from the middle.
pub const MAX_CENTRE_OFFSET: f32 = 0.08;
/// The person fills at least this share of the frame's height.
pub const MIN_SUBJECT_HEIGHT: f32 = 0.45;

/// A rectangle in pixels of the frame; `right` and `bottom` excluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct PixelBox {
    pub left: u32,
    pub top: u32,
    pub right: u32,
    pub bottom: u32,
}

impl PixelBox {
    pub fn width(&self) -> u32 {
        self.right - self.left
    }
    pub fn height(&self) -> u32 {
        self.bottom - self.top
    }
}

/// What the capture crate measured on a frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[ts(export)]
pub struct FrameMeasures {
    pub width: u32,
    pub height: u32,
    /// Mean brightness, 0–255.
    pub brightness: f32,
    /// Standard deviation of brightness.
    pub contrast: f32,
    /// Variance of the Laplacian.
    pub sharpness: f32,
    /// Where the person stands out from the plain background, if anywhere.
    pub subject: Option<PixelBox>,
}

/// Why a frame is not accepted, in the order the user should fix them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PhotoProblem {
    ResolutionTooLow,
    TooDark,
    TooBright,
    LowContrast,
    Blurred,
    NoPerson,
    NotCentred,
    TooFar,
}

/// Every problem of the frame; empty when it makes an acceptable ID photo.
pub fn judge_frame(m: &FrameMeasures) -> Vec<PhotoProblem> {
    let mut problems = Vec::new();
    if m.width < MIN_FRAME.0 || m.height < MIN_FRAME.1 {
        problems.push(PhotoProblem::ResolutionTooLow);
    }
    if m.brightness < LIGHT_RANGE.0 {
        problems.push(PhotoProblem::TooDark);
    } else if m.brightness > LIGHT_RANGE.1 {
        problems.push(PhotoProblem::TooBright);
    }
    if m.contrast < MIN_CONTRAST {
        problems.push(PhotoProblem::LowContrast);
    }
    if m.sharpness < MIN_SHARPNESS {
        problems.push(PhotoProblem::Blurred);
    }
    match m.subject {
        None => problems.push(PhotoProblem::NoPerson),
        Some(subject) => {
            let centre = (subject.left + subject.right) as f32 / 2.0;
            if (centre - m.width as f32 / 2.0).abs() > MAX_CENTRE_OFFSET * m.width as f32 {
                problems.push(PhotoProblem::NotCentred);
            }
            if (subject.height() as f32) < MIN_SUBJECT_HEIGHT * m.height as f32 {
                problems.push(PhotoProblem::TooFar);
            }
        }
    }
    problems
}

/// The 35×45 crop of the frame around the person: as high as the frame allows with some room
/// above the head, centred on the person, kept inside the frame.
pub fn id_photo_crop(width: u32, height: u32, subject: PixelBox) -> PixelBox {
    let (aspect_w, aspect_h) = PHOTO_ASPECT;
    // Head room: a tenth of the person's height above the head, when the frame has it.
    let top = subject.top.saturating_sub(subject.height() / 10);
    let mut crop_h = height - top;
    let mut crop_w = crop_h * aspect_w / aspect_h;
    if crop_w > width {
        crop_w = width;
        crop_h = (crop_w * aspect_h / aspect_w).min(height - top);
    }
    let centre = (subject.left + subject.right) / 2;
    let left = centre.saturating_sub(crop_w / 2).min(width - crop_w);
    PixelBox { left, top, right: left + crop_w, bottom: top + crop_h }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> FrameMeasures {
        FrameMeasures {
            width: 1920,
            height: 1080,
            brightness: 140.0,
            contrast: 60.0,
            sharpness: 300.0,
            subject: Some(PixelBox { left: 760, top: 150, right: 1160, bottom: 1080 }),
        }
    }

    #[test]
    fn a_well_lit_sharp_centred_frame_is_accepted() {
        assert_eq!(judge_frame(&good()), vec![]);
    }

    #[test]
    fn each_fault_is_named() {
        let cases = [
            (
                FrameMeasures {
                    width: 320,
                    height: 240,
                    subject: Some(PixelBox { left: 110, top: 20, right: 210, bottom: 240 }),
                    ..good()
                },
                PhotoProblem::ResolutionTooLow,
            ),
            (FrameMeasures { brightness: LIGHT_RANGE.0 - 1.0, ..good() }, PhotoProblem::TooDark),
            (FrameMeasures { brightness: LIGHT_RANGE.1 + 1.0, ..good() }, PhotoProblem::TooBright),
            (FrameMeasures { contrast: MIN_CONTRAST - 1.0, ..good() }, PhotoProblem::LowContrast),
            (FrameMeasures { sharpness: MIN_SHARPNESS - 1.0, ..good() }, PhotoProblem::Blurred),
            (FrameMeasures { subject: None, ..good() }, PhotoProblem::NoPerson),
            (
                FrameMeasures { subject: Some(PixelBox { left: 100, top: 150, right: 500, bottom: 1080 }), ..good() },
                PhotoProblem::NotCentred,
            ),
            (
                FrameMeasures { subject: Some(PixelBox { left: 900, top: 700, right: 1020, bottom: 1080 }), ..good() },
                PhotoProblem::TooFar,
            ),
        ];
        for (measures, problem) in cases {
            assert_eq!(judge_frame(&measures), vec![problem]);
        }
    }

    #[test]
    fn the_limits_themselves_are_accepted() {
        let edge = FrameMeasures {
            width: MIN_FRAME.0,
            height: MIN_FRAME.1,
            brightness: LIGHT_RANGE.0,
            contrast: MIN_CONTRAST,
            sharpness: MIN_SHARPNESS,
            subject: Some(PixelBox { left: 220, top: 0, right: 420, bottom: 216 }),
        };
        assert_eq!(judge_frame(&edge), vec![]);
    }

    #[test]
    fn the_crop_has_the_id_photo_format_and_stays_in_the_frame() {
        for subject in [
            PixelBox { left: 760, top: 150, right: 1160, bottom: 1080 },
            PixelBox { left: 0, top: 0, right: 300, bottom: 1080 },
            PixelBox { left: 1700, top: 500, right: 1920, bottom: 1080 },
        ] {
            let crop = id_photo_crop(1920, 1080, subject);
            assert!(crop.right <= 1920 && crop.bottom <= 1080, "{crop:?}");
            let ratio = crop.width() as f32 / crop.height() as f32;
            assert!((ratio - 35.0 / 45.0).abs() < 0.01, "{crop:?}");
        }
        // Head room above the head, person in the middle.
        let crop = id_photo_crop(1920, 1080, PixelBox { left: 760, top: 150, right: 1160, bottom: 1080 });
        assert_eq!(crop.top, 57);
        assert_eq!((crop.left + crop.right) / 2, 960);
    }

    #[test]
    fn a_portrait_frame_narrower_than_the_format_is_cut_by_its_width() {
        let crop = id_photo_crop(600, 1200, PixelBox { left: 100, top: 100, right: 500, bottom: 1200 });
        assert_eq!(crop.width(), 600);
        assert!(crop.bottom <= 1200);
    }
}
