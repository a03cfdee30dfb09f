//! A document file checked by its content and made safe to send: images decoded within limits
//! and re-encoded (which drops every metadata block: place, device, date), PDFs opened to be sure
//! they are PDFs, with no active content and no stream that inflates beyond reason.

use cqc_domain::application::DocumentKind;
use cqc_domain::upload::{check_file, check_resolution, FileFormat, FileProblem, MAX_PDF_INFLATED_BYTES};
use image::{ImageFormat, ImageReader};
use std::io::{Cursor, Read};

/// What one decoding may allocate: a 40-million-pixel scan in RGBA, with room to spare.
const MAX_DECODE_ALLOC: u64 = 192 * 1024 * 1024;

/// The bytes to send, and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub format: FileFormat,
    pub bytes: Vec<u8>,
}

/// The same checks run on the desktop before upload and on the server on arrival. Bounded in
/// time and memory whatever the bytes: it runs on hostile input.
pub fn check_document(kind: DocumentKind, bytes: &[u8]) -> Result<CheckedFile, FileProblem> {
    let format = check_file(kind, bytes)?;
    let bytes = match format {
        FileFormat::Pdf => check_pdf(bytes)?,
        FileFormat::Jpeg => reencode_image(kind, bytes, ImageFormat::Jpeg)?,
        FileFormat::Png => reencode_image(kind, bytes, ImageFormat::Png)?,
    };
    Ok(CheckedFile { format, bytes })
}

fn reencode_image(kind: DocumentKind, bytes: &[u8], format: ImageFormat) -> Result<Vec<u8>, FileProblem> {
    // The header says the size: a decompression bomb is refused before a pixel is decoded.
    let (width, height) =
        ImageReader::with_format(Cursor::new(bytes), format).into_dimensions().map_err(|_| FileProblem::Unreadable)?;
    check_resolution(kind, width, height)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(width);
    limits.max_image_height = Some(height);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    let image = reader.decode().map_err(|_| FileProblem::Unreadable)?;
    let mut clean = Vec::new();
    let written = match format {
        ImageFormat::Jpeg => {
            // `into_rgb8` keeps the decoded pixels when they are RGB already (a camera's JPEG):
            // one image in memory, not two.
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut clean, 90).encode_image(&image.into_rgb8())
        }
        _ => image.write_to(&mut Cursor::new(&mut clean), ImageFormat::Png),
    };
    written.map_err(|_| FileProblem::Unreadable)?;
    Ok(clean)
}

/// A PDF is kept byte for byte only when it is nothing but a document: no bytes after its end
/// (a PDF that is also a web page), no stream that inflates beyond the limit, no script, no
/// automatic or launching action, no embedded file.
fn check_pdf(bytes: &[u8]) -> Result<Vec<u8>, FileProblem> {
    check_nothing_after_the_end(bytes)?;
    check_inflated_size(bytes)?;
    let document = lopdf::Document::load_mem(bytes).map_err(|_| FileProblem::Unreadable)?;
    if document.get_pages().is_empty() {
        return Err(FileProblem::Unreadable);
    }
    let trailer = lopdf::Object::Dictionary(document.trailer.clone());
    if document.objects.values().chain([&trailer]).any(|object| is_active(object, 0)) {
        return Err(FileProblem::PdfActiveContent);
    }
    Ok(bytes.to_vec())
}

/// A PDF ends with `%%EOF`; anything but blank space after it is another file riding along.
fn check_nothing_after_the_end(bytes: &[u8]) -> Result<(), FileProblem> {
    const END: &[u8] = b"%%EOF";
    let at = bytes.windows(END.len()).rposition(|w| w == END).ok_or(FileProblem::Unreadable)?;
    if bytes[at + END.len()..].iter().any(|b| !b.is_ascii_whitespace() && *b != 0) {
        return Err(FileProblem::PdfActiveContent);
    }
    Ok(())
}

/// Inflates every stream that is zlib data (again, for streams compressed twice), counting what
/// comes out, and stops as soon as the whole passes the limit.
fn check_inflated_size(bytes: &[u8]) -> Result<(), FileProblem> {
    let too_heavy = FileProblem::PdfTooHeavy { max_inflated_bytes: MAX_PDF_INFLATED_BYTES };
    let mut budget = MAX_PDF_INFLATED_BYTES;
    for stream in raw_streams(bytes) {
        let mut layer = stream.to_vec();
        // Filters may be chained: three layers of Flate is already more than any scanner writes.
        for _ in 0..3 {
            let mut out = Vec::new();
            let read = flate2::read::ZlibDecoder::new(layer.as_slice()).take(budget + 1).read_to_end(&mut out);
            if read.is_err() && out.is_empty() {
                break;
            }
            budget = budget.checked_sub(out.len() as u64).ok_or(too_heavy)?;
            layer = out;
        }
    }
    Ok(())
}

