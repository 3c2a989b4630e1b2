//! Bulk decisions on import: what a foreign catalog lacks or names differently, decided once
//! for every dataset (`kaifang catalog import --rules rules.toml --default key=value`).
//!
//! The rules never overwrite what the source says, except where they exist to rename it
//! (a publisher mapped onto a department, a theme or keyword mapped onto a domain). Every
//! dataset's notes say which values came from rules, and the report counts per field how many
//! datasets have it from the source, by a rule, by a default, or still lack it — so the
//! maintainer sees what is left without opening a thousand files. See
//! `docs/catalog-format.md` ("Import rules") for the file format.

use super::{Draft, REQUIRED};
use anyhow::{bail, Context};
use kaifang_core::catalog::OpenKind;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// `portal.toml` fields (name, publisher, url, jurisdiction, default_license …).
    #[serde(default)]
    pub portal: BTreeMap<String, Value>,
    /// Dataset fields used where the source says nothing (region, security_level, …).
    #[serde(default)]
    pub defaults: BTreeMap<String, Value>,
    /// Domain (数据领域) from the source's themes or keywords, first match wins.
    #[serde(default)]
    pub domain: Vec<DomainRule>,
    /// Source department from the publisher's name as the source writes it.
    #[serde(default)]
    pub department: BTreeMap<String, Department>,
    /// Update frequency from source values the built-in reading does not know.
    #[serde(default)]
    pub frequency: BTreeMap<String, String>,
    #[serde(default)]
    pub open: OpenRules,
    /// `--from sheet`: a portal's own column names per field (`title = ["目录名称（中文）"]`),
    /// tried before the built-in ones (`sheet::HEADERS`).
    #[serde(default)]
    pub sheet: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainRule {
    pub name: String,
    /// Themes or keywords, compared without case; `word*` matches a prefix.
    #[serde(rename = "match")]
    pub terms: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Department {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpenRules {
    /// Legal basis (法律依据) of conditional and of closed datasets that state none.
    pub conditional_legal_basis: Option<String>,
    pub closed_legal_basis: Option<String>,
    /// Conditions of conditional datasets that state none.
    #[serde(default)]
    pub conditions: Vec<String>,
    /// Drop remote files and access methods of conditional and closed datasets: a static
    /// catalog is public, so `check` refuses them (data-on-restricted).
    #[serde(default)]
    pub drop_restricted_links: bool,
}

impl Rules {
    /// Reads a rules file; `defaults` (`key=value`, the value TOML or plain text) are added
    /// over the file's `[defaults]`.
    pub fn load(path: Option<&Path>, defaults: &[String]) -> anyhow::Result<Rules> {
        let mut rules = match path {
            Some(p) => {
                let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
                toml::from_str(&text).with_context(|| format!("{} is not a valid rules file", p.display()))?
            }
            None => Rules::default(),
        };
        for d in defaults {
            let (k, v) = parse_default(d)?;
            rules.defaults.insert(k, v);
        }
        rules.validate()?;
        Ok(rules)
    }

    fn validate(&self) -> anyhow::Result<()> {
        for (k, v) in &self.frequency {
            if kaifang_core::catalog::UpdateFrequency::parse(v).is_none() {
                bail!("[frequency] “{k}” = “{v}”: not one of realtime daily weekly monthly quarterly half_yearly yearly irregular once");
            }
        }
        if let Some(k) = self.defaults.keys().find(|k| matches!(k.as_str(), "id" | "files")) {
            bail!("[defaults] `{k}` cannot be a default");
        }
        Ok(())
    }
}

/// `key=value`: the value read as TOML (`1`, `{ name = "…", level = "city" }`, `"text"`), or
/// as plain text when it is not TOML.
fn parse_default(s: &str) -> anyhow::Result<(String, Value)> {
    let Some((k, v)) = s.split_once('=') else {
        bail!("--default “{s}”: expected key=value, e.g. security_level=1");
    };
    let (k, v) = (k.trim(), v.trim());
    if k.is_empty() || v.is_empty() {
        bail!("--default “{s}”: expected key=value, e.g. security_level=1");
    }
    let value = match toml::from_str::<BTreeMap<String, Value>>(&format!("v = {v}")) {
        Ok(mut t) => t.remove("v").unwrap_or(Value::Null),
        Err(_) => json!(v),
    };
    Ok((k.to_string(), value))
}

/// Where a field's value came from, per dataset, for the report.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Origin {
    Source,
    Rule,
    Default,
    Missing,
}

/// Counts per field and origin.
#[derive(Debug, Default)]
pub struct Tally {
    counts: BTreeMap<&'static str, [usize; 4]>,
    datasets: usize,
}

impl Tally {
    fn add(&mut self, field: &'static str, origin: Origin) {
        self.counts.entry(field).or_default()[origin as usize] += 1;
    }

    /// The report's table: one line per required field.
    pub fn render(&self) -> String {
        let mut s = format!(
            "\n## Fields over all {} datasets\n\n| field | from the source | by a rule | default | still missing |\n| --- | --- | --- | --- | --- |\n",
            self.datasets
        );
        for (key, what) in REQUIRED.iter().chain([&LEGAL_BASIS, &CONDITIONS]) {
            let c = self.counts.get(key).copied().unwrap_or_default();
            let _ = writeln!(s, "| {what} | {} | {} | {} | {} |", c[0], c[1], c[2], c[3]);
        }
        s
    }
}

const LEGAL_BASIS: (&str, &str) = ("open.legal_basis", "legal basis (conditional/closed only)");
const CONDITIONS: (&str, &str) = ("open.conditions", "conditions (conditional only)");

/// Applies the rules to every dataset; returns the tally for the report.
pub fn apply(rules: &Rules, datasets: &mut [Draft]) -> Tally {
    let mut tally = Tally { datasets: datasets.len(), ..Default::default() };
    for d in datasets {
        let had: Vec<bool> = REQUIRED.iter().map(|(k, _)| d.has(k)).collect();
        let mut by_rule = Vec::new();
        if map_domain(rules, d) {
            by_rule.push("theme");
        }
        if map_department(rules, d) {
            by_rule.push("publisher");
        }
        if map_frequency(rules, d) {
            by_rule.push("accrual_periodicity");
        }
        let defaulted = apply_defaults(rules, d);
        for ((key, _), had) in REQUIRED.iter().zip(had) {
            let origin = match () {
                _ if by_rule.contains(key) => Origin::Rule,
                _ if had => Origin::Source,
                _ if defaulted.contains(key) => Origin::Default,
                _ if d.has(key) => Origin::Rule,
                _ => Origin::Missing,
            };
            tally.add(key, origin);
        }
        open_rules(rules, d, &mut tally);
    }
    tally
}

fn matches(term: &str, pattern: &str) -> bool {
    let (t, p) = (term.trim().to_lowercase(), pattern.trim().to_lowercase());
    match p.strip_suffix('*') {
        Some(prefix) => t.starts_with(prefix),
        None => t == p,
    }
}

/// The first domain rule matching the dataset's theme or a keyword sets the domain; a
/// source theme it replaces is kept as a keyword (search still finds it).
fn map_domain(rules: &Rules, d: &mut Draft) -> bool {
    let theme = d.get("theme").and_then(Value::as_str).map(String::from);
    let keywords: Vec<String> = d
        .get("keywords")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).map(String::from).collect())
        .unwrap_or_default();
    let terms: Vec<&String> = theme.iter().chain(&keywords).collect();
    let Some((rule, term)) = rules
        .domain
        .iter()
        .find_map(|r| terms.iter().find(|t| r.terms.iter().any(|p| matches(t, p))).map(|t| (r, (*t).clone())))
    else {
        return false;
    };
    if theme.as_deref() == Some(rule.name.as_str()) {
        return false;
    }
    if let Some(old) = theme.filter(|t| !keywords.contains(t)) {
        let mut k = keywords;
        k.push(old);
        d.set("keywords", json!(k));
    }
    d.set("theme", json!(rule.name));
    d.note(format!("theme: “{}” by the rules (matched “{term}”)", rule.name));
    true
}

