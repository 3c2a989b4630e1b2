//! Splitting a module's wasm where the app marks a `wasm_split` point (the dataset page's
//! preview and charts, `src/components/preview/lazy.rs`): the part behind the point leaves the
//! module the page loads first and is fetched when first used (issue 13, docs/pages.md).
//!
//! The split reads the linker's relocations (`--emit-relocs`, set for the split module in
//! `build.rs`), which wasm-bindgen drops, so it must run between cargo and wasm-bindgen —
//! where Trunk has no hook. Trunk is therefore given this wrapper as its wasm-bindgen
//! ([`wrapper_dir`] first on its `PATH`); [`bindgen`]:
//!
//! 1. splits the cargo output into a main part, the split parts and their JS loader,
//! 2. runs the real wasm-bindgen on the main part, and points its import of the loader at
//!    `snippets/split-<hash>/`, a folder Trunk copies next to the module as it is,
//! 3. optimises each split part with wasm-opt (Trunk optimises only the main part).
//!
//! After Trunk, [`link_main_module`] tells the loader the main part's final, hashed name.
//! A module without split points passes through to wasm-bindgen untouched.

use crate::proc::{self, cmd, Result};
use std::path::{Path, PathBuf};

/// What the main wasm imports its split parts' loader as, and the loader's import of the
/// main module before [`link_main_module`] names it.
const LOADER: &str = "./__wasm_split.js";
const MAIN_PLACEHOLDER: &str = "./__kaifang_main_module__.js";
/// The folder (under the module's `snippets/`) that holds the loader and the split parts.
const FOLDER_PREFIX: &str = "split-";

/// A folder holding a `wasm-bindgen` that runs `xtask split-bindgen`, for Trunk's `PATH`.
pub fn wrapper_dir() -> Result<PathBuf> {
    let dir = crate::build::target_dir().join("split-bindgen");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let xtask = std::env::current_exe().map_err(|e| e.to_string())?;
    let script = format!("#!/bin/sh\nexec \"{}\" split-bindgen \"$@\"\n", xtask.display());
    let path = dir.join("wasm-bindgen");
    std::fs::write(&path, script).map_err(|e| format!("{}: {e}", path.display()))?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// `xtask split-bindgen ARGS…`: wasm-bindgen's command line, as Trunk calls it.
pub fn bindgen(args: &[String]) -> Result<()> {
    let real = crate::tools::tools_dir().join("cargo/bin/wasm-bindgen");
    let real = real.to_str().ok_or("a non-UTF-8 tools path")?;
    let Some(call) = BindgenCall::parse(args) else {
        // `--version` and anything else that is not a build: the real tool answers.
        return proc::run(cmd(real).args(args));
    };
    // Trunk copies the output folder's `snippets/` whole, and every module shares the folder:
    // a split module's parts must not go along with the next module built.
    clear_split_folders(&call.out_dir.join("snippets"))?;
    let input = std::fs::read(&call.input).map_err(|e| format!("{}: {e}", call.input.display()))?;
    if !has_split_points(&input) {
        return proc::run(cmd(real).args(args));
    }
    let folder = format!("{FOLDER_PREFIX}{:016x}", fnv1a(&input));
    let parts_dir = call.out_dir.join("snippets").join(&folder);
    std::fs::create_dir_all(&parts_dir).map_err(|e| e.to_string())?;
    let main_wasm = parts_dir.join("main.wasm");
    let split = {
        let mut o = wasm_split_cli_support::Options::new(&input);
        o.output_dir = &parts_dir;
        o.main_out_path = &main_wasm;
        o.link_name = LOADER;
        o.main_module = MAIN_PLACEHOLDER;
        wasm_split_cli_support::transform(o).map_err(|e| format!("wasm split: {e:#}"))?
    };
    let main_arg = main_wasm.to_str().ok_or("a non-UTF-8 path")?.to_string();
    // The split parts import the main part's function table, which wasm-bindgen drops from
    // the exports unless told to keep the linker's.
    let bindgen_args: Vec<String> = args
        .iter()
        .map(|a| if Path::new(a) == call.input { main_arg.clone() } else { a.clone() })
        .chain(["--keep-lld-exports".to_string()])
        .collect();
    proc::run(cmd(real).args(&bindgen_args))?;
    std::fs::remove_file(&main_wasm).map_err(|e| e.to_string())?;
    point_at_loader(&call.out_dir.join(format!("{}.js", call.out_name)), &folder)?;
    for part in &split.split_modules {
        optimise(part)?;
    }
    eprintln!("split {} into a main part and {} on first use ({folder})", call.out_name, split.split_modules.len());
    Ok(())
}

/// The parts of a wasm-bindgen build call that the split needs.
struct BindgenCall {
    input: PathBuf,
    out_dir: PathBuf,
    out_name: String,
}

impl BindgenCall {
    fn parse(args: &[String]) -> Option<BindgenCall> {
        let value = |flag: &str| args.iter().find_map(|a| a.strip_prefix(flag)?.strip_prefix('=').map(str::to_string));
        Some(BindgenCall {
            input: args.iter().find(|a| !a.starts_with('-') && a.ends_with(".wasm")).map(PathBuf::from)?,
            out_dir: value("--out-dir").map(PathBuf::from)?,
            out_name: value("--out-name")?,
        })
    }
}

fn clear_split_folders(snippets: &Path) -> Result<()> {
    let Ok(entries) = std::fs::read_dir(snippets) else { return Ok(()) };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(FOLDER_PREFIX) {
            std::fs::remove_dir_all(e.path()).map_err(|err| format!("{}: {err}", e.path().display()))?;
        }
    }
    Ok(())
}

