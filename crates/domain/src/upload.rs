//! What a document file must be before it leaves the machine, and again when the server gets it:
//! a real JPEG, PNG or PDF by its content (not its name), not too large, with enough pixels to
//! be read.

use crate::application::DocumentKind;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// A scan or photo of a document smaller than this cannot be read by an agent.
pub const MIN_DOCUMENT_PIXELS: (u32, u32) = (600, 400);
/// The largest image accepted, per side and in all: a scan of an A4 page at 600 dpi fits; a
/// "decompression bomb" (a small file that decodes to gigabytes of pixels) does not.
pub const MAX_IMAGE_SIDE: u32 = 8000;
pub const MAX_IMAGE_PIXELS: u64 = 40_000_000;
/// An ID photo or a signature needs far fewer pixels.
pub const MAX_PORTRAIT_SIDE: u32 = 4000;
/// What the streams of one PDF may inflate to, all together.
pub const MAX_PDF_INFLATED_BYTES: u64 = 64 * 1024 * 1024;
/// Uploads travel in chunks of this size, so that a cut costs at most one chunk.
pub const UPLOAD_CHUNK_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum FileFormat {
    Jpeg,
    Png,
    Pdf,
}

impl FileFormat {
    /// The format the content says, whatever the file's name claims.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if bytes.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Jpeg => "jpg",
            Self::Png => "png",
            Self::Pdf => "pdf",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, TS, utoipa::ToSchema)]
#[serde(tag = "code", rename_all = "snake_case")]
#[ts(export)]
pub enum FileProblem {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit")]
    TooLarge { max_bytes: u64 },
    #[error("the file is not a JPEG, PNG or PDF")]
    NotAnImageOrPdf,
    #[error("a PDF is not accepted here")]
    PdfNotAccepted,
    #[error("the file cannot be read")]
    Unreadable,
    #[error("the image is too small to be read")]
    ResolutionTooLow { min_width: u32, min_height: u32 },
    #[error("the image has more pixels than a document needs")]
    ResolutionTooHigh { max_side: u32 },
    #[error("the PDF inflates to more than the limit")]
    PdfTooHeavy { max_inflated_bytes: u64 },
    #[error("the PDF carries active content (script, action, embedded file)")]
    PdfActiveContent,
}

/// The checks that need only the bytes: size and format. Decoding is the caller's next step.
pub fn check_file(kind: DocumentKind, bytes: &[u8]) -> Result<FileFormat, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileProblem::TooLarge { max_bytes: MAX_FILE_BYTES as u64 });
    }
    let format = FileFormat::sniff(bytes).ok_or(FileProblem::NotAnImageOrPdf)?;
    if format == FileFormat::Pdf && !kind.accepts_pdf() {
        return Err(FileProblem::PdfNotAccepted);
    }
    Ok(format)
}

/// From the image's header, before decoding: enough pixels for its use, and not so many that
/// decoding them would take the server's memory.
pub fn check_resolution(kind: DocumentKind, width: u32, height: u32) -> Result<(), FileProblem> {
    let max_side = match kind {
        DocumentKind::Photo | DocumentKind::Signature => MAX_PORTRAIT_SIDE,
        _ => MAX_IMAGE_SIDE,
    };
    if width > max_side || height > max_side || u64::from(width) * u64::from(height) > MAX_IMAGE_PIXELS {
        return Err(FileProblem::ResolutionTooHigh { max_side });
    }
    let (min_width, min_height) = match kind {
        DocumentKind::Photo => crate::photo::PHOTO_PIXELS,
        DocumentKind::Signature => (200, 60),
        _ => MIN_DOCUMENT_PIXELS,
    };
    // A document may be photographed upright or sideways.
    let fits = |w: u32, h: u32| w >= min_width && h >= min_height;
    if fits(width, height) || (kind.accepts_pdf() && fits(height, width)) {
        Ok(())
    } else {
        Err(FileProblem::ResolutionTooLow { min_width, min_height })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_decides_the_format_not_the_name() {
        assert_eq!(FileFormat::sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(FileFormat::Jpeg));
        assert_eq!(FileFormat::sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileFormat::Png));
        assert_eq!(FileFormat::sniff(b"%PDF-1.7\n"), Some(FileFormat::Pdf));
        assert_eq!(FileFormat::sniff(b"MZ\x90\x00 an executable"), None);
        assert_eq!(FileFormat::sniff(b"<html>"), None);
    }

    #[test]
    fn empty_large_and_foreign_files_are_refused() {
        assert_eq!(check_file(DocumentKind::DrivingLicence, b""), Err(FileProblem::Empty));
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_FILE_BYTES + 1, b' ');
        assert_eq!(
            check_file(DocumentKind::DrivingLicence, &big),
            Err(FileProblem::TooLarge { max_bytes: MAX_FILE_BYTES as u64 })
        );
        big.truncate(MAX_FILE_BYTES);
        assert_eq!(check_file(DocumentKind::DrivingLicence, &big), Ok(FileFormat::Pdf));
        assert_eq!(check_file(DocumentKind::IdentityFront, b"GIF89a"), Err(FileProblem::NotAnImageOrPdf));
    }

    #[test]
    fn the_photo_and_the_signature_are_images() {
        assert_eq!(check_file(DocumentKind::Photo, b"%PDF-1.4"), Err(FileProblem::PdfNotAccepted));
        assert_eq!(check_file(DocumentKind::Signature, b"%PDF-1.4"), Err(FileProblem::PdfNotAccepted));
        assert_eq!(check_file(DocumentKind::Photo, &[0xFF, 0xD8, 0xFF, 0xDB]), Ok(FileFormat::Jpeg));
    }

    #[test]
    fn images_with_more_pixels_than_a_document_needs_are_refused_before_decoding() {
        assert!(check_resolution(DocumentKind::IdentityFront, 4960, 7016).is_ok(), "A4 at 600 dpi");
        assert_eq!(
            check_resolution(DocumentKind::IdentityFront, 20_000, 20_000),
            Err(FileProblem::ResolutionTooHigh { max_side: MAX_IMAGE_SIDE })
        );
        assert_eq!(
            check_resolution(DocumentKind::DrivingLicence, 8000, 8000),
            Err(FileProblem::ResolutionTooHigh { max_side: MAX_IMAGE_SIDE }),
            "64 million pixels"
        );
        assert_eq!(
            check_resolution(DocumentKind::Photo, 4001, 5000),
            Err(FileProblem::ResolutionTooHigh { max_side: MAX_PORTRAIT_SIDE })
        );
        assert!(check_resolution(DocumentKind::Signature, 1200, 400).is_ok());
    }

    #[test]
    fn small_images_are_refused_and_documents_may_be_sideways() {
        assert!(check_resolution(DocumentKind::IdentityFront, 600, 400).is_ok());
        assert!(check_resolution(DocumentKind::IdentityFront, 400, 600).is_ok());
        assert_eq!(
            check_resolution(DocumentKind::IdentityFront, 599, 400),
            Err(FileProblem::ResolutionTooLow { min_width: 600, min_height: 400 })
        );
        assert!(check_resolution(DocumentKind::Photo, 413, 531).is_ok());
        assert!(check_resolution(DocumentKind::Photo, 531, 413).is_err());
    }
}
