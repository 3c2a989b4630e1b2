//! Who signed in: the claims the platform's identity provider (统一身份认证, Xiangxi 20)
//! asserts about a person, read through the portal's configuration.
//!
//! Which claim carries the name, the resident ID number, the organisation and its unified
//! social credit code, and which groups make someone an official of a department or of the
//! data authority, differs from one identity provider to the next, so it is configuration
//! ([`ClaimNames`], [`GroupRules`]); this module turns a provider's claims into a
//! [`VerifiedIdentity`] and puts its verified values into a filing ([`VerifiedIdentity::apply_to`]).
//! Pure: the intake fetches the claims (`crates/cli/src/intake/auth/`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::filing::{Filing, IdDocument};
use crate::ids::{CreditCode, ResidentId};

/// Which claim holds what. Absent names mean the provider does not assert it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClaimNames {
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub organisation: Option<String>,
    pub credit_code: Option<String>,
    pub email: Option<String>,
    /// A claim holding a list of group names (or one string).
    pub groups: Option<String>,
}

impl Default for ClaimNames {
    /// The standard `name` and `email`; `groups` as most providers call it.
    fn default() -> Self {
        ClaimNames {
            name: Some("name".into()),
            id_number: None,
            organisation: None,
            credit_code: None,
            email: Some("email".into()),
            groups: Some("groups".into()),
        }
    }
}

/// Which groups make someone an official.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupRules {
    /// Groups whose members act as the data authority (数据主管部门).
    pub authority: Vec<String>,
    /// Group name → department id (as the catalog names departments).
    pub departments: BTreeMap<String, String>,
    /// A prefix: group `<prefix><id>` means department `<id>` (e.g. `dept:` → `dept:jt`).
    pub department_prefix: Option<String>,
}

/// What a signed-in person may do besides filing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "role", rename_all = "snake_case")]
pub enum Role {
    /// Anyone: files and follows their own filings.
    Filer,
    /// An official of one provider department.
    Department { department_id: String },
    /// An official of the data authority.
    Authority,
}

/// A person as the identity provider vouches for them. Every `Some` value passed its
/// check (a resident ID its GB 11643 check digit, a credit code its GB 32100 character).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifiedIdentity {
    /// The provider's stable subject (`iss` + `sub` identify the person).
    pub subject: String,
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub organisation: Option<String>,
    pub credit_code: Option<String>,
    pub email: Option<String>,
    #[serde(flatten)]
    pub role: Role,
    /// Claims that were present but failed their check, so are not used (`claim: reason`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rejected: Vec<String>,
}

/// Why claims cannot make an identity.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClaimError {
    #[error("the identity provider gave no subject (sub)")]
    NoSubject,
    #[error("the groups {0:?} name more than one department; an official acts for one department")]
    SeveralDepartments(Vec<String>),
}

impl ClaimError {
    /// The message for the person signing in, Chinese first.
    pub fn messages(&self) -> (String, String) {
        match self {
            ClaimError::NoSubject => ("身份认证平台未提供用户标识。".into(), self.to_string()),
            ClaimError::SeveralDepartments(ids) => {
                (format!("您的账号同时属于多个部门({}),请联系管理员。", ids.join("、")), self.to_string())
            }
        }
    }
}

/// A claim's text, trimmed; empty counts as absent.
fn text(claims: &Map<String, Value>, name: &Option<String>) -> Option<String> {
    let value = claims.get(name.as_deref()?)?;
    let s = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    (!s.is_empty()).then_some(s)
}

fn groups(claims: &Map<String, Value>, name: &Option<String>) -> Vec<String> {
    match name.as_deref().and_then(|n| claims.get(n)) {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).map(str::to_string).collect(),
        Some(Value::String(s)) => s.split([',', ' ']).filter(|g| !g.is_empty()).map(str::to_string).collect(),
        _ => Vec::new(),
    }
}

