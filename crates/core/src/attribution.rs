//! The data-source attribution the regulations require (Aba 36, Xiangxi 41; MISSION A1, A3):
//! source department, dataset title, platform, address and acquisition date.
//!
//! Everything the app exports carries it: the attribution box, charts (drawn inside the
//! image), citations (`cite`), download bundles (`ATTRIBUTION.txt`, see [`attribution_file`])
//! and code snippets (`usage`).

use crate::catalog::{Dataset, Date, Portal};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attribution {
    pub department: String,
    pub title: String,
    pub platform: String,
    /// Address of the dataset page on the portal.
    pub url: String,
    /// The day the user downloaded the data, or today when they have not (A3).
    pub acquired: Date,
}

/// Where an acquisition date came from (A3): the user's own recorded download, or today
/// because they have not downloaded the data on this device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Acquired {
    Downloaded(Date),
    Today(Date),
}

impl Acquired {
    /// A3: the recorded download day wins; otherwise today.
    pub fn choose(downloaded: Option<Date>, today: Date) -> Acquired {
        match downloaded {
            Some(d) => Acquired::Downloaded(d),
            None => Acquired::Today(today),
        }
    }
    pub fn date(&self) -> &Date {
        match self {
            Acquired::Downloaded(d) | Acquired::Today(d) => d,
        }
    }
    pub fn was_downloaded(&self) -> bool {
        matches!(self, Acquired::Downloaded(_))
    }
}

impl Attribution {
    pub fn new(portal: &Portal, dataset: &Dataset, acquired: Date) -> Attribution {
        Attribution {
            department: one_line(&dataset.publisher.name),
            title: one_line(&dataset.title),
            platform: one_line(&portal.name),
            url: dataset_url(portal, &dataset.id),
            acquired,
        }
    }

    /// The line shown on pages and carried by exports, in Chinese.
    pub fn line_zh(&self) -> String {
        format!(
            "数据来源：{}《{}》，{}（{}），获取日期：{}",
            self.department, self.title, self.platform, self.url, self.acquired
        )
    }

    /// The same line in English.
    pub fn line_en(&self) -> String {
        format!(
            "Data source: {}, “{}”, {} ({}), accessed {}",
            self.department, self.title, self.platform, self.url, self.acquired
        )
    }

    /// The line for a UI language: `zh-CN` (or any `zh…`) gives Chinese, anything else English.
    pub fn line_for(&self, lang: &str) -> String {
        if lang.starts_with("zh") {
            self.line_zh()
        } else {
            self.line_en()
        }
    }
}

/// The public address of a dataset's page on a portal.
pub fn dataset_url(portal: &Portal, id: &str) -> String {
    format!("{}/datasets/{}", portal.url.trim_end_matches('/'), id)
}

/// The HTTP `Link` header a data file `files/<id>/…` is served with: its dataset's page as
/// the way to cite it (RFC 8574 `cite-as`). The page carries the attribution and the
/// citations, so a bare file saved from the portal or fetched by a script still names its
/// source (Aba 36, Xiangxi 41). `None` for a path that names no dataset.
pub fn file_link_header(portal: &Portal, path_under_files: &str) -> Option<String> {
    let id = path_under_files.trim_start_matches('/').split('/').next()?;
    crate::catalog::valid_id(id).then(|| format!("<{}>; rel=\"cite-as\"", dataset_url(portal, id)))
}

/// Catalog text is outside input: an attribution is one line, so line breaks and other
/// control characters in a title or a name become single spaces. This keeps a hostile
/// title from forging extra lines in `ATTRIBUTION.txt`, RIS or code comments.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = false;
    for c in s.trim().chars() {
        let c = if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c };
        if c == ' ' {
            if !last_space {
                out.push(' ');
            }
            last_space = true;
        } else {
            out.push(c);
            last_space = false;
        }
    }
    out
}

