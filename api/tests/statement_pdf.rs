//! A statement figure given only as PDF is rendered as PNG when the package
//! is imported (the problems directory at start, and an admin import), and
//! `GET /api/problems/{id}/statement/{file}` serves the PNG beside the PDF,
//! on a real Redis. Needs `pdftoppm` (poppler-utils, which scripts/lib.sh
//! installs): fails, never skips, without it.

use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};
use testkit::{write_file, RedisServer};
use tokio_util::sync::CancellationToken;

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

async fn start(redis_url: &str, problems: &Path, web: &Path) -> (String, CancellationToken) {
    let config = api::Config {
        redis_url: redis_url.to_string(),
        addr: "127.0.0.1:0".into(),
        problems_dir: problems.to_path_buf(),
        max_code_bytes: 1000,
        gateway_url: "ws://127.0.0.1:1".into(),
        web_dir: web.to_path_buf(),
        auth: api::AuthMode::Required,
        admin_token: Some(ADMIN.into()),
        admin_token_file: web.join("unused"),
        max_package_bytes: api::DEFAULT_MAX_PACKAGE_BYTES,
        max_queue: 100,
        rate_limit_per_minute: 0,
        validator_check_secs: 0,
        signup: None,
        cookie_secure: false,
        trusted_proxies: Vec::new(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = CancellationToken::new();
    tokio::spawn(api::serve(config, listener, shutdown.clone()));
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{base}/api/problems/graph")).await {
            if r.status() == 200 {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (base, shutdown)
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
    let problems = tempfile::tempdir().unwrap();
    let web = tempfile::tempdir().unwrap();
    write_graph(&problems.path().join("graph"), "Graph");
    let (base, shutdown) = start(&redis.url(), problems.path(), web.path()).await;

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
    assert!(!problems
        .path()
        .join("graph/problem_statement/fig/graph.pdf.png")
        .exists());

    // An admin import of another problem renders its figure too.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("graph2");
    write_graph(&root, "Graph again");
    let (tar, _) = problem_package::problem::pack(&root).unwrap();
    let r = reqwest::Client::new()
        .put(format!("{base}/api/admin/problems/graph2"))
        .bearer_auth(ADMIN)
        .header("content-type", "application/x-tar")
        .body(tar)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    let r = reqwest::get(format!(
        "{base}/api/problems/graph2/statement/fig%2Fgraph.pdf.png"
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(png_size(&r.bytes().await.unwrap()), (150, 75));
    shutdown.cancel();
}
