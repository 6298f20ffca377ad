//! What every part shares: the benchmark problem and languages, the
//! services as processes, submitting and following, statistics and the
//! result table.

mod client;
mod services;
mod stats;
mod table;
mod workload;

pub use client::*;
pub use services::*;
pub use stats::*;
pub use table::*;
pub use workload::*;