fn map_department(rules: &Rules, d: &mut Draft) -> bool {
    let Some(name) = d.get("publisher").and_then(|p| p.get("name")).and_then(Value::as_str) else {
        return false;
    };
    let Some(dep) = rules.department.get(name).cloned() else { return false };
    d.note(format!("publisher “{name}” → source department “{}” ({}) by the rules", dep.name, dep.id));
    d.notes.retain(|n| !n.contains("taken as the source department"));
    d.set("publisher", serde_json::to_value(dep).expect("a department serialises"));
    true
}

fn map_frequency(rules: &Rules, d: &mut Draft) -> bool {
    if d.has("accrual_periodicity") {
        return false;
    }
    let Some(raw) = d.unread_frequency.clone() else { return false };
    let Some(f) = rules.frequency.get(&raw) else { return false };
    d.set("accrual_periodicity", json!(f));
    d.note(format!("accrual_periodicity: “{raw}” → {f} by the rules"));
    true
}

/// `[defaults]` where the dataset has nothing; returns the keys set.
fn apply_defaults(rules: &Rules, d: &mut Draft) -> Vec<&'static str> {
    let mut set = Vec::new();
    for (k, v) in &rules.defaults {
        if !d.has(k) {
            d.set(k, v.clone());
            if let Some((key, label)) = REQUIRED.iter().find(|(r, _)| r == k) {
                set.push(*key);
                // The importer's "set it by hand" note on this field no longer holds.
                d.notes.retain(|n| !n.starts_with(label));
            }
        }
    }
    if !set.is_empty() {
        d.note(format!("from the rules' defaults: {}", set.join(", ")));
    }
    set
}

