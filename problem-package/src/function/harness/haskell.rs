//! Haskell: the user writes a plain top-level function with idiomatic
//! types (`twoSum :: [Int] -> Int -> [Int]`; `int` and `long` are both
//! `Int`, GHC's 64-bit integer; `string` is `String`; arrays are lists;
//! an empty list or tree is `Nothing`: `Maybe ListNode`, `Maybe TreeNode`).
//!
//! Three modules: `JudgeTypes.hs` defines `ListNode` and `TreeNode`;
//! `Solution.hs` is the user's code, with `module Solution where` and
//! `import JudgeTypes` put after its leading pragmas and comments (and a
//! `LINE` pragma, so GHC's messages keep the user's line numbers) unless
//! it has a module header of its own; `Main.hs` is the harness, which
//! reads the arguments, calls `Solution.<name>` at the type the judge
//! expects (a missing function is "not in scope", another type "couldn't
//! match" on the line that quotes the expected signature), evaluates the
//! whole printed result, and prints it after the separator. Only GHC's
//! boot packages are used (`bytestring`, `text`).

use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::function::types::Type;
use crate::source::SourceFile;

pub(super) const MAIN: &str = "Main.hs";
const USER: &str = "Solution.hs";
const TYPES: &str = "JudgeTypes.hs";

const TYPES_MODULE: &str = r#"-- The judge's types for linked lists and binary trees (Nothing is empty).
module JudgeTypes (ListNode (..), TreeNode (..)) where

data ListNode = ListNode Int (Maybe ListNode) deriving (Eq, Show)

data TreeNode = TreeNode Int (Maybe TreeNode) (Maybe TreeNode) deriving (Eq, Show)
"#;

const HARNESS: &str = r#"-- The judge's harness: reads the arguments, calls the function, prints the result.
module Main (main) where

import Control.Exception (evaluate)
import Control.Monad (replicateM)
import qualified Data.ByteString as BS
import qualified Data.ByteString.Builder as B
import qualified Data.ByteString.Char8 as BC
import qualified Data.ByteString.Lazy as BL
import Data.Char (chr, ord)
import Data.IORef
import Data.List (intersperse)
import qualified Data.Text as T
import qualified Data.Text.Encoding as TE
import qualified Data.Text.Encoding.Error as TEE
import JudgeTypes
import qualified Solution
import System.Exit (exitWith, ExitCode (..))
import System.IO

type Judge = IORef [BS.ByteString]

judgeTok :: Judge -> IO BS.ByteString
judgeTok ref = do
  ts <- readIORef ref
  case ts of
    (t : rest) -> writeIORef ref rest >> return t
    [] -> hPutStrLn stderr "judge harness: the input ended early" >> exitWith (ExitFailure 97)

rInt :: Judge -> IO Int
rInt ref = do
  t <- judgeTok ref
  case BC.readInt t of
    Just (v, _) -> return v
    Nothing -> return 0

rDouble :: Judge -> IO Double
rDouble ref = read . BC.unpack <$> judgeTok ref

rBool :: Judge -> IO Bool
rBool ref = (== BC.pack "1") <$> judgeTok ref

rChar :: Judge -> IO Char
rChar ref = chr <$> rInt ref

rString :: Judge -> IO String
rString ref = do
  t <- judgeTok ref
  let hex = BS.drop 1 t
      byte i = fromIntegral (digit (BS.index hex (2 * i)) * 16 + digit (BS.index hex (2 * i + 1)))
      digit c = let d = fromIntegral c :: Int in if d >= 97 then d - 87 else d - 48
      bytes = BS.pack [byte i | i <- [0 .. BS.length hex `div` 2 - 1]]
  return (T.unpack (TE.decodeUtf8With TEE.lenientDecode bytes))

rList :: (Judge -> IO a) -> Judge -> IO [a]
rList item ref = do
  n <- rInt ref
  replicateM n (item ref)

rListNode :: Judge -> IO (Maybe ListNode)
rListNode ref = foldr (\v rest -> Just (ListNode v rest)) Nothing <$> rList rInt ref

rTreeNode :: Judge -> IO (Maybe TreeNode)
rTreeNode ref = do
  n <- rInt ref
  ts <- replicateM n (judgeTok ref)
  let vals = [if t == BC.pack "n" then Nothing else fmap fst (BC.readInt t) | t <- ts]
  return (judgeTree vals)

-- Level order: each value's node takes the next two entries as its children.
judgeTree :: [Maybe Int] -> Maybe TreeNode
judgeTree [] = Nothing
judgeTree (root : rest) = case level [root] rest of
  (t : _) -> t
  [] -> Nothing
  where
    -- The nodes of one level (Nothing for a null entry), given the entries after it.
    level [] _ = []
    level entries after =
      let (next, later) = splitAt (2 * length [() | Just _ <- entries]) after
       in attach entries (level next later ++ repeat Nothing)
    attach (Nothing : vs) cs = Nothing : attach vs cs
    attach (Just v : vs) (l : r : cs) = Just (TreeNode v l r) : attach vs cs
    attach _ _ = []

