//! PDF figures of a statement, rendered as PNG when a package is imported.
//!
//! LaTeX statements often give their figures only as PDF
//! (`\includegraphics{graph.pdf}`), which a browser shows as a link at
//! best. At import ([`pack_for_import`]), the first page of every PDF the
//! statement serves is rendered with `pdftoppm` (Debian's poppler-utils)
//! into `NAME.pdf.png` ([`rendered_name`]): the PNG goes into the stored
//! package tar beside the PDF and into [`Statement::assets`], so the API
//! serves it like any figure and the page shows it in the PDF's place,
//! keeping the PDF as a download. The package folder itself is never
//! written to (it may be the repository's `problems/`).
//!
//! A figure that cannot be rendered (no `pdftoppm`, a broken or huge PDF, a
//! render over the size caps) stays a link, with a warning naming it.
//! `pdftoppm` reads an untrusted file: it runs without a shell, with an
//! empty environment, on the first page only, at a fixed resolution, and is
//! killed after [`RENDER_TIMEOUT`].

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::error::ProblemError;
use super::load::Problem;
use super::pack::pack_with;
use crate::statement::{
    is_safe_name, Statement, MAX_ASSETS, MAX_ASSETS_TOTAL_BYTES, MAX_ASSET_BYTES,
};

/// The program that renders a PDF page (poppler-utils).
pub const PDFTOPPM: &str = "pdftoppm";
/// Resolution of a rendering: a figure keeps its printed size on screen
/// (a 16 cm wide figure is about 950 pixels).
pub const RENDER_DPI: u32 = 150;
/// How long one PDF may take to render.
pub const RENDER_TIMEOUT: Duration = Duration::from_secs(20);

/// The served name of `pdf`'s rendering: `fig/graph.pdf` → `fig/graph.pdf.png`.
pub fn rendered_name(pdf: &str) -> String {
    format!("{pdf}.png")
}

fn is_pdf(name: &str) -> bool {
    name.rsplit_once('.')
        .is_some_and(|(_, ext)| ext.eq_ignore_ascii_case("pdf"))
}

/// Renders the first page of the PDF at `path` as PNG bytes.
pub fn render_first_page(path: &Path) -> Result<Vec<u8>, String> {
    let mut child = Command::new(PDFTOPPM)
        .args(["-png", "-singlefile", "-f", "1", "-l", "1", "-r"])
        .arg(RENDER_DPI.to_string())
        .arg(path)
        .env_clear()
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                format!("{PDFTOPPM} is not installed (Debian's poppler-utils)")
            } else {
                format!("cannot run {PDFTOPPM}: {e}")
            }
        })?;
    // Read both pipes on threads, so a chatty pdftoppm never blocks.
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        // One more byte than allowed tells a render that is too large.
        let _ = (&mut stdout)
            .take(MAX_ASSET_BYTES + 1)
            .read_to_end(&mut bytes);
        // Drain the rest so that pdftoppm can finish.
        let _ = std::io::copy(&mut stdout, &mut std::io::sink());
        bytes
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = (&mut stderr).take(4096).read_to_string(&mut text);
        let _ = std::io::copy(&mut stderr, &mut std::io::sink());
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > RENDER_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "{PDFTOPPM} took longer than {} s",
                    RENDER_TIMEOUT.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("waiting for {PDFTOPPM}: {e}")),
        }
    };
    let bytes = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        let why = stderr.lines().last().unwrap_or("").trim().to_string();
        return Err(format!("{PDFTOPPM} failed ({status}): {why}"));
    }
    if !bytes.starts_with(b"\x89PNG") {
        return Err(format!("{PDFTOPPM} gave no PNG"));
    }
    if bytes.len() as u64 > MAX_ASSET_BYTES {
        return Err(format!(
            "its rendering is over {} MiB",
            MAX_ASSET_BYTES >> 20
        ));
    }
    Ok(bytes)
}

/// Renders every PDF among `statement`'s served files (the statement
/// folder is `root/statement.dir`) that has no `NAME.pdf.png` yet; adds
/// each rendering's name to `statement.assets` and returns the files to
/// add to the package tar, as paths below the package root with their
/// bytes. The caps on what a statement serves hold for the renderings too.
pub fn render_pdf_figures(
    root: &Path,
    statement: &mut Statement,
    warnings: &mut Vec<String>,
) -> Vec<(String, Vec<u8>)> {
    let dir = root.join(&statement.dir);
    let mut total: u64 = statement
        .assets
        .iter()
        .filter_map(|a| std::fs::metadata(dir.join(a)).ok())
        .map(|m| m.len())
        .sum();
    let pdfs: Vec<String> = statement
        .assets
        .iter()
        .filter(|a| is_pdf(a))
        .cloned()
        .collect();
    let mut extra = Vec::new();
    for pdf in pdfs {
        let png = rendered_name(&pdf);
        let shown = format!("{}/{pdf}", statement.dir);
        // The package's own file of that name, if any, is what is shown.
        if statement.assets.contains(&png) || dir.join(&png).exists() || !is_safe_name(&png) {
            continue;
        }
        let bytes = match render_first_page(&dir.join(&pdf)) {
            Ok(bytes) => bytes,
            Err(why) => {
                warnings.push(format!(
                    "{shown}: not rendered as an image, shown as a link: {why}"
                ));
                continue;
            }
        };
        let size = bytes.len() as u64;
        if total + size > MAX_ASSETS_TOTAL_BYTES || statement.assets.len() >= MAX_ASSETS {
            warnings.push(format!(
                "{shown}: not rendered as an image, shown as a link: the statement's files may be at most {} and {} MiB in all",
                MAX_ASSETS,
                MAX_ASSETS_TOTAL_BYTES >> 20
            ));
            continue;
        }
        total += size;
        statement.assets.push(png.clone());
        extra.push((format!("{}/{png}", statement.dir), bytes));
    }
    statement.assets.sort();
    extra
}

/// [`super::pack`] for an import: the package tar with the statement's
/// PDF figures rendered as PNG beside them (see the module doc); `problem`
/// (as [`Problem::load`] read `root`) gets the renderings in its
/// statement's assets and a warning for each PDF that stays a link.
pub fn pack_for_import(
    root: &Path,
    problem: &mut Problem,
) -> Result<(Vec<u8>, String), ProblemError> {
    let extra = match problem.statement.as_mut() {
        Some(statement) => render_pdf_figures(root, statement, &mut problem.warnings),
        None => Vec::new(),
    };
    pack_with(root, &extra)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renderings_are_named_after_their_pdf() {
        assert_eq!(rendered_name("fig/graph.pdf"), "fig/graph.pdf.png");
        assert!(is_pdf("a.PDF") && is_pdf("x/y.pdf") && !is_pdf("pdf") && !is_pdf("a.png"));
    }

    #[test]
    fn a_broken_pdf_is_an_error_not_a_picture() {
        let dir = std::env::temp_dir().join(format!("judge-figures-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("broken.pdf");
        std::fs::write(&path, b"not a pdf at all").unwrap();
        let err = render_first_page(&path).unwrap_err();
        assert!(err.contains(PDFTOPPM), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
