//! The catalog checker's rules (MISSION B1–B3, T1): what a dataset description must say
//! and what the regulations forbid. Pure: the `kaifang` binary reads the files, computes
//! checksums and calls these functions; they never stop at the first problem.
//!
//! A source description is checked as a loosely typed JSON value (the CLI converts TOML)
//! rather than deserialised straight into [`Dataset`], because serde stops at the first
//! error and a maintainer fixing a catalog wants the whole list at once.

use crate::catalog::{valid_id, Dataset, DatasetStatus, Date, Portal, RegionLevel, UpdateFrequency};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};

/// Jurisdiction rule sets a portal may name (`portal.toml` `jurisdiction`): the built-in
/// rule sets of `rules`, where their deadlines live.
pub const KNOWN_JURISDICTIONS: [&str; 5] = crate::rules::RuleSet::BUILTIN;

/// Field types a 数据项 may declare.
pub const FIELD_TYPES: [&str; 7] = ["string", "integer", "number", "date", "datetime", "boolean", "geo"];

/// Marker importers write where the source catalog did not say something the regulations
/// require; `check` reports every occurrence so nothing half-imported gets published.
pub const PLACEHOLDER: &str = "【待补充】";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The catalog must not be built.
    Error,
    /// Built, but a maintainer should look.
    Warning,
}

/// Which rule a problem breaks: stable names that tests and docs refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The description is not a TOML table / not parseable.
    Syntax,
    /// A required field is absent or blank.
    Required,
    /// A value has the wrong type or is not one of the allowed values.
    BadValue,
    /// An identifier is not path-safe.
    IdFormat,
    /// `id` differs from the description's file name.
    IdFileName,
    /// Two descriptions use the same `id`.
    DuplicateId,
    /// A date is not a real `YYYY-MM-DD` date.
    BadDate,
    /// Dates contradict each other or lie in the future.
    DateOrder,
    /// Conditional or closed without a legal basis (B1; Yunnan 22, Aba 24/30, Guangdong 13).
    LegalBasis,
    /// Conditional without the conditions an applicant must meet (B1).
    Conditions,
    /// No source department (数源部门) (B2).
    Department,
    /// A closed or conditional dataset publishes data files or links (B1).
    DataOnRestricted,
    /// Suspended, withdrawn or invalid without the announcement and its date (B3; Xiangxi 39/45).
    StatusAnnouncement,
    /// `portal.toml` names a rule set Kaifang does not know.
    Jurisdiction,
    /// A data file named in `[[files]]` does not exist or cannot be read.
    FileMissing,
    /// A data file's size or sha256 differs from what the description records.
    FileChanged,
    /// A data file has no recorded checksum yet.
    ChecksumNotRecorded,
    /// A file path escapes the source folder.
    FilePath,
    /// An importer's placeholder was left in.
    Placeholder,
    /// Two 数据项 share a name.
    DuplicateField,
    /// A text file's bytes contradict its declared encoding.
    Encoding,
    /// A file under `files/` that no description names.
    UnreferencedFile,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Syntax => "syntax",
            Rule::Required => "required",
            Rule::BadValue => "bad-value",
            Rule::IdFormat => "id-format",
            Rule::IdFileName => "id-file-name",
            Rule::DuplicateId => "duplicate-id",
            Rule::BadDate => "bad-date",
            Rule::DateOrder => "date-order",
            Rule::LegalBasis => "legal-basis",
            Rule::Conditions => "conditions",
            Rule::Department => "department",
            Rule::DataOnRestricted => "data-on-restricted",
            Rule::StatusAnnouncement => "status-announcement",
            Rule::Jurisdiction => "jurisdiction",
            Rule::FileMissing => "file-missing",
            Rule::FileChanged => "file-changed",
            Rule::ChecksumNotRecorded => "checksum-not-recorded",
            Rule::FilePath => "file-path",
            Rule::Placeholder => "placeholder",
            Rule::DuplicateField => "duplicate-field",
            Rule::Encoding => "encoding",
            Rule::UnreferencedFile => "unreferenced-file",
        }
    }
}

/// One thing wrong with a catalog source, located by file and field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub severity: Severity,
    pub rule: Rule,
    /// The file as the maintainer knows it, e.g. `datasets/jt-bus-stops.toml`.
    pub file: String,
    /// Dotted path of the field, e.g. `open.legal_basis` or `files[0].sha256`; empty for
    /// the whole file.
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if self.field.is_empty() {
            write!(f, "{sev}[{}] {}: {}", self.rule.as_str(), self.file, self.message)
        } else {
            write!(f, "{sev}[{}] {}: field `{}`: {}", self.rule.as_str(), self.file, self.field, self.message)
        }
    }
}

pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}

/// A data file as the maintainer lists it under `[[files]]` in a dataset description.
/// `byte_size` and `sha256` are optional; when present the file must match them, and
/// `kaifang catalog check --update-checksums` records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub title: String,
    /// Path relative to the source folder, `/`-separated.
    pub file: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<String>,
    /// The line (sheet row for XLSX, 1-based) the table's header is on, where the preview's
    /// guess is wrong; lines above it are shown as notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub header_row: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub byte_size: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// What checking one dataset description yields: the record when it is sound enough to