wInt :: Int -> B.Builder
wInt = B.intDec

wDouble :: Double -> B.Builder
wDouble = B.string7 . show

wBool :: Bool -> B.Builder
wBool b = B.string7 (if b then "true" else "false")

wString :: String -> B.Builder
wString s = B.char7 '"' <> foldMap esc s <> B.char7 '"'
  where
    esc c
      | c == '"' || c == '\\' = B.char7 '\\' <> B.char7 c
      | ord c < 0x20 = B.string7 "\\u00" <> B.word8HexFixed (fromIntegral (ord c))
      | otherwise = B.charUtf8 c

wChar :: Char -> B.Builder
wChar c = wString [c]

wList :: (a -> B.Builder) -> [a] -> B.Builder
wList item xs = B.char7 '[' <> mconcat (intersperse (B.char7 ',') (map item xs)) <> B.char7 ']'

wListNode :: Maybe ListNode -> B.Builder
wListNode = wList wInt . take 10000000 . go
  where
    go Nothing = []
    go (Just (ListNode v rest)) = v : go rest

wTreeNode :: Maybe TreeNode -> B.Builder
wTreeNode root = wList (maybe (B.string7 "null") wInt) (trim (take 10000000 (level [root | Just _ <- [root]])))
  where
    level [] = []
    level nodes = map value nodes ++ level (concatMap children nodes)
    value (Just (TreeNode v _ _)) = Just v
    value Nothing = Nothing
    children (Just (TreeNode _ l r)) = [l, r]
    children Nothing = []
    trim = reverse . dropWhile (== Nothing) . reverse

main :: IO ()
main = do
  hSetEncoding stdout utf8
  judge <- newIORef . BC.words =<< BS.getContents
"#;

/// A type's Haskell spelling: `[Int]`, `Maybe TreeNode`.
pub(crate) fn hs_type(ty: &Type) -> String {
    match ty {
        Type::Int | Type::Long => "Int".into(),
        Type::Double => "Double".into(),
        Type::Bool => "Bool".into(),
        Type::String => "String".into(),
        Type::Char => "Char".into(),
        Type::Array(inner) => format!("[{}]", hs_type(inner)),
        Type::ListNode => "Maybe ListNode".into(),
        Type::TreeNode => "Maybe TreeNode".into(),
    }
}

/// The reader (`rList rInt`) or writer (`wList wInt`) of a type.
fn codec(prefix: char, ty: &Type) -> String {
    match ty {
        Type::Int | Type::Long => format!("{prefix}Int"),
        Type::Double => format!("{prefix}Double"),
        Type::Bool => format!("{prefix}Bool"),
        Type::String => format!("{prefix}String"),
        Type::Char => format!("{prefix}Char"),
        Type::Array(inner) => format!("({prefix}List {})", codec(prefix, inner)),
        Type::ListNode => format!("{prefix}ListNode"),
        Type::TreeNode => format!("{prefix}TreeNode"),
    }
}

const KEYWORDS: &[&str] = &[
    "case", "class", "data", "default", "deriving", "do", "else", "foreign", "if", "import", "in",
    "infix", "infixl", "infixr", "instance", "let", "module", "newtype", "of", "then", "type",
    "where", "forall", "mdo", "rec", "proc",
];

/// A name Haskell accepts for a function or variable: lower-case first
/// letter, and not a keyword (`type` becomes `type'`).
pub(crate) fn hs_name(name: &str) -> String {
    let mut chars = name.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_ascii_lowercase())
        .into_iter()
        .chain(chars)
        .collect();
    if KEYWORDS.contains(&out.as_str()) {
        out.push('\'');
    }
    out
}

/// `twoSum :: [Int] -> Int -> [Int]`
pub(crate) fn declaration(spec: &FunctionSpec) -> String {
    let mut types: Vec<String> = spec.params.iter().map(|p| hs_type(&p.ty)).collect();
    types.push(hs_type(&spec.returns));
    format!("{} :: {}", hs_name(&spec.name), types.join(" -> "))
}

/// The starter code: what the judge adds before it, the types it defines
/// when the signature uses them, and the function.
pub(crate) fn stub(spec: &FunctionSpec, defs: Vec<String>) -> String {
    let mut out = String::from(
        "-- The judge puts `module Solution where` and `import JudgeTypes` before your code\n-- (after any LANGUAGE pragmas); add the imports you need below.\n",
    );
    for l in defs {
        out.push_str(&l);
        out.push('\n');
    }
    let params: Vec<String> = spec.params.iter().map(|p| hs_name(&p.name)).collect();
    out.push_str(&format!(
        "{}\n{} {} = undefined\n",
        declaration(spec),
        hs_name(&spec.name),
        params.join(" ")
    ));
    out
}

