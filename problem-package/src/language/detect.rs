//! Finding a language: by id, by a file's extension, and as the problem
//! package format decides it for a file (extension, and Python 2's shebang).

use super::table::{DEFAULT_IMAGES, LANGUAGES};
use super::types::Language;

/// Looks a language up by its id.
pub fn by_id(id: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.id == id)
}

/// Infers the language from a file name's extension (`sol.cpp` -> C++).
pub fn by_file_name(file_name: &str) -> Option<&'static Language> {
    let ext = file_name.rsplit_once('.')?.1;
    LANGUAGES.iter().find(|l| l.extensions.contains(&ext))
}

/// Why a file's language cannot be judged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Undetected {
    #[error("{0}")]
    Unsupported(String),
    #[error("the extension .{0} selects no language")]
    UnknownExtension(String),
    #[error("it has no extension to tell the language by")]
    NoExtension,
}

/// The language of a file as the problem package format decides it: by
/// extension, and for Python by the shebang too (a `python2` shebang on a
/// `.py` file is Python 2, as problemtools reads it).
pub fn detect(file_name: &str, content: &str) -> Result<&'static Language, Undetected> {
    let Some((_, ext)) = file_name.rsplit_once('.') else {
        return Err(Undetected::NoExtension);
    };
    let first_line = content.lines().next().unwrap_or("");
    let python2_shebang = first_line.starts_with("#!") && first_line.contains("python2");
    if ext == "py2" || (ext == "py" && python2_shebang) {
        return Err(Undetected::Unsupported(
            "Python 2 is not supported: it reached its end of life in 2020 and Debian 12 no longer ships it; submit it as Python 3".into(),
        ));
    }
    by_file_name(file_name).ok_or_else(|| Undetected::UnknownExtension(ext.to_string()))
}

/// Whether `scripts/up.sh` builds the language's image (the default set).
pub fn is_default(lang: &Language) -> bool {
    DEFAULT_IMAGES.contains(&lang.image_folder())
}
