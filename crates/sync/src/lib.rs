//! What travels between the desktop app and the central server: the request and response types
//! of the API (`api`), the offline sync (`protocol`), the signed code of a qualification
//! certificate (`certificate_code`), and, with the `client` feature, the HTTP client the desktop uses.
#![forbid(unsafe_code)]

pub mod api;
#[cfg(feature = "client")]
mod application_client;
pub mod applications;
pub mod certificate_code;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
pub mod engine;
pub mod protocol;
#[cfg(feature = "client")]
mod replacement_client;
pub mod replacements;
