//! The typed request of the two routes that take code: `POST
//! /api/submissions` and `POST /api/run`. Both carry a [`CodeRequest`]
//! (language, one `code` or named `files`, an entry point, and in open mode a
//! `user_id`), checked here once; each adds its own fields
//! ([`SubmitRequest`], [`RunRequest`]). Everything that needs no Redis is
//! checked before anything is stored.

use judge_store::auth::{is_valid_user_id, Caller, USER_ID_RULE};
use problem_package::language::{self, Language};
use problem_package::problem::ProblemSummary;
use problem_package::source::{self, Program, SourceFile};
use serde_json::{Map, Value};
use submission::RUN_MAX_INPUT_BYTES;

use crate::body::{json_object, json_type, optional_string, string_field};
use crate::error::ApiError;

/// Code to compile and run, as both routes take it.
#[derive(Debug)]
pub struct CodeRequest {
    /// Only used in open mode without credentials; otherwise ignored.
    pub user_id: Option<Value>,
    pub language: String,
    /// The entry file's source (or the single `code`), for listings.
    pub code: String,
    /// Named files, when the request came as `files`.
    pub files: Vec<SourceFile>,
    pub entry_point: Option<String>,
}

/// `POST /api/submissions`.
#[derive(Debug)]
pub struct SubmitRequest {
    pub problem_id: String,
    /// Admin only: judge against this stored version (a draft, for
    /// `judge problem verify`) instead of the current one.
    pub problem_version: Option<String>,
    /// The contest to submit to (see `crate::contests::entry`); inferred
    /// when absent.
    pub contest: Option<String>,
    pub source: CodeRequest,
}

/// `POST /api/run`: code and the input it reads (empty when absent).
#[derive(Debug)]
pub struct RunRequest {
    pub input: String,
    pub source: CodeRequest,
    /// The problem whose page runs it: for a function problem the run
    /// calls its function on `input` (see `problem_package::function::run`).
    pub problem_id: Option<String>,
}

impl SubmitRequest {
    /// The request's fields, checked; its size is checked against its
    /// problem's `limits.code` once the problem is known
    /// ([`CodeRequest::check_code_limit`]).
    pub fn parse(body: &[u8]) -> Result<SubmitRequest, ApiError> {
        let obj = json_object(body)?;
        let problem_id = string_field(&obj, "problem_id")?;
        if problem_id.is_empty() {
            return Err(ApiError::InvalidField {
                field: "problem_id",
                message: "problem_id must not be empty".into(),
            });
        }
        let lang = language_of(&obj)?;
        let problem_version = match optional_string(&obj, "problem_version")? {
            None => None,
            // Versions are hex SHA-256 hashes; anything else cannot be stored.
            Some(v)
                if v.is_empty() || v.len() > 128 || !v.bytes().all(|b| b.is_ascii_hexdigit()) =>
            {
                return Err(ApiError::InvalidField {
                    field: "problem_version",
                    message: "problem_version must be a version hash (hex)".into(),
                })
            }
            Some(v) => Some(v),
        };
        let contest = optional_string(&obj, "contest")?;
        if contest.as_deref().is_some_and(|c| c.is_empty()) {
            return Err(ApiError::InvalidField {
                field: "contest",
                message: "contest must not be empty (leave it out for practice)".into(),
            });
        }
        let source = CodeRequest::from_object(&obj, lang, None)?;
        Ok(SubmitRequest {
            problem_id,
            problem_version,
            contest,
            source,
        })
    }
}

impl RunRequest {
    pub fn parse(body: &[u8], max_code_bytes: usize) -> Result<RunRequest, ApiError> {
        let obj = json_object(body)?;
        let lang = language_of(&obj)?;
        let input = optional_string(&obj, "input")?.unwrap_or_default();
        let source = CodeRequest::from_object(&obj, lang, Some(max_code_bytes))?;
        if input.len() > RUN_MAX_INPUT_BYTES {
            return Err(ApiError::InvalidField {
                field: "input",
                message: format!(
                    "input is {} bytes, the limit is {RUN_MAX_INPUT_BYTES}",
                    input.len()
                ),
            });
        }
        let problem_id = optional_string(&obj, "problem_id")?;
        Ok(RunRequest {
            input,
            source,
            problem_id,
        })
    }
}