/// build (`problems` may still hold warnings), and every problem found.
#[derive(Debug, Clone)]
pub struct CheckedDataset {
    pub dataset: Option<Dataset>,
    pub files: Vec<SourceFile>,
    pub problems: Vec<Problem>,
}

/// Collects problems for one file.
struct Report<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

impl Report<'_> {
    fn push(&mut self, severity: Severity, rule: Rule, field: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            severity,
            rule,
            file: self.file.to_string(),
            field: field.into(),
            message: message.into(),
        });
    }
    fn error(&mut self, rule: Rule, field: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Error, rule, field, message);
    }
    fn warn(&mut self, rule: Rule, field: impl Into<String>, message: impl Into<String>) {
        self.push(Severity::Warning, rule, field, message);
    }

    /// A required, non-blank string. `what` names the field for the maintainer.
    fn string<'v>(&mut self, obj: &'v Map<String, Value>, path: &str, key: &str, what: &str) -> Option<&'v str> {
        self.string_rule(obj, path, key, what, Rule::Required)
    }

    fn string_rule<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        path: &str,
        key: &str,
        what: &str,
        rule: Rule,
    ) -> Option<&'v str> {
        let field = join(path, key);
        match obj.get(key) {
            None => {
                self.error(rule, field, format!("missing; required: {what}"));
                None
            }
            Some(Value::String(s)) if s.trim().is_empty() => {
                self.error(rule, field, format!("is blank; required: {what}"));
                None
            }
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.error(Rule::BadValue, field, format!("must be text, not {}", kind(other)));
                None
            }
        }
    }

    fn optional_string<'v>(&mut self, obj: &'v Map<String, Value>, path: &str, key: &str) -> Option<&'v str> {
        match obj.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.error(Rule::BadValue, join(path, key), format!("must be text, not {}", kind(other)));
                None
            }
        }
    }

    fn table<'v>(
        &mut self,
        obj: &'v Map<String, Value>,
        key: &str,
        what: &str,
        rule: Rule,
    ) -> Option<&'v Map<String, Value>> {
        match obj.get(key) {
            None => {
                self.error(rule, key, format!("missing; required: {what}"));
                None
            }
            Some(Value::Object(m)) => Some(m),
            Some(other) => {
                self.error(Rule::BadValue, key, format!("must be a table, not {}", kind(other)));
                None
            }
        }
    }

    fn date(&mut self, obj: &Map<String, Value>, path: &str, key: &str, required: bool) -> Option<Date> {
        let field = join(path, key);
        match obj.get(key) {
            None if required => {
                self.error(Rule::Required, field, "missing; required: a date YYYY-MM-DD");
                None
            }
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => match Date::parse(s) {
                Ok(d) => Some(d),
                Err(e) => {
                    self.error(Rule::BadDate, field, e);
                    None
                }
            },
            Some(other) => {
                self.error(Rule::BadDate, field, format!("must be a date YYYY-MM-DD, not {}", kind(other)));
                None
            }
        }
    }

    fn string_list(&mut self, obj: &Map<String, Value>, path: &str, key: &str) -> Vec<String> {
        let key = &join(path, key);
        match obj.get(key.rsplit('.').next().unwrap_or(key)) {
            None => Vec::new(),
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) if !s.trim().is_empty() => out.push(s.clone()),
                        Value::String(_) => self.error(Rule::BadValue, format!("{key}[{i}]"), "is blank"),
                        other => self.error(
                            Rule::BadValue,
                            format!("{key}[{i}]"),
                            format!("must be text, not {}", kind(other)),
                        ),
                    }
                }
                out
            }
            Some(other) => {
                self.error(Rule::BadValue, key, format!("must be a list of text, not {}", kind(other)));
                Vec::new()
            }
        }
    }
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "a table",
    }
}

/// Checks one dataset description.
///
/// `file` locates it in messages; `stem` is its file name without `.toml`, which must equal
/// the `id`; `today` (when given) rejects dates in the future.
pub fn check_dataset(file: &str, stem: &str, raw: &Value, today: Option<&Date>) -> CheckedDataset {
    let mut r = Report { file, problems: Vec::new() };
    let Some(obj) = raw.as_object() else {
        r.error(Rule::Syntax, "", "a dataset description must be a table of fields");
        return CheckedDataset { dataset: None, files: Vec::new(), problems: r.problems };
    };
    scan_placeholders(&mut r, "", raw);
    check_identity(&mut r, obj, stem);
    check_department(&mut r, obj);
    check_classification(&mut r, obj);
    let open_kind = check_open(&mut r, obj);
    let issued = check_dates(&mut r, obj, today);
    check_history(&mut r, obj);
    let status = check_status(&mut r, obj, issued.as_ref(), today);
    check_fields(&mut r, obj);
    check_access(&mut r, obj);
    let files = check_files(&mut r, obj);
    check_restricted_data(&mut r, obj, open_kind, status, &files);
    let dataset = parse_record(&mut r, obj);
    CheckedDataset { dataset, files, problems: r.problems }
}

