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

/// Builds the wasm app with Trunk into `dist/`: the home module from `index.html`, then each
/// other module (`src/modules.rs`: a `kaifang-<name>` bin) from a shell made of `index.html`
/// into `dist/modules/<name>/` (after, since Trunk replaces `dist/` whole).
pub fn build_app() -> Result<PathBuf> {
    // Trunk's wasm-bindgen splits a module that has split points (split.rs).
    let bindgen = crate::split::wrapper_dir()?;
    proc::run(cmd("trunk").env("PATH", with_first(&bindgen)).args(["build", "--release"]))?;
    let dist = root().join("dist");
    crate::compress::precompress_dir(&dist)?;
    let index_html = read(&root().join("index.html"))?;
    for name in page_modules()? {
        let shell = root().join(format!(".module-{name}.html"));
        std::fs::write(&shell, module_shell(&index_html, &name)?).map_err(|e| e.to_string())?;
        let (out, url) = (format!("dist/modules/{name}"), format!("/modules/{name}/"));
        let mut trunk = cmd("trunk");
        trunk.env("PATH", with_first(&bindgen)).arg("build").arg(&shell);
        let built = proc::run(trunk.args(["--release", "--dist", &out, "--public-url", &url]));
        let _ = std::fs::remove_file(&shell);
        built?;
        crate::split::link_main_module(&root().join(&out), &format!("kaifang-{name}"))?;
        crate::compress::precompress_dir(&root().join(&out))?;
    }
    Ok(dist)
}

/// The tools' PATH with `dir` first.
fn with_first(dir: &Path) -> std::ffi::OsString {
    let rest = crate::tools::path_with_tools();
    std::env::join_paths(std::iter::once(dir.to_path_buf()).chain(std::env::split_paths(&rest)))
        .expect("no separator in PATH")
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// The modules besides the home one: the crate's bins named `kaifang-<name>`.
fn page_modules() -> Result<Vec<String>> {
    let manifest = read(&root().join("Cargo.toml"))?;
    Ok(manifest
        .lines()
        .filter_map(|l| l.trim().strip_prefix("name = \"kaifang-")?.strip_suffix('"'))
        .filter(|n| *n != "web")
        .map(str::to_string)
        .collect())
}

/// A module's shell: `index.html` (its head, styles and early fetch) loading the module's bin,
/// without what the home build already writes for every module (the scan worker, the service
/// worker).
fn module_shell(index_html: &str, name: &str) -> Result<String> {
    let home = r#"data-bin="kaifang-web""#;
    if !index_html.contains(home) {
        return Err(format!("index.html has no {home}"));
    }
    let shell = index_html.replace(home, &format!(r#"data-bin="kaifang-{name}""#));
    Ok(shell
        .lines()
        .filter(|l| !(l.contains("data-trunk") && (l.contains("scan-worker") || l.contains("sw.js"))))
        .collect::<Vec<_>>()
        .join("\n"))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_module_gets_a_shell_of_index_html() {
        assert_eq!(page_modules().unwrap(), ["dataset", "filing", "my", "desk"]);
        let shell = module_shell(&read(&root().join("index.html")).unwrap(), "dataset").unwrap();
        assert!(shell.contains(r#"data-bin="kaifang-dataset""#) && !shell.contains("kaifang-web\""));
        assert!(shell.contains("__kaifangEarly"), "the early fetch stays: the dataset page needs it most");
        assert!(!shell.contains(r#"data-bin="scan-worker""#), "the home build writes the scan worker");
        assert!(!shell.contains(r#"href="src/sw.js""#), "the home build writes the service worker");
    }
}
