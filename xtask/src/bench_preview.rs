//! `cargo xtask bench preview`: the data preview on a CSV of at least 100 MB (issue 4) —
//! time to first rows, whole-file scan MB/s in the app (wasm) next to Papa Parse in the same
//! browser and the native `csv` crate on the same file, scroll frame times. The figures are
//! printed by `tests/e2e/bench/preview.mjs`.
//!
//! The large CSV: the sample portal's generated 全市公交刷卡记录 (`jt-bus-card-records`, about
//! 144 MB, written by `kaifang catalog generate-large`). With `BENCH_OWN_CSV=1`, a deterministic
//! 100 MB CSV made by `bench/make-large-csv.mjs` instead, served from a copy of the sample
//! portal with one extra dataset, `bench-large`.

use crate::proc::{self, cmd, root, Result};
use crate::server::Server;
use std::path::{Path, PathBuf};

const MEGABYTES: u64 = 100;

pub fn run(kaifang: &Path, app: &Path, out: &Path) -> Result<()> {
    if std::env::var_os("BENCH_OWN_CSV").is_some() {
        return run_own(kaifang, app, out);
    }
    let catalog = out.join("preview-catalog");
    crate::build::build_sample_catalog(&kaifang.to_path_buf(), &catalog)?;
    let csv = root().join("examples/portal/generated/bus-card-records.csv");
    let server = Server::start(kaifang, app, &catalog, &out.join("preview-data"))?;
    let file_url = find_file_url(&catalog, "jt-bus-card-records")?;
    bench(kaifang, &server, "jt-bus-card-records", &csv, &file_url)
}

fn bench(kaifang: &Path, server: &Server, dataset: &str, csv: &Path, file_url: &str) -> Result<()> {
    proc::run(
        cmd("node")
            .current_dir(root().join("tests/e2e"))
            .args(["bench/preview.mjs"])
            .env("KAIFANG_URL", &server.url)
            .env("BENCH_DATASET", dataset)
            .env("BENCH_FILE", csv)
            .env("BENCH_FILE_URL", file_url)
            .env("KAIFANG_BIN", kaifang),
    )
}

fn run_own(kaifang: &Path, app: &Path, out: &Path) -> Result<()> {
    let csv = large_csv(out)?;
    let portal = out.join("preview-portal");
    let _ = std::fs::remove_dir_all(&portal);
    copy_dir(&root().join("examples/portal"), &portal)?;
    let target = portal.join("files/bench-large.csv");
    if std::fs::hard_link(&csv, &target).is_err() {
        std::fs::copy(&csv, &target).map_err(|e| format!("copying {}: {e}", csv.display()))?;
    }
    std::fs::write(portal.join("datasets/bench-large.toml"), DATASET).map_err(|e| e.to_string())?;
    let catalog = out.join("preview-catalog");
    proc::run(
        cmd(kaifang.to_str().expect("utf-8 path")).args(["catalog", "build"]).arg(&portal).arg("--out").arg(&catalog),
    )?;
    let server = Server::start(kaifang, app, &catalog, &out.join("preview-data"))?;
    let file_url = find_file_url(&catalog, "bench-large")?;
    bench(kaifang, &server, "bench-large", &csv, &file_url)
}

fn large_csv(out: &Path) -> Result<PathBuf> {
    let path = out.join("large.csv");
    let big_enough = std::fs::metadata(&path).map(|m| m.len() >= MEGABYTES * 1_000_000).unwrap_or(false);
    if !big_enough {
        proc::run(cmd("node").args(["tests/e2e/bench/make-large-csv.mjs"]).arg(&path).arg(MEGABYTES.to_string()))?;
    }
    Ok(path)
}

/// The served address of a dataset's (only) CSV in the built catalog.
fn find_file_url(catalog: &Path, dataset: &str) -> Result<String> {
    let dir = catalog.join("files").join(dataset);
    let entry = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .find(|e| e.file_name().to_string_lossy().ends_with(".csv"))
        .ok_or_else(|| format!("no CSV in {}", dir.display()))?;
    Ok(format!("/catalog/files/{dataset}/{}", entry.file_name().to_string_lossy()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to).map_err(|e| format!("{}: {e}", to.display()))?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            copy_dir(&src, &dst)?;
        } else {
            std::fs::copy(&src, &dst).map_err(|e| format!("{}: {e}", src.display()))?;
        }
    }
    Ok(())
}

const DATASET: &str = r#"id = "bench-large"
title = "基准测试大文件"
title_en = "Benchmark large file"
description = "数据预览基准测试用的约 100 MB 合成 CSV（中文文本、带引号字段、数值和日期列）。"
keywords = ["基准测试"]
theme = "其他"
license = "示例市公共数据开放许可协议 1.0"
security_level = 1
accrual_periodicity = "once"
issued = "2026-01-01"
modified = "2026-01-01"
version = "1.0"
access = [{ kind = "download" }]
publisher = { id = "bench", name = "基准测试", name_en = "Benchmark" }
region = { name = "示例市", level = "city" }
open = { kind = "unconditional" }
contact_point = { name = "基准测试" }
fields = []

[[files]]
title = "大文件（CSV，UTF-8）"
file = "files/bench-large.csv"
encoding = "utf-8"
"#;
