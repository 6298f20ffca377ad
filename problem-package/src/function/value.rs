//! Values in LeetCode's notation (JSON: `[2,7,11,15]`, `"abc"`, `1.5`,
//! `[1,null,2]` for a tree), checked against a [`Type`]; their canonical
//! form (compact JSON); and the token form the harnesses read.
//!
//! JSON is parsed here, on the judge's side, never in the sandbox: the
//! worker turns each argument into whitespace-separated tokens that a
//! harness reads without any chance of a parse error (numbers, `n` for a
//! tree's null, a length before each array's items, `s` + hex bytes for a
//! string). A bad `.in` is refused when the package is loaded, and a bad
//! custom input before anything runs.

use std::fmt::Write as _;

use super::types::Type;

/// A value of some [`Type`].
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Int(i64),
    Double(f64),
    Bool(bool),
    Str(String),
    /// A tree's missing node.
    Null,
    /// Arrays, lists (their values) and trees (level order).
    List(Vec<Value>),
}

/// Reads one value of type `ty` from its JSON text.
pub fn parse(ty: &Type, text: &str) -> Result<Value, String> {
    let json: serde_json::Value = serde_json::from_str(text.trim())
        .map_err(|e| format!("not a value in LeetCode's (JSON) notation: {e}"))?;
    from_json(ty, &json)
}

/// Checks a parsed JSON value against `ty`.
pub fn from_json(ty: &Type, json: &serde_json::Value) -> Result<Value, String> {
    use serde_json::Value as J;
    let wrong = || format!("expected {ty}, found {}", short(json));
    Ok(match ty {
        Type::Int => Value::Int(
            json.as_i64()
                .filter(|v| i32::try_from(*v).is_ok())
                .ok_or_else(|| format!("expected int (32-bit), found {}", short(json)))?,
        ),
        Type::Long => Value::Int(json.as_i64().ok_or_else(wrong)?),
        Type::Double => Value::Double(json.as_f64().ok_or_else(wrong)?),
        Type::Bool => Value::Bool(json.as_bool().ok_or_else(wrong)?),
        Type::String => Value::Str(json.as_str().ok_or_else(wrong)?.to_string()),
        Type::Char => match json {
            J::String(s) if s.len() == 1 && s.is_ascii() => Value::Str(s.clone()),
            _ => {
                return Err(format!(
                    "expected char (one ASCII character in quotes), found {}",
                    short(json)
                ))
            }
        },
        Type::Array(inner) => {
            let items = json.as_array().ok_or_else(wrong)?;
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                values.push(from_json(inner, item).map_err(|e| format!("item {}: {e}", i + 1))?);
            }
            Value::List(values)
        }
        Type::ListNode => {
            let items = json.as_array().ok_or_else(wrong)?;
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                values
                    .push(from_json(&Type::Int, item).map_err(|e| format!("node {}: {e}", i + 1))?);
            }
            Value::List(values)
        }
        Type::TreeNode => {
            let items = json.as_array().ok_or_else(wrong)?;
            let mut values = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                values.push(match item {
                    J::Null => Value::Null,
                    _ => from_json(&Type::Int, item).map_err(|e| format!("node {}: {e}", i + 1))?,
                });
            }
            check_level_order(&values)?;
            Value::List(trim_nulls(values))
        }
    })
}

/// A level-order tree: the root is not null, and every value after it has
/// a parent (a non-null node with a free child slot).
fn check_level_order(values: &[Value]) -> Result<(), String> {
    if values.first() == Some(&Value::Null) {
        return Err("a tree's root cannot be null (an empty tree is [])".into());
    }
    let mut slots = if values.is_empty() { 0 } else { 2 };
    for (i, v) in values.iter().enumerate().skip(1) {
        if slots == 0 {
            return Err(format!(
                "tree node {}: no parent left for it in level order",
                i + 1
            ));
        }
        slots -= 1;
        if *v != Value::Null {
            slots += 2;
        }
    }
    Ok(())
}

/// LeetCode writes trees without trailing nulls.
fn trim_nulls(mut values: Vec<Value>) -> Vec<Value> {
    while values.last() == Some(&Value::Null) {
        values.pop();
    }
    values
}

/// A JSON value cut short for a message.
fn short(json: &serde_json::Value) -> String {
    let text = json.to_string();
    if text.len() > 40 {
        let mut cut = 40;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &text[..cut])
    } else {
        text
    }
}

