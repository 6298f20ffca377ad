//! Statement files: `GET /api/problems/{id}/statement/{file}` serves the
//! figures and attachments of the current version's statement folder, and
//! nothing else of the package, on a real Redis.

use std::path::{Path, PathBuf};

use judge_store::keys;
use problem_package::problem::Problem;
use redis::AsyncCommands;
use serde_json::Value;
use testkit::http::{call, Req};
use testkit::{bundled_problems, write_file, write_problem, ApiServer, RedisServer};

const ADMIN: &str = "statement-admin-token";
/// Not a valid PNG, but the API does not look inside: bytes in, bytes out.
const PIC_V1: &[u8] = b"\x89PNG first version";
const PIC_V2: &[u8] = b"\x89PNG second version";

fn bundled(id: &str) -> PathBuf {
    bundled_problems().join(id)
}

/// The `pic` package: a Markdown statement with a figure in a subfolder,
/// files that must not be served next to it, and a secret answer.
fn write_pic(root: &Path, figure: &[u8]) {
    write_file(root, "problem.yaml", "name: Pic\nlimits:\n  memory: 256\n");
    write_file(
        root,
        "problem_statement/problem.en.md",
        "# Pic\n![a figure](img/a.png)\n",
    );
    write_file(root, "problem_statement/notes.txt", "attached notes\n");
    write_file(root, "problem_statement/.hidden.png", "hidden");
    write_file(root, "problem_statement/macros.sty", "\\relax");
    write_file(root, "data/sample/1.in", "1\n");
    write_file(root, "data/sample/1.ans", "1\n");
    write_file(root, "data/secret/1.in", "2\n");
    write_file(root, "data/secret/1.ans", "SECRET-ANSWER\n");
    let dir = root.join("problem_statement/img");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("a.png"), figure).unwrap();
}

struct App {
    api: ApiServer,
    http: reqwest::Client,
}

impl App {
    /// The API with `figure` and `figure-md` from problems/, `pic`, and
    /// `bare` (no statement at all).
    async fn start(redis_url: &str) -> App {
        let flags = ["--max-queue", "100", "--rate-limit-per-minute", "0"];
        let api = ApiServer::builder(api::serve, redis_url, ADMIN)
            .flags(&flags)
            .problems(|dir| {
                for id in ["figure", "figure-md"] {
                    std::os::unix::fs::symlink(bundled(id), dir.join(id)).unwrap();
                }
                write_pic(&dir.join("pic"), PIC_V1);
                write_problem(&dir.join("bare"), "name: Bare\n");
            })
            .start()
            .await;
        App {
            api,
            http: reqwest::Client::new(),
        }
    }

    async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.api.base))
            .send()
            .await
            .unwrap()
    }

    async fn json(&self, path: &str) -> Value {
        self.get(path).await.json().await.unwrap()
    }

    /// A 404 whose JSON error names `field`; returns the message.
    async fn not_found(&self, path: &str, field: &str) -> String {
        let r = self.get(path).await;
        assert_eq!(r.status(), 404, "{path}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["error"]["field"], field, "{path}: {body}");
        body["error"]["message"].as_str().unwrap().to_string()
    }

    async fn stop(self) {
        self.api.stop_cleanly().await;
    }
}

