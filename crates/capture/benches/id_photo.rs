//! `cargo bench -p cqc-capture --bench id_photo`: a 1920×1080 camera frame to a checked, cropped,
//! compressed ID photo. Prints the time and the size; and the web view camera's frame (RGBA from
//! the canvas) made an RGB frame, beside a plain copy of the same bytes (the physical limit).

use std::time::Instant;

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("frames/1-good.jpg");
    let frame = image::open(path).unwrap().to_rgb8();
    assert_eq!(frame.dimensions(), (1920, 1080));
    let rounds = 30;
    let started = Instant::now();
    let mut size = 0;
    for _ in 0..rounds {
        size = cqc_capture::id_photo(&frame).unwrap().jpeg.len();
    }
    let each = started.elapsed() / rounds;
    println!("ID photo from a 1920×1080 frame: {each:.2?} each (mean of {rounds}), {size} bytes (413×531 JPEG)");

    let rgba: Vec<u8> = frame.pixels().flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(cqc_capture::web_view_frame(1920, 1080, std::hint::black_box(&rgba)).unwrap());
    }
    let converted = started.elapsed() / rounds;
    let started = Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(std::hint::black_box(&rgba).clone());
    }
    let copied = started.elapsed() / rounds;
    println!(
        "web view frame 1920×1080 RGBA → RGB: {converted:.2?} each; a plain copy of its {} bytes: {copied:.2?}",
        rgba.len()
    );
}
