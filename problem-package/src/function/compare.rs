//! Whether a function's returned value matches the expected one: exactly,
//! numbers of a `double` within the package's float tolerance
//! (`float_tolerance`, `float_absolute_tolerance`,
//! `float_relative_tolerance`, as the default validator reads them), and,
//! with `compare: unordered`, a returned list in any order.

use std::cmp::Ordering;

use crate::compare::DefaultValidatorFlags;

use super::value::Value;

/// How two values are compared.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Comparison {
    /// The returned (top-level) list may be in any order.
    pub unordered: bool,
    pub absolute: Option<f64>,
    pub relative: Option<f64>,
}

impl Comparison {
    /// From the function spec's `compare` and a test's validator flags.
    pub fn new(unordered: bool, flags: &[String]) -> Result<Comparison, String> {
        let parsed = DefaultValidatorFlags::parse(flags)?;
        Ok(Comparison {
            unordered,
            absolute: parsed.float_absolute_tolerance,
            relative: parsed.float_relative_tolerance,
        })
    }

    /// `Err` says where the values differ (it quotes the expected value).
    pub fn check(&self, expected: &Value, received: &Value) -> Result<(), String> {
        match (self.unordered, expected, received) {
            (true, Value::List(e), Value::List(r)) => {
                if e.len() != r.len() {
                    return Err(format!(
                        "expected {} items (in any order), received {}",
                        e.len(),
                        r.len()
                    ));
                }
                let (mut e, mut r) = (e.clone(), r.clone());
                e.sort_by(order);
                r.sort_by(order);
                self.equal(&Value::List(e), &Value::List(r), "")
                    .map_err(|why| format!("{why} (compared in any order)"))
            }
            _ => self.equal(expected, received, ""),
        }
    }

    fn equal(&self, expected: &Value, received: &Value, at: &str) -> Result<(), String> {
        let differ = || {
            let place = if at.is_empty() {
                String::new()
            } else {
                format!(" at {at}")
            };
            format!(
                "expected {}{place}, received {}",
                expected.canonical(),
                received.canonical()
            )
        };
        match (expected, received) {
            (Value::List(e), Value::List(r)) => {
                for (i, (a, b)) in e.iter().zip(r).enumerate() {
                    self.equal(a, b, &format!("{at}[{i}]"))?;
                }
                if e.len() != r.len() {
                    let place = if at.is_empty() {
                        "the value".into()
                    } else {
                        at.to_string()
                    };
                    return Err(format!(
                        "{place} has {} items, expected {}",
                        r.len(),
                        e.len()
                    ));
                }
                Ok(())
            }
            (Value::Double(e), Value::Double(r)) => {
                if self.close(*e, *r) {
                    Ok(())
                } else {
                    Err(differ())
                }
            }
            _ if expected == received => Ok(()),
            _ => Err(differ()),
        }
    }

    fn close(&self, expected: f64, received: f64) -> bool {
        if expected == received {
            return true;
        }
        let diff = (expected - received).abs();
        self.absolute.is_some_and(|e| diff <= e)
            || self.relative.is_some_and(|e| diff <= e * expected.abs())
    }
}

/// A total order on values, to sort lists compared in any order.
fn order(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Double(x), Value::Double(y)) => x.total_cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::List(x), Value::List(y)) => {
            for (p, q) in x.iter().zip(y) {
                let o = order(p, q);
                if o != Ordering::Equal {
                    return o;
                }
            }
            x.len().cmp(&y.len())
        }
        _ => rank(a).cmp(&rank(b)),
    }
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Bool(_) => 1,
        Value::Int(_) => 2,
        Value::Double(_) => 3,
        Value::Str(_) => 4,
        Value::List(_) => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::super::types::Type;
    use super::super::value::parse;
    use super::*;

    fn v(ty: &str, text: &str) -> Value {
        parse(&Type::parse(ty).unwrap(), text).unwrap()
    }

    #[test]
    fn exact_comparison_names_the_place() {
        let c = Comparison::default();
        assert!(c.check(&v("int[]", "[1,2]"), &v("int[]", "[1,2]")).is_ok());
        let err = c
            .check(&v("int[][]", "[[1],[2]]"), &v("int[][]", "[[1],[3]]"))
            .unwrap_err();
        assert!(err.contains("at [1][0]"), "{err}");
        let err = c
            .check(&v("int[]", "[1,2]"), &v("int[]", "[1]"))
            .unwrap_err();
        assert!(err.contains("1 items, expected 2"), "{err}");
        assert!(c
            .check(&v("string", "\"a\""), &v("string", "\"A\""))
            .is_err());
        assert!(c
            .check(&v("double", "0.1"), &v("double", "0.1000001"))
            .is_err());
    }

    #[test]
    fn unordered_lists_match_in_any_order() {
        let c = Comparison::new(true, &[]).unwrap();
        assert!(c
            .check(&v("int[][]", "[[1,2],[0]]"), &v("int[][]", "[[0],[1,2]]"))
            .is_ok());
        assert!(c
            .check(&v("int[]", "[1,1,2]"), &v("int[]", "[1,2,2]"))
            .is_err());
        let err = c
            .check(&v("int[]", "[1,2]"), &v("int[]", "[2]"))
            .unwrap_err();
        assert!(err.contains("any order"), "{err}");
        // Only the top level is a set: inner lists keep their order.
        assert!(c
            .check(&v("int[][]", "[[1,2]]"), &v("int[][]", "[[2,1]]"))
            .is_err());
    }

    #[test]
    fn floats_use_the_validator_flags() {
        let flags: Vec<String> = ["float_tolerance", "1e-6"].map(String::from).to_vec();
        let c = Comparison::new(false, &flags).unwrap();
        assert!(c
            .check(&v("double", "1.0"), &v("double", "1.0000005"))
            .is_ok());
        assert!(c
            .check(&v("double[]", "[1.0,2]"), &v("double[]", "[1.0000005,2.1]"))
            .is_err());
        let flags: Vec<String> = ["float_relative_tolerance", "0.01"]
            .map(String::from)
            .to_vec();
        let c = Comparison::new(false, &flags).unwrap();
        assert!(c.check(&v("double", "1000"), &v("double", "1005")).is_ok());
        assert!(Comparison::new(false, &["float_tolerance".to_string()]).is_err());
    }
}