/// `language`: required, and one the judge knows (422 naming it otherwise).
fn language_of(obj: &Map<String, Value>) -> Result<(String, &'static Language), ApiError> {
    let language = string_field(obj, "language")?;
    match language::by_id(&language) {
        Some(lang) => Ok((language, lang)),
        None => Err(ApiError::UnknownLanguage(language)),
    }
}

impl CodeRequest {
    fn from_object(
        obj: &Map<String, Value>,
        (language, lang): (String, &'static Language),
        max_code_bytes: Option<usize>,
    ) -> Result<CodeRequest, ApiError> {
        let entry_point = optional_string(obj, "entry_point")?;
        // Either one `code` (the editor) or named `files` (a package's
        // submission, several files): names matter to Java, Kotlin and argv[0].
        let (code, files) = match obj.get("files") {
            None | Some(Value::Null) => (string_field(obj, "code")?, Vec::new()),
            Some(value) => {
                let files = parse_files(value)?;
                check_files(lang, &files)?;
                // The entry file's source is the one a listing shows.
                let shown = Program::new(lang, files.clone(), entry_point.as_deref())
                    .ok()
                    .and_then(|p| files.iter().find(|f| f.name == p.entry).cloned())
                    .unwrap_or_else(|| files[0].clone());
                (shown.content, files)
            }
        };
        let size = source_size(&code, &files);
        if files.is_empty() && code.trim().is_empty() {
            return Err(ApiError::InvalidField {
                field: "code",
                message: "code must not be empty".into(),
            });
        }
        if let Some(max) = max_code_bytes.filter(|max| size > *max) {
            return Err(ApiError::CodeTooLarge { size, max });
        }
        Ok(CodeRequest {
            user_id: obj.get("user_id").cloned(),
            language,
            code,
            files,
            entry_point,
        })
    }

    /// The source's size in bytes: the `code`, or all `files` together.
    pub fn size(&self) -> usize {
        source_size(&self.code, &self.files)
    }

    /// 422 naming the field (`code`, or `files`) and the limit when the
    /// source is larger than `problem`'s `limits.code`.
    pub fn check_code_limit(&self, problem: &ProblemSummary) -> Result<(), ApiError> {
        let size = self.size() as u64;
        let max = problem.code_limit_bytes();
        if size <= max {
            return Ok(());
        }
        Err(ApiError::InvalidField {
            field: if self.files.is_empty() {
                "code"
            } else {
                "files"
            },
            message: format!(
                "the source is {size} bytes; problem {:?} accepts at most {max} bytes \
                 (limits.code: {} KiB)",
                problem.id, problem.code_kib
            ),
        })
    }

    /// Whose request this is: the caller's user id; without credentials
    /// (open mode only) the body's `user_id`, or `anonymous` when that may
    /// be left out (a run is in no one's history).
    pub fn user_id(&self, caller: &Caller, anonymous_ok: bool) -> Result<String, ApiError> {
        match (caller.user_id(), &self.user_id) {
            (Some(user), _) => Ok(user.to_string()),
            (None, None | Some(Value::Null)) if anonymous_ok => Ok("anonymous".to_string()),
            (None, given) => body_user_id(given.as_ref()),
        }
    }
}

/// Bytes of source: the one `code`, or all `files` together.
fn source_size(code: &str, files: &[SourceFile]) -> usize {
    if files.is_empty() {
        code.len()
    } else {
        files.iter().map(|f| f.content.len()).sum()
    }
}

/// Names and sources only: the entry point may come with the package's
/// included files, so it is found when judging.
fn check_files(lang: &'static Language, files: &[SourceFile]) -> Result<(), ApiError> {
    source::check_files(lang, files).map_err(|e| ApiError::InvalidField {
        field: "files",
        message: e.to_string(),
    })?;
    for file in files.iter().filter(|f| lang.owns(&f.name)) {
        if let Err(language::Undetected::Unsupported(why)) =
            language::detect(&file.name, &file.content)
        {
            return Err(ApiError::InvalidField {
                field: "files",
                message: format!("{}: {why}", file.name),
            });
        }
    }
    Ok(())
}

/// `files`: a non-empty array of `{"name": "...", "content": "..."}`.
fn parse_files(value: &Value) -> Result<Vec<SourceFile>, ApiError> {
    let invalid = |message: String| ApiError::InvalidField {
        field: "files",
        message,
    };
    let Value::Array(items) = value else {
        return Err(invalid(format!(
            "`files` must be an array of {{name, content}}, found {}",
            json_type(value)
        )));
    };
    if items.is_empty() {
        return Err(invalid("`files` must not be empty".into()));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = item.get("name").and_then(Value::as_str);
            let content = item.get("content").and_then(Value::as_str);
            match (name, content) {
                (Some(name), Some(content)) => Ok(SourceFile {
                    name: name.to_string(),
                    content: content.to_string(),
                }),
                _ => Err(invalid(format!(
                    "files[{i}] must be an object with string `name` and `content`"
                ))),
            }
        })
        .collect()
}

