//! The two files of most harnesses.

use crate::source::SourceFile;

/// The harness's file (the entry, in most languages) and the user's, under
/// the names the harness expects.
pub(super) fn harness_files(
    main_name: &str,
    main: String,
    user_name: &str,
    user: String,
) -> Vec<SourceFile> {
    vec![
        SourceFile {
            name: main_name.into(),
            content: main,
        },
        SourceFile {
            name: user_name.into(),
            content: user,
        },
    ]
}
