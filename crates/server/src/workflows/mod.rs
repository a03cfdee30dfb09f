//! The use cases, each a function over a [`UnitOfWork`](crate::workflow::UnitOfWork): the
//! routes extract, call one of these and answer.

pub mod accounts;
pub mod administration;
pub mod applications;
pub mod cards;
pub mod payments;
pub mod processing;
pub mod replacements;
pub mod sessions;
pub mod sync;
