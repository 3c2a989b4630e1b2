//! The four forms. Fields are kept as the user typed them (strings, options) so a draft
//! can be half-filled; `validate` says everything that is wrong with it at once.

use serde::{Deserialize, Serialize};

use super::check::{Errors, FieldError, IdDocument};
use crate::catalog::valid_id;
use crate::rules::{FilingKind, RuleSet};

/// Any filing, tagged by its kind: `{"kind": "application", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Filing {
    Application(Application),
    Objection(Objection),
    ErrorReport(ErrorReport),
    DataRequest(DataRequest),
}

impl Filing {
    pub fn kind(&self) -> FilingKind {
        match self {
            Filing::Application(_) => FilingKind::Application,
            Filing::Objection(_) => FilingKind::Objection,
            Filing::ErrorReport(_) => FilingKind::ErrorReport,
            Filing::DataRequest(_) => FilingKind::DataRequest,
        }
    }

    pub fn validate(&self, rules: &RuleSet) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        match self {
            Filing::Application(a) => a.check(rules, &mut e),
            Filing::Objection(o) => o.check(&mut e),
            Filing::ErrorReport(r) => r.check(&mut e),
            Filing::DataRequest(r) => r.check(&mut e),
        }
        e.into_result()
    }

    /// The catalog datasets the filing is about (none for a data request, which asks for
    /// data not yet in the catalog, unless it names a related dataset).
    pub fn dataset_ids(&self) -> Vec<String> {
        match self {
            Filing::Application(a) => a.datasets.iter().map(|d| d.id.clone()).collect(),
            Filing::Objection(o) => vec![o.dataset_id.clone()],
            Filing::ErrorReport(r) => vec![r.dataset_id.clone()],
            Filing::DataRequest(r) => r.related_dataset_id.iter().cloned().collect(),
        }
    }

    /// The filing as it may be stored and shown to a department: identity numbers masked.
    /// (Identity is verified by the platform's authentication service — Xiangxi 20 —
    /// so the intake has no need to keep full numbers.)
    pub fn masked(&self) -> Filing {
        let mut f = self.clone();
        match &mut f {
            Filing::Application(a) => a.applicant.id_document = a.applicant.id_document.masked(),
            Filing::Objection(o) => o.requester.id_document = o.requester.id_document.as_ref().map(IdDocument::masked),
            Filing::ErrorReport(_) | Filing::DataRequest(_) => {}
        }
        f
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Contact {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Applicant types of Yunnan 25 / Aba 32: 自然人, 法人, 非法人组织.
pub const APPLICANT_TYPES: [&str; 3] = ["natural_person", "legal_person", "unincorporated_org"];
/// What kind of body an organisation is; decides which declarations apply.
pub const ORG_CATEGORIES: [&str; 5] = ["company", "university", "research_institute", "public_interest_org", "other"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Applicant {
    #[serde(rename = "type")]
    pub applicant_type: String,
    pub name: String,
    /// For legal persons and unincorporated organisations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_category: Option<String>,
    pub id_document: IdDocument,
    pub contact: Contact,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RequestedDataset {
    pub id: String,
    /// Field names wanted; empty means the whole dataset.
    #[serde(default)]
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Period {
    pub start: String,
    pub end: String,
}

/// 有条件开放申请 (C1: Yunnan 25/27, Xiangxi 35/36, Aba 32, Guangdong 26).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Application {
    pub applicant: Applicant,
    pub datasets: Vec<RequestedDataset>,
    /// 用途
    pub purpose: String,
    /// 使用范围
    pub scope_of_use: String,
    /// 应用场景
    pub scenario: String,
    /// 使用人员
    pub users: Vec<String>,
    /// 安全保障措施
    pub security_measures: String,
    /// 使用期限
    pub period: Period,
    /// 数量 (Yunnan 27)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<String>,
    /// 频次 (Yunnan 27)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// Universities and research institutes: data used only for public-interest work.
    #[serde(default)]
    pub public_interest_declaration: bool,
    /// Companies under Xiangxi 35: the company is domestically controlled (内资控股).
    #[serde(default)]
    pub domestic_control_declaration: bool,
    /// 安全承诺书 acknowledged (Aba 32).
    #[serde(default)]
    pub security_commitment_ack: bool,
    /// The data-use agreement to be signed on approval acknowledged (Aba 32, Xiangxi 36).
    #[serde(default)]
    pub data_use_agreement_ack: bool,
}

impl Application {
    fn check(&self, rules: &RuleSet, e: &mut Errors) {
        let a = &self.applicant;
        let ty = e.choice("applicant.type", &a.applicant_type, &APPLICANT_TYPES);
        e.text("applicant.name", &a.name, 2, 100);
        let category = match (ty, &a.org_category) {
            (Some("natural_person"), _) | (None, _) => None,
            (Some(_), None) => {
                e.push(
                    "applicant.org_category",
                    "required",
                    "请选择机构类别。",
                    "Please choose the kind of organisation.",
                );
                None
            }
            (Some(_), Some(c)) => e.choice("applicant.org_category", c, &ORG_CATEGORIES),
        };
        // A natural person identifies with a resident ID (or other); organisations with a USCC (or other).
        match (ty, a.id_document.kind.as_str()) {
            (Some("natural_person"), "uscc") => e.push(
                "applicant.id_document.kind",
                "wrong_document",
                "自然人请使用居民身份证或其他个人证件。",
                "A natural person identifies with a resident ID or another personal document.",
            ),
            (Some("legal_person" | "unincorporated_org"), "resident_id") => e.push(
                "applicant.id_document.kind",
                "wrong_document",
                "机构请使用统一社会信用代码或其他机构证件。",
                "An organisation identifies with its unified social credit code or another document.",
            ),
            _ => e.id_document("applicant.id_document", &a.id_document),
        }
        e.contact("applicant.contact", &a.contact.phone, &a.contact.email);

        if e.count("datasets", self.datasets.len(), 1, 20) {
            for (i, d) in self.datasets.iter().enumerate() {
                dataset_id(e, &format!("datasets[{i}].id"), &d.id);
                if d.fields.len() > 200 {
                    e.push(format!("datasets[{i}].fields"), "too_many", "最多 200 个字段。", "At most 200 fields.");
                }
                for (j, f) in d.fields.iter().enumerate() {
                    e.text(&format!("datasets[{i}].fields[{j}]"), f, 1, 100);
                }
            }
        }
        e.text("purpose", &self.purpose, 5, 2000);
        e.text("scope_of_use", &self.scope_of_use, 2, 2000);
        e.text("scenario", &self.scenario, 5, 2000);
        if e.count("users", self.users.len(), 1, 50) {
            for (i, u) in self.users.iter().enumerate() {
                e.text(&format!("users[{i}]"), u, 2, 50);
            }
        }
        e.text("security_measures", &self.security_measures, 5, 2000);
        let start = e.date("period.start", &self.period.start);
        let end = e.date("period.end", &self.period.end);
        if let (Some(s), Some(t)) = (start, end) {
            if t <= s {
                e.push(
                    "period.end",
                    "date_order",
                    "使用期限的结束日期须晚于开始日期。",
                    "The end of the period must be after its start.",
                );
            }
        }
        if rules.volume_and_frequency {
            e.text("volume", self.volume.as_deref().unwrap_or(""), 1, 500);
            e.text("frequency", self.frequency.as_deref().unwrap_or(""), 1, 500);
        } else {
            e.optional_text("volume", &self.volume, 500);
            e.optional_text("frequency", &self.frequency, 500);
        }
        if rules.public_interest_declaration && matches!(category, Some("university" | "research_institute")) {
            e.must_accept(
                "public_interest_declaration",
                self.public_interest_declaration,
                "所获数据仅用于公益性活动",
                "declaration that the data will be used for public-interest work only",
            );
        }
        if rules.domestic_control_declaration && ty == Some("legal_person") && category == Some("company") {
            e.must_accept(
                "domestic_control_declaration",
                self.domestic_control_declaration,
                "本企业为内资控股企业",
                "declaration that the company is domestically controlled",
            );
        }
        e.must_accept("security_commitment_ack", self.security_commitment_ack, "安全承诺书", "security commitment");
        e.must_accept(
            "data_use_agreement_ack",
            self.data_use_agreement_ack,
            "审核通过后须签订数据使用协议",
            "data-use agreement to be signed on approval",
        );
    }
}

/// A person's or organisation's details on an objection, error report or data request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Person {
    pub name: String,
    pub contact: Contact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_document: Option<IdDocument>,
}

pub const RELATIONS: [&str; 3] = ["data_subject", "rights_holder", "agent"];
/// `cells`: the named fields of the named rows (picked in the preview).
pub const SCOPES: [&str; 4] = ["whole", "fields", "rows", "cells"];
/// Grounds of Xiangxi 45, Aba 22/33 and Guangdong 42.
pub const GROUNDS: [&str; 8] = [
    "trade_secret",
    "personal_privacy",
    "personal_information",
    "intellectual_property",
    "contract",
    "internal_sensitive",
    "security_risk",
    "inaccurate",
];
pub const REQUESTED_ACTIONS: [&str; 5] = ["withdraw", "suspend", "desensitise_and_reopen", "correct", "delete"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ObjectionScope {
    /// `whole`, `fields`, `rows` or `cells` (the fields of the rows).
    pub kind: String,
    #[serde(default)]
    pub fields: Vec<String>,
    /// Row numbers as shown in the preview (1-based).
    #[serde(default)]
    pub rows: Vec<u64>,
}

/// 异议 / 撤回要求 (O1: Aba 33, Xiangxi 45, Guangdong 42).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Objection {
    pub requester: Person,
    /// `data_subject`, `rights_holder` or `agent`.
    pub relation: String,
    /// For an agent: whom they act for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub principal: Option<String>,
    pub dataset_id: String,
    pub scope: ObjectionScope,
    pub grounds: Vec<String>,
    pub statement: String,
    pub requested_action: String,
}

impl Objection {
    fn check(&self, e: &mut Errors) {
        person(e, "requester", &self.requester);
        let relation = e.choice("relation", &self.relation, &RELATIONS);
        if relation == Some("agent") {
            e.text("principal", self.principal.as_deref().unwrap_or(""), 2, 100);
        }
        dataset_id(e, "dataset_id", &self.dataset_id);
        let kind = e.choice("scope.kind", &self.scope.kind, &SCOPES);
        if matches!(kind, Some("fields" | "cells")) && e.count("scope.fields", self.scope.fields.len(), 1, 200) {
            for (i, f) in self.scope.fields.iter().enumerate() {
                e.text(&format!("scope.fields[{i}]"), f, 1, 100);
            }
        }
        if matches!(kind, Some("rows" | "cells"))
            && e.count("scope.rows", self.scope.rows.len(), 1, 10_000)
            && self.scope.rows.contains(&0)
        {
            e.push("scope.rows", "invalid_row", "行号从 1 开始。", "Row numbers start at 1.");
        }
        if e.count("grounds", self.grounds.len(), 1, GROUNDS.len()) {
            for (i, g) in self.grounds.iter().enumerate() {
                e.choice(&format!("grounds[{i}]"), g, &GROUNDS);
            }
        }
        e.text("statement", &self.statement, 10, 5000);
        e.choice("requested_action", &self.requested_action, &REQUESTED_ACTIONS);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Location {
    /// 1-based row number as shown in the preview.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// 纠错 / 校核申请 (E1: Xiangxi 39, Aba 20, Yunnan 33).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorReport {
    pub reporter: Person,
    pub dataset_id: String,
    pub location: Location,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_value: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proposed_value: Option<String>,
    pub explanation: String,
}

impl ErrorReport {
    fn check(&self, e: &mut Errors) {
        person(e, "reporter", &self.reporter);
        dataset_id(e, "dataset_id", &self.dataset_id);
        if self.location.row.is_none() && self.location.field.as_deref().is_none_or(|f| f.trim().is_empty()) {
            e.push("location", "required", "请指明出错的行或字段。", "Please say which row or field is wrong.");
        }
        if self.location.row == Some(0) {
            e.push("location.row", "invalid_row", "行号从 1 开始。", "Row numbers start at 1.");
        }
        e.optional_text("location.field", &self.location.field, 100);
        e.optional_text("current_value", &self.current_value, 2000);
        e.optional_text("proposed_value", &self.proposed_value, 2000);
        e.text("explanation", &self.explanation, 5, 5000);
    }
}

/// 数据需求 (E2: Xiangxi 43): data not yet in the open catalog.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DataRequest {
    pub requester: Person,
    /// What data is wanted, in a line.
    pub title: String,
    pub description: String,
    pub purpose: String,
    /// A department the requester thinks holds the data, if known (a department id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department_id: Option<String>,
    /// A catalog dataset the request relates to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_dataset_id: Option<String>,
}

impl DataRequest {
    fn check(&self, e: &mut Errors) {
        person(e, "requester", &self.requester);
        e.text("title", &self.title, 2, 200);
        e.text("description", &self.description, 10, 5000);
        e.text("purpose", &self.purpose, 5, 2000);
        if let Some(d) = &self.department_id {
            if !valid_id(d) {
                e.push("department_id", "invalid_id", "部门标识不正确。", "This department identifier is not valid.");
            }
        }
        if let Some(d) = &self.related_dataset_id {
            dataset_id(e, "related_dataset_id", d);
        }
    }
}

fn person(e: &mut Errors, path: &str, p: &Person) {
    e.text(&format!("{path}.name"), &p.name, 2, 100);
    e.contact(&format!("{path}.contact"), &p.contact.phone, &p.contact.email);
    if let Some(doc) = &p.id_document {
        e.id_document(&format!("{path}.id_document"), doc);
    }
}

fn dataset_id(e: &mut Errors, path: &str, id: &str) {
    if id.trim().is_empty() {
        e.push(path, "required", "请选择数据集。", "Please choose a dataset.");
    } else if !valid_id(id) {
        e.push(path, "invalid_id", "数据集标识不正确。", "This dataset identifier is not valid.");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn valid_application() -> Application {
        Application {
            applicant: Applicant {
                applicant_type: "legal_person".into(),
                name: "示例科技有限公司".into(),
                org_category: Some("company".into()),
                id_document: IdDocument { kind: "uscc".into(), number: "91310115MA1K3BTP2B".into(), description: None },
                contact: Contact { phone: Some("13812345678".into()), email: None },
            },
            datasets: vec![RequestedDataset { id: "ds-001".into(), fields: vec![] }],
            purpose: "交通出行研究与应用".into(),
            scope_of_use: "本公司内部".into(),
            scenario: "公交线路优化分析".into(),
            users: vec!["张三".into()],
            security_measures: "专人专机,访问留痕".into(),
            period: Period { start: "2026-12-01".into(), end: "2027-11-30".into() },
            volume: Some("全量".into()),
            frequency: Some("每月一次".into()),
            public_interest_declaration: false,
            domestic_control_declaration: true,
            security_commitment_ack: true,
            data_use_agreement_ack: true,
        }
    }

    fn codes(f: &Filing, rules: &str) -> Vec<(String, String)> {
        match f.validate(&RuleSet::builtin(rules).unwrap()) {
            Ok(()) => vec![],
            Err(errs) => errs.into_iter().map(|e| (e.path, e.code)).collect(),
        }
    }

    #[test]
    fn a_complete_application_passes_everywhere() {
        for r in RuleSet::BUILTIN {
            assert_eq!(codes(&Filing::Application(valid_application()), r), vec![], "{r}");
        }
    }

    #[test]
    fn jurisdiction_specific_declarations() {
        let mut a = valid_application();
        a.domestic_control_declaration = false;
        a.volume = None;
        let f = Filing::Application(a);
        assert_eq!(codes(&f, "xiangxi"), vec![("domestic_control_declaration".into(), "must_accept".into())]);
        assert_eq!(codes(&f, "yunnan"), vec![("volume".into(), "required".into())]);
        assert_eq!(codes(&f, "aba"), vec![]);
    }

    #[test]
    fn a_cells_scope_needs_rows_and_fields() {
        let o = |rows: Vec<u64>, fields: Vec<&str>| Objection {
            requester: Person {
                name: "某某公司".into(),
                contact: Contact { phone: None, email: Some("a@example.com".into()) },
                id_document: None,
            },
            relation: "rights_holder".into(),
            dataset_id: "ds-001".into(),
            scope: ObjectionScope {
                kind: "cells".into(),
                rows,
                fields: fields.into_iter().map(String::from).collect(),
            },
            grounds: vec!["trade_secret".into()],
            statement: "这些单元格含有本公司商业秘密。".into(),
            requested_action: "withdraw".into(),
            ..Default::default()
        };
        assert_eq!(codes(&Filing::Objection(o(vec![2, 4, 5], vec!["站点名称"])), "aba"), vec![]);
        assert_eq!(
            codes(&Filing::Objection(o(vec![], vec!["站点名称"])), "aba"),
            vec![("scope.rows".into(), "required".into())]
        );
        assert_eq!(
            codes(&Filing::Objection(o(vec![2], vec![])), "aba"),
            vec![("scope.fields".into(), "required".into())]
        );
        assert_eq!(
            codes(&Filing::Objection(o(vec![0], vec!["a"])), "aba"),
            vec![("scope.rows".into(), "invalid_row".into())]
        );
    }

    #[test]
    fn masking_removes_the_full_number() {
        let mut a = valid_application();
        a.applicant.applicant_type = "natural_person".into();
        a.applicant.id_document =
            IdDocument { kind: "resident_id".into(), number: "110102199101010078".into(), description: None };
        let stored = serde_json::to_string(&Filing::Application(a).masked()).unwrap();
        assert!(!stored.contains("110102199101010078"));
        assert!(stored.contains("1101**********0078"));
    }
}