impl Value {
    /// Compact JSON, LeetCode's way of showing a value.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        self.write_canonical(&mut out);
        out
    }

    fn write_canonical(&self, out: &mut String) {
        match self {
            Value::Int(v) => write!(out, "{v}").unwrap(),
            Value::Double(v) => out.push_str(&serde_json::Value::from(*v).to_string()),
            Value::Bool(v) => write!(out, "{v}").unwrap(),
            Value::Str(s) => out.push_str(&serde_json::Value::from(s.as_str()).to_string()),
            Value::Null => out.push_str("null"),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write_canonical(out);
                }
                out.push(']');
            }
        }
    }

    /// The harness's token form of a value of type `ty` (see the module doc).
    pub fn tokens(&self, ty: &Type, out: &mut String) {
        match (ty, self) {
            (_, Value::Int(v)) => write!(out, "{v} ").unwrap(),
            (_, Value::Double(v)) => write!(out, "{v:?} ").unwrap(),
            (_, Value::Bool(v)) => out.push_str(if *v { "1 " } else { "0 " }),
            (Type::Char, Value::Str(s)) => {
                write!(out, "{} ", s.bytes().next().unwrap_or(b' ')).unwrap()
            }
            (_, Value::Str(s)) => {
                out.push('s');
                out.push_str(&hex::encode(s.as_bytes()));
                out.push(' ');
            }
            (_, Value::Null) => out.push_str("n "),
            (ty, Value::List(items)) => {
                let inner = match ty {
                    Type::Array(inner) => inner,
                    _ => &Type::Int,
                };
                write!(out, "{} ", items.len()).unwrap();
                for item in items {
                    item.tokens(inner, out);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(t: &str) -> Type {
        Type::parse(t).unwrap()
    }

    #[test]
    fn reads_values_of_every_type() {
        assert_eq!(parse(&ty("int"), " 42\n").unwrap(), Value::Int(42));
        assert!(parse(&ty("int"), "3000000000")
            .unwrap_err()
            .contains("32-bit"));
        assert_eq!(
            parse(&ty("long"), "3000000000").unwrap(),
            Value::Int(3_000_000_000)
        );
        assert_eq!(parse(&ty("double"), "2").unwrap(), Value::Double(2.0));
        assert_eq!(parse(&ty("bool"), "true").unwrap(), Value::Bool(true));
        assert_eq!(parse(&ty("char"), "\"a\"").unwrap(), Value::Str("a".into()));
        assert!(parse(&ty("char"), "\"ab\"").is_err());
        let m = parse(&ty("int[][]"), "[[1,2],[3]]").unwrap();
        assert_eq!(m.canonical(), "[[1,2],[3]]");
        let err = parse(&ty("int[]"), "[1,\"x\"]").unwrap_err();
        assert!(
            err.contains("item 2") && err.contains("expected int"),
            "{err}"
        );
        assert!(parse(&ty("string"), "abc").unwrap_err().contains("JSON"));
    }

    #[test]
    fn trees_are_level_order_without_trailing_nulls() {
        let t = parse(&ty("TreeNode"), "[1,null,2,3,null,null,null]").unwrap();
        assert_eq!(t.canonical(), "[1,null,2,3]");
        assert!(parse(&ty("TreeNode"), "[null]").is_err());
        assert!(parse(&ty("TreeNode"), "[1,null,null,5]")
            .unwrap_err()
            .contains("no parent"));
        assert_eq!(parse(&ty("TreeNode"), "[]").unwrap().canonical(), "[]");
    }

    #[test]
    fn canonical_form_is_compact_json() {
        let v = parse(&ty("string[]"), "[ \"a\\\"b\" , \"é\" ]").unwrap();
        assert_eq!(v.canonical(), "[\"a\\\"b\",\"é\"]");
        assert_eq!(parse(&ty("double"), "0.5").unwrap().canonical(), "0.5");
    }

    #[test]
    fn tokens_carry_lengths_and_hex_strings() {
        let mut out = String::new();
        parse(&ty("string[]"), "[\"hi\",\"\"]")
            .unwrap()
            .tokens(&ty("string[]"), &mut out);
        assert_eq!(out, "2 s6869 s ");
        let mut out = String::new();
        parse(&ty("TreeNode"), "[1,null,2]")
            .unwrap()
            .tokens(&ty("TreeNode"), &mut out);
        assert_eq!(out, "3 1 n 2 ");
        let mut out = String::new();
        parse(&ty("char"), "\"A\"")
            .unwrap()
            .tokens(&ty("char"), &mut out);
        assert_eq!(out, "65 ");
        let mut out = String::new();
        Value::Double(1e-7).tokens(&Type::Double, &mut out);
        assert_eq!(out.trim().parse::<f64>().unwrap(), 1e-7);
    }
}