/// Identity and the plain descriptive fields: id (a file name and a URL segment), title,
/// description, domain, licence, version, keywords.
fn check_identity(r: &mut Report, obj: &Map<String, Value>, stem: &str) {
    if let Some(id) = r.string(obj, "", "id", "the dataset identifier") {
        if !valid_id(id) {
            r.error(
                Rule::IdFormat,
                "id",
                format!("“{id}” must be ASCII letters, digits, - _ . only (it is a file name and a URL segment)"),
            );
        } else if id != stem {
            r.error(
                Rule::IdFileName,
                "id",
                format!("“{id}” differs from the file name “{stem}.toml”; rename one so they match"),
            );
        }
    }
    r.string(obj, "", "title", "the dataset title (名称)");
    r.string(obj, "", "description", "a description (摘要)");
    r.string(obj, "", "theme", "the domain (数据领域)");
    r.string(obj, "", "license", "the licence or usage agreement");
    r.string(obj, "", "version", "the version");
    r.optional_string(obj, "", "title_en");
    r.optional_string(obj, "", "usage_requirements");
    r.optional_string(obj, "", "spatial");
    r.optional_string(obj, "", "provider");
    r.optional_string(obj, "", "landing_page");
    r.string_list(obj, "", "keywords");
    if !obj.contains_key("keywords") {
        r.warn(Rule::Required, "keywords", "no keywords: search finds the dataset by title and description only");
    }
    if obj.contains_key("distributions") {
        r.error(Rule::BadValue, "distributions", "is computed by the builder; list data files under [[files]]");
    }
}

/// The source department (B2), the contact and the region the data covers.
fn check_department(r: &mut Report, obj: &Map<String, Value>) {
    if let Some(publisher) = r.table(obj, "publisher", "the source department (数源部门)", Rule::Department) {
        r.string_rule(publisher, "publisher", "id", "a stable department identifier", Rule::Department);
        r.string_rule(publisher, "publisher", "name", "the source department's name (数源部门)", Rule::Department);
        r.optional_string(publisher, "publisher", "name_en");
    }
    if let Some(contact) = r.table(obj, "contact_point", "a contact (联系方式)", Rule::Required) {
        r.string(contact, "contact_point", "name", "the contact's name");
        r.optional_string(contact, "contact_point", "email");
        r.optional_string(contact, "contact_point", "phone");
    }
    if let Some(region) = r.table(obj, "region", "the region the data covers", Rule::Required) {
        r.string(region, "region", "name", "the region's name, e.g. 示例市");
        match region.get("level") {
            None => r.error(Rule::Required, "region.level", "missing; one of province, city, county, township"),
            Some(v) => {
                if serde_json::from_value::<RegionLevel>(v.clone()).is_err() {
                    r.error(
                        Rule::BadValue,
                        "region.level",
                        format!("{v} is not one of province, city, county, township"),
                    );
                }
            }
        }
    }
}

/// Security level (安全级别) and update frequency (更新频率), both required.
fn check_classification(r: &mut Report, obj: &Map<String, Value>) {
    match obj.get("security_level") {
        None => r.error(Rule::Required, "security_level", "missing; required: 安全级别 1 (lowest) to 4"),
        Some(Value::Number(n)) if n.as_u64().is_some_and(|l| (1..=4).contains(&l)) => {}
        Some(v) => r.error(Rule::BadValue, "security_level", format!("{v} is not a security level 1 to 4")),
    }
    match obj.get("accrual_periodicity") {
        None => r.error(Rule::Required, "accrual_periodicity", "missing; required: 更新频率"),
        Some(Value::String(s)) if UpdateFrequency::parse(s).is_some() => {}
        Some(v) => r.error(
            Rule::BadValue,
            "accrual_periodicity",
            format!("{v} is not one of {}", UpdateFrequency::ALL.map(|f| f.as_str()).join(", ")),
        ),
    }
}

/// Issued, modified and the temporal coverage: present where required, in order, not in the
/// future. Returns the issue date, which the status date is compared with.
fn check_dates(r: &mut Report, obj: &Map<String, Value>, today: Option<&Date>) -> Option<Date> {
    let issued = r.date(obj, "", "issued", true);
    let modified = r.date(obj, "", "modified", true);
    if let (Some(i), Some(m)) = (&issued, &modified) {
        if m < i {
            r.error(Rule::DateOrder, "modified", format!("{m} is before the issue date {i}"));
        }
    }
    for (key, d) in [("issued", &issued), ("modified", &modified)] {
        if let (Some(d), Some(t)) = (d, today) {
            if d > t {
                r.error(Rule::DateOrder, key, format!("{d} is in the future (today is {t})"));
            }
        }
    }
    match obj.get("temporal") {
        None => {}
        Some(Value::Object(t)) => {
            let start = r.date(t, "temporal", "start", false);
            let end = r.date(t, "temporal", "end", false);
            if let (Some(s), Some(e)) = (start, end) {
                if e < s {
                    r.error(Rule::DateOrder, "temporal.end", format!("{e} is before the start {s}"));
                }
            }
        }
        Some(other) => {
            r.error(Rule::BadValue, "temporal", format!("must be a table with start/end, not {}", kind(other)))
        }
    }
    issued
}

