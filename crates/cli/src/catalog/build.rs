//! `kaifang catalog build`: source folder → static catalog (catalog.json, one record per
//! dataset, listing pages, data files with checksums).

use super::check::{check_source, hex, Checked, Options};
use anyhow::{bail, Context};
use kaifang_core::catalog::{
    listing_path, record_path, CatalogIndex, Dataset, DatasetSummary, Distribution, ListingInfo, ListingPage,
    FORMAT_VERSION,
};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Summaries per listing page: small enough to fetch at once on a phone.
pub const PAGE_SIZE: usize = 50;

/// Problems `build` lists before summarising the rest.
const REPORT_LIMIT: usize = 200;

pub struct Report {
    pub datasets: usize,
    /// The checker's report (warnings only, or the build would have failed).
    pub check: String,
    /// Files and bytes of the search index.
    pub index_files: usize,
    pub index_bytes: u64,
    /// … and as sent gzip-compressed.
    pub index_gzip_bytes: u64,
}

pub fn build(source: &Path, out: &Path, opts: &Options) -> anyhow::Result<Report> {
    let checked = check_source(source, opts)?;
    if checked.has_errors() {
        bail!("the catalog source has problems; nothing was built:\n{}", checked.render_at_most(REPORT_LIMIT));
    }
    let portal = checked.portal.clone().context("portal.toml did not check")?;
    let datasets: Vec<(Dataset, Vec<PathBuf>)> = checked.datasets.iter().cloned().map(resolve).collect();

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

    super::export::write(out, &portal, &datasets.iter().map(|(d, _)| d).collect::<Vec<_>>())?;

    let mut summaries: Vec<DatasetSummary> = datasets.iter().map(|(d, _)| d.summary()).collect();
    // Default order: emergency data first (B3), then the most recently updated.
    summaries.sort_by(|a, b| b.emergency.cmp(&a.emergency).then(b.modified.cmp(&a.modified)).then(a.id.cmp(&b.id)));
    let pages: Vec<&[DatasetSummary]> = summaries.chunks(PAGE_SIZE).collect();
    for (i, items) in pages.iter().enumerate() {
        let page = ListingPage { page: i + 1, items: items.to_vec() };
        super::gzip::write_with_gzip(&out.join(listing_path(i + 1)), &serde_json::to_vec(&page)?)?;
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
    super::gzip::write_with_gzip(&out.join("catalog.json"), &serde_json::to_vec_pretty(&index)?)?;
    Ok(Report {
        datasets: summaries.len(),
        check: checked.render_at_most(REPORT_LIMIT),
        index_files: search.files,
        index_bytes: search.bytes,
        index_gzip_bytes: search.gzip_bytes,
    })
}

/// Fills in what the builder computes: one distribution per checked data file.
fn resolve(checked: Checked) -> (Dataset, Vec<PathBuf>) {
    let Checked { mut dataset, files } = checked;
    let mut dists = Vec::new();
    let mut paths = Vec::new();
    for (i, f) in files.into_iter().enumerate() {
        let name = f.entry.file.rsplit('/').next().unwrap_or("data").to_string();
        let format = f
            .entry
            .format
            .clone()
            .or_else(|| name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_uppercase()))
            .unwrap_or_else(|| "BIN".into());
        dists.push(Distribution {
            id: format!("{}-{}", dataset.id, i + 1),
            title: f.entry.title.clone(),
            media_type: media_type(&format).into(),
            format,
            path: format!("files/{}/{}", dataset.id, name),
            byte_size: f.byte_size,
            sha256: f.sha256,
            encoding: f.entry.encoding.clone(),
            header_row: f.entry.header_row,
        });
        paths.push(f.path);
    }
    dataset.distributions = dists;
    (dataset, paths)
}

fn media_type(format: &str) -> &'static str {
    super::vocab::media_type_for(format).unwrap_or("application/octet-stream")
}

/// RFC 3339 UTC timestamp, with core's calendar arithmetic (no date library).
pub fn now_utc() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let (y, m, d) = kaifang_core::calendar::Day((secs / 86_400) as i64).ymd();
    let rem = secs % 86_400;
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", rem / 3600, rem % 3600 / 60, rem % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn now_utc_is_an_rfc3339_timestamp_of_a_real_day() {
        let now = super::now_utc();
        assert_eq!(now.len(), 20, "{now}");
        assert!(now.ends_with('Z') && &now[10..11] == "T", "{now}");
        assert!(kaifang_core::catalog::Date::parse(&now[..10]).is_ok(), "{now}");
        assert!(now.as_str() >= "2026-01-01", "the clock is read, not a constant: {now}");
    }
}