/// The raw data of each `stream … endstream` in the file, as written.
fn raw_streams(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut rest = bytes;
    std::iter::from_fn(move || loop {
        let at = find(rest, b"stream")?;
        let after = &rest[at + b"stream".len()..];
        let data = after.strip_prefix(b"\r\n").or_else(|| after.strip_prefix(b"\n"));
        let Some(data) = data else {
            rest = after;
            continue;
        };
        let end = find(data, b"endstream").unwrap_or(data.len());
        rest = &data[end..];
        if end < data.len() {
            rest = &rest[b"endstream".len()..];
        }
        return Some(&data[..end]);
    })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Keys and action types that make a PDF do something when it is opened or clicked.
const ACTIVE_KEYS: &[&[u8]] =
    &[b"JS", b"JavaScript", b"AA", b"OpenAction", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia", b"XFA"];
const ACTIVE_ACTIONS: &[&[u8]] =
    &[b"JavaScript", b"Launch", b"SubmitForm", b"ImportData", b"GoToR", b"GoToE", b"RichMediaExecute"];

fn is_active(object: &lopdf::Object, depth: usize) -> bool {
    use lopdf::Object;
    // Deeper nesting than this is no document of ours; lopdf already refuses absurd depths.
    if depth > 64 {
        return true;
    }
    let dictionary = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => return items.iter().any(|item| is_active(item, depth + 1)),
        _ => return false,
    };
    dictionary.iter().any(|(key, value)| {
        ACTIVE_KEYS.contains(&key.as_slice())
            || (key.as_slice() == b"S" && matches!(value, Object::Name(n) if ACTIVE_ACTIONS.contains(&n.as_slice())))
            || is_active(value, depth + 1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::{Rgb, RgbImage};
    use lopdf::dictionary;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut out)
            .encode_image(&RgbImage::from_pixel(width, height, Rgb([120, 130, 140])))
            .unwrap();
        out
    }

    /// A JPEG with an APP1 (Exif) block carrying a GPS-like marker, as phones write.
    fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
        let plain = jpeg(width, height);
        let payload = b"Exif\0\0GPS 48.8566N 2.3522E";
        let mut out = plain[..2].to_vec();
        out.extend_from_slice(&[0xFF, 0xE1]);
        out.extend_from_slice(&((payload.len() + 2) as u16).to_be_bytes());
        out.extend_from_slice(payload);
        out.extend_from_slice(&plain[2..]);
        out
    }

    fn pdf() -> Vec<u8> {
        pdf_with(|_, _| {})
    }

    /// A one-page PDF, changed by `extra` (given the document and its catalog) before saving.
    fn pdf_with(extra: impl FnOnce(&mut lopdf::Document, &mut lopdf::Dictionary)) -> Vec<u8> {
        let mut document = lopdf::Document::with_version("1.5");
        let pages = document.new_object_id();
        let page = document.add_object(dictionary! { "Type" => "Page", "Parent" => pages });
        document.objects.insert(
            pages,
            lopdf::Object::Dictionary(dictionary! {
                "Type" => "Pages", "Kids" => vec![page.into()], "Count" => 1,
                "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            }),
        );
        let mut catalog = dictionary! { "Type" => "Catalog", "Pages" => pages };
        extra(&mut document, &mut catalog);
        let catalog = document.add_object(catalog);
        document.trailer.set("Root", catalog);
        let mut out = Vec::new();
        document.save_to(&mut out).unwrap();
        out
    }

    #[test]
    fn an_image_is_re_encoded_without_its_metadata() {
        let with_exif = jpeg_with_exif(800, 600);
        assert!(with_exif.windows(3).any(|w| w == b"GPS"));
        let checked = check_document(DocumentKind::IdentityFront, &with_exif).unwrap();
        assert_eq!(checked.format, FileFormat::Jpeg);
        assert!(!checked.bytes.windows(3).any(|w| w == b"GPS"));
        assert_eq!(image::load_from_memory(&checked.bytes).unwrap().width(), 800);
    }

    #[test]
    fn a_real_pdf_is_kept_as_it_is() {
        let file = pdf();
        assert_eq!(
            check_document(DocumentKind::DrivingLicence, &file),
            Ok(CheckedFile { format: FileFormat::Pdf, bytes: file })
        );
    }

    #[test]
    fn a_file_that_lies_about_its_type_is_refused() {
        let mut fake_pdf = b"%PDF-1.7\n".to_vec();
        fake_pdf.extend_from_slice(b"this is not a pdf at all");
        assert_eq!(check_document(DocumentKind::DrivingLicence, &fake_pdf), Err(FileProblem::Unreadable));
        let mut fake_jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0];
        fake_jpeg.extend_from_slice(&[0; 64]);
        assert_eq!(check_document(DocumentKind::IdentityFront, &fake_jpeg), Err(FileProblem::Unreadable));
        assert_eq!(check_document(DocumentKind::IdentityFront, b"MZ\x90\0"), Err(FileProblem::NotAnImageOrPdf));
    }

    #[test]
    fn a_too_small_scan_is_refused() {
        assert_eq!(
            check_document(DocumentKind::IdentityBack, &jpeg(300, 200)),
            Err(FileProblem::ResolutionTooLow { min_width: 600, min_height: 400 })
        );
    }

    #[test]
    fn a_decompression_bomb_image_is_refused_from_its_header_in_no_time() {
        let (one_bit, eight_bits) = (super::fixtures::png_bomb(20_000, 1), super::fixtures::png_bomb(20_000, 8));
        for (kind, bomb) in [
            (DocumentKind::Signature, &one_bit),
            (DocumentKind::Photo, &eight_bits),
            (DocumentKind::IdentityFront, &eight_bits),
        ] {
            assert!(bomb.len() < 400_000, "{} bytes", bomb.len());
            let started = std::time::Instant::now();
            assert!(matches!(check_document(kind, bomb), Err(FileProblem::ResolutionTooHigh { .. })));
            assert!(started.elapsed() < std::time::Duration::from_secs(2), "refused before decoding");
        }
    }

    #[test]
    fn a_pdf_with_a_script_or_an_automatic_action_is_refused() {
        let script = pdf_with(|document, catalog| {
            let action = document
                .add_object(dictionary! { "S" => "JavaScript", "JS" => lopdf::Object::string_literal("app.alert(1)") });
            catalog.set("OpenAction", action);
        });
        assert_eq!(check_document(DocumentKind::IdentityBack, &script), Err(FileProblem::PdfActiveContent));
        let launch = pdf_with(|document, catalog| {
            let action =
                document.add_object(dictionary! { "S" => "Launch", "F" => lopdf::Object::string_literal("cmd.exe") });
            catalog.set("Names", dictionary! { "Dests" => action });
        });
        assert_eq!(check_document(DocumentKind::DrivingLicence, &launch), Err(FileProblem::PdfActiveContent));
        let attached = pdf_with(|_, catalog| catalog.set("Names", dictionary! { "EmbeddedFiles" => dictionary! {} }));
        assert_eq!(check_document(DocumentKind::DrivingLicence, &attached), Err(FileProblem::PdfActiveContent));
    }

    #[test]
    fn a_pdf_that_is_also_a_web_page_is_refused() {
        let mut polyglot = pdf();
        polyglot.extend_from_slice(b"<html><body><script>alert('polyglot')</script></body></html>");
        assert_eq!(check_document(DocumentKind::IdentityBack, &polyglot), Err(FileProblem::PdfActiveContent));
        let mut padded = pdf();
        padded.extend_from_slice(b"\r\n\n");
        assert!(check_document(DocumentKind::IdentityBack, &padded).is_ok(), "blank space after the end is fine");
    }

    #[test]
    fn a_pdf_whose_streams_inflate_to_hundreds_of_megabytes_is_refused() {
        use flate2::write::ZlibEncoder;
        use std::io::Write;
        let mut zipped = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..100 {
            zipped.write_all(&zeros).unwrap();
        }
        let zipped = zipped.finish().unwrap();
        let bomb = pdf_with(|document, catalog| {
            let stream = lopdf::Stream::new(dictionary! { "Filter" => "FlateDecode" }, zipped).with_compression(false);
            let id = document.add_object(stream);
            catalog.set("Metadata", id);
        });
        assert!(bomb.len() < 1_000_000);
        assert_eq!(
            check_document(DocumentKind::DrivingLicence, &bomb),
            Err(FileProblem::PdfTooHeavy { max_inflated_bytes: MAX_PDF_INFLATED_BYTES })
        );
    }
}

/// Hostile files for tests, here and in other crates (feature `fixtures`).
#[cfg(any(test, feature = "fixtures"))]
pub mod fixtures {
    use flate2::write::ZlibEncoder;
    use std::io::Write;

    /// A greyscale PNG of `side` × `side` black pixels of `bit_depth` bits, written by hand as an
    /// attacker would: a few hundred kilobytes whose header promises `side²` pixels.
    pub fn png_bomb(side: u32, bit_depth: u8) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            out.extend_from_slice(&crc.sum().to_be_bytes());
        }
        let mut header = side.to_be_bytes().to_vec();
        header.extend_from_slice(&side.to_be_bytes());
        header.extend_from_slice(&[bit_depth, 0, 0, 0, 0]);
        let row = vec![0u8; 1 + (side as usize * bit_depth as usize).div_ceil(8)];
        let mut pixels = ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        for _ in 0..side {
            pixels.write_all(&row).expect("writing to memory");
        }
        let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut out, b"IHDR", &header);
        chunk(&mut out, b"IDAT", &pixels.finish().expect("writing to memory"));
        chunk(&mut out, b"IEND", &[]);
        out
    }
}