/// The status (B3): a dataset that is not open carries its announcement and since when.
fn check_status(
    r: &mut Report,
    obj: &Map<String, Value>,
    issued: Option<&Date>,
    today: Option<&Date>,
) -> DatasetStatus {
    let status = match obj.get("status") {
        None => DatasetStatus::Open,
        Some(Value::String(s)) => DatasetStatus::parse(s).unwrap_or_else(|| {
            r.error(Rule::BadValue, "status", format!("“{s}” is not one of open, suspended, withdrawn, invalid"));
            DatasetStatus::Open
        }),
        Some(v) => {
            r.error(Rule::BadValue, "status", format!("must be text, not {}", kind(v)));
            DatasetStatus::Open
        }
    };
    let since = r.date(obj, "", "status_since", false);
    let note = r.optional_string(obj, "", "status_note").filter(|s| !s.trim().is_empty());
    if status != DatasetStatus::Open {
        if note.is_none() {
            r.error(
                Rule::StatusAnnouncement,
                "status_note",
                format!(
                    "a {} dataset must carry its announcement: why, and what users should do (Xiangxi 39/45)",
                    status.as_str()
                ),
            );
        }
        if since.is_none() && !obj.contains_key("status_since") {
            r.error(
                Rule::StatusAnnouncement,
                "status_since",
                format!("a {} dataset must say since when (YYYY-MM-DD)", status.as_str()),
            );
        }
    }
    if let (Some(s), Some(i)) = (&since, &issued) {
        if s < i {
            r.error(Rule::DateOrder, "status_since", format!("{s} is before the issue date {i}"));
        }
    }
    if let (Some(s), Some(t)) = (&since, today) {
        if s > t {
            r.error(Rule::DateOrder, "status_since", format!("{s} is in the future (today is {t})"));
        }
    }
    match obj.get("emergency") {
        None | Some(Value::Bool(_)) => {}
        Some(v) => r.error(Rule::BadValue, "emergency", format!("must be true or false, not {}", kind(v))),
    }
    status
}

/// No data in a static catalog for conditional or closed datasets (B1), and a warning when a
/// dataset's status keeps its files from being offered.
fn check_restricted_data(
    r: &mut Report,
    obj: &Map<String, Value>,
    open_kind: Option<&'static str>,
    status: DatasetStatus,
    files: &[SourceFile],
) {
    if let Some(kind) = open_kind {
        if kind != "unconditional" {
            let what = if kind == "closed" {
                "a closed (不予开放) dataset is listed without data"
            } else {
                "conditional (有条件开放) data is released to approved applicants only, but files in a static catalog are public"
            };
            if !files.is_empty() {
                r.error(Rule::DataOnRestricted, "files", format!("{what}; remove the [[files]] entries"));
            }
            if obj.get("links").and_then(Value::as_array).is_some_and(|l| !l.is_empty()) {
                r.error(Rule::DataOnRestricted, "links", format!("{what}; remove the links"));
            }
            if kind == "closed" && obj.get("access").and_then(Value::as_array).is_some_and(|l| !l.is_empty()) {
                r.error(
                    Rule::DataOnRestricted,
                    "access",
                    "a closed (不予开放) dataset offers no access method; remove `access`",
                );
            }
        }
    }
    if !status.serves_data() && !files.is_empty() {
        r.warn(
            Rule::DataOnRestricted,
            "files",
            format!(
                "the dataset is {}; the app will not offer its files, but they are still copied into the catalog",
                status.as_str()
            ),
        );
    }
}

/// The record as the app reads it, when no error was found: everything the field checks did
/// not catch but serde will (unknown enum payloads …) is reported here.
fn parse_record(r: &mut Report, obj: &Map<String, Value>) -> Option<Dataset> {
    let mut record = obj.clone();
    record.remove("files");
    match serde_json::from_value::<Dataset>(Value::Object(record)) {
        Ok(d) if !has_errors(&r.problems) => Some(d),
        Ok(_) => None,
        Err(e) => {
            if !has_errors(&r.problems) {
                r.error(Rule::BadValue, "", format!("not a valid dataset description: {e}"));
            }
            None
        }
    }
}

/// The open attribute (B1): returns its kind when readable.
fn check_open(r: &mut Report, obj: &Map<String, Value>) -> Option<&'static str> {
    let open =
        r.table(obj, "open", "the open attribute (开放属性): unconditional, conditional or closed", Rule::Required)?;
    let kind = match open.get("kind").and_then(Value::as_str) {
        Some("unconditional") => "unconditional",
        Some("conditional") => "conditional",
        Some("closed") => "closed",
        Some(other) => {
            r.error(Rule::BadValue, "open.kind", format!("“{other}” is not one of unconditional, conditional, closed"));
            return None;
        }
        None => {
            r.error(Rule::Required, "open.kind", "missing; one of unconditional, conditional, closed");
            return None;
        }
    };
    if kind != "unconditional" {
        r.string_rule(
            open,
            "open",
            "legal_basis",
            &format!("a {kind} dataset must state its legal basis (法律依据; Yunnan 22, Aba 24/30, Guangdong 13)"),
            Rule::LegalBasis,
        );
    } else if open.contains_key("legal_basis") || open.contains_key("conditions") {
        r.warn(Rule::BadValue, "open", "an unconditional dataset has no conditions or legal basis; they are ignored");
    }
    if kind == "conditional" && r.string_list(open, "open", "conditions").is_empty() {
        r.error(
            Rule::Conditions,
            "open.conditions",
            "a conditional dataset must list the conditions an applicant must meet (Aba 24/30, Yunnan 22)",
        );
    }
    Some(kind)
}

