//! A selection made in the dataset preview, handed to a filing form through the URL query
//! (so a reload of the form keeps it): rows and fields become an objection's scope, one
//! cell becomes an error report's location and current value.
//!
//! Row numbers are file rows counted from 1 without the header, as the preview's `#`
//! column shows them and as [`super::rows`] parses them. Fields are the dataset's field
//! names (the column's header mapped by [`column_field`]).

use super::check::FieldError;
use super::forms::{ErrorReport, Location, Objection, ObjectionScope};
use super::rows::{format_rows, parse_rows, MAX_ROWS};
use crate::catalog::Field;
use crate::search::state::encode;

/// Most fields one selection may name (the objection validator's limit).
pub const MAX_FIELDS: usize = 200;
/// Longest current value carried in a URL; longer ones are cut (the person sees and may edit it).
pub const MAX_VALUE_CHARS: usize = 500;

/// The dataset field a preview column stands for: the field whose name is the header, else
/// the one whose label is, else the header itself (files whose header the record does not
/// describe still get a name the department can find).
pub fn column_field(header: &str, fields: &[Field]) -> String {
    let h = header.trim();
    fields
        .iter()
        .find(|f| f.name == h)
        .or_else(|| fields.iter().find(|f| f.label == h))
        .map(|f| f.name.clone())
        .unwrap_or_else(|| h.to_string())
}

/// Rows and fields picked in the preview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// 1-based file rows, sorted, without duplicates.
    pub rows: Vec<u64>,
    /// Field names in the order picked, without duplicates.
    pub fields: Vec<String>,
}

impl Selection {
    pub fn new(rows: impl IntoIterator<Item = u64>, fields: impl IntoIterator<Item = String>) -> Selection {
        let mut rows: Vec<u64> = rows.into_iter().collect();
        rows.sort_unstable();
        rows.dedup();
        let mut out: Vec<String> = Vec::new();
        for f in fields {
            if !out.contains(&f) {
                out.push(f);
            }
        }
        Selection { rows, fields: out }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.fields.is_empty()
    }

    /// The objection scope this selection stands for: some fields of some rows (`cells`),
    /// whole rows, whole columns, or (nothing picked) the whole dataset.
    pub fn scope(&self) -> ObjectionScope {
        let kind = match (self.rows.is_empty(), self.fields.is_empty()) {
            (false, false) => "cells",
            (false, true) => "rows",
            (true, false) => "fields",
            (true, true) => "whole",
        };
        ObjectionScope { kind: kind.into(), fields: self.fields.clone(), rows: self.rows.clone() }
    }

    /// The objection form's address with this selection: `rows` written compactly
    /// (`2, 4-5`), one `field` parameter per field.
    pub fn objection_href(&self, dataset_id: &str) -> String {
        let mut href = format!("/file/object?dataset={}", encode(dataset_id));
        if !self.rows.is_empty() {
            href.push_str(&format!("&rows={}", encode(&format_rows(&self.rows))));
        }
        for f in &self.fields {
            href.push_str(&format!("&field={}", encode(f)));
        }
        href
    }

    /// Reads the selection back from the query (`rows`, every `field`). Field names must
    /// be fields of the dataset when it lists any; bad input is an error, never dropped.
    pub fn from_query(rows: Option<&str>, fields: &[String], known: &[Field]) -> Result<Selection, FieldError> {
        let rows = match rows.map(str::trim).filter(|r| !r.is_empty()) {
            Some(text) => parse_rows(text)?,
            None => vec![],
        };
        if fields.len() > MAX_FIELDS {
            return Err(FieldError {
                path: "scope.fields".into(),
                code: "too_many".into(),
                zh: format!("最多 {MAX_FIELDS} 个字段。"),
                en: format!("At most {MAX_FIELDS} fields."),
            });
        }
        for f in fields {
            let unknown = !known.is_empty() && !known.iter().any(|k| &k.name == f);
            if f.trim().is_empty() || f.chars().count() > 100 || unknown {
                return Err(FieldError {
                    path: "scope.fields".into(),
                    code: "unknown_field".into(),
                    zh: format!("数据集没有字段“{f}”。"),
                    en: format!("The dataset has no field “{f}”."),
                });
            }
        }
        debug_assert!(rows.len() <= MAX_ROWS);
        Ok(Selection::new(rows, fields.iter().cloned()))
    }

    /// Puts the selection into an objection draft as its scope (the rest of the draft stays).
    pub fn apply_to(&self, o: &mut Objection) {
        if !self.is_empty() {
            o.scope = self.scope();
        }
    }
}

/// One cell picked in the preview for an error report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// 1-based file row.
    pub row: u64,
    pub field: String,
    /// The value the preview shows (cut to [`MAX_VALUE_CHARS`]).
    pub value: String,
}

impl Cell {
    pub fn new(row: u64, field: String, value: &str) -> Cell {
        Cell { row, field, value: value.chars().take(MAX_VALUE_CHARS).collect() }
    }

    /// The error-report form's address with this cell.
    pub fn report_href(&self, dataset_id: &str) -> String {
        format!(
            "/file/report?dataset={}&row={}&field={}&value={}",
            encode(dataset_id),
            self.row,
            encode(&self.field),
            encode(&self.value)
        )
    }

