//! The ICPC contest package: a directory holding the Contest API's
//! configuration objects, loaded into typed structs and checked for
//! referential integrity.

pub mod error;
pub mod load;
pub mod model;
mod validate;

pub use error::PackageError;
pub use model::ContestPackage;
