//! The CQC business rules, with no I/O: what a valid registration is, what a French driving-licence
//! number looks like, the password policy, the account's life and the login lockout, the training
//! rules, the certificate's validity and the card's expiry, the French calendar day and periods
//! (art. 641), the application, card, replacement and payment state machines, fees, VAT and
//! invoices, the ID-photo and file rules, typed audit actions and the input limits.
//!
//! Every error is a typed value with a stable `code`; the edges (server, desktop UI) turn codes
//! into French or English sentences.
#![forbid(unsafe_code)]

pub mod account;
pub mod administration;
pub mod application;
pub mod audit;
pub mod billing;
pub mod calendar;
pub mod card;
pub mod closure;
pub mod contact;
pub mod draft;
pub mod fees;
pub mod form;
pub mod identity;
pub mod inactivity;
pub mod licence;
pub mod limits;
pub mod next_step;
pub mod password;
pub mod photo;
pub mod qualification;
pub mod registration;
pub mod release;
pub mod reminders;
pub mod replacement;
pub mod signature;
pub mod throttle;
pub mod training;
pub mod training_csv;
pub mod upload;

pub use time::{Date, Duration, OffsetDateTime};
