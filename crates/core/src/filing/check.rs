//! Field checks shared by the four forms. Each failure is a [`FieldError`] with a stable
//! path (`applicant.id_document.number`, `datasets[0].id`), a stable code and a message
//! in each UI language.

use serde::{Deserialize, Serialize};

use crate::catalog::Date;
use crate::ids::{CreditCode, IdError, ResidentId};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub path: String,
    pub code: String,
    pub zh: String,
    pub en: String,
}

/// Collects errors while a form is walked.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, path: impl Into<String>, code: &str, zh: impl Into<String>, en: impl Into<String>) {
        self.0.push(FieldError { path: path.into(), code: code.into(), zh: zh.into(), en: en.into() });
    }

    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }

    /// Required text of `min..=max` characters (after trimming). Returns whether it passed.
    pub fn text(&mut self, path: &str, value: &str, min: usize, max: usize) -> bool {
        let n = value.trim().chars().count();
        if n == 0 {
            self.push(path, "required", "此项为必填项。", "This field is required.");
            false
        } else if n < min {
            self.push(
                path,
                "too_short",
                format!("至少需要 {min} 个字。"),
                format!("Please write at least {min} characters."),
            );
            false
        } else if n > max {
            self.push(
                path,
                "too_long",
                format!("不能超过 {max} 个字。"),
                format!("Please keep this to {max} characters or fewer."),
            );
            false
        } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            self.push(path, "control_characters", "包含不可见的控制字符。", "Contains invisible control characters.");
            false
        } else {
            true
        }
    }

    /// Optional text: checked only when present and non-empty.
    pub fn optional_text(&mut self, path: &str, value: &Option<String>, max: usize) {
        if let Some(v) = value {
            if !v.trim().is_empty() {
                self.text(path, v, 1, max);
            }
        }
    }

    /// A choice from a fixed list; returns the matched value.
    pub fn choice<'a>(&mut self, path: &str, value: &str, allowed: &[&'a str]) -> Option<&'a str> {
        if value.trim().is_empty() {
            self.push(path, "required", "请选择一项。", "Please choose one.");
            return None;
        }
        let found = allowed.iter().copied().find(|a| *a == value);
        if found.is_none() {
            self.push(
                path,
                "invalid_choice",
                format!("“{}”不是有效选项,可选:{}。", clip(value), allowed.join("、")),
                format!("“{}” is not one of: {}.", clip(value), allowed.join(", ")),
            );
        }
        found
    }

    pub fn date(&mut self, path: &str, value: &str) -> Option<Date> {
        if value.trim().is_empty() {
            self.push(path, "required", "请填写日期。", "Please enter a date.");
            return None;
        }
        match Date::parse(value) {
            Ok(d) => Some(d),
            Err(_) => {
                self.push(
                    path,
                    "invalid_date",
                    "日期格式应为 YYYY-MM-DD,且须为真实日期。",
                    "Use a real date in the form YYYY-MM-DD.",
                );
                None
            }
        }
    }

    pub fn must_accept(&mut self, path: &str, accepted: bool, what_zh: &str, what_en: &str) {
        if !accepted {
            self.push(path, "must_accept", format!("须确认{what_zh}。"), format!("Please confirm the {what_en}."));
        }
    }

    pub fn count(&mut self, path: &str, n: usize, min: usize, max: usize) -> bool {
        if n < min {
            self.push(path, "required", format!("至少需要 {min} 项。"), format!("Please add at least {min}."));
            false
        } else if n > max {
            self.push(path, "too_many", format!("最多 {max} 项。"), format!("At most {max} are allowed."));
            false
        } else {
            true
        }
    }

    /// Contact: at least one of phone and e-mail, each well-formed when given.
    pub fn contact(&mut self, path: &str, phone: &Option<String>, email: &Option<String>) {
        let phone = phone.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let email = email.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if phone.is_none() && email.is_none() {
            self.push(
                path,
                "contact_required",
                "请至少填写电话或电子邮箱之一。",
                "Please give a phone number or an e-mail address.",
            );
        }
        if let Some(p) = phone {
            if !valid_phone(p) {
                self.push(
                    format!("{path}.phone"),
                    "invalid_phone",
                    "电话号码格式不正确(手机号 11 位,或区号-号码)。",
                    "This phone number is not valid (11-digit mobile, or area code and number).",
                );
            }
        }
        if let Some(e) = email {
            if !valid_email(e) {
                self.push(
                    format!("{path}.email"),
                    "invalid_email",
                    "电子邮箱格式不正确。",
                    "This e-mail address is not valid.",
                );
            }
        }
    }

    /// An identity document: resident ID, unified social credit code or another document.
    pub fn id_document(&mut self, path: &str, doc: &IdDocument) {
        let Some(kind) = self.choice(&format!("{path}.kind"), &doc.kind, &["resident_id", "uscc", "other"]) else {
            return;
        };
        let npath = format!("{path}.number");
        let result = match kind {
            "resident_id" => ResidentId::parse(&doc.number).map(|_| ()),
            "uscc" => CreditCode::parse(&doc.number).map(|_| ()),
            _ => {
                self.text(&format!("{path}.description"), doc.description.as_deref().unwrap_or(""), 2, 100);
                self.text(&npath, &doc.number, 4, 40);
                return;
            }
        };
        if doc.number.trim().is_empty() {
            self.push(npath, "required", "请填写证件号码。", "Please enter the document number.");
            return;
        }
        if let Err(e) = result {
            let (zh_doc, en_doc) = if kind == "resident_id" {
                ("居民身份证号码", "resident ID number")
            } else {
                ("统一社会信用代码", "unified social credit code")
            };
            let (zh, en) = match e {
                IdError::Length => ("应为 18 位", "must have 18 characters"),
                IdError::Format => ("含有不允许的字符", "contains characters not allowed"),
                IdError::BirthDate => ("中的出生日期不存在", "has a date of birth that does not exist"),
                IdError::Check => ("校验位不正确,请核对", "fails its check character; please check it"),
            };
            self.push(
                npath,
                &format!("invalid_{kind}.{}", e.code()),
                format!("{zh_doc}{zh}。"),
                format!("The {en_doc} {en}."),
            );
        }
    }
}

