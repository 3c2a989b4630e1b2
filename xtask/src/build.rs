//! Building the parts (CLI, app, sample catalog) and `cargo xtask run`.

use crate::proc::{self, cmd, root, Result};
use crate::tools;
use std::path::{Path, PathBuf};

/// Where cargo puts its output (respects CARGO_TARGET_DIR).
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

/// Builds the `kaifang` binary in release mode and returns its path.
pub fn build_cli() -> Result<PathBuf> {
    proc::run(cmd("cargo").args(["build", "--release", "--package", "kaifang-cli"]))?;
    Ok(target_dir().join("release/kaifang"))
}

/// Builds the wasm app with Trunk into `dist/`: the public module from `index.html`, then
/// the desk's from `desk.html` into `dist/desk/` (after, since Trunk replaces `dist/` whole).
pub fn build_app() -> Result<PathBuf> {
    proc::run(cmd("trunk").args(["build", "--release"]))?;
    proc::run(cmd("trunk").args(["build", "desk.html", "--release", "--dist", "dist/desk", "--public-url", "/desk/"]))?;
    let dist = root().join("dist");
    crate::compress::precompress_dir(&dist)?;
    crate::compress::precompress_dir(&dist.join("desk"))?;
    Ok(dist)
}

/// Builds the sample portal into `out`, after writing its one large generated file
/// (全市公交刷卡记录, ~144 MB, deterministic, git-ignored under examples/portal/generated/).
pub fn build_sample_catalog(kaifang: &PathBuf, out: &PathBuf) -> Result<()> {
    let kaifang = kaifang.to_str().expect("utf-8 path");
    proc::run(cmd(kaifang).args(["catalog", "generate-large", "examples/portal"]))?;
    proc::run(cmd(kaifang).args(["catalog", "build", "examples/portal", "--out"]).arg(out))
}

/// Writes every page of the site as HTML (`kaifang render`) into `out`, next to the app's
/// files: what a reader or a crawler gets before any wasm runs.
pub fn render_pages(kaifang: &Path, app: &Path, catalog: &Path, out: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(out);
    let kaifang = kaifang.to_str().expect("utf-8 path");
    proc::run(cmd(kaifang).args(["render", "--catalog"]).arg(catalog).arg("--app").arg(app).arg("--out").arg(out))
}

/// Everything `serve` needs, built: (kaifang binary, app dir, catalog dir, pages dir).
pub fn build_all() -> Result<(PathBuf, PathBuf, PathBuf, PathBuf)> {
    tools::ensure_build_tools()?;
    let kaifang = build_cli()?;
    let app = build_app()?;
    let catalog = root().join("target/site/catalog");
    build_sample_catalog(&kaifang, &catalog)?;
    let pages = root().join("target/site/pages");
    render_pages(&kaifang, &app, &catalog, &pages)?;
    Ok((kaifang, app, catalog, pages))
}

/// `cargo xtask run`: set up, build, and serve the whole system on one address.
pub fn run() -> Result<()> {
    let (kaifang, app, catalog, pages) = build_all()?;
    let addr = std::env::var("KAIFANG_ADDR").unwrap_or_else(|_| "127.0.0.1:8080".into());
    eprintln!("starting kaifang serve (Ctrl-C stops it)…");
    proc::run(
        cmd(kaifang.to_str().expect("utf-8 path"))
            .args(["serve", "--app"])
            .arg(&app)
            .arg("--catalog")
            .arg(&catalog)
            .arg("--pages")
            .arg(&pages)
            .args(["--data", "data", "--addr", &addr]),
    )
}
