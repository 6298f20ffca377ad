//! A statement's PDF figures rendered as PNG at import (`pdftoppm` must be
//! installed: scripts/lib.sh installs poppler-utils).

use crate::problem::figures::{pack_for_import, rendered_name, PDFTOPPM};
use crate::problem::load::Problem;
use crate::problem::pack::pack;
use crate::problem::test_support::package;

/// A one-page PDF (72 × 36 pt) with a blue box.
pub(crate) const TINY_PDF: &str = "%PDF-1.1\n\
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 72 36] /Contents 4 0 R >> endobj\n\
4 0 obj << /Length 25 >> stream\n0 0 1 rg 10 10 52 16 re f\nendstream endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";

fn files_of(tar: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = tar::Archive::new(tar);
    let mut out = Vec::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        out.push((path, bytes));
    }
    out
}

#[test]
fn an_imported_pdf_figure_gets_a_png_beside_it_and_the_folder_is_untouched() {
    let dir = package(&[
        ("problem.yaml", "name: Graph\n"),
        (
            "problem_statement/problem.en.tex",
            "\\problemname{Graph}\n\\begin{figure}\\includegraphics{fig/graph.pdf}\\caption{The graph for $n = 5$}\\end{figure}\n",
        ),
        ("problem_statement/fig/graph.pdf", TINY_PDF),
        ("problem_statement/plain.png", "\u{89}PNG not really"),
        ("data/secret/1.in", "1\n"),
        ("data/secret/1.ans", "1\n"),
    ]);
    let root = dir.path().join("prob");
    let mut problem = Problem::load(&root).unwrap();
    assert_eq!(
        problem.statement.as_ref().unwrap().assets,
        ["fig/graph.pdf", "plain.png"]
    );
    let (tar, version) = pack_for_import(&root, &mut problem).unwrap();
    assert!(
        !problem.warnings.iter().any(|w| w.contains("not rendered")),
        "{PDFTOPPM} must be installed (poppler-utils): {:?}",
        problem.warnings
    );
    let statement = problem.statement.as_ref().unwrap();
    assert_eq!(
        statement.assets,
        ["fig/graph.pdf", "fig/graph.pdf.png", "plain.png"]
    );
    let files = files_of(&tar);
    let png = files
        .iter()
        .find(|(p, _)| p == "problem_statement/fig/graph.pdf.png")
        .map(|(_, b)| b.clone())
        .expect("the rendering is in the tar");
    assert!(png.starts_with(b"\x89PNG"));
    // 1 inch by half an inch at 150 dpi.
    assert_eq!(&png[16..24], &[0, 0, 0, 150, 0, 0, 0, 75]);
    assert!(files
        .iter()
        .any(|(p, _)| p == "problem_statement/fig/graph.pdf"));
    // The API takes it out of the tar like any figure.
    let served = crate::statement::extract(&tar, statement).unwrap();
    assert!(served
        .iter()
        .any(|(n, b)| n == "fig/graph.pdf.png" && *b == png));
    // Deterministic, and the package folder was never written to.
    let (_, again) = pack_for_import(&root, &mut Problem::load(&root).unwrap()).unwrap();
    assert_eq!(version, again);
    assert!(!root.join("problem_statement/fig/graph.pdf.png").exists());
    assert_ne!(pack(&root).unwrap().1, version);
}

#[test]
fn a_pdf_that_cannot_be_rendered_stays_a_link_with_a_warning() {
    let dir = package(&[
        ("problem.yaml", "name: Broken\n"),
        (
            "statement/problem.en.md",
            "![broken](broken.pdf) and ![own](own.pdf)\n",
        ),
        ("statement/broken.pdf", "%PDF-1.4 truncated"),
        // The package's own rendering is kept, not made again.
        ("statement/own.pdf", TINY_PDF),
        ("statement/own.pdf.png", "\u{89}PNG the author's"),
        ("data/secret/1.in", "1\n"),
        ("data/secret/1.ans", "1\n"),
    ]);
    let root = dir.path().join("prob");
    let mut problem = Problem::load(&root).unwrap();
    let (tar, _) = pack_for_import(&root, &mut problem).unwrap();
    assert_eq!(
        problem.statement.as_ref().unwrap().assets,
        ["broken.pdf", "own.pdf", "own.pdf.png"]
    );
    assert!(
        problem
            .warnings
            .iter()
            .any(|w| w.starts_with("statement/broken.pdf: not rendered")),
        "{:?}",
        problem.warnings
    );
    let files = files_of(&tar);
    assert_eq!(
        files
            .iter()
            .filter(|(p, _)| p.ends_with(".png"))
            .map(|(p, b)| (p.as_str(), b.as_slice()))
            .collect::<Vec<_>>(),
        [("statement/own.pdf.png", "\u{89}PNG the author's".as_bytes())]
    );
    assert_eq!(rendered_name("broken.pdf"), "broken.pdf.png");
}
