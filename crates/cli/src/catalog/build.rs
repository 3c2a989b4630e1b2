//! `kaifang catalog build`: source folder → static catalog (catalog.json, one record per
//! dataset, listing pages, data files with checksums).

use super::source::{read_datasets, read_portal, SourceDataset};
use anyhow::{bail, Context};
use kaifang_core::catalog::{
    listing_path, record_path, valid_id, CatalogIndex, Dataset, DatasetSummary, Distribution,
    ListingInfo, ListingPage, FORMAT_VERSION,
};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// Summaries per listing page: small enough to fetch at once on a phone.
pub const PAGE_SIZE: usize = 50;

pub struct Report {
    pub datasets: usize,
    /// Files and bytes of the search index.
    pub index_files: usize,
    pub index_bytes: u64,
}

pub fn build(source: &Path, out: &Path) -> anyhow::Result<Report> {
    let portal = read_portal(source)?;
    let mut datasets = Vec::new();
    for src in read_datasets(source)? {
        datasets.push(resolve(source, src)?);
    }
    let mut seen = std::collections::HashSet::new();
    for (ds, _) in &datasets {
        if !seen.insert(ds.id.clone()) {
            bail!("dataset id `{}` is used twice", ds.id);
        }
    }

    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("clearing {}", out.display()))?;
    }
    std::fs::create_dir_all(out.join("datasets"))?;
    std::fs::create_dir_all(out.join("listing"))?;

    let mut hasher = Sha256::new();
    for (ds, files) in &datasets {
        for (dist, from) in ds.distributions.iter().zip(files) {
            let to = out.join(&dist.path);
            std::fs::create_dir_all(to.parent().expect("file path has a parent"))?;
            std::fs::copy(from, &to).with_context(|| format!("copying {}", from.display()))?;
        }
        let json = serde_json::to_vec(ds)?;
        hasher.update(&json);
        std::fs::write(out.join(record_path(&ds.id)), json)?;
    }

    let mut summaries: Vec<DatasetSummary> = datasets.iter().map(|(d, _)| d.summary()).collect();
    // Default order: emergency data first (B3), then the most recently updated.
    summaries.sort_by(|a, b| b.emergency.cmp(&a.emergency).then(b.modified.cmp(&a.modified)).then(a.id.cmp(&b.id)));
    let pages: Vec<&[DatasetSummary]> = summaries.chunks(PAGE_SIZE).collect();
    for (i, items) in pages.iter().enumerate() {
        let page = ListingPage { page: i + 1, items: items.to_vec() };
        std::fs::write(out.join(listing_path(i + 1)), serde_json::to_vec(&page)?)?;
    }

    let build_hash = hex(&hasher.finalize());
    let records: Vec<Dataset> = datasets.into_iter().map(|(d, _)| d).collect();
    let search = super::index::write(out, &records, &portal.synonyms, &build_hash)?;
    let index = CatalogIndex {
        format_version: FORMAT_VERSION,
        build_hash,
        built_at: now_utc(),
        portal,
        dataset_count: summaries.len(),
        listing: ListingInfo { page_size: PAGE_SIZE, pages: pages.len() },
        search: Some(search.manifest),
    };
    std::fs::write(out.join("catalog.json"), serde_json::to_vec_pretty(&index)?)?;
    Ok(Report { datasets: summaries.len(), index_files: search.files, index_bytes: search.bytes })
}

/// Checks a source dataset and fills in what the builder computes.
fn resolve(source: &Path, src: SourceDataset) -> anyhow::Result<(Dataset, Vec<std::path::PathBuf>)> {
    let SourceDataset { path, mut dataset, files } = src;
    let where_ = path.display();
    if !valid_id(&dataset.id) {
        bail!("{where_}: field `id`: “{}” must be letters, digits, - _ . only", dataset.id);
    }
    if dataset.publisher.name.trim().is_empty() {
        bail!("{where_}: field `publisher.name`: a dataset must name its source department (数源部门)");
    }
    let mut dists = Vec::new();
    let mut paths = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let from = source.join(&f.file);
        let (byte_size, sha256) =
            digest(&from).with_context(|| format!("{where_}: files[{i}]: data file {} is missing or unreadable", f.file.display()))?;
        let name = f.file.file_name().and_then(|n| n.to_str()).unwrap_or("data");
        let format = f
            .format
            .clone()
            .or_else(|| f.file.extension().and_then(|e| e.to_str()).map(str::to_ascii_uppercase))
            .unwrap_or_else(|| "BIN".into());
        dists.push(Distribution {
            id: format!("{}-{}", dataset.id, i + 1),
            title: f.title.clone(),
            media_type: media_type(&format).into(),
            format,
            path: format!("files/{}/{}", dataset.id, name),
            byte_size,
            sha256,
            encoding: f.encoding.clone(),
        });
        paths.push(from);
    }
    dataset.distributions = dists;
    Ok((dataset, paths))
}

fn digest(path: &Path) -> std::io::Result<(u64, String)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let mut size = 0u64;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        size += n as u64;
        hasher.update(&buf[..n]);
    }
    Ok((size, hex(&hasher.finalize())))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn media_type(format: &str) -> &'static str {
    match format {
        "CSV" => "text/csv",
        "JSON" => "application/json",
        "XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XML" => "application/xml",
        _ => "application/octet-stream",
    }
}

/// RFC 3339 UTC timestamp without a date library.
fn now_utc() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil-from-days (Howard Hinnant), valid for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}
