//! Installing the toolchain when it is missing (../shared/TOOLCHAIN.md):
//! wasm target, Trunk, wasm-bindgen CLI, a wasm-opt that works, Chromium + ChromeDriver +
//! a CJK font, and the e2e tests' node packages. Every step skips what is already there.
//!
//! Tools go to `$KAIFANG_TOOLS` (default `~/.cache/kaifang/tools`) so that a fresh clone on
//! the same machine reuses them, and a fresh machine gets them from the registries.

use crate::proc::{self, cmd, prints, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub const TRUNK_VERSION: &str = "0.21.14";
/// Must equal the `wasm-bindgen` crate version pinned in the root Cargo.toml.
pub const WASM_BINDGEN_VERSION: &str = "0.2.130";
/// Debian's binaryen 108 breaks the output (TOOLCHAIN.md); npm's 132 works.
pub const BINARYEN_VERSION: &str = "132";

pub fn tools_dir() -> PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| match std::env::var_os("KAIFANG_TOOLS") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(std::env::var_os("HOME").unwrap_or_else(|| "/root".into())).join(".cache/kaifang/tools"),
    })
    .clone()
}

pub fn path_with_tools() -> std::ffi::OsString {
    let dir = tools_dir();
    let mut parts = vec![dir.join("cargo/bin"), dir.join("node_modules/.bin")];
    if let Some(p) = std::env::var_os("PATH") {
        parts.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(parts).expect("PATH entries have no separator")
}

/// Everything needed to build the app.
pub fn ensure_build_tools() -> Result<()> {
    std::fs::create_dir_all(tools_dir()).map_err(|e| format!("creating {}: {e}", tools_dir().display()))?;
    ensure_wasm_target()?;
    ensure_rustfmt()?;
    ensure_cargo_tool("trunk", "trunk", TRUNK_VERSION, true)?;
    ensure_cargo_tool("wasm-bindgen-cli", "wasm-bindgen", WASM_BINDGEN_VERSION, false)?;
    ensure_wasm_opt()
}

fn ensure_wasm_target() -> Result<()> {
    if prints("rustup", &["target", "list", "--installed"], "wasm32-unknown-unknown") {
        return Ok(());
    }
    proc::run(cmd("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// The tidy test checks formatting against `rustfmt.toml` (xtask/src/tidy.rs).
fn ensure_rustfmt() -> Result<()> {
    if prints("rustup", &["component", "list", "--installed"], "rustfmt") {
        return Ok(());
    }
    proc::run(cmd("rustup").args(["component", "add", "rustfmt"]))
}

pub fn ensure_cargo_tool(krate: &str, bin: &str, version: &str, locked: bool) -> Result<()> {
    let exe = tools_dir().join("cargo/bin").join(bin);
    if prints(exe.to_str().unwrap_or(bin), &["--version"], version) {
        return Ok(());
    }
    eprintln!("installing {krate} {version} (a few minutes on 2 cores)…");
    let root = tools_dir().join("cargo");
    let mut c = cmd("cargo");
    c.args(["install", krate, "--version", version, "--root"]).arg(&root);
    // TOOLCHAIN.md: wasm-bindgen-cli's lock file names a crate version the registry lacks.
    if locked {
        c.arg("--locked");
    }
    // Build the tool in its own target dir so it never competes with the project's.
    c.env("CARGO_TARGET_DIR", tools_dir().join("build"));
    proc::run(&mut c)
}

fn ensure_wasm_opt() -> Result<()> {
    let exe = tools_dir().join("node_modules/.bin/wasm-opt");
    if prints(exe.to_str().unwrap_or("wasm-opt"), &["--version"], &format!("version {BINARYEN_VERSION}")) {
        return Ok(());
    }
    ensure_npm(&tools_dir(), "kaifang-tools", "binaryen", BINARYEN_VERSION)
}

/// Installs npm's `package@version` into `dir`, its own `node_modules` beside a private
/// `package.json` named `manifest` (made when missing), so each tool's dependencies stay
/// apart.
fn ensure_npm(dir: &Path, manifest: &str, package: &str, version: &str) -> Result<()> {
    ensure_node()?;
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    if !dir.join("package.json").exists() {
        std::fs::write(dir.join("package.json"), format!("{{\"name\":\"{manifest}\",\"private\":true}}\n"))
            .map_err(|e| e.to_string())?;
    }
    proc::run(cmd("npm").current_dir(dir).args(["install", "--no-audit", "--no-fund", &format!("{package}@{version}")]))
}

/// Installs PyPI's `package==version` into its own venv (made when missing, with Debian's
/// python3-venv when the `venv` module is missing), so each tool's dependencies stay apart.
fn ensure_pip(venv: &Path, package: &str, version: &str) -> Result<()> {
    if !venv.join("bin/pip").exists() {
        if !prints("python3", &["-c", "import venv, ensurepip; print('ok')"], "ok") {
            apt_install(&["python3-venv"])?;
        }
        proc::run(Command::new("python3").args(["-m", "venv"]).arg(venv))?;
    }
    proc::run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("{package}=={version}"),
    ]))
}

pub fn ensure_node() -> Result<()> {
    if prints("node", &["--version"], "v") && prints("npm", &["--version"], ".") {
        return Ok(());
    }
    apt_install(&["nodejs", "npm"])
}

/// Chromium, ChromeDriver and a CJK font for browser tests and benchmarks.
pub fn ensure_browser() -> Result<()> {
    let missing: Vec<&str> = [("chromium", "chromium"), ("chromium-driver", "chromedriver")]
        .into_iter()
        .filter(|(_, bin)| !prints(bin, &["--version"], "."))
        .map(|(pkg, _)| pkg)
        .chain((!dpkg_installed("fonts-noto-cjk")).then_some("fonts-noto-cjk"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    apt_install(&missing)
}

fn dpkg_installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

pub fn apt_install(pkgs: &[&str]) -> Result<()> {
    eprintln!("installing {} from Debian's packages…", pkgs.join(" "));
    static UPDATED: OnceLock<()> = OnceLock::new();
    if UPDATED.get().is_none() {
        proc::run(Command::new("apt-get").args(["update", "-q"]))?;
        let _ = UPDATED.set(());
    }
    proc::run(
        Command::new("apt-get")
            .env("DEBIAN_FRONTEND", "noninteractive")
            // Another apt run (a parallel set-up) holds the lock for a while: wait for it.
            .args(["-o", "DPkg::Lock::Timeout=600", "install", "-y", "-q", "--no-install-recommends"])
            .args(pkgs),
    )
}

/// Lighthouse for `cargo xtask bench first-visit` (kept out of the test command's packages:
/// only the benchmark needs it), in the tools folder.
pub const LIGHTHOUSE_VERSION: &str = "13.5.0";

pub fn ensure_lighthouse() -> Result<PathBuf> {
    let dir = tools_dir().join("lighthouse");
    let bin = dir.join("node_modules/.bin/lighthouse");
    if prints(bin.to_str().unwrap_or("lighthouse"), &["--version"], LIGHTHOUSE_VERSION) {
        return Ok(bin);
    }
    ensure_npm(&dir, "kaifang-lighthouse", "lighthouse", LIGHTHOUSE_VERSION)?;
    Ok(bin)
}

/// The e2e tests' and browser benchmarks' node packages (playwright-core, …), from the lock file.
pub fn ensure_e2e_packages() -> Result<()> {
    ensure_node()?;
    let dir = proc::root().join("tests/e2e");
    let marker = dir.join("node_modules/.package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (std::fs::metadata(&marker), std::fs::metadata(&lock)) {
        (Ok(m), Ok(l)) => m.modified().ok() >= l.modified().ok(),
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    proc::run(cmd("npm").current_dir(&dir).args(["ci", "--no-audit", "--no-fund"]))
}

/// Schemathesis (PyPI), which checks the served intake against `docs/intake-api.yaml`.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";

/// Schemathesis in its own venv under the tools folder (Debian's python3-venv when the
/// `venv` module is missing); the path of its `schemathesis` command.
pub fn ensure_schemathesis() -> Result<PathBuf> {
    let venv = tools_dir().join("venv-schemathesis");
    let exe = venv.join("bin/schemathesis");
    if prints(exe.to_str().unwrap_or("schemathesis"), &["--version"], SCHEMATHESIS_VERSION) {
        return Ok(exe);
    }
    ensure_pip(&venv, "schemathesis", SCHEMATHESIS_VERSION)?;
    Ok(exe)
}

/// Debian's nginx, the load balancer of the two-instance test; the path of its binary.
pub fn ensure_nginx() -> Result<PathBuf> {
    let exe = PathBuf::from("/usr/sbin/nginx");
    if !exe.exists() {
        apt_install(&["nginx"])?;
    }
    Ok(exe)
}

/// The OpenID provider the sign-in journeys start (`tests/auth/provider.mjs`): npm's
/// `oidc-provider`, a certified implementation, so the intake is tested against the real
/// protocol, never a mock of it.
pub const OIDC_PROVIDER_VERSION: &str = "9.13.3";

/// `oidc-provider` in its own folder under the tools folder; the path of its package folder
/// (the journeys import it from there: `KAIFANG_OIDC_PROVIDER`).
pub fn ensure_oidc_provider() -> Result<PathBuf> {
    let dir = tools_dir().join("oidc-provider");
    let pkg = dir.join("node_modules/oidc-provider");
    let installed = std::fs::read_to_string(pkg.join("package.json"))
        .is_ok_and(|s| s.contains(&format!("\"version\": \"{OIDC_PROVIDER_VERSION}\"")));
    if installed {
        return Ok(pkg);
    }
    ensure_npm(&dir, "kaifang-oidc-provider", "oidc-provider", OIDC_PROVIDER_VERSION)?;
    Ok(pkg)
}

/// The SMTP server the notification journeys deliver to: PyPI's `aiosmtpd`, writing each
/// message into a Maildir the journey reads.
pub const AIOSMTPD_VERSION: &str = "1.4.6";

/// `aiosmtpd` in its own venv under the tools folder; the path of that venv's python
/// (`python -m aiosmtpd …`: `KAIFANG_AIOSMTPD_PYTHON`).
pub fn ensure_aiosmtpd() -> Result<PathBuf> {
    let venv = tools_dir().join("venv-aiosmtpd");
    let python = venv.join("bin/python3");
    let probe = "import importlib.metadata as m; print(m.version('aiosmtpd'))";
    if prints(python.to_str().unwrap_or("python3"), &["-c", probe], AIOSMTPD_VERSION) {
        return Ok(python);
    }
    ensure_pip(&venv, "aiosmtpd", AIOSMTPD_VERSION)?;
    Ok(python)
}