#[test]
fn the_bundled_figure_packages_list_their_figures_and_load_cleanly() {
    let tex = Problem::load(&bundled("figure")).unwrap();
    assert!(tex.warnings.is_empty(), "{:?}", tex.warnings);
    let statement = tex.statement.unwrap();
    assert_eq!(statement.format, "tex");
    assert_eq!(statement.dir, "problem_statement");
    assert_eq!(statement.assets, ["bars.png", "coins.png"]);
    for needed in [
        "\\section*{Input}",
        "\\begin{itemize}",
        "\\begin{tabular}",
        "\\includegraphics",
        "\\illustration",
    ] {
        assert!(statement.text.contains(needed), "{needed}");
    }

    let md = Problem::load(&bundled("figure-md")).unwrap();
    assert!(md.warnings.is_empty(), "{:?}", md.warnings);
    let statement = md.statement.unwrap();
    assert_eq!(statement.format, "md");
    assert_eq!(statement.dir, "statement");
    assert_eq!(statement.assets, ["skyline.svg"]);
    assert!(statement.text.contains("](skyline.svg"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statement_files_are_served_with_their_type_and_nothing_else_is() {
    let redis = RedisServer::start();
    let app = App::start(&redis.url()).await;

    // The summary lists the files, so the page can resolve `\includegraphics{bars}`.
    let figure = app.json("/api/problems/figure").await;
    assert_eq!(
        figure["statement"]["assets"],
        serde_json::json!(["bars.png", "coins.png"])
    );
    let pic = app.json("/api/problems/pic").await;
    assert_eq!(
        pic["statement"]["assets"],
        serde_json::json!(["img/a.png", "notes.txt"])
    );

    // A PNG, byte for byte, with its type and no sniffing.
    let r = app.get("/api/problems/figure/statement/bars.png").await;
    assert_eq!(r.status(), 200);
    let headers = r.headers().clone();
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert!(headers["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("default-src 'none'"));
    let etag = headers["etag"].to_str().unwrap().to_string();
    assert_eq!(
        r.bytes().await.unwrap().as_ref(),
        std::fs::read(bundled("figure/problem_statement/bars.png")).unwrap()
    );

    // The same version again: 304 without a body.
    let r = app
        .http
        .get(format!(
            "{}/api/problems/figure/statement/bars.png",
            app.api.base
        ))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);

    // SVG can hold scripts: served with a CSP that allows none.
    let r = app
        .get("/api/problems/figure-md/statement/skyline.svg")
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "image/svg+xml");
    assert_eq!(
        r.headers()["content-security-policy"],
        api::statement::SVG_CSP
    );
    assert!(r.text().await.unwrap().starts_with("<svg"));

    // A file in a subfolder is named with %2F; a text file is text.
    let r = app.get("/api/problems/pic/statement/img%2Fa.png").await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PIC_V1);
    let r = app.get("/api/problems/pic/statement/notes.txt").await;
    assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
    assert_eq!(r.text().await.unwrap(), "attached notes\n");

    // The first request took the files out of the package into a hash that expires.
    let version = pic["version"].as_str().unwrap();
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let cached: Option<Vec<u8>> = conn
        .hget(keys::statement_assets(version), "img/a.png")
        .await
        .unwrap();
    assert_eq!(cached.as_deref(), Some(PIC_V1));
    let ttl: i64 = conn.ttl(keys::statement_assets(version)).await.unwrap();
    assert!(ttl > 0, "the cache expires: ttl {ttl}");

    // Everything else is a 404 naming the field.
    for (path, why) in [
        (
            "pic/statement/..%2Fdata%2Fsecret%2F1.ans",
            "not a file of the statement folder",
        ),
        (
            "pic/statement/%2E%2E%2Fproblem.yaml",
            "not a file of the statement folder",
        ),
        (
            "pic/statement/%2Fetc%2Fpasswd",
            "not a file of the statement folder",
        ),
        (
            "pic/statement/.hidden.png",
            "not a file of the statement folder",
        ),
        (
            "pic/statement/img%2F..%2F..%2Fdata%2Fsecret%2F1.png",
            "not a file of the statement folder",
        ),
        (
            "pic/statement/a%20b.png",
            "not a file of the statement folder",
        ),
        ("pic/statement/problem.en.md", "type is not served"),
        ("pic/statement/macros.sty", "type is not served"),
        ("pic/statement/missing.png", "has no such file"),
        ("pic/statement/a.png", "has no such file"),
        ("bare/statement/figure.png", "has no statement"),
    ] {
        let message = app
            .not_found(&format!("/api/problems/{path}"), "file")
            .await;
        assert!(message.contains(why), "{path}: {message}");
    }
    // The secret answer is nowhere in what was cached.
    let all: Vec<(String, Vec<u8>)> = conn.hgetall(keys::statement_assets(version)).await.unwrap();
    assert!(all
        .iter()
        .all(|(_, v)| !String::from_utf8_lossy(v).contains("SECRET-ANSWER")));
    app.not_found("/api/problems/nosuch/statement/a.png", "problem_id")
        .await;
    app.not_found("/api/problems/BAD%20ID/statement/a.png", "problem_id")
        .await;

    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_version_serves_its_own_figure() {
    let redis = RedisServer::start();
    let app = App::start(&redis.url()).await;
    let first = app.get("/api/problems/pic/statement/img%2Fa.png").await;
    let first_etag = first.headers()["etag"].to_str().unwrap().to_string();
    assert_eq!(first.bytes().await.unwrap().as_ref(), PIC_V1);

    // The admin imports a version with another figure: the URL now serves it.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("pic");
    write_pic(&root, PIC_V2);
    let (tar, _) = problem_package::problem::pack(&root).unwrap();
    let import = Req::bearer(ADMIN).tar(tar);
    let a = call(&app.api.base, "PUT", "/api/admin/problems/pic", import).await;
    assert_eq!(a.status, 200, "{}", a.body);

    let r = app
        .http
        .get(format!(
            "{}/api/problems/pic/statement/img%2Fa.png",
            app.api.base
        ))
        .header("if-none-match", &first_etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "the old ETag no longer matches");
    assert_ne!(r.headers()["etag"].to_str().unwrap(), first_etag);
    assert_eq!(r.bytes().await.unwrap().as_ref(), PIC_V2);
    app.stop().await;
}

#[test]
fn names_are_refused_before_anything_is_read() {
    use api::statement::name_refusal;
    assert_eq!(name_refusal("fig.png"), None);
    assert_eq!(name_refusal("img/fig.SVG"), None);
    for bad in [
        "../x.png",
        "/x.png",
        ".x.png",
        "x.exe",
        "x.html",
        "a/./b.png",
        "",
    ] {
        assert!(name_refusal(bad).is_some(), "{bad}");
    }
}
