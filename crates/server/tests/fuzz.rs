//! Fuzz targets for what reads hostile input: the licence parser, the CSV import, the document
//! checks (JPEG, PNG, PDF) and the sync request decoding. Each takes random bytes and mutations
//! of valid seeds (bit flips, cuts, splices); no input may panic or run long.
//!
//! A short run of each (`PROPTEST_CASES`, 256 by default) is part of `scripts/test.sh`; a longer
//! one: `PROPTEST_CASES=20000 cargo test --release -p cqc-server --test fuzz`.

use cqc_testkit as common;

use cqc_domain::application::DocumentKind;
use cqc_domain::licence::{analyse, normalize, LicenceKind, LicenceNumber};
use cqc_domain::training_csv::{decode_export, parse_trainings, HEADER};
use proptest::prelude::*;
use std::time::{Duration, Instant};

/// Whatever the bytes, one check ends within this (the bound is for a debug build).
const SLOWEST_CHECK: Duration = Duration::from_secs(5);

/// `seed` with a few bytes flipped, a cut, and a piece of itself spliced elsewhere.
fn mutated(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let len = seed.len().max(1);
    (prop::collection::vec((0..len, any::<u8>()), 0..8), 0..=len, 0..len, 0..len, 0usize..64).prop_map(
        move |(flips, cut, from, to, splice)| {
            let mut bytes = seed.clone();
            for (at, value) in flips {
                if at < bytes.len() {
                    bytes[at] ^= value;
                }
            }
            if from + splice <= bytes.len() && to <= bytes.len() {
                let piece = bytes[from..from + splice].to_vec();
                bytes.splice(to..to, piece);
            }
            bytes.truncate(cut.max(1));
            bytes
        },
    )
}

fn bytes_or_mutated(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![prop::collection::vec(any::<u8>(), 0..2048), mutated(seed)]
}

fn small_jpeg() -> Vec<u8> {
    let mut out = Vec::new();
    let image = image::RgbImage::from_fn(640, 420, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 40).encode_image(&image).unwrap();
    out
}

fn small_png() -> Vec<u8> {
    let mut out = Vec::new();
    let image = image::GrayImage::from_fn(640, 420, |x, y| image::Luma([((x ^ y) % 256) as u8]));
    image.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png).unwrap();
    out
}

fn check_in_time(kind: DocumentKind, bytes: &[u8]) {
    let started = Instant::now();
    let _ = cqc_capture::check_document(kind, bytes);
    assert!(started.elapsed() < SLOWEST_CHECK, "{} bytes took {:?}", bytes.len(), started.elapsed());
}

fn csv_row(cells: &[String]) -> String {
    cells.join(";")
}

proptest! {
    #[test]
    fn fuzz_licence_parser(input in prop_oneof!["\\PC{0,40}", "[0-9A-Za-z .\\-\u{a0}\t]{0,20}"]) {
        for kind in [LicenceKind::Card, LicenceKind::PinkPaper] {
            let _ = analyse(kind, &input);
            if let Ok(number) = LicenceNumber::parse(kind, &input) {
                prop_assert_eq!(number.as_str(), normalize(number.as_str()), "one spelling, stable");
            }
        }
    }

    #[test]
    fn fuzz_csv_import(
        cells in prop::collection::vec(prop::collection::vec("[^\n]{0,30}", 0..16), 0..6),
        raw in "\\PC{0,400}",
        bytes in prop::collection::vec(any::<u8>(), 0..400),
    ) {
        let today = time::macros::date!(2026 - 11 - 27);
        let mut text = String::from(HEADER);
        for row in &cells {
            text.push('\n');
            text.push_str(&csv_row(row));
        }
        let _ = parse_trainings(&text, today);
        let _ = parse_trainings(&raw, today);
        // A file as saved, in whatever encoding: read or refused, never a panic.
        let _ = decode_export(&bytes).and_then(|text| parse_trainings(&text, today));
    }

    #[test]
    fn fuzz_jpeg_check(bytes in bytes_or_mutated(small_jpeg())) {
        check_in_time(DocumentKind::IdentityFront, &bytes);
    }

    #[test]
    fn fuzz_png_check(bytes in bytes_or_mutated(small_png())) {
        check_in_time(DocumentKind::Signature, &bytes);
    }

    #[test]
    fn fuzz_pdf_check(bytes in bytes_or_mutated(common::cards::licence_pdf())) {
        check_in_time(DocumentKind::DrivingLicence, &bytes);
    }

    #[test]
    fn fuzz_sync_request_decoding(bytes in bytes_or_mutated(sync_request_seed())) {
        if let Ok(request) = serde_json::from_slice::<cqc_sync::protocol::PushRequest>(&bytes) {
            // What decodes must encode again: the server answers in the same types.
            prop_assert!(serde_json::to_vec(&request).is_ok());
        }
        let _ = serde_json::from_slice::<cqc_sync::protocol::PullResponse>(&bytes);
    }
}

fn sync_request_seed() -> Vec<u8> {
    use cqc_domain::training::fixtures::valid_fco;
    use cqc_sync::protocol::{Change, Mutation, PushRequest};
    let mutations = (1..=3)
        .map(|seq| Mutation {
            seq,
            id: format!("m-{seq}"),
            change: Change::RecordTraining { training_id: format!("t-{seq}"), record: valid_fco() },
        })
        .collect();
    serde_json::to_vec(&PushRequest { client_id: "device".into(), mutations }).unwrap()
}
