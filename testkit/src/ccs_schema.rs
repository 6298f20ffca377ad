//! The Contest API's JSON schemas (ICPC ccs-specs, copied into
//! `contest/tests/schemas`, see its README), for tests that check objects
//! and answers against the spec's own schemas (draft 2020-12). The schemas
//! reference each other relatively (`common.json#/...`) under
//! `https://github.com/icpc/ccs-specs/raw/<branch>/json-schema/`; a
//! retriever serves every such URI from the local copies, so nothing is
//! fetched.

use std::path::PathBuf;

use jsonschema::{Draft, Retrieve, Uri, Validator};
use serde_json::{json, Value};

const BASE: &str = "https://github.com/icpc/ccs-specs/raw/master/json-schema/";

/// Where the copies of the spec's schemas are.
pub fn schema_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../contest/tests/schemas"
    ))
}

struct LocalSchemas;

impl Retrieve for LocalSchemas {
    fn retrieve(
        &self,
        uri: &Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        let s = uri.as_str();
        if !s.starts_with("https://github.com/icpc/ccs-specs/raw/") {
            return Err(format!("not a ccs-specs schema: {s}").into());
        }
        let name = s.rsplit('/').next().unwrap_or_default();
        let text =
            std::fs::read_to_string(schema_dir().join(name)).map_err(|e| format!("{name}: {e}"))?;
        Ok(serde_json::from_str(&text)?)
    }
}

/// The validator of schema file `name` (`contest.json`, `scoreboard.json`, ...).
pub fn validator(name: &str) -> Validator {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .with_retriever(LocalSchemas)
        .build(&json!({ "$ref": format!("{BASE}{name}") }))
        .unwrap_or_else(|e| panic!("schema {name}: {e}"))
}

/// Fails, naming `what` and every error with its place, unless `value`
/// validates against schema `name`.
#[track_caller]
pub fn assert_valid(name: &str, what: &str, value: &Value) {
    let errors: Vec<String> = validator(name)
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: {name} rejects {value:#}:\n{}",
        errors.join("\n")
    );
}
