//! What travels between the desktop app and the central server: the request and response types
//! of the API (`api`, `applications`, `replacements`), the offline sync (`protocol`), the signed
//! code of a qualification certificate (`certificate_code`). Types only: the desktop's HTTP client
//! and sync engine are in `cqc-client`.
#![forbid(unsafe_code)]

pub mod admin;
pub mod api;
pub mod applications;
pub mod certificate_code;
pub mod protocol;
pub mod replacements;
