//! `kaifang inspect FILE`: what the preview makes of a file, as JSON — encoding, delimiter,
//! header, row and column counts, problems, column profiles — computed by the same
//! `kaifang_core::table` code the app runs, reading the file in blocks (never whole).
//!
//! `--bench` also times the scan against the `csv` crate reading the same file (the native
//! peer of the browser benchmarks) and prints the figures.

use anyhow::Context;
use clap::Parser;
use kaifang_core::table::json::{parse_json_table, MAX_JSON_BYTES};
use kaifang_core::table::scan::{ScanOptions, ScanReport, TableScan};
use kaifang_core::table::xlsx::{parse_xlsx_table, LeftOut, XlsxLimits, MAX_XLSX_BYTES};
use kaifang_core::table::{ReaderOptions, TextEncoding};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Parser, Clone)]
pub struct Args {
    /// The file to inspect (CSV/TSV/TXT, or JSON: an array of objects).
    pub file: PathBuf,
    /// The encoding the catalog declares (`utf-8`, `gbk`, …): a hint for ASCII-only beginnings.
    #[arg(long)]
    pub declared_encoding: Option<String>,
    /// Force the encoding instead of guessing it.
    #[arg(long)]
    pub encoding: Option<String>,
    /// Force the delimiter: `,` `;` `tab` `|`.
    #[arg(long)]
    pub delimiter: Option<String>,
    /// Treat the file as JSON (otherwise decided by the `.json` extension).
    #[arg(long)]
    pub json: bool,
    /// For an XLSX workbook (`.xlsx`): the sheet to read (default: the first).
    #[arg(long)]
    pub sheet: Option<String>,
    /// The line (sheet row for XLSX, 1-based) the header is on, instead of finding it after
    /// title and note lines (as `header_row` in a catalog's `[[files]]`).
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    pub header_row: Option<u64>,
    /// Time the scan (profile and parse only) against the `csv` crate on the same file and
    /// print the figures as JSON instead of the report.
    #[arg(long)]
    pub bench: bool,
}

const BLOCK: usize = 256 * 1024;

pub fn run(args: Args) -> anyhow::Result<()> {
    if args.bench {
        let figures = bench(&args.file)?;
        println!("{}", serde_json::to_string_pretty(&figures)?);
        return Ok(());
    }
    let is_json =
        args.json || args.file.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let is_xlsx = args.file.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        println!(
            "{}",
            serde_json::to_string_pretty(&inspect_xlsx(&args.file, args.sheet.as_deref(), args.header_row)?)?
        );
        return Ok(());
    }
    let report = if is_json { inspect_json(&args.file)? } else { inspect_csv(&args)? };
    println!("{}", serde_json::to_string_pretty(&report)?);
    Ok(())
}

/// An XLSX report: the sheets of the workbook, the one read, and the usual report of it.
#[derive(Debug, serde::Serialize)]
pub struct XlsxInspection {
    pub sheets: Vec<String>,
    pub sheet: String,
    /// What a sheet too large to hold left out, and what to tell the reader (zh-CN, en).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub left_out: Option<LeftOutReport>,
    #[serde(flatten)]
    pub report: ScanReport,
}

#[derive(Debug, serde::Serialize)]
pub struct LeftOutReport {
    #[serde(flatten)]
    pub left_out: LeftOut,
    pub message_zh: String,
    pub message: String,
}

