//! The signature drawn on the pad (mouse, pen or touch): its strokes become a PNG, black on
//! white, cut to the ink with a margin.

use cqc_domain::signature::{judge_signature, SignatureProblem};
use serde::Deserialize;
use tiny_skia::{LineCap, LineJoin, Paint, PathBuilder, Pixmap, Stroke as Pen, Transform};

/// One stroke: the points of the pointer between pressing and lifting, in pad pixels.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Stroke(pub Vec<(f32, f32)>);

/// Ink width on the rendered image.
const INK: f32 = 3.0;
const MARGIN: f32 = 12.0;
/// The rendered signature is at least this size, so that it prints sharp on the card.
const MIN_SIZE: (u32, u32) = (400, 120);

pub fn render_signature(strokes: &[Stroke]) -> Result<Vec<u8>, SignatureProblem> {
    let points: Vec<(f32, f32)> =
        strokes.iter().flat_map(|s| s.0.iter().copied()).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
    let length: f32 = strokes
        .iter()
        .flat_map(|s| s.0.windows(2))
        .map(|pair| ((pair[1].0 - pair[0].0).powi(2) + (pair[1].1 - pair[0].1).powi(2)).sqrt())
        .filter(|d| d.is_finite())
        .sum();
    judge_signature(points.len(), length)?;
    let (min_x, max_x) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (min_y, max_y) = points.iter().fold((f32::MAX, f32::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let ink_w = max_x - min_x + 2.0 * MARGIN;
    let ink_h = max_y - min_y + 2.0 * MARGIN;
    // Scale small pads up to the minimum size, never down.
    let scale = (MIN_SIZE.0 as f32 / ink_w).max(MIN_SIZE.1 as f32 / ink_h).max(1.0);
    let mut pixmap =
        Pixmap::new((ink_w * scale).ceil() as u32, (ink_h * scale).ceil() as u32).ok_or(SignatureProblem::Empty)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    let mut paint = Paint::default();
    paint.set_color_rgba8(10, 20, 60, 255);
    paint.anti_alias = true;
    let pen = Pen { width: INK * scale, line_cap: LineCap::Round, line_join: LineJoin::Round, ..Pen::default() };
    let place = |(x, y): (f32, f32)| ((x - min_x + MARGIN) * scale, (y - min_y + MARGIN) * scale);
    for stroke in strokes {
        let mut path = PathBuilder::new();
        let mut points = stroke.0.iter().copied().filter(|(x, y)| x.is_finite() && y.is_finite()).map(place);
        let Some(first) = points.next() else { continue };
        path.move_to(first.0, first.1);
        // A single tap still leaves a dot.
        path.line_to(first.0 + 0.01, first.1);
        for (x, y) in points {
            path.line_to(x, y);
        }
        if let Some(path) = path.finish() {
            pixmap.stroke_path(&path, &paint, &pen, Transform::identity(), None);
        }
    }
    Ok(pixmap.encode_png().expect("encoding to memory does not fail"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wave() -> Vec<Stroke> {
        let first = (0..60).map(|i| (10.0 + i as f32 * 4.0, 50.0 + (i as f32 / 5.0).sin() * 20.0)).collect();
        let second = vec![(30.0, 90.0), (200.0, 95.0)];
        vec![Stroke(first), Stroke(second)]
    }

    #[test]
    fn a_drawn_signature_becomes_a_png_with_ink() {
        let png = render_signature(&wave()).unwrap();
        let artefacts = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-artifacts/capture");
        std::fs::create_dir_all(&artefacts).unwrap();
        std::fs::write(artefacts.join("signature.png"), &png).unwrap();
        let image = image::load_from_memory(&png).unwrap().to_luma8();
        assert!(image.width() >= MIN_SIZE.0 && image.height() >= MIN_SIZE.1, "{:?}", image.dimensions());
        let dark = image.pixels().filter(|p| p[0] < 128).count();
        assert!(dark > 500, "{dark} dark pixels");
        // The margin stays white.
        assert!(image.get_pixel(0, 0)[0] > 250);
    }

    #[test]
    fn an_empty_pad_or_a_dot_is_not_a_signature() {
        assert_eq!(render_signature(&[]), Err(SignatureProblem::Empty));
        assert_eq!(render_signature(&[Stroke(vec![])]), Err(SignatureProblem::Empty));
        assert_eq!(render_signature(&[Stroke(vec![(5.0, 5.0), (9.0, 6.0)])]), Err(SignatureProblem::TooShort));
        assert_eq!(render_signature(&[Stroke(vec![(f32::NAN, 1.0)])]), Err(SignatureProblem::Empty));
    }
}
