//! `cargo run -p cqc-capture --example make_recorded_frames`: writes the recorded frames of
//! `frames/` that stand in for a camera where there is none (the tests, the end-to-end run):
//! a person before a plain wall, 1920×1080, as a webcam films them: well lit, then too dark,
//! out of focus, and off to one side.

use image::{Rgb, RgbImage};
use std::path::PathBuf;
use tiny_skia::{FillRule, Paint, PathBuilder, Pixmap, Rect, Transform};

const SIZE: (u32, u32) = (1920, 1080);

fn paint(r: u8, g: u8, b: u8) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, 255);
    paint.anti_alias = true;
    paint
}

fn ellipse(pixmap: &mut Pixmap, cx: f32, cy: f32, rx: f32, ry: f32, colour: &Paint) {
    let path = PathBuilder::from_oval(Rect::from_xywh(cx - rx, cy - ry, 2.0 * rx, 2.0 * ry).unwrap()).unwrap();
    pixmap.fill_path(&path, colour, FillRule::Winding, Transform::identity(), None);
}

/// A person whose face is centred on `cx`.
fn scene(cx: f32) -> RgbImage {
    let mut pixmap = Pixmap::new(SIZE.0, SIZE.1).unwrap();
    pixmap.fill(tiny_skia::Color::from_rgba8(206, 211, 216, 255));
    // Shoulders and jacket.
    let mut body = PathBuilder::new();
    body.move_to(cx - 330.0, 1080.0);
    body.cubic_to(cx - 330.0, 860.0, cx - 220.0, 800.0, cx, 790.0);
    body.cubic_to(cx + 220.0, 800.0, cx + 330.0, 860.0, cx + 330.0, 1080.0);
    body.close();
    pixmap.fill_path(&body.finish().unwrap(), &paint(38, 52, 92), FillRule::Winding, Transform::identity(), None);
    // Collar and neck.
    pixmap.fill_rect(
        Rect::from_xywh(cx - 60.0, 640.0, 120.0, 170.0).unwrap(),
        &paint(205, 160, 130),
        Transform::identity(),
        None,
    );
    let mut collar = PathBuilder::new();
    collar.move_to(cx - 90.0, 800.0);
    collar.line_to(cx, 900.0);
    collar.line_to(cx + 90.0, 800.0);
    collar.close();
    pixmap.fill_path(&collar.finish().unwrap(), &paint(240, 240, 236), FillRule::Winding, Transform::identity(), None);
    // Hair, face, ears.
    ellipse(&mut pixmap, cx, 430.0, 175.0, 215.0, &paint(60, 40, 28));
    ellipse(&mut pixmap, cx - 150.0, 500.0, 28.0, 50.0, &paint(212, 168, 138));
    ellipse(&mut pixmap, cx + 150.0, 500.0, 28.0, 50.0, &paint(212, 168, 138));
    ellipse(&mut pixmap, cx, 500.0, 150.0, 195.0, &paint(222, 178, 148));
    // Eyes, brows, nose, mouth.
    for side in [-1.0, 1.0] {
        ellipse(&mut pixmap, cx + side * 60.0, 465.0, 26.0, 13.0, &paint(250, 250, 250));
        ellipse(&mut pixmap, cx + side * 60.0, 465.0, 11.0, 11.0, &paint(50, 70, 90));
        pixmap.fill_rect(
            Rect::from_xywh(cx + side * 60.0 - 32.0, 425.0, 64.0, 9.0).unwrap(),
            &paint(70, 48, 32),
            Transform::identity(),
            None,
        );
    }
    pixmap.fill_rect(
        Rect::from_xywh(cx - 8.0, 480.0, 16.0, 70.0).unwrap(),
        &paint(200, 152, 124),
        Transform::identity(),
        None,
    );
    ellipse(&mut pixmap, cx, 600.0, 52.0, 12.0, &paint(170, 90, 90));

    // Sensor noise, fixed so that the frames are reproducible.
    let mut frame = RgbImage::new(SIZE.0, SIZE.1);
    for (x, y, pixel) in frame.enumerate_pixels_mut() {
        let p = pixmap.pixel(x, y).unwrap();
        let hash = (x.wrapping_mul(73_856_093) ^ y.wrapping_mul(19_349_663)).wrapping_mul(2_654_435_761);
        let noise = (hash >> 29) as i16 - 4;
        let channel = |v: u8| (v as i16 + noise).clamp(0, 255) as u8;
        *pixel = Rgb([channel(p.red()), channel(p.green()), channel(p.blue())]);
    }
    frame
}

fn main() {
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("frames");
    std::fs::create_dir_all(&out).unwrap();
    let good = scene(960.0);
    let mut dark = good.clone();
    for pixel in dark.pixels_mut() {
        pixel.0 = pixel.0.map(|v| (v as f32 * 0.25) as u8);
    }
    let blurred = image::imageops::blur(&good, 9.0);
    let off_centre = scene(560.0);
    for (name, frame) in [("1-good", &good), ("2-dark", &dark), ("3-blurred", &blurred), ("4-off-centre", &off_centre)]
    {
        let path = out.join(format!("{name}.jpg"));
        let mut file = std::fs::File::create(&path).unwrap();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut file, 80).encode_image(frame).unwrap();
        println!("{}", path.display());
    }
}
