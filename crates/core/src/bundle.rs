//! The download bundle (MISSION B8, A1): the original data file with its attribution
//! travelling beside it, as a small ZIP: the file itself, `ATTRIBUTION.txt` (zh-CN and
//! English), `citation.ris` and `citation.bib`.
//!
//! Only unconditional datasets that are currently open can be downloaded; conditional
//! and closed ones offer no download (B1, B5), and a suspended, withdrawn or invalid
//! dataset serves no data (B3). [`downloadable`] is that rule, used by the page too.

use crate::attribution::{attribution_file, Attribution};
use crate::catalog::{Dataset, Date, Distribution, OpenKind, Portal};
use crate::cite::CitationSource;
use crate::zip::{ZipError, ZipWriter};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BundleError {
    #[error("this dataset cannot be downloaded: only open, unconditional datasets can")]
    NotDownloadable,
    #[error(transparent)]
    Zip(#[from] ZipError),
}

/// Whether the original files of a dataset may be offered for download.
pub fn downloadable(dataset: &Dataset) -> bool {
    dataset.open.kind() == OpenKind::Unconditional && dataset.status.serves_data()
}

/// The file name of a distribution as the user receives it: the last segment of its
/// catalog path, reduced to characters that are safe in a ZIP entry and a download name.
pub fn file_name(dist: &Distribution) -> String {
    let last = dist.path.rsplit('/').next().unwrap_or("");
    let cleaned: String = last
        .chars()
        .map(|c| if c.is_control() || matches!(c, '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim_start_matches('.').to_string();
    if cleaned.is_empty() {
        format!("{}.dat", dist.id.replace(['/', '\\', '.'], "_"))
    } else {
        cleaned
    }
}

/// The name of the bundle: `<dataset id>_<file stem>_<acquired>.zip`.
pub fn bundle_name(dataset: &Dataset, dist: &Distribution, acquired: &Date) -> String {
    let name = file_name(dist);
    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
    format!("{}_{}_{}.zip", dataset.id, stem, acquired)
}

/// Builds the bundle for one distribution whose bytes the app has fetched.
pub fn build(
    portal: &Portal,
    dataset: &Dataset,
    dist: &Distribution,
    data: &[u8],
    acquired: &Date,
) -> Result<Vec<u8>, BundleError> {
    if !downloadable(dataset) {
        return Err(BundleError::NotDownloadable);
    }
    let attribution = Attribution::new(portal, dataset, acquired.clone());
    let cite = CitationSource::new(portal, dataset, acquired.clone());
    let name = file_name(dist);
    let text = attribution_file(&attribution, dataset, &name, &dist.sha256, &cite.gbt7714());
    let mut z = ZipWriter::new();
    z.add(&name, data, acquired)?;
    // The BOM lets Windows Notepad and Excel-era tools read the Chinese text as UTF-8.
    z.add("ATTRIBUTION.txt", format!("\u{FEFF}{text}").as_bytes(), acquired)?;
    z.add("citation.ris", cite.ris().as_bytes(), acquired)?;
    z.add("citation.bib", cite.bibtex().as_bytes(), acquired)?;
    Ok(z.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{DatasetStatus, OpenAttribute};
    use crate::testutil::{air_quality_gbk, portal};
    use std::io::{Cursor, Read};

    fn read(z: &mut zip::ZipArchive<Cursor<Vec<u8>>>, name: &str) -> Vec<u8> {
        let mut v = Vec::new();
        z.by_name(name).unwrap().read_to_end(&mut v).unwrap();
        v
    }

    #[test]
    /// MISSION B8, A1: the download bundle carries the attribution beside the data.
    fn bundle_holds_data_attribution_and_citations() {
        let ds = air_quality_gbk();
        let dist = &ds.distributions[0];
        let data = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/air-quality-gbk.csv")).unwrap();
        let day = Date::parse("2026-11-23").unwrap();
        let bytes = build(&portal(), &ds, dist, &data, &day).unwrap();
        let mut z = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        let mut names: Vec<&str> = z.file_names().collect();
        names.sort();
        assert_eq!(names, vec!["ATTRIBUTION.txt", "air-quality-gbk.csv", "citation.bib", "citation.ris"]);
        assert_eq!(read(&mut z, "air-quality-gbk.csv"), data, "the original bytes, GBK untouched");
        let text = String::from_utf8(read(&mut z, "ATTRIBUTION.txt")).unwrap();
        assert!(text.contains("数据来源：示例市生态环境局《空气质量日报》，示例市公共数据开放平台（https://data.example.gov.cn/datasets/hb-air-quality），获取日期：2026-11-23"));
        assert!(text.contains("Data source: 示例市生态环境局, “空气质量日报”"));
        assert!(text
            .contains("示例市生态环境局. 空气质量日报[DB/OL]. 示例市公共数据开放平台, 2022(2026-11-20)[2026-11-23]."));
        let ris = String::from_utf8(read(&mut z, "citation.ris")).unwrap();
        assert!(ris.starts_with("TY  - DATA\r\n"));
        let bib = String::from_utf8(read(&mut z, "citation.bib")).unwrap();
        assert!(bib.starts_with("@misc{hb-air-quality-2026,"));
        assert_eq!(bundle_name(&ds, dist, &day), "hb-air-quality_air-quality-gbk_2026-11-23.zip");
    }

    #[test]
    fn conditional_closed_and_suspended_datasets_give_no_bundle() {
        let day = Date::parse("2026-11-23").unwrap();
        let mut ds = air_quality_gbk();
        let dist = ds.distributions[0].clone();
        ds.open = OpenAttribute::Conditional {
            conditions: vec!["实名认证".into()], legal_basis: "第二十二条".into()
        };
        assert_eq!(build(&portal(), &ds, &dist, b"x", &day), Err(BundleError::NotDownloadable));
        ds.open = OpenAttribute::Closed { legal_basis: "第十三条".into() };
        assert!(!downloadable(&ds));
        ds.open = OpenAttribute::Unconditional;
        assert!(downloadable(&ds));
        ds.status = DatasetStatus::Suspended;
        assert!(!downloadable(&ds));
    }

    #[test]
    fn file_names_are_safe() {
        let mut dist = air_quality_gbk().distributions[0].clone();
        dist.path = "files/x/..\\evil:name?.csv".into();
        assert_eq!(file_name(&dist), "_evil_name_.csv");
        dist.path = "files/x/".into();
        assert_eq!(file_name(&dist), "air-quality-gbk_csv.dat");
    }
}
