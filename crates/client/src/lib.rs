//! The desktop's side of the wire: the HTTP client of the central API (`client`, with the calls of
//! applications and replacements) and the sync engine (`engine`: push the outbox, pull changes,
//! back off). The wire types themselves are in `cqc-sync`, which the PDFs, the local store and the
//! server use without this crate.
#![forbid(unsafe_code)]

mod admin_client;
mod application_client;
pub mod client;
pub mod engine;
mod replacement_client;