pub fn inspect_xlsx(path: &Path, sheet: Option<&str>, header_row: Option<u64>) -> anyhow::Result<XlsxInspection> {
    let size = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    if size > MAX_XLSX_BYTES as u64 {
        anyhow::bail!(
            "{} is {size} bytes; XLSX workbooks are read whole, up to {MAX_XLSX_BYTES} bytes",
            path.display()
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let t = parse_xlsx_table(&bytes, sheet, header_row).with_context(|| format!("reading {}", path.display()))?;
    let left_out = t.left_out.clone().map(|left_out| {
        let (message_zh, message) = left_out.messages(&XlsxLimits::default());
        LeftOutReport { left_out, message_zh, message }
    });
    Ok(XlsxInspection { report: t.report(size), sheets: t.sheets, sheet: t.sheet, left_out })
}

fn reader_options(args: &Args) -> anyhow::Result<ReaderOptions> {
    let encoding = match &args.encoding {
        None => None,
        Some(label) => Some(
            TextEncoding::from_label(label)
                .with_context(|| format!("unknown or unsupported encoding “{label}” (UTF-8, GBK/GB18030, UTF-16)"))?,
        ),
    };
    let delimiter = match args.delimiter.as_deref() {
        None => None,
        Some("tab" | "\\t" | "\t") => Some(b'\t'),
        Some(d) if d.len() == 1 && d.is_ascii() => Some(d.as_bytes()[0]),
        Some(d) => anyhow::bail!("the delimiter must be one ASCII character or `tab`, not “{d}”"),
    };
    Ok(ReaderOptions {
        declared_encoding: args.declared_encoding.clone(),
        encoding,
        delimiter,
        header_row: args.header_row,
        ..Default::default()
    })
}

pub fn inspect_csv(args: &Args) -> anyhow::Result<ScanReport> {
    let opts = ScanOptions { reader: reader_options(args)?, ..Default::default() };
    scan_file(&args.file, opts).map(|(r, _)| r)
}

/// Scans a file block by block; returns the report and the seconds taken.
fn scan_file(path: &Path, opts: ScanOptions) -> anyhow::Result<(ScanReport, f64)> {
    let mut file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut scan = TableScan::new(opts);
    let mut buf = vec![0u8; BLOCK];
    let t = Instant::now();
    loop {
        let n = file.read(&mut buf).with_context(|| format!("reading {}", path.display()))?;
        if n == 0 {
            break;
        }
        scan.feed(&buf[..n]).with_context(|| format!("reading {}", path.display()))?;
    }
    let result = scan.finish().with_context(|| format!("reading {}", path.display()))?;
    Ok((result.report, t.elapsed().as_secs_f64()))
}

fn inspect_json(path: &Path) -> anyhow::Result<ScanReport> {
    let size = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    if size > MAX_JSON_BYTES as u64 {
        anyhow::bail!("{} is {size} bytes; JSON files are read whole, up to {MAX_JSON_BYTES} bytes", path.display());
    }
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    let (table, problems) = parse_json_table(&bytes).with_context(|| format!("reading {}", path.display()))?;
    // Reuse the CSV report's shape so tools read one format.
    let encoding = kaifang_core::table::encoding::detect(&bytes, None, true);
    Ok(ScanReport {
        format: "json".into(),
        bytes: size,
        rows: table.rows.len() as u64,
        column_count: table.columns.len(),
        problems,
        profiles: table.profile(),
        layout: kaifang_core::table::Layout::whole(encoding, table.columns),
    })
}

/// Native throughput figures on one file: our scan with profiles, our scan parsing only,
/// and the `csv` crate reading every record (its fastest record API, `ByteRecord`).
fn bench(path: &Path) -> anyhow::Result<serde_json::Value> {
    let bytes = std::fs::metadata(path).with_context(|| format!("reading {}", path.display()))?.len();
    let mb = bytes as f64 / 1e6;
    // Warm the page cache so the first contender does not pay for the disk.
    std::io::copy(&mut std::fs::File::open(path)?, &mut std::io::sink())?;

    let (report, profile_s) = scan_file(path, ScanOptions::default())?;
    let (_, parse_s) = scan_file(path, ScanOptions { profile: false, ..Default::default() })?;

    let t = Instant::now();
    let file = std::fs::File::open(path)?;
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).buffer_capacity(BLOCK).from_reader(file);
    let mut record = csv::ByteRecord::new();
    let mut csv_rows = 0u64;
    while rdr.read_byte_record(&mut record)? {
        csv_rows += 1;
    }
    let csv_s = t.elapsed().as_secs_f64();
    if csv_rows != report.rows {
        anyhow::bail!("row counts differ: kaifang {} vs csv crate {csv_rows}", report.rows);
    }
    Ok(serde_json::json!({
        "file": path.display().to_string(),
        "bytes": bytes,
        "rows": report.rows,
        "native_kaifang_profile_mb_s": mb / profile_s,
        "native_kaifang_parse_mb_s": mb / parse_s,
        "native_csv_crate_mb_s": mb / csv_s,
        "ratio_profile_to_csv_crate": csv_s / profile_s,
        "ratio_parse_to_csv_crate": csv_s / parse_s,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(file: PathBuf) -> Args {
        Args {
            file,
            declared_encoding: None,
            encoding: None,
            delimiter: None,
            json: false,
            sheet: None,
            header_row: None,
            bench: false,
        }
    }

    #[test]
    fn inspects_the_sample_gbk_file() {
        let file =
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/portal/files/air-quality-gbk.csv"));
        let report = inspect_csv(&args(file.clone())).unwrap();
        assert_eq!(report.layout.encoding.encoding, TextEncoding::Gb18030);
        assert_eq!(report.layout.columns[0], "监测站点");
        assert_eq!(report.bytes, std::fs::metadata(&file).unwrap().len());
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["layout"]["encoding"]["encoding"], "GB18030");
        assert_eq!(json["profiles"][2]["inferred_type"], "integer");
    }

    #[test]
    fn inspects_an_xlsx_workbook() {
        let file =
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../core/tests/data/xlsx/air-quality-2sheets.xlsx"));
        let v = serde_json::to_value(inspect_xlsx(&file, None, None).unwrap()).unwrap();
        assert_eq!(v["sheets"], serde_json::json!(["空气质量", "说明"]));
        assert_eq!(v["format"], "xlsx");
        assert_eq!(v["rows"], 6);
        assert_eq!(v["layout"]["columns"][0], "监测站点");
        assert_eq!(v["profiles"][2]["inferred_type"], "integer");
        let other = inspect_xlsx(&file, Some("说明"), None).unwrap();
        assert_eq!(other.report.layout.columns, ["项目", "内容"]);
        let err = inspect_xlsx(&file, Some("没有"), None).unwrap_err();
        assert!(format!("{err:#}").contains("没有"), "{err:#}");
    }

    #[test]
    fn forced_options_are_validated() {
        let mut a = args(PathBuf::from("x.csv"));
        a.encoding = Some("latin-9000".into());
        assert!(reader_options(&a).unwrap_err().to_string().contains("latin-9000"));
        a.encoding = Some("gbk".into());
        a.delimiter = Some("::".into());
        assert!(reader_options(&a).is_err());
        a.delimiter = Some("tab".into());
        assert_eq!(reader_options(&a).unwrap().delimiter, Some(b'\t'));
    }

    #[test]
    fn bench_counts_agree_with_csv_crate() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::write(&path, "a,b\n1,\"x\ny\"\n2,东城区\n3,z\n").unwrap();
        let v = bench(&path).unwrap();
        assert_eq!(v["rows"], 3);
        assert!(v["native_csv_crate_mb_s"].as_f64().unwrap() > 0.0);
    }
}