/// Whether the user's code declares its own module header.
fn has_module_header(user: &str) -> bool {
    user.lines().any(|l| l.starts_with("module "))
}

/// The user's code as module `Solution`: the header goes after the
/// leading blank lines, comments and pragmas, which must stay first.
fn as_module(user: &str) -> String {
    if has_module_header(user) {
        return user.to_string();
    }
    let lines: Vec<&str> = user.lines().collect();
    let mut at = 0;
    let mut in_block = false;
    while at < lines.len() {
        let t = lines[at].trim();
        if in_block {
            in_block = !t.contains("-}");
        } else if t.starts_with("{-") && !t.contains("-}") {
            in_block = true;
        } else if !(t.is_empty() || t.starts_with("--") || t.starts_with("{-")) {
            break;
        }
        at += 1;
    }
    let mut out = String::new();
    for l in &lines[..at] {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(&format!(
        "module Solution where\nimport JudgeTypes\n{{-# LINE {} \"{USER}\" #-}}\n",
        at + 1
    ));
    for l in &lines[at..] {
        out.push_str(l);
        out.push('\n');
    }
    out
}

/// The files and the entry (`Main.hs`, which imports the others).
pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(HARNESS);
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!("  a{i} <- {} judge\n", codec('r', &p.ty)));
        args.push(format!(" a{i}"));
    }
    main.push_str(&format!(
        "  let result = (Solution.{} :: {}) -- the judge calls: {}\n",
        hs_name(&spec.name),
        declaration(spec)
            .split_once(" :: ")
            .map_or(String::new(), |(_, t)| t.to_string()),
        declaration(spec)
    ));
    main.push_str(&format!(
        "        {}\n  out <- evaluate (BL.toStrict (B.toLazyByteString ({} result)))\n",
        args.concat(),
        codec('w', &spec.returns)
    ));
    main.push_str(&format!(
        "  hFlush stdout\n  hSetBinaryMode stdout True\n  BS.hPut stdout (BC.pack \"\\n{}\\n\" <> out <> BC.pack \"\\n\")\n  hFlush stdout\n",
        SEPARATOR.replace('\u{1e}', "\\x1e\\&")
    ));
    let mut files = super::files::harness_files(MAIN, main, USER, as_module(&user));
    files.push(SourceFile {
        name: TYPES.into(),
        content: TYPES_MODULE.into(),
    });
    (files, MAIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str, params: &[(&str, &str)], returns: &str) -> FunctionSpec {
        FunctionSpec::of(name, params, returns)
    }

    #[test]
    fn signatures_use_idiomatic_types() {
        let two_sum = spec("twoSum", &[("nums", "int[]"), ("target", "int")], "int[]");
        assert_eq!(declaration(&two_sum), "twoSum :: [Int] -> Int -> [Int]");
        let mixed = spec(
            "Filter",
            &[("words", "string[][]"), ("c", "char"), ("x", "double")],
            "long",
        );
        assert_eq!(
            declaration(&mixed),
            "filter :: [[String]] -> Char -> Double -> Int"
        );
        let tree = spec("invert", &[("root", "TreeNode")], "ListNode");
        assert_eq!(
            declaration(&tree),
            "invert :: Maybe TreeNode -> Maybe ListNode"
        );
        assert_eq!(hs_name("type"), "type'");
        assert_eq!(hs_name("Nums"), "nums");
    }

    #[test]
    fn the_module_header_goes_after_pragmas_and_keeps_line_numbers() {
        let user = "{-# LANGUAGE BangPatterns #-}\n-- note\n{- block\n  comment -}\nimport Data.List\nf :: Int\nf = 1\n";
        let module = as_module(user);
        assert_eq!(
            module,
            "{-# LANGUAGE BangPatterns #-}\n-- note\n{- block\n  comment -}\nmodule Solution where\nimport JudgeTypes\n{-# LINE 5 \"Solution.hs\" #-}\nimport Data.List\nf :: Int\nf = 1\n"
        );
        let own = "module Solution where\nf = 1\n";
        assert_eq!(as_module(own), own);
    }

    #[test]
    fn the_harness_calls_the_function_at_the_expected_type() {
        let two_sum = spec("twoSum", &[("nums", "int[]"), ("target", "int")], "int[]");
        let (files, entry) = files(&two_sum, "twoSum = undefined\n".into());
        assert_eq!(entry, MAIN);
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["Main.hs", "Solution.hs", "JudgeTypes.hs"]);
        let main = &files[0].content;
        assert!(
            main.contains("  a0 <- (rList rInt) judge\n  a1 <- rInt judge\n"),
            "{main}"
        );
        assert!(
            main.contains("(Solution.twoSum :: [Int] -> Int -> [Int]) -- the judge calls: twoSum :: [Int] -> Int -> [Int]\n         a0 a1\n"),
            "{main}"
        );
        assert!(main.contains("((wList wInt) result)"), "{main}");
    }
}
