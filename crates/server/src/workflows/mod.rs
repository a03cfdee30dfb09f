//! The use cases, each a function over a [`UnitOfWork`](crate::workflow::UnitOfWork): the
//! routes extract, call one of these and answer.

pub mod processing;