/// The tables of a list-of-tables field (`history`, `fields`) with their paths; a value
/// that is not a list, or an item that is not a table, is reported (`what`: "a list of …",
/// `with`: the keys a table needs).
fn tables<'a>(
    r: &mut Report,
    obj: &'a Map<String, Value>,
    key: &str,
    what: &str,
    with: &str,
) -> Vec<(String, &'a Map<String, Value>)> {
    let Some(value) = obj.get(key) else {
        return Vec::new();
    };
    let Some(items) = value.as_array() else {
        r.error(Rule::BadValue, key, format!("must be {what}, not {}", kind(value)));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("{key}[{i}]");
        match item.as_object() {
            Some(table) => out.push((path, table)),
            None => r.error(Rule::BadValue, path, format!("must be a table with {with}")),
        }
    }
    out
}

fn check_history(r: &mut Report, obj: &Map<String, Value>) {
    let entries = tables(r, obj, "history", "a list", "version, date, note");
    let mut versions = HashSet::new();
    for (path, entry) in &entries {
        let path = path.as_str();
        if let Some(v) = r.string(entry, &path, "version", "the version this entry describes") {
            if !versions.insert(v.to_string()) {
                r.error(
                    Rule::BadValue,
                    format!("{path}.version"),
                    format!("version “{v}” appears twice in the history"),
                );
            }
        }
        r.date(entry, &path, "date", true);
        r.string(entry, &path, "note", "what changed");
    }
    if let Some(Value::String(current)) = obj.get("version") {
        if !entries.is_empty() && !versions.contains(current) {
            r.warn(Rule::BadValue, "history", format!("the current version “{current}” has no history entry"));
        }
    }
}

fn check_fields(r: &mut Report, obj: &Map<String, Value>) {
    let mut names = HashSet::new();
    for (path, field) in tables(r, obj, "fields", "a list of 数据项", "name, label, type") {
        let path = path.as_str();
        if let Some(name) = r.string(field, &path, "name", "the column name in the data file") {
            if !names.insert(name.to_string()) {
                r.error(Rule::DuplicateField, format!("{path}.name"), format!("“{name}” is listed twice"));
            }
        }
        r.string(field, &path, "label", "the Chinese label (中文名称)");
        if let Some(t) = r.string(field, &path, "type", "the type") {
            if !FIELD_TYPES.contains(&t) {
                r.error(
                    Rule::BadValue,
                    format!("{path}.type"),
                    format!("“{t}” is not one of {}", FIELD_TYPES.join(", ")),
                );
            }
        }
        r.optional_string(field, &path, "unit");
        r.optional_string(field, &path, "description");
    }
}

