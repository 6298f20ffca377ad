//! A statement figure given only as PDF is rendered as PNG when the package
//! is imported (the problems directory at start, and an admin import), and
//! `GET /api/problems/{id}/statement/{file}` serves the PNG beside the PDF,
//! on a real Redis. Needs `pdftoppm` (poppler-utils, which scripts/lib.sh
//! installs): fails, never skips, without it.

use std::path::Path;

use serde_json::{json, Value};
use testkit::http::{call, Req};
use testkit::{write_file, ApiServer, RedisServer};

const ADMIN: &str = "statement-pdf-admin-token";

/// A one-page PDF, 72 × 36 pt (1 × 0.5 inch), with a blue box.
const TINY_PDF: &str = "%PDF-1.1\n\
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n\
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n\
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 72 36] /Contents 4 0 R >> endobj\n\
4 0 obj << /Length 25 >> stream\n0 0 1 rg 10 10 52 16 re f\nendstream endobj\n\
trailer << /Root 1 0 R >>\n%%EOF\n";

/// A LaTeX statement whose only figure is `fig/graph.pdf`, with math in its caption.
fn write_graph(root: &Path, name: &str) {
    write_file(
        root,
        "problem.yaml",
        &format!("name: {name}\nlimits:\n  memory: 256\n"),
    );
    write_file(
        root,
        "problem_statement/problem.en.tex",
        "\\problemname{Graph}\nFind the path.\n\\begin{figure}\\centering\\includegraphics[width=0.5\\textwidth]{fig/graph}\\caption{The graph for $n = 5$}\\end{figure}\n",
    );
    write_file(root, "problem_statement/fig/graph.pdf", TINY_PDF);
    write_file(root, "data/sample/1.in", "1\n");
    write_file(root, "data/sample/1.ans", "1\n");
    write_file(root, "data/secret/1.in", "2\n");
    write_file(root, "data/secret/1.ans", "2\n");
}

/// The PNG's width and height, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_figure_is_served_as_a_png_rendered_at_import_and_the_pdf_stays() {
    let redis = RedisServer::start();
    let flags = ["--max-queue", "100", "--rate-limit-per-minute", "0"];
    let api = ApiServer::builder(api::serve, &redis.url(), ADMIN)
        .flags(&flags)
        .problems(|dir| write_graph(&dir.join("graph"), "Graph"))
        .start()
        .await;
    let base = api.base.clone();

    // Loaded from the problems directory at start: the rendering is listed.
    let page: Value = reqwest::get(format!("{base}/api/problems/graph"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        page["statement"]["assets"],
        json!(["fig/graph.pdf", "fig/graph.pdf.png"]),
        "pdftoppm (poppler-utils) must be installed where the API runs: {page}"
    );
    let r = reqwest::get(format!(
        "{base}/api/problems/graph/statement/fig%2Fgraph.pdf.png"
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/png");
    let png = r.bytes().await.unwrap();
    // 1 × 0.5 inch at 150 dpi.
    assert_eq!(png_size(&png), (150, 75));
    // The PDF is still there to download.
    let r = reqwest::get(format!(
        "{base}/api/problems/graph/statement/fig%2Fgraph.pdf"
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().as_ref(), TINY_PDF.as_bytes());
    // The package folder was not written to.
    assert!(!api
        .problems_dir()
        .join("graph/problem_statement/fig/graph.pdf.png")
        .exists());

    // An admin import of another problem renders its figure too.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("graph2");
    write_graph(&root, "Graph again");
    let (tar, _) = problem_package::problem::pack(&root).unwrap();
    let import = Req::bearer(ADMIN).tar(tar);
    let a = call(&base, "PUT", "/api/admin/problems/graph2", import).await;
    assert!((200..300).contains(&a.status), "{}", a.body);
    let r = reqwest::get(format!(
        "{base}/api/problems/graph2/statement/fig%2Fgraph.pdf.png"
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(png_size(&r.bytes().await.unwrap()), (150, 75));
    api.stop().await;
}