impl GroupRules {
    /// The role the groups give: the authority over a department, a department over none.
    pub fn role(&self, groups: &[String]) -> Result<Role, ClaimError> {
        if groups.iter().any(|g| self.authority.contains(g)) {
            return Ok(Role::Authority);
        }
        let mut ids: Vec<String> = groups
            .iter()
            .filter_map(|g| {
                self.departments.get(g).cloned().or_else(|| {
                    let prefix = self.department_prefix.as_deref()?;
                    g.strip_prefix(prefix).filter(|id| !id.is_empty()).map(str::to_string)
                })
            })
            .collect();
        ids.sort();
        ids.dedup();
        match ids.len() {
            0 => Ok(Role::Filer),
            1 => Ok(Role::Department { department_id: ids.remove(0) }),
            _ => Err(ClaimError::SeveralDepartments(ids)),
        }
    }
}

/// The identity the claims establish under the configured names and group rules.
pub fn map_claims(
    claims: &Map<String, Value>,
    names: &ClaimNames,
    rules: &GroupRules,
) -> Result<VerifiedIdentity, ClaimError> {
    let subject = text(claims, &Some("sub".into())).ok_or(ClaimError::NoSubject)?;
    let mut rejected = Vec::new();
    let id_number = text(claims, &names.id_number).and_then(|n| match ResidentId::parse(&n) {
        Ok(id) => Some(id.as_str().to_string()),
        Err(e) => {
            rejected.push(format!("{}: {}", names.id_number.as_deref().unwrap_or_default(), e.code()));
            None
        }
    });
    let credit_code = text(claims, &names.credit_code).and_then(|c| match CreditCode::parse(&c) {
        Ok(code) => Some(code.as_str().to_string()),
        Err(e) => {
            rejected.push(format!("{}: {}", names.credit_code.as_deref().unwrap_or_default(), e.code()));
            None
        }
    });
    let role = rules.role(&groups(claims, &names.groups))?;
    Ok(VerifiedIdentity {
        subject,
        name: text(claims, &names.name),
        id_number,
        organisation: text(claims, &names.organisation),
        credit_code,
        email: text(claims, &names.email),
        role,
        rejected,
    })
}

/// Which of a filing's fields hold verified values (paths as in field errors).
pub type VerifiedFields = Vec<&'static str>;

