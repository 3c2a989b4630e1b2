//! Vocabularies shared by the exporters and importers: RDF namespaces, and the mappings
//! between Kaifang's model and DCAT-US / DCAT-AP code lists, in both directions.

use kaifang_core::catalog::{OpenKind, UpdateFrequency};

pub const DCAT: &str = "http://www.w3.org/ns/dcat#";
pub const DCT: &str = "http://purl.org/dc/terms/";
pub const FOAF: &str = "http://xmlns.com/foaf/0.1/";
pub const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
pub const ADMS: &str = "http://www.w3.org/ns/adms#";
pub const SPDX: &str = "http://spdx.org/rdf/terms#";
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
pub const LOCN: &str = "http://www.w3.org/ns/locn#";
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
pub const CNT: &str = "http://www.w3.org/2011/content#";
pub const SCHEMA: &str = "http://schema.org/";
pub const DCATAP: &str = "http://data.europa.eu/r5r/";
/// Kaifang's own terms for what the Chinese regulations add to DCAT (see docs/catalog-format.md).
pub const KF: &str = "https://kaifang.org/ns#";

pub const EU_ACCESS_RIGHT: &str = "http://publications.europa.eu/resource/authority/access-right/";
pub const EU_FREQUENCY: &str = "http://publications.europa.eu/resource/authority/frequency/";
pub const EU_FILE_TYPE: &str = "http://publications.europa.eu/resource/authority/file-type/";
pub const EU_THEME: &str = "http://publications.europa.eu/resource/authority/data-theme/";
pub const IANA_MEDIA: &str = "https://www.iana.org/assignments/media-types/";

/// DCAT-US `accessLevel`.
pub fn access_level(kind: OpenKind) -> &'static str {
    match kind {
        OpenKind::Unconditional => "public",
        OpenKind::Conditional => "restricted public",
        OpenKind::Closed => "non-public",
    }
}

pub fn open_kind_from_access_level(s: &str) -> Option<OpenKind> {
    match s.trim().to_ascii_lowercase().as_str() {
        "public" => Some(OpenKind::Unconditional),
        "restricted public" | "restricted" => Some(OpenKind::Conditional),
        "non-public" | "non public" | "nonpublic" => Some(OpenKind::Closed),
        _ => None,
    }
}

/// EU access-right authority table code.
pub fn eu_access_right(kind: OpenKind) -> &'static str {
    match kind {
        OpenKind::Unconditional => "PUBLIC",
        OpenKind::Conditional => "RESTRICTED",
        OpenKind::Closed => "NON_PUBLIC",
    }
}

/// From an EU access-right IRI or a free-text statement such as `public`.
pub fn open_kind_from_access_rights(s: &str) -> Option<OpenKind> {
    let code = s.rsplit('/').next().unwrap_or(s).trim().to_ascii_uppercase().replace([' ', '-'], "_");
    match code.as_str() {
        "PUBLIC" => Some(OpenKind::Unconditional),
        "RESTRICTED" | "RESTRICTED_PUBLIC" => Some(OpenKind::Conditional),
        "NON_PUBLIC" | "NONPUBLIC" | "CONFIDENTIAL" | "SENSITIVE" => Some(OpenKind::Closed),
        _ => None,
    }
}

/// ISO 8601 repeating durations as DCAT-US uses them.
pub fn iso_periodicity(f: UpdateFrequency) -> &'static str {
    match f {
        UpdateFrequency::Realtime => "R/PT1S",
        UpdateFrequency::Daily => "R/P1D",
        UpdateFrequency::Weekly => "R/P1W",
        UpdateFrequency::Monthly => "R/P1M",
        UpdateFrequency::Quarterly => "R/P3M",
        UpdateFrequency::HalfYearly => "R/P6M",
        UpdateFrequency::Yearly => "R/P1Y",
        UpdateFrequency::Irregular => "irregular",
        UpdateFrequency::Once => "R/P0Y",
    }
}

/// Reads ISO 8601 (`R/P1M`), EU frequency codes / IRIs (`MONTHLY`), Dublin Core
/// `purl.org/cld/freq/monthly` and CKAN-style words (`monthly`).
pub fn frequency_from_any(s: &str) -> Option<UpdateFrequency> {
    use UpdateFrequency::*;
    let t = s.rsplit('/').next().unwrap_or(s).trim();
    let iso = s.trim().to_ascii_uppercase();
    let by_iso = match iso.as_str() {
        "R/PT1S" | "R/PT1M" | "R/PT1H" | "R/PT15M" | "CONTINUOUSLY" => Some(Realtime),
        "R/P1D" => Some(Daily),
        "R/P1W" | "R/P0.5W" | "R/P2W" => Some(Weekly),
        "R/P1M" | "R/P0.5M" | "R/P2M" => Some(Monthly),
        "R/P3M" | "R/P4M" => Some(Quarterly),
        "R/P6M" => Some(HalfYearly),
        "R/P1Y" | "R/P2Y" | "R/P3Y" | "R/P4Y" | "R/P10Y" => Some(Yearly),
        "R/P0Y" => Some(Once),
        _ => None,
    };
    if by_iso.is_some() {
        return by_iso;
    }
    match t.to_ascii_lowercase().replace(['-', ' '], "_").as_str() {
        "realtime" | "update_cont" | "cont" | "continuous" | "continuously" => Some(Realtime),
        "daily" | "day" => Some(Daily),
        "weekly" | "week" | "biweekly" | "weekly_2" | "weekly_3" => Some(Weekly),
        "monthly" | "month" | "bimonthly" | "monthly_2" | "monthly_3" => Some(Monthly),
        "quarterly" | "quarter" => Some(Quarterly),
        "half_yearly" | "semiannual" | "annual_2" | "biannual" => Some(HalfYearly),
        "yearly" | "annual" | "annually" | "biennial" | "triennial" => Some(Yearly),
        "irregular" | "irreg" | "as_needed" | "other" | "unknown" => Some(Irregular),
        "once" | "never" | "not_planned" => Some(Once),
        _ => None,
    }
}

