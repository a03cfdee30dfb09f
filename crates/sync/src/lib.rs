//! What travels between the desktop app and the central server: the request and response types
//! of the API (`api`), and, with the `client` feature, the HTTP client the desktop uses.
#![forbid(unsafe_code)]

pub mod api;
#[cfg(feature = "client")]
pub mod client;
