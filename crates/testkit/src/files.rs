//! The documents a driver sends, made as the app makes them: a scanned page, a licence PDF, the
//! ID photo from a camera frame, a drawn signature; and a postal address.

use cqc_domain::contact::AddressInput;

pub fn scan() -> Vec<u8> {
    let mut jpeg = Vec::new();
    let image = image::RgbImage::from_fn(1000, 640, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 140]));
    image::codecs::jpeg::JpegEncoder::new(&mut jpeg).encode_image(&image).unwrap();
    jpeg
}

/// A driving licence scanned to PDF (any real PDF will do: a certificate's).
pub fn licence_pdf() -> Vec<u8> {
    let key = ed25519_dalek::SigningKey::from_bytes(&[3; 32]);
    cqc_documents::certificate_pdf(&cqc_sync::certificate_code::fixtures::certificate(&key))
}

pub fn camera_photo() -> Vec<u8> {
    let frame = image::open(concat!(env!("CARGO_MANIFEST_DIR"), "/../capture/frames/1-good.jpg")).unwrap().to_rgb8();
    cqc_capture::id_photo(&frame).unwrap().jpeg
}

pub fn signature() -> Vec<u8> {
    let stroke = (0..80).map(|i| (i as f32 * 4.0, 40.0 + (i as f32 / 6.0).sin() * 25.0)).collect();
    cqc_capture::render_signature(&[cqc_capture::Stroke(stroke)]).unwrap()
}

pub fn address() -> AddressInput {
    AddressInput {
        line1: "12 rue des Lilas".into(),
        line2: String::new(),
        postcode: "69003".into(),
        city: "Lyon".into(),
        country: "France".into(),
    }
}
