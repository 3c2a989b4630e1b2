//! XLSX workbooks as tables, read with `calamine` (pure Rust; compiles to wasm32).
//!
//! One sheet at a time (the first by default): title lines above the header, a two-row
//! header and note rows below the data are found as in a CSV file (`shape.rs`); the header
//! names the columns (empty names become `column N`, repeated ones get ` (2)`), the rows
//! below it are the data. Cells become
//! the text a reader expects — whole numbers without `.0`, dates as `YYYY-MM-DD` (with
//! ` HH:MM:SS` when they have a time), booleans as `true`/`false`, formula errors as Excel
//! shows them — so the same profile, sort and filter code as for CSV reads them. A workbook
//! is a ZIP that must be read whole, so files are taken up to [`MAX_XLSX_BYTES`].

use super::encoding::{EncodingGuess, EncodingReason, TextEncoding};
use super::scan::ScanReport;
use super::shape;
use super::{Layout, Problems, Table, TableError};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

pub const MAX_XLSX_BYTES: usize = 64 * 1024 * 1024;

/// One sheet of a workbook as a table, with the names of all its sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetTable {
    pub sheets: Vec<String>,
    /// The sheet shown.
    pub sheet: String,
    pub table: Table,
    /// Empty or repeated column names in the header row, renamed as for a CSV file.
    pub problems: Problems,
    /// Title and note lines above the header, notes and source lines below the data.
    pub notes_above: Vec<String>,
    pub notes_below: Vec<String>,
}

/// Reads sheet `sheet` (by name; the first when None) of the XLSX workbook in `bytes`;
/// `header_row` is the sheet's row number (1-based) of the header where the catalog states it.
pub fn parse_xlsx_table(bytes: &[u8], sheet: Option<&str>, header_row: Option<u64>) -> Result<SheetTable, TableError> {
    if bytes.len() > MAX_XLSX_BYTES {
        return Err(TableError::TooLarge { format: "XLSX", limit: MAX_XLSX_BYTES });
    }
    let bad = |e: &dyn std::fmt::Display| TableError::NotSpreadsheet(e.to_string());
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let sheets = book.sheet_names();
    let name = match sheet {
        Some(s) if sheets.iter().any(|n| n == s) => s.to_string(),
        Some(s) => return Err(TableError::NotSpreadsheet(format!("the workbook has no sheet “{s}”"))),
        None => sheets.first().cloned().ok_or_else(|| TableError::NotSpreadsheet("the workbook has no sheets".into()))?,
    };
    let range = book.worksheet_range(&name).map_err(|e| bad(&e))?;
    // The range starts at the first used cell; row numbers are the sheet's.
    let first_row = range.start().map_or(1, |(r, _)| u64::from(r) + 1);
    let records: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
    let empty = records.is_empty();
    let header_at = header_row.map(|r| r.saturating_sub(first_row) as usize);
    let split = shape::split_records(records, header_at);
    let mut problems = Problems::new(super::reader::ReaderOptions::default().max_problems);
    let columns = match empty {
        true => Vec::new(),
        false => super::reader::name_columns(split.names, first_row + split.header_end as u64, &mut problems),
    };
    let table = Table { columns, rows: split.rows };
    Ok(SheetTable { sheets, sheet: name, table, problems, notes_above: split.notes_above, notes_below: split.notes_below })
}

impl SheetTable {
    /// What `kaifang inspect` prints and the profile panel shows, as for a CSV file of
    /// `bytes` bytes (every row is profiled; the only problems are the header's).
    pub fn report(&self, bytes: u64) -> ScanReport {
        let encoding = EncodingGuess {
            encoding: TextEncoding::Utf8,
            confidence: 1.0,
            reason: EncodingReason::FileFormat,
            bom_len: 0,
            declared: None,
            agrees_with_declared: None,
        };
        ScanReport {
            format: "xlsx".into(),
            bytes,
            rows: self.table.rows.len() as u64,
            column_count: self.table.columns.len(),
            problems: self.problems.clone(),
            profiles: self.table.profile(),
            layout: Layout {
                notes_above: self.notes_above.clone(),
                notes_below: self.notes_below.clone(),
                ..Layout::whole(encoding, self.table.columns.clone())
            },
        }
    }
}

/// The text of one cell (see the module doc).
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, hh, mm, ss, _) = d.to_ymd_hms_milli();
            if (hh, mm, ss) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02} {hh:02}:{mm:02}:{ss:02}")
            }
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::ColumnType;

    const SAMPLE: &[u8] = include_bytes!("../../tests/data/xlsx/air-quality-2sheets.xlsx");

    #[test]
    fn first_sheet_by_default_with_typed_cells() {
        let t = parse_xlsx_table(SAMPLE, None, None).unwrap();
        assert_eq!(t.sheets, ["空气质量", "说明"]);
        assert_eq!(t.sheet, "空气质量");
        assert_eq!(t.table.columns, ["监测站点", "日期", "AQI", "PM2.5", "达标", "备注", "column 7"]);
        assert_eq!(t.table.rows[0], ["东城区监测站", "2026-10-01", "42", "18.5", "true", "", ""]);
        assert_eq!(t.table.rows.len(), 6);
        let profiles = t.table.profile();
        assert_eq!(profiles[0].inferred_type, ColumnType::String);
        // Dates, and one date with a time: a date-time column.
        assert_eq!(t.table.rows[5][1], "2026-10-03 08:30:00");
        assert_eq!(profiles[1].inferred_type, ColumnType::DateTime);
        assert_eq!(t.table.rows[2][6], "补测");
        assert_eq!(t.table.rows[4][5], "PM2.5 偏高");
        assert_eq!(profiles[2].inferred_type, ColumnType::Integer);
        assert_eq!(profiles[3].inferred_type, ColumnType::Number);
        assert_eq!(profiles[2].max.as_deref(), Some("156"));
        let report = t.report(SAMPLE.len() as u64);
        assert_eq!((report.format.as_str(), report.rows, report.column_count), ("xlsx", 6, 7));
        assert_eq!(report.profiles, profiles);
        // The empty seventh header is named and reported, as it would be in a CSV file.
        assert_eq!(report.problems.total, 1);
        assert!(matches!(report.problems.list[0].kind, crate::table::ProblemKind::EmptyColumnName { column: 7 }));
    }

    #[test]
    fn other_sheets_by_name_and_bad_input() {
        let t = parse_xlsx_table(SAMPLE, Some("说明"), None).unwrap();
        assert_eq!(t.table.columns, ["项目", "内容"]);
        assert!(matches!(parse_xlsx_table(SAMPLE, Some("没有"), None), Err(TableError::NotSpreadsheet(_))));
        assert!(matches!(parse_xlsx_table(b"a,b\n1,2\n", None, None), Err(TableError::NotSpreadsheet(_))));
        assert!(matches!(parse_xlsx_table(&SAMPLE[..SAMPLE.len() / 2], None, None), Err(TableError::NotSpreadsheet(_))));
    }
}