pub fn eu_frequency(f: UpdateFrequency) -> &'static str {
    match f {
        UpdateFrequency::Realtime => "UPDATE_CONT",
        UpdateFrequency::Daily => "DAILY",
        UpdateFrequency::Weekly => "WEEKLY",
        UpdateFrequency::Monthly => "MONTHLY",
        UpdateFrequency::Quarterly => "QUARTERLY",
        UpdateFrequency::HalfYearly => "ANNUAL_2",
        UpdateFrequency::Yearly => "ANNUAL",
        UpdateFrequency::Irregular => "IRREG",
        UpdateFrequency::Once => "NEVER",
    }
}

/// The EU data theme closest to a Chinese 数据领域, for harvesters that facet on it.
/// Unknown domains get none (the domain text still travels as `kf:domain`).
pub fn eu_theme(domain: &str) -> Option<&'static str> {
    const MAP: [(&str, &str); 14] = [
        ("交通", "TRAN"),
        ("环境", "ENVI"),
        ("医疗", "HEAL"),
        ("卫生", "HEAL"),
        ("教育", "EDUC"),
        ("科技", "TECH"),
        ("农业", "AGRI"),
        ("能源", "ENER"),
        ("经济", "ECON"),
        ("财政", "GOVE"),
        ("机构", "GOVE"),
        ("公共安全", "JUST"),
        ("社会", "SOCI"),
        ("文化", "EDUC"),
    ];
    MAP.iter().find(|(k, _)| domain.contains(k)).map(|(_, v)| *v)
}

/// A media type for a format name, and the reverse.
pub fn media_type_for(format: &str) -> Option<&'static str> {
    Some(match format.to_ascii_uppercase().as_str() {
        "CSV" => "text/csv",
        "JSON" => "application/json",
        "XLSX" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLS" => "application/vnd.ms-excel",
        "XML" => "application/xml",
        "PDF" => "application/pdf",
        "ZIP" => "application/zip",
        "HTML" => "text/html",
        "GEOJSON" => "application/geo+json",
        _ => return None,
    })
}

/// Upper-case format name from a format string, media type, or IRI (`…/file-type/CSV`).
pub fn format_name(s: &str) -> Option<String> {
    let t = s.trim().trim_end_matches('/');
    if t.is_empty() {
        return None;
    }
    let last = t.rsplit('/').next().unwrap_or(t);
    let by_media = match t.to_ascii_lowercase().as_str() {
        x if x.ends_with("text/csv") => Some("CSV"),
        x if x.ends_with("application/json") => Some("JSON"),
        x if x.ends_with("application/pdf") => Some("PDF"),
        x if x.ends_with("application/zip") => Some("ZIP"),
        x if x.ends_with("text/html") => Some("HTML"),
        x if x.ends_with("application/xml") || x.ends_with("text/xml") => Some("XML"),
        _ => None,
    };
    if let Some(f) = by_media {
        return Some(f.into());
    }
    let up = last.to_ascii_uppercase();
    if up.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '_') && up.len() <= 20 {
        Some(up)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mappings_round_trip() {
        for f in UpdateFrequency::ALL {
            assert_eq!(frequency_from_any(iso_periodicity(f)), Some(f), "{f:?} via ISO");
            assert_eq!(frequency_from_any(&format!("{EU_FREQUENCY}{}", eu_frequency(f))), Some(f), "{f:?} via EU");
        }
        for k in OpenKind::ALL {
            assert_eq!(open_kind_from_access_level(access_level(k)), Some(k));
            assert_eq!(open_kind_from_access_rights(&format!("{EU_ACCESS_RIGHT}{}", eu_access_right(k))), Some(k));
        }
        assert_eq!(frequency_from_any("http://purl.org/cld/freq/daily"), Some(UpdateFrequency::Daily));
        assert_eq!(
            format_name("http://publications.europa.eu/resource/authority/file-type/CSV").as_deref(),
            Some("CSV")
        );
        assert_eq!(format_name("text/csv").as_deref(), Some("CSV"));
        assert_eq!(format_name("Zipped CSV").as_deref(), Some("ZIPPED CSV"));
    }
}
