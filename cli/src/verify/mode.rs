//! What the command is: `judge problem verify DIR`, or `judge problem add
//! DIR` with or without `--verify`.

/// What the command is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `judge problem verify DIR`: nothing is published.
    Verify,
    /// `judge problem add DIR [--verify]`: publishes (only if verification
    /// passes, with `verify`).
    Add { verify: bool },
}
