//! Where frames come from: the machine's camera through nokhwa, the web view's own camera
//! (`getUserMedia`, where nokhwa finds none or cannot open it), or recorded frames (tests, and
//! machines with no camera).

use image::RgbImage;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum CaptureError {
    #[error("no camera on this computer")]
    NoCamera,
    #[error("the camera could not be used: {0}")]
    Camera(String),
    #[error("the recorded frames could not be read: {0}")]
    Recorded(String),
    #[error("the web view's frame is not {width}×{height} RGBA pixels ({bytes} bytes)")]
    WebViewFrame { width: u32, height: u32, bytes: usize },
}

/// The largest frame the web view may hand over: a 4K camera's, and no 4 GB allocation for a
/// made-up size.
pub const MAX_WEB_VIEW_FRAME: (u32, u32) = (4096, 4096);

/// A frame of the web view's camera, as a canvas gives it (`getImageData`: RGBA, row after row),
/// made the same `RgbImage` as nokhwa's, so the same checks and the same crop apply.
pub fn web_view_frame(width: u32, height: u32, rgba: &[u8]) -> Result<RgbImage, CaptureError> {
    let refused = || CaptureError::WebViewFrame { width, height, bytes: rgba.len() };
    let fits = (1..=MAX_WEB_VIEW_FRAME.0).contains(&width) && (1..=MAX_WEB_VIEW_FRAME.1).contains(&height);
    if !fits || rgba.len() != width as usize * height as usize * 4 {
        return Err(refused());
    }
    let rgb = rgba.chunks_exact(4).flat_map(|pixel| [pixel[0], pixel[1], pixel[2]]).collect();
    RgbImage::from_raw(width, height, rgb).ok_or_else(refused)
}

/// A camera the user can pick.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CameraChoice {
    pub index: u32,
    pub name: String,
}

/// Something that gives frames one after the other, like a camera's live stream.
pub trait FrameSource {
    fn next_frame(&mut self) -> Result<RgbImage, CaptureError>;
}

#[cfg(feature = "camera")]
/// The cameras nokhwa finds on this machine (possibly none).
pub fn list_cameras() -> Result<Vec<CameraChoice>, CaptureError> {
    let backend = nokhwa::native_api_backend().ok_or(CaptureError::NoCamera)?;
    let cameras = nokhwa::query(backend).map_err(|e| CaptureError::Camera(e.to_string()))?;
    Ok(cameras
        .iter()
        .enumerate()
        .map(|(position, info)| CameraChoice {
            index: info.index().as_index().unwrap_or(position as u32),
            name: info.human_name(),
        })
        .collect())
}

/// The machine's camera, opened at its highest resolution.
#[cfg(feature = "camera")]
pub struct NokhwaCamera {
    camera: nokhwa::Camera,
}

#[cfg(feature = "camera")]
impl NokhwaCamera {
    pub fn open(index: u32) -> Result<Self, CaptureError> {
        use nokhwa::pixel_format::RgbFormat;
        use nokhwa::utils::{CameraIndex, RequestedFormat, RequestedFormatType};
        let requested = RequestedFormat::new::<RgbFormat>(RequestedFormatType::AbsoluteHighestResolution);
        let mut camera = nokhwa::Camera::new(CameraIndex::Index(index), requested)
            .map_err(|e| CaptureError::Camera(e.to_string()))?;
        camera.open_stream().map_err(|e| CaptureError::Camera(e.to_string()))?;
        Ok(Self { camera })
    }
}

#[cfg(feature = "camera")]
impl FrameSource for NokhwaCamera {
    fn next_frame(&mut self) -> Result<RgbImage, CaptureError> {
        let frame = self.camera.frame().map_err(|e| CaptureError::Camera(e.to_string()))?;
        let resolution = frame.resolution();
        let rgb =
            frame.decode_image::<nokhwa::pixel_format::RgbFormat>().map_err(|e| CaptureError::Camera(e.to_string()))?;
        // nokhwa builds on an older `image`: hand the raw pixels over.
        RgbImage::from_raw(resolution.width(), resolution.height(), rgb.into_raw())
            .ok_or_else(|| CaptureError::Camera("frame of an unexpected size".into()))
    }
}

#[cfg(feature = "camera")]
impl Drop for NokhwaCamera {
    fn drop(&mut self) {
        let _ = self.camera.stop_stream();
    }
}

/// Frames recorded as image files, played in the order of their names, over and over.
pub struct RecordedFrames {
    frames: Vec<RgbImage>,
    next: usize,
}

impl RecordedFrames {
    pub fn from_images(frames: Vec<RgbImage>) -> Result<Self, CaptureError> {
        if frames.is_empty() {
            return Err(CaptureError::Recorded("no frame".into()));
        }
        Ok(Self { frames, next: 0 })
    }

    /// Every `.jpg` or `.png` of the folder, or one file.
    pub fn open(path: &Path) -> Result<Self, CaptureError> {
        let read = |p: &Path| {
            image::open(p).map(|i| i.to_rgb8()).map_err(|e| CaptureError::Recorded(format!("{}: {e}", p.display())))
        };
        if path.is_file() {
            return Self::from_images(vec![read(path)?]);
        }
        let mut files: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| CaptureError::Recorded(format!("{}: {e}", path.display())))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("jpg" | "jpeg" | "png")))
            .collect();
        files.sort();
        Self::from_images(files.iter().map(|p| read(p)).collect::<Result<_, _>>()?)
    }
}

impl FrameSource for RecordedFrames {
    fn next_frame(&mut self) -> Result<RgbImage, CaptureError> {
        let frame = self.frames[self.next % self.frames.len()].clone();
        self.next += 1;
        Ok(frame)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_frames_play_in_order_and_loop() {
        let frames = (0..2u8).map(|v| RgbImage::from_pixel(2, 2, image::Rgb([v, v, v]))).collect();
        let mut source = RecordedFrames::from_images(frames).unwrap();
        let seen: Vec<u8> = (0..3).map(|_| source.next_frame().unwrap().get_pixel(0, 0)[0]).collect();
        assert_eq!(seen, vec![0, 1, 0]);
    }

    #[test]
    fn a_web_view_frame_keeps_its_colours_and_drops_the_alpha() {
        let rgba = [10, 20, 30, 255, 40, 50, 60, 0];
        let frame = web_view_frame(2, 1, &rgba).unwrap();
        assert_eq!(frame.as_raw(), &vec![10, 20, 30, 40, 50, 60]);
    }

    #[test]
    fn a_web_view_frame_of_the_wrong_size_or_too_large_is_refused() {
        assert!(matches!(web_view_frame(2, 2, &[0; 12]), Err(CaptureError::WebViewFrame { bytes: 12, .. })));
        assert!(web_view_frame(0, 0, &[]).is_err());
        assert!(web_view_frame(5000, 1, &vec![0; 5000 * 4]).is_err());
        assert!(web_view_frame(u32::MAX, u32::MAX, &[0; 4]).is_err());
    }

    #[test]
    fn an_empty_recording_is_an_error() {
        assert!(matches!(RecordedFrames::from_images(vec![]), Err(CaptureError::Recorded(_))));
        let empty = std::env::temp_dir().join("cqc-capture-empty-recording");
        std::fs::create_dir_all(&empty).unwrap();
        assert!(RecordedFrames::open(&empty).is_err());
    }
}
