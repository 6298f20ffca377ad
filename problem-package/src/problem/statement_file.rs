//! Finding the statement (`statement/` or `problem_statement/`, Markdown
//! or LaTeX) and its title. Its figures and attachments are
//! [`crate::statement`].

use std::path::Path;

use super::error::ProblemError;
use crate::statement::Statement;

/// The statement with its assets, if the package has one.
pub(super) fn load(
    root: &Path,
    warnings: &mut Vec<String>,
) -> Result<Option<Statement>, ProblemError> {
    let mut statement = find_statement(root)?;
    if let Some(s) = statement.as_mut() {
        s.assets = crate::statement::collect(&root.join(&s.dir), warnings)?;
    }
    Ok(statement)
}

fn find_statement(root: &Path) -> Result<Option<Statement>, ProblemError> {
    for dir in ["statement", "problem_statement"] {
        for name in [
            "problem.en.md",
            "problem.md",
            "problem.en.tex",
            "problem.tex",
        ] {
            let path = root.join(dir).join(name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ProblemError::new(&path, format!("cannot read as UTF-8: {e}")))?;
                let format = if name.ends_with(".md") { "md" } else { "tex" };
                return Ok(Some(Statement {
                    format: format.into(),
                    text,
                    dir: dir.into(),
                    assets: Vec::new(),
                }));
            }
        }
    }
    Ok(None)
}

/// `\problemname{X}` in LaTeX or a leading `# X` in Markdown.
pub(super) fn statement_title(text: &str) -> Option<String> {
    if let Some(start) = text.find("\\problemname{") {
        let rest = &text[start + "\\problemname{".len()..];
        return rest.find('}').map(|end| rest[..end].trim().to_string());
    }
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
}
