//! Measures a camera frame (light, contrast, sharpness, where the person stands) and, when the
//! domain's rules accept it, cuts and compresses the ID photo.

use cqc_domain::photo::{id_photo_crop, judge_frame, FrameMeasures, PhotoProblem, PixelBox, PHOTO_PIXELS};
use image::imageops::FilterType;
use image::{GrayImage, RgbImage};

/// Frames are measured at this width: fast, and the same figures whatever the camera.
const WORKING_WIDTH: u32 = 640;
/// A pixel belongs to the person when its colour is this far (sum over R, G, B) from the wall.
const BACKGROUND_DISTANCE: u32 = 60;
/// A row or column belongs to the person when this share of it differs from the wall.
const SUBJECT_SHARE: f32 = 0.04;
/// JPEG quality of the ID photo: faces stay sharp, the file stays small.
const JPEG_QUALITY: u8 = 88;

/// The measures of a frame, in the frame's own pixels.
pub fn measure(frame: &RgbImage) -> FrameMeasures {
    let (width, height) = frame.dimensions();
    let scale = WORKING_WIDTH as f32 / width as f32;
    let small = if width > WORKING_WIDTH {
        image::imageops::resize(
            frame,
            WORKING_WIDTH,
            ((height as f32 * scale).round() as u32).max(1),
            FilterType::Triangle,
        )
    } else {
        frame.clone()
    };
    let gray = image::imageops::grayscale(&small);
    let (brightness, contrast) = mean_and_deviation(gray.as_raw().iter().map(|&v| v as f32));
    let subject = find_subject(&small).map(|b| {
        let back = |v: u32| ((v as f32 * width as f32 / small.width() as f32).round() as u32).min(width);
        let down = |v: u32| ((v as f32 * height as f32 / small.height() as f32).round() as u32).min(height);
        PixelBox { left: back(b.left), top: down(b.top), right: back(b.right), bottom: down(b.bottom) }
    });
    FrameMeasures { width, height, brightness, contrast, sharpness: laplacian_variance(&gray), subject }
}

fn mean_and_deviation(values: impl Iterator<Item = f32> + Clone) -> (f32, f32) {
    let (count, sum) = values.clone().fold((0usize, 0f64), |(n, s), v| (n + 1, s + v as f64));
    if count == 0 {
        return (0.0, 0.0);
    }
    let mean = sum / count as f64;
    let variance = values.map(|v| (v as f64 - mean).powi(2)).sum::<f64>() / count as f64;
    (mean as f32, variance.sqrt() as f32)
}

/// Sharpness: the variance of the 4-neighbour Laplacian. Edges give large values; a blurred
/// frame has none.
fn laplacian_variance(gray: &GrayImage) -> f32 {
    let (w, h) = gray.dimensions();
    if w < 3 || h < 3 {
        return 0.0;
    }
    let at = |x: u32, y: u32| gray.get_pixel(x, y)[0] as f32;
    let responses = (1..h - 1)
        .flat_map(|y| (1..w - 1).map(move |x| (x, y)))
        .map(|(x, y)| at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) - 4.0 * at(x, y));
    let (_, deviation) = mean_and_deviation(responses);
    deviation * deviation
}

/// The person against the plain wall behind: the wall's colour is read in the two top corners,
/// the person is where enough pixels of a row and of a column differ from it.
fn find_subject(frame: &RgbImage) -> Option<PixelBox> {
    let (w, h) = frame.dimensions();
    let patch = (w / 20).max(1);
    let mut corners: Vec<[u8; 3]> = Vec::new();
    for (x0, y0) in [(0, 0), (w - patch, 0)] {
        for y in y0..y0 + patch.min(h) {
            for x in x0..x0 + patch {
                corners.push(frame.get_pixel(x, y).0);
            }
        }
    }
    let wall: [u8; 3] = std::array::from_fn(|c| {
        let mut channel: Vec<u8> = corners.iter().map(|p| p[c]).collect();
        channel.sort_unstable();
        channel[channel.len() / 2]
    });
    let mut columns = vec![0u32; w as usize];
    let mut rows = vec![0u32; h as usize];
    for (x, y, pixel) in frame.enumerate_pixels() {
        let distance: u32 = (0..3).map(|c| pixel[c].abs_diff(wall[c]) as u32).sum();
        if distance > BACKGROUND_DISTANCE {
            columns[x as usize] += 1;
            rows[y as usize] += 1;
        }
    }
    let span = |counts: &[u32], length: u32| {
        let enough = (SUBJECT_SHARE * length as f32).max(1.0) as u32;
        let first = counts.iter().position(|&c| c >= enough)?;
        let last = counts.iter().rposition(|&c| c >= enough)?;
        Some((first as u32, last as u32 + 1))
    };
    let (left, right) = span(&columns, h)?;
    let (top, bottom) = span(&rows, w)?;
    Some(PixelBox { left, top, right, bottom })
}

