//! The type language of function signatures: `int`, `long`, `double`,
//! `bool`, `string`, `char`, arrays of any of them (`int[]`, `string[][]`),
//! and LeetCode's `ListNode` and `TreeNode`. Each type knows how it is
//! spelled in every language that has a harness.

use std::fmt;

/// A parameter's or a return value's type.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// 32-bit signed integer.
    Int,
    /// 64-bit signed integer.
    Long,
    Double,
    Bool,
    String,
    /// One ASCII character (C++'s `char` is a byte).
    Char,
    Array(Box<Type>),
    /// A singly linked list of ints, written `[1,2,3]`.
    ListNode,
    /// A binary tree of ints in level order with `null`s: `[1,null,2]`.
    TreeNode,
}

impl Type {
    /// Parses `int`, `long[][]`, `TreeNode`, ...
    pub fn parse(text: &str) -> Result<Type, String> {
        let text = text.trim();
        if let Some(inner) = text.strip_suffix("[]") {
            return Ok(Type::Array(Box::new(Type::parse(inner)?)));
        }
        Ok(match text {
            "int" => Type::Int,
            "long" => Type::Long,
            "double" => Type::Double,
            "bool" => Type::Bool,
            "string" => Type::String,
            "char" => Type::Char,
            "ListNode" => Type::ListNode,
            "TreeNode" => Type::TreeNode,
            other => {
                return Err(format!(
                    "unknown type {other:?}: use int, long, double, bool, string, char, ListNode, TreeNode, or an array of one (int[], string[][])"
                ))
            }
        })
    }

    /// Whether `self` is, or holds, `what` (to add a class definition only when used).
    pub fn uses(&self, what: &Type) -> bool {
        self == what || matches!(self, Type::Array(inner) if inner.uses(what))
    }

    /// C++ (LeetCode's spelling): `vector<vector<int>>`, `ListNode*`.
    pub fn cpp(&self) -> String {
        match self {
            Type::Int => "int".into(),
            Type::Long => "long long".into(),
            Type::Double => "double".into(),
            Type::Bool => "bool".into(),
            Type::String => "string".into(),
            Type::Char => "char".into(),
            Type::Array(inner) => format!("vector<{}>", inner.cpp()),
            Type::ListNode => "ListNode*".into(),
            Type::TreeNode => "TreeNode*".into(),
        }
    }

    /// C++ parameter: containers by reference, as LeetCode shows them.
    pub fn cpp_param(&self) -> String {
        match self {
            Type::Array(_) => format!("{}&", self.cpp()),
            _ => self.cpp(),
        }
    }

    /// Python type hint: `List[List[int]]`, `Optional[TreeNode]`.
    pub fn python(&self) -> String {
        match self {
            Type::Int | Type::Long => "int".into(),
            Type::Double => "float".into(),
            Type::Bool => "bool".into(),
            Type::String | Type::Char => "str".into(),
            Type::Array(inner) => format!("List[{}]", inner.python()),
            Type::ListNode => "Optional[ListNode]".into(),
            Type::TreeNode => "Optional[TreeNode]".into(),
        }
    }

    /// Java: `int[][]`, `String`, `TreeNode`.
    pub fn java(&self) -> String {
        match self {
            Type::Int => "int".into(),
            Type::Long => "long".into(),
            Type::Double => "double".into(),
            Type::Bool => "boolean".into(),
            Type::String => "String".into(),
            Type::Char => "char".into(),
            Type::Array(inner) => format!("{}[]", inner.java()),
            Type::ListNode => "ListNode".into(),
            Type::TreeNode => "TreeNode".into(),
        }
    }

    /// Go, as LeetCode writes it: `[][]int`, `*TreeNode`, `byte`.
    pub fn go(&self) -> String {
        match self {
            Type::Int => "int".into(),
            Type::Long => "int64".into(),
            Type::Double => "float64".into(),
            Type::Bool => "bool".into(),
            Type::String => "string".into(),
            Type::Char => "byte".into(),
            Type::Array(inner) => format!("[]{}", inner.go()),
            Type::ListNode => "*ListNode".into(),
            Type::TreeNode => "*TreeNode".into(),
        }
    }

    /// Kotlin, as LeetCode writes it: `IntArray`, `Array<IntArray>`, `TreeNode?`.
    pub fn kotlin(&self) -> String {
        match self {
            Type::Int => "Int".into(),
            Type::Long => "Long".into(),
            Type::Double => "Double".into(),
            Type::Bool => "Boolean".into(),
            Type::String => "String".into(),
            Type::Char => "Char".into(),
            Type::Array(inner) => match **inner {
                Type::Int => "IntArray".into(),
                Type::Long => "LongArray".into(),
                Type::Double => "DoubleArray".into(),
                Type::Bool => "BooleanArray".into(),
                Type::Char => "CharArray".into(),
                _ => format!("Array<{}>", inner.kotlin()),
            },
            Type::ListNode => "ListNode?".into(),
            Type::TreeNode => "TreeNode?".into(),
        }
    }