impl VerifiedIdentity {
    /// Puts the verified name and document into the filing, over whatever was typed: a
    /// natural person's name and resident ID; an organisation's name and credit code when
    /// the applicant is an organisation. Answers the fields it set, so the app can show
    /// them as verified and the intake can record that they were.
    pub fn apply_to(&self, filing: &mut Filing) -> VerifiedFields {
        let mut set = Vec::new();
        let (name, doc) = match filing {
            Filing::Application(a) => {
                let person = a.applicant.applicant_type == "natural_person";
                let (name, number, kind) = if person {
                    (&self.name, &self.id_number, "resident_id")
                } else {
                    (&self.organisation, &self.credit_code, "uscc")
                };
                if let Some(n) = name {
                    a.applicant.name = n.clone();
                    set.push("applicant.name");
                }
                if let Some(num) = number {
                    a.applicant.id_document = IdDocument { kind: kind.into(), number: num.clone(), description: None };
                    set.push("applicant.id_document");
                }
                return set;
            }
            Filing::Objection(o) => (&mut o.requester.name, Some(&mut o.requester.id_document)),
            Filing::ErrorReport(_) | Filing::DataRequest(_) => return set,
        };
        if let Some(n) = &self.name {
            *name = n.clone();
            set.push("requester.name");
        }
        if let (Some(doc), Some(num)) = (doc, &self.id_number) {
            *doc = Some(IdDocument { kind: "resident_id".into(), number: num.clone(), description: None });
            set.push("requester.id_document");
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn names() -> ClaimNames {
        ClaimNames {
            id_number: Some("id_card".into()),
            organisation: Some("org".into()),
            credit_code: Some("uscc".into()),
            ..ClaimNames::default()
        }
    }

    fn rules() -> GroupRules {
        GroupRules {
            authority: vec!["data-authority".into()],
            departments: BTreeMap::from([("交通局审核".into(), "jt".into())]),
            department_prefix: Some("dept:".into()),
        }
    }

    #[test]
    fn a_researcher_gets_checked_name_and_id_and_the_filer_role() {
        let c = claims(
            json!({"sub": "u1", "name": " 张三 ", "id_card": "11010519491231002X", "email": "z@example.cn", "groups": []}),
        );
        let id = map_claims(&c, &names(), &rules()).unwrap();
        assert_eq!(id.subject, "u1");
        assert_eq!(id.name.as_deref(), Some("张三"));
        assert_eq!(id.id_number.as_deref(), Some("11010519491231002X"));
        assert_eq!(id.role, Role::Filer);
        assert!(id.rejected.is_empty());
    }

    #[test]
    fn a_bad_check_digit_is_not_verified_and_is_reported() {
        let c = claims(json!({"sub": "u1", "id_card": "110105194912310021", "uscc": "91350100M000100Y4X"}));
        let id = map_claims(&c, &names(), &rules()).unwrap();
        assert_eq!(id.id_number, None);
        assert_eq!(id.rejected.len(), 2, "{:?}", id.rejected);
    }

    #[test]
    fn groups_map_to_a_department_by_name_or_prefix_and_to_the_authority() {
        let r = rules();
        assert_eq!(r.role(&["交通局审核".into()]).unwrap(), Role::Department { department_id: "jt".into() });
        assert_eq!(
            r.role(&["dept:gt".into(), "staff".into()]).unwrap(),
            Role::Department { department_id: "gt".into() }
        );
        assert_eq!(r.role(&["dept:gt".into(), "data-authority".into()]).unwrap(), Role::Authority);
        assert_eq!(r.role(&["dept:".into()]).unwrap(), Role::Filer);
        assert!(matches!(r.role(&["dept:gt".into(), "dept:jt".into()]), Err(ClaimError::SeveralDepartments(_))));
        // One department named twice is still one.
        assert_eq!(
            r.role(&["dept:jt".into(), "交通局审核".into()]).unwrap(),
            Role::Department { department_id: "jt".into() }
        );
    }

    #[test]
    fn groups_may_be_one_string_and_a_missing_subject_is_refused() {
        let c = claims(json!({"sub": "u2", "groups": "dept:jt staff"}));
        assert_eq!(map_claims(&c, &names(), &rules()).unwrap().role, Role::Department { department_id: "jt".into() });
        assert_eq!(map_claims(&claims(json!({"name": "x"})), &names(), &rules()), Err(ClaimError::NoSubject));
    }

    #[test]
    fn verified_values_replace_what_was_typed_in_an_application() {
        let c = claims(
            json!({"sub": "u1", "name": "张三", "id_card": "11010519491231002X", "org": "某大学", "uscc": "91350100M000100Y43"}),
        );
        let id = map_claims(&c, &names(), &rules()).unwrap();
        let mut f: Filing = serde_json::from_value(json!({"kind": "application", "applicant": {"type": "natural_person", "name": "李四", "id_document": {"kind": "other", "number": "X1"}}})).unwrap();
        assert_eq!(id.apply_to(&mut f), vec!["applicant.name", "applicant.id_document"]);
        let Filing::Application(a) = &f else { panic!() };
        assert_eq!((a.applicant.name.as_str(), a.applicant.id_document.kind.as_str()), ("张三", "resident_id"));
        let mut org: Filing =
            serde_json::from_value(json!({"kind": "application", "applicant": {"type": "legal_person", "name": "x"}}))
                .unwrap();
        id.apply_to(&mut org);
        let Filing::Application(a) = &org else { panic!() };
        assert_eq!(
            (a.applicant.name.as_str(), a.applicant.id_document.number.as_str()),
            ("某大学", "91350100M000100Y43")
        );
    }
}
