//! The mappings every importer shares, written once: dates, domain from themes, source
//! department from a publisher, contact, frequency, version, period, remote files and
//! APIs, and what was not mapped. Each importer reads its format and hands the values
//! here; `from` names the foreign field, so notes speak the source's own terms.

use super::{date_part, department, Draft};
use crate::catalog::vocab;
use serde_json::{json, Value};

/// A publisher as a foreign catalog names it.
pub struct Publisher<'a> {
    /// Its identifier there, used as the department's id when it is a valid one.
    pub id: Option<&'a str>,
    pub name: &'a str,
    pub name_en: Option<&'a str>,
}

impl Draft {
    /// `issued` and `modified` from ISO dates or date-times; either stands in for the other
    /// when only one is given (a record changed is at least as new as it was issued).
    pub fn dates(&mut self, issued: (Option<&str>, &str), modified: (Option<&str>, &str)) {
        self.date("issued", issued.0, issued.1);
        self.date("modified", modified.0, modified.1);
        if !self.has("issued") {
            if let Some(m) = self.get("modified").cloned() {
                self.set("issued", m);
                self.note(format!("{}: not given; the modified date is used", issued.1));
            }
        }
        if !self.has("modified") {
            if let Some(i) = self.get("issued").cloned() {
                self.set("modified", i);
            }
        }
    }

    /// The domain (数据领域): the first theme, an IRI's last segment standing for it (noted);
    /// further themes are noted, since a dataset has one domain.
    pub fn domain_from_themes(&mut self, themes: &[String], from: &str) {
        let Some(t) = themes.first() else { return };
        let short = t.trim_end_matches('/').rsplit(['/', '#']).next().unwrap_or(t).to_string();
        if short != *t {
            self.note(format!("{from} {t} became the domain “{short}”; replace it with a 数据领域"));
        }
        self.set("theme", json!(short));
        if themes.len() > 1 {
            self.note(format!("{from}: {} more theme(s) not mapped (one domain per dataset)", themes.len() - 1));
        }
    }

    /// The source department (数源部门) from a publisher, noted for review: a foreign
    /// catalog's publisher is not always the department the data comes from.
    pub fn publisher(&mut self, p: Publisher) {
        let id = p.id.filter(|i| kaifang_core::catalog::valid_id(i));
        let derived = if id.is_none() { " with a derived id" } else { "" };
        self.note(format!("publisher “{}” taken as the source department (数源部门){derived}; confirm it", p.name));
        let mut dep = department(id, p.name);
        if let Some(en) = p.name_en.filter(|en| *en != p.name) {
            dep["name_en"] = json!(en);
        }
        self.set("publisher", dep);
    }

    /// A contact point from whatever parts were given (`mailto:` and `tel:` dropped); none
    /// without a name.
    pub fn contact(&mut self, name: Option<&str>, email: Option<&str>, phone: Option<&str>) {
        let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else { return };
        let mut c = json!({"name": name});
        if let Some(e) = email.map(|e| e.trim().trim_start_matches("mailto:")).filter(|e| !e.is_empty()) {
            c["email"] = json!(e);
        }
        if let Some(p) = phone.map(|p| p.trim().trim_start_matches("tel:")).filter(|p| !p.is_empty()) {
            c["phone"] = json!(p);
        }
        self.set("contact_point", c);
    }

    /// The update frequency in any of the vocabularies `vocab` reads; one it cannot read is
    /// noted and kept for the rules' `[frequency]` table.
    pub fn frequency(&mut self, value: Option<&str>, from: &str) {
        let Some(f) = value.map(str::trim).filter(|f| !f.is_empty()) else { return };
        match vocab::frequency_from_any(f) {
            Some(known) => self.set("accrual_periodicity", json!(known.as_str())),
            None => {
                self.note(format!("{from} “{f}”: not a known frequency; left out"));
                self.unread_frequency = Some(f.to_string());
            }
        }
    }

    /// The version, `1.0` (noted) when the source gives none.
    pub fn version(&mut self, value: Option<&str>, from: &str) {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => self.set("version", json!(v)),
            None => {
                self.set("version", json!("1.0"));
                self.note(format!("{from}: not given; version set to 1.0"));
            }
        }
    }

    /// The period the data covers, from dates or date-times at either end.
    pub fn temporal(&mut self, start: Option<&str>, end: Option<&str>) {
        if start.is_some() || end.is_some() {
            self.set("temporal", json!({"start": start.and_then(date_part), "end": end.and_then(date_part)}));
        }
    }

    /// Remote files (listed as links, not mirrored) and API access methods.
    pub fn remote(&mut self, links: Vec<Value>, access: Vec<Value>, noun: &str) {
        if !links.is_empty() {
            self.note(format!("{} {noun}(s) listed under `links` (remote, not mirrored, no checksum)", links.len()));
            self.set("links", json!(links));
        }
        if !access.is_empty() {
            self.set("access", json!(access));
        }
    }

    /// The foreign fields that found no place in the model.
    pub fn not_mapped(&mut self, rest: &[String]) {
        if !rest.is_empty() {
            self.note(format!("not mapped: {}", rest.join(", ")));
        }
    }
}