    /// Reads a cell back from the query; `None` when the query names none. A row that is
    /// not a positive number or a field the dataset does not have is an error.
    pub fn from_query(
        row: Option<&str>,
        field: Option<&str>,
        value: Option<&str>,
        known: &[Field],
    ) -> Result<Option<Cell>, FieldError> {
        let (Some(row), Some(field)) = (row, field) else {
            return Ok(None);
        };
        let row = match row.trim().parse::<u64>() {
            Ok(n) if n > 0 => n,
            _ => {
                return Err(FieldError {
                    path: "location.row".into(),
                    code: "invalid_row".into(),
                    zh: format!("“{row}”不是行号。"),
                    en: format!("“{row}” is not a row number."),
                })
            }
        };
        if field.trim().is_empty()
            || field.chars().count() > 100
            || (!known.is_empty() && !known.iter().any(|k| k.name == field))
        {
            return Err(FieldError {
                path: "location.field".into(),
                code: "unknown_field".into(),
                zh: format!("数据集没有字段“{field}”。"),
                en: format!("The dataset has no field “{field}”."),
            });
        }
        Ok(Some(Cell::new(row, field.to_string(), value.unwrap_or(""))))
    }

    /// Puts the cell into an error-report draft: where, and what is there now.
    pub fn apply_to(&self, r: &mut ErrorReport) {
        r.location = Location { row: Some(self.row), field: Some(self.field.clone()) };
        r.current_value = (!self.value.is_empty()).then(|| self.value.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::state::decode;

    fn field(name: &str, label: &str) -> Field {
        Field { name: name.into(), label: label.into(), field_type: "string".into(), unit: None, description: None }
    }

    /// The query values of `href` as (key, decoded value), as the router hands them over.
    fn query(href: &str) -> Vec<(String, String)> {
        href.split_once('?')
            .unwrap()
            .1
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_string(), decode(v))
            })
            .collect()
    }

    #[test]
    fn picked_rows_and_a_field_round_trip_through_the_url() {
        let known = vec![field("站点名称", "站点名称"), field("lon", "经度")];
        let sel = Selection::new([5, 2, 4, 4], ["站点名称".to_string()]);
        assert_eq!(sel.rows, vec![2, 4, 5]);
        let href = sel.objection_href("jt-bus-stops");
        assert!(href.starts_with("/file/object?dataset=jt-bus-stops&rows=2%2C%204-5&field="), "{href}");
        let q = query(&href);
        assert_eq!(q[1], ("rows".into(), "2, 4-5".into()));
        let fields: Vec<String> = q.iter().filter(|(k, _)| k == "field").map(|(_, v)| v.clone()).collect();
        let back = Selection::from_query(Some(&q[1].1), &fields, &known).unwrap();
        assert_eq!(back, sel);
        let scope = back.scope();
        assert_eq!(
            (scope.kind.as_str(), scope.rows, scope.fields),
            ("cells", vec![2, 4, 5], vec!["站点名称".to_string()])
        );
    }

    #[test]
    fn the_scope_kind_follows_what_was_picked() {
        assert_eq!(Selection::new([3], []).scope().kind, "rows");
        assert_eq!(Selection::new([], ["a".to_string()]).scope().kind, "fields");
        assert_eq!(Selection::default().scope().kind, "whole");
        // Nothing picked leaves a draft's scope alone.
        let mut o = Objection {
            scope: ObjectionScope { kind: "rows".into(), rows: vec![9], fields: vec![] },
            ..Default::default()
        };
        Selection::default().apply_to(&mut o);
        assert_eq!(o.scope.rows, vec![9]);
        Selection::new([1, 2], []).apply_to(&mut o);
        assert_eq!(o.scope.rows, vec![1, 2]);
    }

    #[test]
    fn bad_query_values_are_refused_with_a_reason() {
        let known = vec![field("a", "甲")];
        assert_eq!(Selection::from_query(Some("2, x"), &[], &known).unwrap_err().code, "invalid_rows");
        let e = Selection::from_query(None, &["b".to_string()], &known).unwrap_err();
        assert_eq!(e.code, "unknown_field");
        assert!(e.zh.contains("“b”"));
        // A dataset that lists no fields accepts any header as a name.
        assert!(Selection::from_query(None, &["b".to_string()], &[]).is_ok());
        assert_eq!(Selection::from_query(Some("  "), &[], &known).unwrap(), Selection::default());
    }

    #[test]
    fn a_column_header_maps_to_its_field() {
        let known = vec![field("lon", "经度"), field("name", "名称")];
        assert_eq!(column_field("lon", &known), "lon");
        assert_eq!(column_field(" 经度 ", &known), "lon");
        assert_eq!(column_field("备注", &known), "备注");
    }

    #[test]
    fn a_cell_prefills_an_error_report() {
        let known = vec![field("AQI", "空气质量指数")];
        let cell = Cell::new(7, "AQI".into(), "1 234 & 5");
        let q = query(&cell.report_href("hb-air-quality"));
        assert_eq!(q[0], ("dataset".into(), "hb-air-quality".into()));
        let back = Cell::from_query(Some(&q[1].1), Some(&q[2].1), Some(&q[3].1), &known).unwrap().unwrap();
        assert_eq!(back, cell);
        let mut r = ErrorReport::default();
        back.apply_to(&mut r);
        assert_eq!(r.location, Location { row: Some(7), field: Some("AQI".into()) });
        assert_eq!(r.current_value.as_deref(), Some("1 234 & 5"));
        assert_eq!(Cell::from_query(None, None, None, &known), Ok(None));
        assert_eq!(Cell::from_query(Some("0"), Some("AQI"), None, &known).unwrap_err().code, "invalid_row");
        assert_eq!(Cell::from_query(Some("3"), Some("PM10"), None, &known).unwrap_err().code, "unknown_field");
        assert_eq!(Cell::new(1, "AQI".into(), &"长".repeat(900)).value.chars().count(), MAX_VALUE_CHARS);
    }
}
