//! The languages the judge compiles and runs: what one is ([`types`]), the
//! one table of them ([`table`]), and how a submission's language is found
//! ([`detect`]).

mod detect;
mod table;
mod types;

pub use detect::{by_file_name, by_id, detect, is_default, Undetected};
pub use table::{DEFAULT_IMAGES, LANGUAGES};
pub use types::{Entry, Language};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_select_languages_as_kattis_does() {
        assert_eq!(by_file_name("a.cc").unwrap().id, "cpp");
        assert_eq!(by_file_name("x.y.cpp").unwrap().id, "cpp");
        assert_eq!(by_file_name("sol.py").unwrap().id, "python3");
        assert_eq!(by_file_name("Main.java").unwrap().id, "java");
        assert_eq!(by_file_name("a.rs").unwrap().id, "rust");
        assert_eq!(by_file_name("a.go").unwrap().id, "go");
        assert_eq!(by_file_name("a.js").unwrap().id, "javascript");
        assert_eq!(by_file_name("a.c").unwrap().id, "c");
        assert!(by_file_name("a.txt").is_none());
        assert!(by_file_name("noext").is_none());
    }

    #[test]
    fn python2_is_refused_with_the_reason() {
        let err = detect("a.py", "#!/usr/bin/python2\nprint raw_input()\n").unwrap_err();
        assert!(err.to_string().contains("Python 2"), "{err}");
        assert!(detect("a.py2", "print 1").is_err());
        assert_eq!(
            detect("a.py", "#!/usr/bin/env python3\nprint(1)")
                .unwrap()
                .id,
            "python3"
        );
        assert_eq!(detect("a.py", "print(1)").unwrap().id, "python3");
        assert_eq!(
            detect("a.txt", "").unwrap_err(),
            Undetected::UnknownExtension("txt".into())
        );
        assert_eq!(detect("noext", "").unwrap_err(), Undetected::NoExtension);
    }

    #[test]
    fn ids_are_unique_and_variants_share_the_default_extensions() {
        for (i, a) in LANGUAGES.iter().enumerate() {
            for b in &LANGUAGES[i + 1..] {
                assert_ne!(a.id, b.id);
                // Two languages with one extension: the later one is a
                // variant with exactly the default's extensions.
                if a.extensions.iter().any(|e| b.extensions.contains(e)) {
                    assert_eq!(a.extensions, b.extensions, "{} and {}", a.id, b.id);
                }
                // One image serves only variants of one toolchain.
                if a.image == b.image {
                    assert_eq!(a.extensions, b.extensions, "{} and {}", a.id, b.id);
                }
            }
        }
    }

    #[test]
    fn defaults_are_what_contest_judges_use() {
        // Kattis judges `python3` with PyPy and C++ with a current standard.
        assert_eq!(by_file_name("a.py").unwrap().image, "judge-lang-pypy3");
        assert_eq!(by_file_name("a.py3").unwrap().id, "python3");
        assert_eq!(by_id("cpython3").unwrap().run[0], "python3");
        assert!(by_file_name("a.cpp")
            .unwrap()
            .compile
            .contains(&"-std=gnu++20"));
        assert!(by_id("cpp17").unwrap().compile.contains(&"-std=gnu++17"));
        assert!(by_id("cpp23").unwrap().compile.contains(&"-std=gnu++23"));
        assert_eq!(by_file_name("Sol.kt").unwrap().id, "kotlin");
        assert_eq!(by_file_name("sol.hs").unwrap().id, "haskell");
        for lang in LANGUAGES {
            // No language is given more time than the package says.
            assert_eq!(lang.time_multiplier, 1.0, "{}", lang.id);
            // The optimising JIT stays on for long-running JVM programs.
            assert!(
                !lang.run.iter().any(|a| a.contains("TieredStopAtLevel")),
                "{}",
                lang.id
            );
        }
    }

    #[test]
    fn every_language_has_an_image_folder_and_the_default_set_is_what_up_builds() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for lang in LANGUAGES {
            let dockerfile = root
                .join("sandbox-images")
                .join(lang.image_folder())
                .join("Dockerfile");
            assert!(
                dockerfile.is_file(),
                "{}: no {}",
                lang.id,
                dockerfile.display()
            );
            assert!(!lang.version.is_empty(), "{}", lang.id);
            assert!(lang.owns(lang.default_file), "{}", lang.id);
        }
        let script = std::fs::read_to_string(root.join("scripts/build-images.sh")).unwrap();
        let line = script
            .lines()
            .find(|l| l.starts_with("DEFAULT_LANGUAGES=("))
            .expect("build-images.sh names its default set");
        let listed: Vec<&str> = line["DEFAULT_LANGUAGES=(".len()..line.len() - 1]
            .split_whitespace()
            .collect();
        let mut listed = listed;
        listed.sort();
        let mut defaults = DEFAULT_IMAGES.to_vec();
        defaults.sort();
        assert_eq!(listed, defaults);
    }

    #[test]
    fn the_format_codes_and_endings_are_the_tables() {
        // spec/languages.md: a file ending in parentheses does not select.
        assert_eq!(by_file_name("a.pl").unwrap().id, "prolog");
        assert_eq!(by_file_name("a.pm").unwrap().id, "perl");
        assert!(by_id("perl").unwrap().owns("main.pl"));
        assert_eq!(by_file_name("a.m").unwrap().id, "objectivec");
        assert!(by_id("octave").unwrap().owns("a.m"));
        assert_eq!(by_file_name("a.4th").unwrap().id, "forth");
        assert!(by_file_name("a.fs").is_none());
        assert_eq!(by_file_name("a.sh").unwrap().id, "bash");
        assert_eq!(by_file_name("a.cl").unwrap().id, "lisp");
        assert_eq!(by_file_name("a.ads").unwrap().id, "ada");
        assert_eq!(by_file_name("a.c").unwrap().id, "c");
        assert!(by_id("cgmp").unwrap().owns("a.c"));
        assert_eq!(by_id("php").unwrap().default_file, "main.php");
        assert!(is_default(by_id("cpp17").unwrap()));
        assert!(!is_default(by_id("lua").unwrap()));
    }
}
