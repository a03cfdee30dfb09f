//! How every file leaves the server: as an attachment of its real type, never sniffed or shown
//! inline by a browser, never cached on a shared machine.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use cqc_domain::upload::FileFormat;

/// `bytes`, of the format their content says, saved as `name` (without extension).
pub fn attachment(name: &str, bytes: Vec<u8>) -> Response {
    let format = FileFormat::sniff(&bytes);
    let media_type = format.map_or("application/octet-stream", FileFormat::media_type);
    let file_name = match format {
        Some(format) => format!("{name}.{}", format.extension()),
        None => name.to_owned(),
    };
    attachment_as(media_type, &file_name, bytes)
}

/// A file of a type the server made itself (`media_type`), downloaded as `file_name`.
pub fn attachment_as(media_type: &str, file_name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, media_type.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
