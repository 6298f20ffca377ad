//! The Kattis / ICPC problem package format, as the judge reads it.
//!
//! [`problem::Problem::load`] reads a package; the other modules are the
//! parts of the format it is made of. Everything here is plain data and
//! files: no Redis, no Docker, so the CLI, the API and the worker agree on a
//! package by construction.

pub mod command;
pub mod compare;
pub mod function;
pub mod groups;
pub mod include;
pub mod language;
pub mod problem;
pub mod source;
pub mod statement;
pub mod timelimit;
pub mod yaml;
