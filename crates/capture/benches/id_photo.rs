//! `cargo bench -p cqc-capture --bench id_photo`: a 1920×1080 camera frame to a checked, cropped,
//! compressed ID photo. Prints the time and the size.

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
}
