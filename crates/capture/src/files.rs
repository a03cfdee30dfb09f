//! A document file checked by its content and made safe to send: images decoded and re-encoded
//! (which drops every metadata block: place, device, date), PDFs opened to be sure they are PDFs.

use cqc_domain::application::DocumentKind;
use cqc_domain::upload::{check_file, check_resolution, FileFormat, FileProblem};
use image::ImageFormat;
use std::io::Cursor;

/// The bytes to send, and what they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub format: FileFormat,
    pub bytes: Vec<u8>,
}

/// The same checks run on the desktop before upload and on the server on arrival.
pub fn check_document(kind: DocumentKind, bytes: &[u8]) -> Result<CheckedFile, FileProblem> {
    let format = check_file(kind, bytes)?;
    let bytes = match format {
        FileFormat::Pdf => {
            let document = lopdf::Document::load_mem(bytes).map_err(|_| FileProblem::Unreadable)?;
            if document.get_pages().is_empty() {
                return Err(FileProblem::Unreadable);
            }
            bytes.to_vec()
        }
        FileFormat::Jpeg | FileFormat::Png => {
            let image_format = if format == FileFormat::Jpeg { ImageFormat::Jpeg } else { ImageFormat::Png };
            let image =
                image::load_from_memory_with_format(bytes, image_format).map_err(|_| FileProblem::Unreadable)?;
            check_resolution(kind, image.width(), image.height())?;
            let mut clean = Vec::new();
            let written = match format {
                FileFormat::Jpeg => {
                    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut clean, 90).encode_image(&image.to_rgb8())
                }
                _ => image.write_to(&mut Cursor::new(&mut clean), ImageFormat::Png),
            };
            written.map_err(|_| FileProblem::Unreadable)?;
            clean
        }
    };
    Ok(CheckedFile { format, bytes })
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
        let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages });
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
}
