//! What the contract tests, the benchmarks and the end-to-end tests share: a real server with a
//! clock the test moves (`server`), its actors and a delivered card (`cards`), the documents a
//! driver sends (`files`), replacements waiting for payment (`replacements`), the outbox read as a
//! mail client would (`outbox`), and the server as a process of its own (`process`).

pub mod cards;
pub mod files;
pub mod outbox;
pub mod process;
pub mod replacements;
pub mod server;

pub use server::{driver, TestServer, ADMIN_EMAIL, AGENT_EMAIL, PASSWORD};