    /// JavaScript JSDoc, as LeetCode writes it: `number[]`, `character`.
    pub fn javascript(&self) -> String {
        match self {
            Type::Int | Type::Long | Type::Double => "number".into(),
            Type::Bool => "boolean".into(),
            Type::String => "string".into(),
            Type::Char => "character".into(),
            Type::Array(inner) => format!("{}[]", inner.javascript()),
            Type::ListNode => "ListNode".into(),
            Type::TreeNode => "TreeNode".into(),
        }
    }

    /// TypeScript, as LeetCode writes it: `number[][]`, `ListNode | null`,
    /// `Array<TreeNode | null>`.
    pub fn typescript(&self) -> String {
        match self {
            Type::Int | Type::Long | Type::Double => "number".into(),
            Type::Bool => "boolean".into(),
            Type::String | Type::Char => "string".into(),
            Type::Array(inner) if matches!(**inner, Type::ListNode | Type::TreeNode) => {
                format!("Array<{}>", inner.typescript())
            }
            Type::Array(inner) => format!("{}[]", inner.typescript()),
            Type::ListNode => "ListNode | null".into(),
            Type::TreeNode => "TreeNode | null".into(),
        }
    }

    /// C#, as LeetCode writes it: `int[][]`, `string`, `TreeNode`.
    pub fn csharp(&self) -> String {
        match self {
            Type::Int => "int".into(),
            Type::Long => "long".into(),
            Type::Double => "double".into(),
            Type::Bool => "bool".into(),
            Type::String => "string".into(),
            Type::Char => "char".into(),
            Type::Array(inner) => format!("{}[]", inner.csharp()),
            Type::ListNode => "ListNode".into(),
            Type::TreeNode => "TreeNode".into(),
        }
    }

    /// Ruby's YARD tag, as LeetCode writes it: `Integer[]`, `Character`, `Float`.
    pub fn ruby(&self) -> String {
        match self {
            Type::Int | Type::Long => "Integer".into(),
            Type::Double => "Float".into(),
            Type::Bool => "Boolean".into(),
            Type::String => "String".into(),
            Type::Char => "Character".into(),
            Type::Array(inner) => format!("{}[]", inner.ruby()),
            Type::ListNode => "ListNode".into(),
            Type::TreeNode => "TreeNode".into(),
        }
    }
}

impl fmt::Display for Type {
    /// The type language's own spelling, which [`Type::parse`] reads back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Int => f.write_str("int"),
            Type::Long => f.write_str("long"),
            Type::Double => f.write_str("double"),
            Type::Bool => f.write_str("bool"),
            Type::String => f.write_str("string"),
            Type::Char => f.write_str("char"),
            Type::Array(inner) => write!(f, "{inner}[]"),
            Type::ListNode => f.write_str("ListNode"),
            Type::TreeNode => f.write_str("TreeNode"),
        }
    }
}

impl serde::Serialize for Type {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Type {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Type, D::Error> {
        let text = String::deserialize(d)?;
        Type::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_nested_types() {
        for text in [
            "int",
            "long[]",
            "string[][]",
            "TreeNode",
            "ListNode[]",
            "char",
        ] {
            assert_eq!(Type::parse(text).unwrap().to_string(), text);
        }
        let matrix = Type::parse("int[][]").unwrap();
        assert_eq!(
            matrix,
            Type::Array(Box::new(Type::Array(Box::new(Type::Int))))
        );
        assert_eq!(matrix.cpp_param(), "vector<vector<int>>&");
        assert_eq!(matrix.python(), "List[List[int]]");
        assert_eq!(matrix.java(), "int[][]");
        assert_eq!(matrix.javascript(), "number[][]");
        assert_eq!(matrix.go(), "[][]int");
        assert_eq!(matrix.kotlin(), "Array<IntArray>");
        assert_eq!(matrix.typescript(), "number[][]");
        assert_eq!(matrix.csharp(), "int[][]");
        assert_eq!(matrix.ruby(), "Integer[][]");
        let lists = Type::parse("ListNode[]").unwrap();
        assert_eq!(lists.typescript(), "Array<ListNode | null>");
        assert_eq!(Type::TreeNode.typescript(), "TreeNode | null");
        assert_eq!(Type::Char.ruby(), "Character");
        assert_eq!(Type::Bool.csharp(), "bool");
        assert_eq!(Type::TreeNode.python(), "Optional[TreeNode]");
        assert!(Type::parse("ListNode[]").unwrap().uses(&Type::ListNode));
        assert!(!matrix.uses(&Type::TreeNode));
    }

    #[test]
    fn unknown_types_are_named() {
        let err = Type::parse("integer[]").unwrap_err();
        assert!(err.contains("\"integer\""), "{err}");
        assert!(Type::parse("[]").is_err());
        assert!(Type::parse("int[").is_err());
    }
}