/// The `ATTRIBUTION.txt` that travels in a download bundle (B8, A1): both languages, the
/// licence and usage requirements, the file and its checksum, and the GB/T 7714 citation.
pub fn attribution_file(
    attribution: &Attribution,
    dataset: &Dataset,
    file_name: &str,
    sha256: &str,
    gbt7714: &str,
) -> String {
    let mut t = String::new();
    let mut line = |s: &str| {
        t.push_str(s);
        t.push_str("\r\n");
    };
    line("数据来源 / Attribution");
    line("======================");
    line("");
    line(&attribution.line_zh());
    line(&attribution.line_en());
    line("");
    line(&format!("数源部门 / Source department: {}", attribution.department));
    line(&format!("数据集 / Dataset: {} ({})", attribution.title, dataset.id));
    line(&format!("版本 / Version: {}", one_line(&dataset.version)));
    line(&format!("开放平台 / Platform: {}", attribution.platform));
    line(&format!("地址 / Address: {}", attribution.url));
    line(&format!("获取日期 / Acquired: {}", attribution.acquired));
    line(&format!("许可 / Licence: {}", one_line(&dataset.license)));
    if let Some(req) = &dataset.usage_requirements {
        line(&format!("使用要求 / Usage requirements: {}", one_line(req)));
    }
    line(&format!("文件 / File: {} (sha256 {})", one_line(file_name), sha256));
    line("");
    line("引用 / Citation (GB/T 7714-2015):");
    line(gbt7714);
    line("");
    line("使用本数据时请注明数据来源和获取日期。");
    line("Please credit the data source and the acquisition date when you use this data.");
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{bus_stops, portal};

    #[test]
    /// MISSION A1 (Aba 36, Xiangxi 41): source department, title, platform, address, date.
    fn lines_name_department_title_platform_address_and_date() {
        let a = Attribution::new(&portal(), &bus_stops(), Date::parse("2026-11-23").unwrap());
        assert_eq!(
            a.line_zh(),
            "数据来源：示例市交通运输局《公交车线路站点信息》，示例市公共数据开放平台\
             （https://data.example.gov.cn/datasets/jt-bus-stops），获取日期：2026-11-23"
        );
        assert_eq!(
            a.line_en(),
            "Data source: 示例市交通运输局, “公交车线路站点信息”, 示例市公共数据开放平台 \
             (https://data.example.gov.cn/datasets/jt-bus-stops), accessed 2026-11-23"
        );
        assert_eq!(a.line_for("zh-CN"), a.line_zh());
        assert_eq!(a.line_for("en"), a.line_en());
    }

    #[test]
    /// MISSION A3: the acquisition date is the day of the download, else today.
    fn recorded_download_day_wins_over_today() {
        let today = Date::parse("2026-11-23").unwrap();
        let dl = Date::parse("2026-11-02").unwrap();
        let a = Acquired::choose(Some(dl.clone()), today.clone());
        assert_eq!(a.date(), &dl);
        assert!(a.was_downloaded());
        let b = Acquired::choose(None, today.clone());
        assert_eq!(b.date(), &today);
        assert!(!b.was_downloaded());
    }

    /// MISSION B8, A1 (Aba 36, Xiangxi 41): a bare data file names its dataset's page.
    #[test]
    fn data_files_cite_their_dataset_page() {
        let link = file_link_header(&portal(), "/jt-bus-stops/stops.csv");
        assert_eq!(link.as_deref(), Some("<https://data.example.gov.cn/datasets/jt-bus-stops>; rel=\"cite-as\""));
        assert_eq!(file_link_header(&portal(), "/../etc/passwd"), None);
        assert_eq!(file_link_header(&portal(), ""), None);
    }

    /// MISSION X4: hostile catalog text cannot forge lines of the attribution.
    #[test]
    fn hostile_titles_cannot_add_lines() {
        let mut ds = bus_stops();
        ds.title = "公交\r\n获取日期：1999-01-01\u{2028}x".into();
        let a = Attribution::new(&portal(), &ds, Date::parse("2026-11-23").unwrap());
        assert!(!a.line_zh().contains('\n'));
        assert!(a.title.contains("公交 获取日期：1999-01-01 x"));
        let f = attribution_file(&a, &ds, "a.csv", "00", "cite");
        // Every line of the file is one of ours: the forged date never starts a line.
        assert!(f.lines().all(|l| !l.starts_with("获取日期：1999")));
    }

    #[test]
    fn attribution_file_carries_both_languages_licence_and_checksum() {
        let ds = bus_stops();
        let a = Attribution::new(&portal(), &ds, Date::parse("2026-11-23").unwrap());
        let f = attribution_file(&a, &ds, "bus-stops.csv", "abc123", "CITE");
        assert!(f.contains(&a.line_zh()));
        assert!(f.contains(&a.line_en()));
        assert!(f.contains("许可 / Licence: 示例市公共数据开放许可协议 1.0"));
        assert!(f.contains("使用要求 / Usage requirements: 使用时请注明数据来源和获取日期。"));
        assert!(f.contains("bus-stops.csv (sha256 abc123)"));
        assert!(f.contains("\r\nCITE\r\n"));
    }
}