/// A split point leaves an import from the macro's placeholder module in the cargo output.
fn has_split_points(wasm: &[u8]) -> bool {
    wasm.windows(b"__wasm_split_placeholder__".len()).any(|w| w == b"__wasm_split_placeholder__")
}

/// wasm-bindgen's module imports the loader as `./__wasm_split.js`, beside itself; the
/// loader lives in the snippets folder.
fn point_at_loader(js: &Path, folder: &str) -> Result<()> {
    let text = std::fs::read_to_string(js).map_err(|e| format!("{}: {e}", js.display()))?;
    // Only the `import … from` (the imports object keeps the module's name as the wasm asks).
    let to = format!("from \"./snippets/{folder}/__wasm_split.js\"");
    let pointed = ["\"", "'"].iter().fold(text.clone(), |t, q| t.replace(&format!("from {q}{LOADER}{q}"), &to));
    if pointed == text {
        return Err(format!("{}: no import of {LOADER} to point at the split parts", js.display()));
    }
    std::fs::write(js, pointed).map_err(|e| e.to_string())
}

fn optimise(part: &Path) -> Result<()> {
    let wasm_opt = crate::tools::tools_dir().join("node_modules/.bin/wasm-opt");
    proc::run(cmd(wasm_opt.to_str().ok_or("a non-UTF-8 tools path")?).arg("-Oz").arg(part).arg("-o").arg(part))
}

/// After Trunk: the loader in `module_dist` imports the main module by its hashed name.
/// Nothing to do for a module that was not split.
pub fn link_main_module(module_dist: &Path, bin: &str) -> Result<()> {
    let Some(loader) = find_loader(module_dist)? else { return Ok(()) };
    let main = main_module_name(module_dist, bin)?;
    let text = std::fs::read_to_string(&loader).map_err(|e| e.to_string())?;
    if !text.contains(MAIN_PLACEHOLDER) {
        return Err(format!("{}: no {MAIN_PLACEHOLDER} to name", loader.display()));
    }
    std::fs::write(&loader, text.replace(MAIN_PLACEHOLDER, &format!("../../{main}"))).map_err(|e| e.to_string())
}

fn find_loader(module_dist: &Path) -> Result<Option<PathBuf>> {
    let Ok(entries) = std::fs::read_dir(module_dist.join("snippets")) else { return Ok(None) };
    let folders: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with(FOLDER_PREFIX)))
        .collect();
    match folders.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.join("__wasm_split.js"))),
        more => Err(format!("{} split folders in {}: one expected", more.len(), module_dist.display())),
    }
}

/// Trunk's `<bin>-<hash>.js` in the module's folder.
fn main_module_name(module_dist: &Path, bin: &str) -> Result<String> {
    let names: Vec<String> = std::fs::read_dir(module_dist)
        .map_err(|e| e.to_string())?
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(&format!("{bin}-")) && n.ends_with(".js"))
        .collect();
    match names.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!("{}: expected one {bin}-<hash>.js, found {names:?}", module_dist.display())),
    }
}

/// A stable name for a build's split folder (FNV-1a, 64 bits): a new build gets a new folder,
/// so a browser never mixes a cached part with another build's main module.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_bindgen_call_is_read_and_other_calls_are_not() {
        let args: Vec<String> = [
            "--target=web",
            "--out-dir=/t/wasm-bindgen/release",
            "--out-name=kaifang-dataset",
            "/t/a.wasm",
            "--no-typescript",
        ]
        .map(String::from)
        .to_vec();
        let call = BindgenCall::parse(&args).expect("a build call");
        assert_eq!(call.input, PathBuf::from("/t/a.wasm"));
        assert_eq!(call.out_dir, PathBuf::from("/t/wasm-bindgen/release"));
        assert_eq!(call.out_name, "kaifang-dataset");
        assert!(BindgenCall::parse(&["--version".to_string()]).is_none());
    }

    #[test]
    fn the_loader_is_pointed_at_the_split_folder_or_the_call_fails() {
        let dir = std::env::temp_dir().join(format!("kaifang-split-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let js = dir.join("m.js");
        let bindgen =
            "import * as import1 from \"./__wasm_split.js\"\nconst imports = { \"./__wasm_split.js\": import1 };\n";
        std::fs::write(&js, bindgen).unwrap();
        point_at_loader(&js, "split-00ff").unwrap();
        let text = std::fs::read_to_string(&js).unwrap();
        assert!(text.contains("from \"./snippets/split-00ff/__wasm_split.js\""), "{text}");
        assert!(text.contains("{ \"./__wasm_split.js\": import1 }"), "the wasm's import keeps its name: {text}");
        assert!(point_at_loader(&js, "split-00ff").is_err(), "a second pass finds nothing to point");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