/// Legal basis and conditions of restricted datasets, and their remote files.
fn open_rules(rules: &Rules, d: &mut Draft, tally: &mut Tally) {
    let Some(mut open) = d.get("open").cloned() else { return };
    let kind = open.get("kind").and_then(Value::as_str).and_then(OpenKind::parse);
    let basis = match kind {
        Some(OpenKind::Conditional) => rules.open.conditional_legal_basis.as_deref(),
        Some(OpenKind::Closed) => rules.open.closed_legal_basis.as_deref(),
        _ => return,
    };
    let origin = match (open.get("legal_basis").is_some(), basis) {
        (true, _) => Origin::Source,
        (false, Some(b)) => {
            open["legal_basis"] = json!(b);
            Origin::Rule
        }
        (false, None) => Origin::Missing,
    };
    tally.add(LEGAL_BASIS.0, origin);
    if kind == Some(OpenKind::Conditional) {
        let origin = match (open.get("conditions").is_some(), rules.open.conditions.is_empty()) {
            (true, _) => Origin::Source,
            (false, false) => {
                open["conditions"] = json!(rules.open.conditions);
                Origin::Rule
            }
            (false, true) => Origin::Missing,
        };
        tally.add(CONDITIONS.0, origin);
    }
    d.set("open", open);
    if rules.open.drop_restricted_links && (d.has("links") || d.has("access")) {
        d.remove("links");
        d.remove("access");
        d.note("links and access methods dropped by the rules: the dataset is not open without conditions");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(fields: Value) -> Draft {
        let mut d = Draft::new("x");
        for (k, v) in fields.as_object().unwrap() {
            d.set(k, v.clone());
        }
        d
    }

    const RULES: &str = r#"
        [defaults]
        region = { name = "示例市", level = "city" }
        security_level = 1
        accrual_periodicity = "irregular"
        theme = "综合"
        [[domain]]
        name = "公共安全"
        match = ["fire*", "Threats and Hazards"]
        [department]
        "HIFLD" = { id = "yjj", name = "示例市应急管理局" }
        [frequency]
        "R/P1M/custom" = "monthly"
        [open]
        closed_legal_basis = "《示例市公共数据管理办法》第十五条"
        conditions = ["仅限科研使用"]
        drop_restricted_links = true
    "#;

    #[test]
    fn rules_fill_and_rename_and_count() {
        let rules: Rules = toml::from_str(RULES).unwrap();
        let mut ds = vec![
            draft(json!({"theme": "Fire Incident", "keywords": ["x"], "publisher": {"id": "hifld", "name": "HIFLD"},
                "open": {"kind": "closed"}, "links": [{"title": "a", "url": "https://x"}], "security_level": 2})),
            draft(json!({"keywords": ["none"], "open": {"kind": "conditional"}})),
        ];
        ds[1].unread_frequency = Some("R/P1M/custom".into());
        let tally = apply(&rules, &mut ds);
        assert_eq!(ds[0].get("theme"), Some(&json!("公共安全")));
        assert_eq!(ds[0].get("keywords"), Some(&json!(["x", "Fire Incident"])));
        assert_eq!(ds[0].get("publisher"), Some(&json!({"id": "yjj", "name": "示例市应急管理局"})));
        assert_eq!(ds[0].get("security_level"), Some(&json!(2)), "the source's value is kept");
        assert_eq!(ds[0].get("open").unwrap()["legal_basis"], "《示例市公共数据管理办法》第十五条");
        assert!(!ds[0].has("links"));
        assert_eq!(ds[1].get("theme"), Some(&json!("综合")));
        assert_eq!(ds[1].get("accrual_periodicity"), Some(&json!("monthly")));
        assert_eq!(ds[1].get("open").unwrap()["conditions"], json!(["仅限科研使用"]));
        assert!(ds[1].get("open").unwrap().get("legal_basis").is_none(), "no conditional basis given");
        let table = tally.render();
        assert!(table.contains("| domain (数据领域) | 0 | 1 | 1 | 0 |"), "{table}");
        assert!(table.contains("| security level (安全级别) | 1 | 0 | 1 | 0 |"), "{table}");
        assert!(table.contains("| update frequency (更新频率) | 0 | 1 | 1 | 0 |"), "{table}");
        assert!(table.contains("| legal basis (conditional/closed only) | 0 | 1 | 0 | 1 |"), "{table}");
        assert!(table.contains("| licence | 0 | 0 | 0 | 2 |"), "{table}");
    }

    #[test]
    fn defaults_from_flags_and_bad_rules() {
        let (k, v) = parse_default("region={ name = \"示例市\", level = \"city\" }").unwrap();
        assert_eq!((k.as_str(), v), ("region", json!({"name": "示例市", "level": "city"})));
        assert_eq!(parse_default("security_level=1").unwrap().1, json!(1));
        assert_eq!(parse_default("license=示例市开放许可").unwrap().1, json!("示例市开放许可"));
        assert!(parse_default("nothing").is_err());
        let bad: Result<Rules, _> = toml::from_str("[defualts]\nregion = 1");
        assert!(bad.is_err(), "unknown sections are refused, not ignored");
        let mut r = Rules::default();
        r.frequency.insert("x".into(), "sometimes".into());
        assert!(r.validate().is_err());
    }
}
