//! The HTTP handlers, one module per resource. Each handler names its
//! caller in its signature ([`crate::auth::Caller`], [`crate::auth::Admin`]);
//! the router that mounts them is [`crate::startup::router`].

pub mod admin;
pub mod auth;
pub mod cancel;
pub mod meta;
pub mod problems;
pub mod runs;
pub mod statement;
pub mod submissions;