/// An identity document as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct IdDocument {
    /// `resident_id`, `uscc` or `other`.
    pub kind: String,
    pub number: String,
    /// What the document is, for `other` (e.g. 护照).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl IdDocument {
    /// The same document with its number masked, for storage and logs.
    pub fn masked(&self) -> IdDocument {
        let number = match self.kind.as_str() {
            "resident_id" => ResidentId::parse(&self.number).map(|r| r.masked()).ok(),
            "uscc" => CreditCode::parse(&self.number).map(|c| c.masked()).ok(),
            _ => None,
        };
        IdDocument { number: number.unwrap_or_else(|| crate::ids::mask(&self.number)), ..self.clone() }
    }
}

/// Mainland mobile (11 digits from 1[3-9]) or landline (0 + area code, 7-8 digits,
/// optional extension), with an optional +86 prefix and spaces or dashes between groups.
pub fn valid_phone(p: &str) -> bool {
    let mut s: String = p.chars().filter(|c| *c != ' ').collect();
    if let Some(rest) = s.strip_prefix("+86") {
        s = rest.trim_start_matches('-').to_string();
    }
    let (main, ext) = match s.split_once('#') {
        Some((m, e)) => (m.to_string(), Some(e.to_string())),
        None => (s.clone(), None),
    };
    if let Some(e) = &ext {
        if e.is_empty() || e.len() > 6 || !e.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
    }
    if !main.bytes().all(|b| b.is_ascii_digit() || b == b'-') || main.starts_with('-') || main.ends_with('-') {
        return false;
    }
    let digits: String = main.chars().filter(char::is_ascii_digit).collect();
    let mobile = digits.len() == 11 && digits.starts_with('1') && matches!(digits.as_bytes()[1], b'3'..=b'9');
    let landline = digits.starts_with('0') && (10..=12).contains(&digits.len());
    mobile || landline
}

/// A pragmatic address check: one `@`, a local part, a dotted domain, no spaces.
pub fn valid_email(e: &str) -> bool {
    if e.len() > 254 || e.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return false;
    }
    let Some((local, domain)) = e.split_once('@') else { return false };
    !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && domain.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
}

fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        for ok in ["13812345678", "+86 138 1234 5678", "010-12345678", "0871-6543210", "021-12345678#123"] {
            assert!(valid_phone(ok), "{ok}");
        }
        for bad in ["12812345678", "1381234567", "abc", "", "010-", "-13812345678", "13812345678#"] {
            assert!(!valid_phone(bad), "{bad}");
        }
    }

    #[test]
    fn emails() {
        assert!(valid_email("zhang.san@example.cn"));
        assert!(valid_email("李@例子.中国"));
        for bad in ["zhang", "a@b", "a@@b.cn", "a b@c.cn", "@c.cn", "a@.cn"] {
            assert!(!valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn id_document_errors_name_the_problem() {
        let mut e = Errors::default();
        e.id_document(
            "d",
            &IdDocument { kind: "resident_id".into(), number: "110102199101010079".into(), description: None },
        );
        assert_eq!(e.0[0].path, "d.number");
        assert_eq!(e.0[0].code, "invalid_resident_id.check_character");
        assert!(e.0[0].zh.contains("校验位"));
        let doc = IdDocument { kind: "resident_id".into(), number: "110102199101010078".into(), description: None };
        assert_eq!(doc.masked().number, "1101**********0078");
    }
}