/// The body's `user_id`, used only in open mode for a request without credentials.
fn body_user_id(value: Option<&Value>) -> Result<String, ApiError> {
    let user_id = match value {
        None | Some(Value::Null) => {
            return Err(ApiError::InvalidField {
                field: "user_id",
                message: "missing field `user_id` (JUDGE_AUTH=open without a token)".into(),
            })
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(ApiError::InvalidField {
                field: "user_id",
                message: format!("`user_id` must be a string, found {}", json_type(other)),
            })
        }
    };
    if !is_valid_user_id(&user_id) {
        return Err(ApiError::InvalidField {
            field: "user_id",
            message: format!("user_id must be {USER_ID_RULE}"),
        });
    }
    Ok(user_id)
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use serde_json::json;

    use super::*;

    #[test]
    fn parse_errors_name_the_field() {
        let e = SubmitRequest::parse(b"{\"user_id\": ").unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert!(e.to_string().contains("line 1"), "{e}");

        let e = SubmitRequest::parse(br#"{"user_id":"u","problem_id":"p","language":"cpp"}"#)
            .unwrap_err();
        assert_eq!(e.field(), Some("code"));
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let e = body_user_id(Some(&json!(5))).unwrap_err();
        assert_eq!(e.field(), Some("user_id"));
        let e = body_user_id(Some(&json!("a b"))).unwrap_err();
        assert_eq!(e.field(), Some("user_id"));
        let e = body_user_id(None).unwrap_err();
        assert_eq!(e.field(), Some("user_id"));
        assert_eq!(body_user_id(Some(&json!("u.1-_"))).unwrap(), "u.1-_");

        let e = SubmitRequest::parse(
            br#"{"user_id":"u","problem_id":"p","language":"cobra","code":"x"}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "unknown_language");

        // The size is checked against the problem's limits.code, not here.
        let req = SubmitRequest::parse(
            br#"{"user_id":"u","problem_id":"p","language":"cpp","code":"xxxx"}"#,
        )
        .unwrap();
        assert_eq!(req.source.size(), 4);

        assert!(SubmitRequest::parse(
            br#"{"user_id":"u.1-_","problem_id":"p","language":"cpp","code":"x"}"#
        )
        .is_ok());
    }

    #[test]
    fn runs_share_the_checks_and_add_input() {
        let e = RunRequest::parse(br#"{"language":"cpp","code":" "}"#, 100).unwrap_err();
        assert_eq!(e.field(), Some("code"));
        let e = RunRequest::parse(br#"{"language":"cpp","code":"x","input":5}"#, 100).unwrap_err();
        assert_eq!(e.field(), Some("input"));
        let e = RunRequest::parse(br#"{"language":"cpp","code":"xxxx"}"#, 3).unwrap_err();
        assert_eq!(e.status(), StatusCode::PAYLOAD_TOO_LARGE);
        let req = RunRequest::parse(br#"{"language":"cpp","code":"x"}"#, 100).unwrap();
        assert_eq!(req.input, "");
        assert_eq!(
            req.source.user_id(&Caller::Anonymous, true).unwrap(),
            "anonymous"
        );
        assert_eq!(
            req.source
                .user_id(&Caller::Anonymous, false)
                .unwrap_err()
                .field(),
            Some("user_id")
        );
    }

    #[test]
    fn files_keep_their_names_and_are_checked() {
        let req = SubmitRequest::parse(
            br#"{"problem_id":"p","language":"python3","files":[{"name":"solve.py","content":"import sys"},{"name":"util.py","content":"x=1"}],"entry_point":"solve.py"}"#,
        )
        .unwrap();
        assert_eq!(req.source.files.len(), 2);
        assert_eq!(req.source.code, "import sys");
        assert_eq!(req.source.entry_point.as_deref(), Some("solve.py"));

        for body in [
            &br#"{"problem_id":"p","language":"cpp","files":[]}"#[..],
            br#"{"problem_id":"p","language":"cpp","files":"a.cpp"}"#,
            br#"{"problem_id":"p","language":"cpp","files":[{"name":"../a.cpp","content":"x"}]}"#,
            br#"{"problem_id":"p","language":"cpp","files":[{"name":"a.h","content":"x"}]}"#,
            br##"{"problem_id":"p","language":"python3","files":[{"name":"a.py","content":"#!/usr/bin/python2\nprint 1"}]}"##,
        ] {
            let e = SubmitRequest::parse(body).unwrap_err();
            assert_eq!(e.field(), Some("files"), "{}", String::from_utf8_lossy(body));
        }
        let req = SubmitRequest::parse(
            br#"{"problem_id":"p","language":"cpp","code":"x","problem_version":"ab12"}"#,
        )
        .unwrap();
        assert_eq!(req.problem_version.as_deref(), Some("ab12"));
        for body in [
            &br#"{"problem_id":"p","language":"cpp","code":"x","problem_version":"../x"}"#[..],
            br#"{"problem_id":"p","language":"cpp","code":"x","problem_version":7}"#,
        ] {
            let e = SubmitRequest::parse(body).unwrap_err();
            assert_eq!(e.field(), Some("problem_version"));
        }
        let req = SubmitRequest::parse(
            br#"{"problem_id":"p","language":"cpp","files":[{"name":"a.cpp","content":"xxxx"},{"name":"b.cpp","content":"xxxx"}]}"#,
        )
        .unwrap();
        assert_eq!(req.source.size(), 8);
    }

    fn problem(code_kib: u64) -> ProblemSummary {
        serde_json::from_value(json!({
            "id": "p", "name": "P", "version": "ab", "time_limit_ms": 1000, "memory_mb": 256,
            "output_mb": 8, "code_kib": code_kib, "validation": "default", "tests": 1,
            "statement": null, "samples": []
        }))
        .unwrap()
    }

    #[test]
    fn the_problem_code_limit_is_checked_with_a_422_naming_field_and_limit() {
        let body =
            |code: &str| json!({"problem_id": "p", "language": "cpp", "code": code}).to_string();
        let at = SubmitRequest::parse(body(&"x".repeat(1024)).as_bytes()).unwrap();
        assert!(at.source.check_code_limit(&problem(1)).is_ok());
        let over = SubmitRequest::parse(body(&"x".repeat(1025)).as_bytes()).unwrap();
        let e = over.source.check_code_limit(&problem(1)).unwrap_err();
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(e.field(), Some("code"));
        let message = e.to_string();
        assert!(
            message.contains("1025 bytes")
                && message.contains("1024 bytes")
                && message.contains("limits.code: 1 KiB"),
            "{message}"
        );
        assert!(over.source.check_code_limit(&problem(2)).is_ok());
        let files = SubmitRequest::parse(
            json!({"problem_id": "p", "language": "cpp", "files": [
                {"name": "a.cpp", "content": "x".repeat(600)},
                {"name": "b.cpp", "content": "x".repeat(600)}]})
            .to_string()
            .as_bytes(),
        )
        .unwrap();
        let e = files.source.check_code_limit(&problem(1)).unwrap_err();
        assert_eq!(e.field(), Some("files"));
    }
}