/// An accepted ID photo: 413×531 JPEG, cut from the frame, with no metadata.
#[derive(Debug, Clone)]
pub struct IdPhoto {
    pub jpeg: Vec<u8>,
    pub measures: FrameMeasures,
    pub crop: PixelBox,
}

/// Checks the frame and, when it is acceptable, cuts the 35×45 photo around the person.
pub fn id_photo(frame: &RgbImage) -> Result<IdPhoto, Vec<PhotoProblem>> {
    let measures = measure(frame);
    let problems = judge_frame(&measures);
    let subject = match (problems.is_empty(), measures.subject) {
        (true, Some(subject)) => subject,
        _ => return Err(problems),
    };
    let crop = id_photo_crop(measures.width, measures.height, subject);
    let cut = image::imageops::crop_imm(frame, crop.left, crop.top, crop.width(), crop.height()).to_image();
    let photo = image::imageops::resize(&cut, PHOTO_PIXELS.0, PHOTO_PIXELS.1, FilterType::CatmullRom);
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(&photo)
        .expect("encoding to memory does not fail");
    Ok(IdPhoto { jpeg, measures, crop })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn recorded(name: &str) -> RgbImage {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("frames").join(name);
        image::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())).to_rgb8()
    }

    #[test]
    fn the_good_recorded_frame_gives_a_413_by_531_photo() {
        let photo = id_photo(&recorded("1-good.jpg")).unwrap();
        let decoded = image::load_from_memory(&photo.jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), PHOTO_PIXELS);
        // Kept as a test artefact, to be looked at.
        let artefacts = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/capture");
        std::fs::create_dir_all(&artefacts).unwrap();
        decoded.save(artefacts.join("id-photo.png")).unwrap();
        assert!(photo.jpeg.len() < 100 * 1024, "{} bytes", photo.jpeg.len());
    }

    #[test]
    fn each_bad_recorded_frame_fails_with_its_reason() {
        for (file, problem) in [
            ("2-dark.jpg", PhotoProblem::TooDark),
            ("3-blurred.jpg", PhotoProblem::Blurred),
            ("4-off-centre.jpg", PhotoProblem::NotCentred),
        ] {
            let problems = id_photo(&recorded(file)).err().unwrap_or_else(|| panic!("{file} was accepted"));
            // A dark frame is also flat and looks soft: the first reason is the one to fix.
            assert_eq!(problems[0], problem, "{file}: {problems:?} {:?}", measure(&recorded(file)));
        }
    }

    #[test]
    fn the_web_views_camera_gives_the_same_photo_as_the_native_one() {
        let frame = recorded("1-good.jpg");
        let rgba: Vec<u8> = frame.pixels().flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        let from_web_view = crate::web_view_frame(frame.width(), frame.height(), &rgba).unwrap();
        assert_eq!(id_photo(&from_web_view).unwrap().jpeg, id_photo(&frame).unwrap().jpeg);
    }

    #[test]
    fn an_empty_wall_has_no_person() {
        let wall = RgbImage::from_pixel(1280, 720, image::Rgb([200, 205, 210]));
        assert!(id_photo(&wall).unwrap_err().contains(&PhotoProblem::NoPerson));
    }

    #[test]
    fn a_tiny_frame_is_too_small() {
        let frame = image::imageops::resize(&recorded("1-good.jpg"), 320, 180, FilterType::Triangle);
        assert!(id_photo(&frame).unwrap_err().contains(&PhotoProblem::ResolutionTooLow));
    }
}
