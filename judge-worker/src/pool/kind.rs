//! The two kinds of pool a worker keeps: submissions' warm pool, filled
//! ahead of time per language image, and validators' containers (output
//! and interactive validators), created when a validator first needs one
//! and kept after their reset. They never share a container: a validator is
//! the problem author's code, and a submission's output reaches it.

/// Label naming the image a submission pool's container was created for.
pub const LABEL_POOL: &str = "judge.pool";
/// Label naming the image a validator pool's container was created for.
pub const LABEL_VALIDATOR_POOL: &str = "judge.validator-pool";

/// Which containers a pool holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Submissions' (and custom runs') sandboxes, filled ahead of time.
    Submission,
    /// Output and interactive validators' sandboxes (and their
    /// compilation), created on demand and reused after their reset.
    Validator,
}

impl Kind {
    /// The label its containers carry, with their image as the value.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Submission => LABEL_POOL,
            Kind::Validator => LABEL_VALIDATOR_POOL,
        }
    }

    /// How `/metrics` and the logs name it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Submission => "submission",
            Kind::Validator => "validator",
        }
    }

    /// The prefix of an idle container's name: `judge-pool-<worker>.<n>`.
    pub fn name_prefix(self) -> &'static str {
        match self {
            Kind::Submission => "judge-pool-",
            Kind::Validator => "judge-validator-",
        }
    }
}