fn check_access(r: &mut Report, obj: &Map<String, Value>) {
    let Some(access) = obj.get("access") else {
        return;
    };
    let Some(items) = access.as_array() else {
        r.error(Rule::BadValue, "access", format!("must be a list, not {}", kind(access)));
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let path = format!("access[{i}]");
        let Some(method) = item.as_object() else {
            r.error(Rule::BadValue, path, "must be a table with a kind");
            continue;
        };
        match method.get("kind").and_then(Value::as_str) {
            Some("download") | Some("sandbox") => {}
            Some("api") => {
                r.string(method, &path, "endpoint", "the API's address");
            }
            other => r.error(
                Rule::BadValue,
                format!("{path}.kind"),
                format!(
                    "{} is not one of download, api, sandbox",
                    other.map_or("nothing".to_string(), |s| format!("“{s}”"))
                ),
            ),
        }
    }
    if let Some(links) = obj.get("links") {
        match links.as_array() {
            None => r.error(Rule::BadValue, "links", format!("must be a list, not {}", kind(links))),
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    let path = format!("links[{i}]");
                    match item.as_object() {
                        None => r.error(Rule::BadValue, path, "must be a table with title and url"),
                        Some(link) => {
                            r.string(link, &path, "title", "the link's title");
                            if let Some(url) = r.string(link, &path, "url", "the address") {
                                if !(url.starts_with("https://") || url.starts_with("http://")) {
                                    r.error(
                                        Rule::BadValue,
                                        format!("{path}.url"),
                                        format!("“{url}” is not an http(s) address"),
                                    );
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `[[files]]`: shape and path safety. Whether the files exist and match is for
/// [`check_file_digest`], once the CLI has read them.
fn check_files(r: &mut Report, obj: &Map<String, Value>) -> Vec<SourceFile> {
    let Some(files) = obj.get("files") else {
        return Vec::new();
    };
    let Some(items) = files.as_array() else {
        r.error(Rule::BadValue, "files", format!("must be a list of [[files]] tables, not {}", kind(files)));
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut names = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("files[{i}]");
        let Some(f) = item.as_object() else {
            r.error(Rule::BadValue, path, "must be a table with title and file");
            continue;
        };
        let before = r.problems.len();
        r.string(f, &path, "title", "the file's title");
        if let Some(p) = r.string(f, &path, "file", "the path of the data file, relative to the source folder") {
            if let Err(e) = safe_relative_path(p) {
                r.error(Rule::FilePath, format!("{path}.file"), e);
            } else {
                let name = p.rsplit('/').next().unwrap_or(p).to_string();
                if let Some(j) = names.insert(name.clone(), i) {
                    r.error(
                        Rule::BadValue,
                        format!("{path}.file"),
                        format!("file name “{name}” is already used by files[{j}]; published files share one folder"),
                    );
                }
            }
        }
        r.optional_string(f, &path, "format");
        r.optional_string(f, &path, "encoding");
        if let Some(s) = r.optional_string(f, &path, "sha256") {
            if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)) {
                r.error(Rule::BadValue, format!("{path}.sha256"), "must be 64 lower-case hex digits");
            }
        }
        match f.get("byte_size") {
            None => {}
            Some(Value::Number(n)) if n.as_u64().is_some() => {}
            Some(v) => r.error(Rule::BadValue, format!("{path}.byte_size"), format!("{v} is not a size in bytes")),
        }
        match f.get("header_row") {
            None => {}
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| n >= 1) => {}
            Some(v) => r.error(
                Rule::BadValue,
                format!("{path}.header_row"),
                format!("{v} is not a line number (1 is the first line)"),
            ),
        }
        if r.problems[before..].iter().all(|p| p.severity != Severity::Error) {
            if let Ok(sf) = serde_json::from_value::<SourceFile>(item.clone()) {
                out.push(sf);
            }
        }
    }
    out
}

/// A `[[files]]` path must stay inside the source folder.
pub fn safe_relative_path(p: &str) -> Result<(), String> {
    if p.starts_with('/') || p.contains('\\') || p.contains(':') {
        return Err(format!("“{p}” must be a relative path with / separators"));
    }
    if p.split('/').any(|seg| seg.is_empty() || seg == ".." || seg == ".") {
        return Err(format!("“{p}” must not contain empty, . or .. segments"));
    }
    Ok(())
}

/// Compares a data file as read (`actual`: size and sha256, or `None` when it could not be
/// read, with the reason) with what its description records.
pub fn check_file_digest(
    file: &str,
    index: usize,
    recorded: &SourceFile,
    actual: Result<(u64, &str), &str>,
) -> Vec<Problem> {
    let mut r = Report { file, problems: Vec::new() };
    let path = format!("files[{index}]");
    match actual {
        Err(why) => r.error(
            Rule::FileMissing,
            format!("{path}.file"),
            format!("data file {} cannot be read: {why}", recorded.file),
        ),
        Ok((size, sha)) => {
            if let Some(want) = recorded.byte_size {
                if want != size {
                    r.error(
                        Rule::FileChanged,
                        format!("{path}.byte_size"),
                        format!("{} has {size} bytes, the description records {want}: the file changed (re-record with --update-checksums if that is intended)", recorded.file),
                    );
                }
            }
            if let Some(want) = &recorded.sha256 {
                if want != sha {
                    r.error(
                        Rule::FileChanged,
                        format!("{path}.sha256"),
                        format!("{} has sha256 {sha}, the description records {want}: the file changed (re-record with --update-checksums if that is intended)", recorded.file),
                    );
                }
            }
            if recorded.byte_size.is_none() || recorded.sha256.is_none() {
                r.warn(
                    Rule::ChecksumNotRecorded,
                    path,
                    format!("{} has no recorded byte_size/sha256, so a later change would go unnoticed; run `kaifang catalog check --update-checksums`", recorded.file),
                );
            }
        }
    }
    r.problems
}

/// What reading a data file found out about its text encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFacts {
    /// The whole file is valid UTF-8.
    pub valid_utf8: bool,
    /// It has bytes above 0x7F (so the encoding matters).
    pub non_ascii: bool,
}

/// Formats whose bytes are text in some encoding.
const TEXT_FORMATS: [&str; 7] = ["CSV", "TSV", "TXT", "JSON", "GEOJSON", "XML", "JSONL"];

/// Compares a text file's bytes with its declared `encoding` (B6: previews decode by it).
pub fn check_file_encoding(file: &str, index: usize, recorded: &SourceFile, facts: TextFacts) -> Vec<Problem> {
    let mut r = Report { file, problems: Vec::new() };
    let format = recorded
        .format
        .clone()
        .or_else(|| recorded.file.rsplit_once('.').map(|(_, e)| e.to_string()))
        .unwrap_or_default()
        .to_ascii_uppercase();
    if !TEXT_FORMATS.contains(&format.as_str()) || !facts.non_ascii {
        return r.problems;
    }
    let field = format!("files[{index}].encoding");
    let declared = recorded.encoding.as_deref().map(|e| e.trim().to_ascii_lowercase().replace('_', "-"));
    match declared.as_deref() {
        Some("utf-8" | "utf8" | "utf-8-sig") if !facts.valid_utf8 => r.error(
            Rule::Encoding,
            field,
            format!("{} is declared UTF-8 but is not valid UTF-8 (GBK? then declare encoding = \"gbk\")", recorded.file),
        ),
        Some("gbk" | "gb2312" | "gb18030") if facts.valid_utf8 => r.warn(
            Rule::Encoding,
            field,
            format!("{} is declared {} but reads as valid UTF-8; check the declaration", recorded.file, declared.as_deref().unwrap_or("")),
        ),
        None if !facts.valid_utf8 => r.warn(
            Rule::Encoding,
            field,
            format!("{} is not UTF-8 and declares no encoding; previews would have to guess (declare encoding = \"gbk\" or similar)", recorded.file),
        ),
        _ => {}
    }
    r.problems
}

/// Checks `portal.toml`.
pub fn check_portal(file: &str, raw: &Value) -> (Option<Portal>, Vec<Problem>) {
    let mut r = Report { file, problems: Vec::new() };
    let Some(obj) = raw.as_object() else {
        r.error(Rule::Syntax, "", "portal.toml must be a table of fields");
        return (None, r.problems);
    };
    scan_placeholders(&mut r, "", raw);
    r.string(obj, "", "name", "the platform's name");
    r.string(obj, "", "publisher", "the data authority that runs the platform");
    if let Some(url) = r.string(obj, "", "url", "the platform's public address") {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            r.error(Rule::BadValue, "url", format!("“{url}” is not an http(s) address"));
        }
    }
    if let Some(j) = r.string(obj, "", "jurisdiction", "the jurisdiction's rule set") {
        if !KNOWN_JURISDICTIONS.contains(&j) {
            r.error(
                Rule::Jurisdiction,
                "jurisdiction",
                format!("unknown rule set “{j}”; known: {}", KNOWN_JURISDICTIONS.join(", ")),
            );
        }
    }
    r.string(obj, "", "intake", "the intake API address, e.g. /api/v1");
    r.string(obj, "", "default_license", "the licence applied where a dataset names none");
    let portal = match serde_json::from_value::<Portal>(raw.clone()) {
        Ok(p) if !has_errors(&r.problems) => Some(p),
        Ok(_) => None,
        Err(e) => {
            if !has_errors(&r.problems) {
                r.error(Rule::BadValue, "", format!("not a valid portal description: {e}"));
            }
            None
        }
    };
    (portal, r.problems)
}

/// Catalog-wide rules: every id once. `ids` pairs each description's file with its id.
pub fn check_unique_ids<'a>(ids: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Problem> {
    let mut first: HashMap<&str, &str> = HashMap::new();
    let mut out = Vec::new();
    for (file, id) in ids {
        if let Some(prev) = first.get(id) {
            out.push(Problem {
                severity: Severity::Error,
                rule: Rule::DuplicateId,
                file: file.to_string(),
                field: "id".into(),
                message: format!("“{id}” is already used by {prev}"),
            });
        } else {
            first.insert(id, file);
        }
    }
    out
}

fn scan_placeholders(r: &mut Report, path: &str, v: &Value) {
    match v {
        Value::String(s) if s.contains(PLACEHOLDER) => {
            r.error(Rule::Placeholder, path, format!("still holds the import placeholder {PLACEHOLDER}: {s}"))
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                scan_placeholders(r, &format!("{path}[{i}]"), item);
            }
        }
        Value::Object(m) => {
            for (k, item) in m {
                scan_placeholders(r, &join(path, k), item);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({
            "id": "jt-bus", "title": "公交线路", "description": "全市公交线路", "theme": "交通出行",
            "keywords": ["公交"], "license": "开放许可", "version": "1.0", "security_level": 1,
            "accrual_periodicity": "monthly", "issued": "2024-01-01", "modified": "2024-02-01",
            "publisher": {"id": "jtj", "name": "示例市交通运输局"},
            "region": {"name": "示例市", "level": "city"},
            "contact_point": {"name": "信息中心"},
            "open": {"kind": "unconditional"},
            "files": [{"title": "线路", "file": "files/bus.csv"}]
        })
    }

    fn rules(v: &Value) -> Vec<(Rule, String)> {
        check_dataset("datasets/jt-bus.toml", "jt-bus", v, Date::parse("2026-11-23").ok().as_ref())
            .problems
            .into_iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| (p.rule, p.field))
            .collect()
    }

    /// MISSION B2 (Zibo 10, Guangdong 10, Aba 14): a complete description yields the record.
    #[test]
    fn a_sound_description_passes_and_yields_the_record() {
        let c = check_dataset("d.toml", "jt-bus", &good(), None);
        assert!(c.problems.is_empty(), "{:?}", c.problems);
        assert_eq!(c.dataset.unwrap().publisher.name, "示例市交通运输局");
        assert_eq!(c.files[0].file, "files/bus.csv");
    }

    #[test]
    fn all_problems_are_reported_at_once() {
        let mut v = good();
        v["open"] = json!({"kind": "conditional"});
        v["publisher"] = json!({"id": "jtj", "name": " "});
        v["issued"] = json!("2024-02-30");
        v["security_level"] = json!(7);
        let got = rules(&v);
        for want in [
            (Rule::LegalBasis, "open.legal_basis"),
            (Rule::Conditions, "open.conditions"),
            (Rule::Department, "publisher.name"),
            (Rule::BadDate, "issued"),
            (Rule::BadValue, "security_level"),
            (Rule::DataOnRestricted, "files"),
        ] {
            assert!(got.contains(&(want.0, want.1.to_string())), "missing {want:?} in {got:?}");
        }
    }

    #[test]
    fn status_other_than_open_needs_announcement_and_date() {
        let mut v = good();
        v["status"] = json!("invalid");
        let got = rules(&v);
        assert!(got.contains(&(Rule::StatusAnnouncement, "status_note".into())));
        assert!(got.contains(&(Rule::StatusAnnouncement, "status_since".into())));
        v["status_note"] = json!("数据已过时，请改用新版数据集");
        v["status_since"] = json!("2025-01-01");
        assert!(rules(&v).is_empty());
    }

    #[test]
    fn id_must_match_file_name_and_be_path_safe() {
        let mut v = good();
        v["id"] = json!("jt-other");
        assert_eq!(rules(&v), vec![(Rule::IdFileName, "id".to_string())]);
        v["id"] = json!("../x");
        assert_eq!(rules(&v), vec![(Rule::IdFormat, "id".to_string())]);
    }

    #[test]
    fn future_and_reversed_dates_are_rejected() {
        let mut v = good();
        v["modified"] = json!("2023-01-01");
        assert_eq!(rules(&v), vec![(Rule::DateOrder, "modified".to_string())]);
        v["modified"] = json!("2027-01-01");
        assert_eq!(rules(&v), vec![(Rule::DateOrder, "modified".to_string())]);
    }

    #[test]
    fn digests_are_compared() {
        let f = SourceFile {
            title: "t".into(),
            file: "files/a.csv".into(),
            format: None,
            encoding: None,
            header_row: None,
            byte_size: Some(3),
            sha256: Some("a".repeat(64)),
        };
        let p = check_file_digest("d.toml", 0, &f, Ok((4, &"b".repeat(64))));
        assert_eq!(p.iter().filter(|p| p.rule == Rule::FileChanged).count(), 2);
        let ok = check_file_digest("d.toml", 0, &f, Ok((3, &"a".repeat(64))));
        assert!(ok.is_empty());
        let missing = check_file_digest("d.toml", 0, &f, Err("not found"));
        assert_eq!(missing[0].rule, Rule::FileMissing);
    }

    #[test]
    fn placeholders_and_paths() {
        let mut v = good();
        v["theme"] = json!(PLACEHOLDER);
        v["files"] = json!([{"title": "x", "file": "../secret.csv"}]);
        let got = rules(&v);
        assert!(got.contains(&(Rule::Placeholder, "theme".into())));
        assert!(got.contains(&(Rule::FilePath, "files[0].file".into())));
    }

    #[test]
    fn declared_encodings_are_compared_with_the_bytes() {
        let mut f = SourceFile {
            title: "t".into(),
            file: "files/a.csv".into(),
            format: None,
            encoding: Some("utf-8".into()),
            header_row: None,
            byte_size: None,
            sha256: None,
        };
        let gbk_bytes = TextFacts { valid_utf8: false, non_ascii: true };
        let utf8_bytes = TextFacts { valid_utf8: true, non_ascii: true };
        assert_eq!(check_file_encoding("d", 0, &f, gbk_bytes)[0].severity, Severity::Error);
        assert!(check_file_encoding("d", 0, &f, utf8_bytes).is_empty());
        f.encoding = Some("GBK".into());
        assert_eq!(check_file_encoding("d", 0, &f, utf8_bytes)[0].severity, Severity::Warning);
        assert!(check_file_encoding("d", 0, &f, gbk_bytes).is_empty());
        f.encoding = None;
        assert_eq!(check_file_encoding("d", 0, &f, gbk_bytes)[0].rule, Rule::Encoding);
        f.file = "files/a.pdf".into();
        assert!(check_file_encoding("d", 0, &f, gbk_bytes).is_empty(), "binary formats have no encoding");
    }

    #[test]
    fn portal_jurisdiction_and_duplicates() {
        let (_, p) = check_portal(
            "portal.toml",
            &json!({"name": "n", "publisher": "p", "url": "https://x", "jurisdiction": "mars", "intake": "/api/v1", "default_license": "l"}),
        );
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].rule, Rule::Jurisdiction);
        let d = check_unique_ids([("a.toml", "x"), ("b.toml", "y"), ("c.toml", "x")]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].file, "c.toml");
    }
}
