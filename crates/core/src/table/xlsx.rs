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
//!
//! A ZIP inflates: 8 MB can hold a 1.2 GB sheet. So the sheet is streamed cell by cell and
//! only what [`XlsxLimits`] allows is held — whole rows up to a row, cell and text budget;
//! [`SheetTable::left_out`] says what was not read — and the parts read whole before the
//! sheet (shared strings, styles) are refused when the ZIP says they inflate past a cap.

use super::encoding::{EncodingGuess, EncodingReason, TextEncoding};
use super::scan::ScanReport;
use super::shape;
use super::{Layout, Problems, Table, TableError};
use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;

pub const MAX_XLSX_BYTES: usize = 64 * 1024 * 1024;

/// What one sheet may take. The defaults keep a preview under about 200 MB of memory
/// whatever the file holds (measured: `docs/preview.md`, "Bounded reading").
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct XlsxLimits {
    /// Data rows (the header row aside).
    pub rows: usize,
    /// Cells of the table as held: rows × columns, empty ones included.
    pub cells: usize,
    /// Bytes of cell text.
    pub text_bytes: usize,
    /// Columns from A: cells further right are left out.
    pub columns: u32,
    /// Inflated size of each part read whole (shared strings, styles, workbook).
    pub part_bytes: u64,
}

impl Default for XlsxLimits {
    fn default() -> XlsxLimits {
        XlsxLimits { rows: 100_000, cells: 2_000_000, text_bytes: 48 << 20, columns: 1024, part_bytes: 48 << 20 }
    }
}

/// What a capped sheet did not show: the rows from `first_row_left_out` (1-based sheet row)
/// on, or the columns past `columns`, because of `cap`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LeftOut {
    pub cap: Cap,
    /// The first sheet row not read (rows from it on are left out); None when only columns were.
    pub first_row_left_out: Option<u32>,
    /// Cells right of the column cap were dropped.
    pub columns_dropped: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cap {
    Rows,
    Cells,
    Text,
    Columns,
}

impl LeftOut {
    /// What to tell the reader, in Chinese and English.
    pub fn messages(&self, limits: &XlsxLimits) -> (String, String) {
        let (zh_cap, en_cap) = match self.cap {
            Cap::Rows => (format!("最多显示 {} 行", limits.rows), format!("at most {} rows are shown", limits.rows)),
            Cap::Cells => {
                (format!("最多读取 {} 个单元格", limits.cells), format!("at most {} cells are read", limits.cells))
            }
            Cap::Text => (
                format!("最多读取 {} MiB 文本", limits.text_bytes >> 20),
                format!("at most {} MiB of text is read", limits.text_bytes >> 20),
            ),
            Cap::Columns => {
                (format!("最多显示 {} 列", limits.columns), format!("at most {} columns are shown", limits.columns))
            }
        };
        match self.first_row_left_out {
            Some(r) => (
                format!("工作表过大,{zh_cap}:自第 {r} 行起的内容未显示。请下载文件查看全部内容。"),
                format!("The sheet is too large ({en_cap}): rows from {r} on are not shown. Download the file to see all of it."),
            ),
            None => (
                format!("工作表过宽,{zh_cap}:右侧的列未显示。"),
                format!("The sheet is too wide ({en_cap}): the columns further right are not shown."),
            ),
        }
    }
}

/// One sheet of a workbook as a table, with the names of all its sheets. Serializable: the
/// app reads workbooks on its scan worker and posts the sheet to the page (`table::jobs`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SheetTable {
    pub sheets: Vec<String>,
    /// The sheet shown.
    pub sheet: String,
    pub table: Table,
    /// Empty or repeated column names in the header row, renamed as for a CSV file.
    pub problems: Problems,
    /// What the limits kept out; None when the whole sheet was read.
    pub left_out: Option<LeftOut>,
    /// Title and note lines above the header, notes and source lines below the data.
    pub notes_above: Vec<String>,
    pub notes_below: Vec<String>,
}

/// Reads sheet `sheet` (by name; the first when None) of the XLSX workbook in `bytes`,
/// within [`XlsxLimits::default`]; `header_row` is the sheet's row number (1-based) of the
/// header where the catalog states it.
pub fn parse_xlsx_table(bytes: &[u8], sheet: Option<&str>, header_row: Option<u64>) -> Result<SheetTable, TableError> {
    parse_xlsx_table_within(bytes, sheet, header_row, &XlsxLimits::default())
}

pub fn parse_xlsx_table_within(
    bytes: &[u8],
    sheet: Option<&str>,
    header_row: Option<u64>,
    limits: &XlsxLimits,
) -> Result<SheetTable, TableError> {
    if bytes.len() > MAX_XLSX_BYTES {
        return Err(TableError::TooLarge { format: "XLSX", limit: MAX_XLSX_BYTES });
    }
    let bad = |e: &dyn std::fmt::Display| TableError::NotSpreadsheet(e.to_string());
    if let Some((part, size)) =
        super::zipdir::entries(bytes).into_iter().find(|(n, size)| read_whole(n) && *size > limits.part_bytes)
    {
        return Err(TableError::NotSpreadsheet(format!(
            "its part {part} inflates to {size} bytes, more than the {} this reader takes",
            limits.part_bytes
        )));
    }
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let sheets = book.sheet_names();
    let name = match sheet {
        Some(s) if sheets.iter().any(|n| n == s) => s.to_string(),
        Some(s) => return Err(TableError::NotSpreadsheet(format!("the workbook has no sheet “{s}”"))),
        None => {
            sheets.first().cloned().ok_or_else(|| TableError::NotSpreadsheet("the workbook has no sheets".into()))?
        }
    };
    let mut cells = book.worksheet_cells_reader(&name).map_err(|e| bad(&e))?;
    let mut held = Held::new(limits);
    while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
        let (row, col) = cell.get_position();
        if !held.take(row, col, cell_text(&Data::from(cell.get_value().clone()))) {
            break;
        }
    }
    let (records, top, left_out) = held.finish();
    // The grid starts at the first used row; row numbers are the sheet's.
    let first_row = u64::from(top) + 1;
    let empty = records.is_empty();
    let header_at = header_row.map(|r| r.saturating_sub(first_row) as usize);
    let split = shape::split_records(records, header_at);
    let mut problems = Problems::new(super::reader::ReaderOptions::default().max_problems);
    let columns = match empty {
        true => Vec::new(),
        false => super::reader::name_columns(split.names, first_row + split.header_end as u64, &mut problems),
    };
    let table = Table { columns, rows: split.rows };
    Ok(SheetTable {
        sheets,
        sheet: name,
        table,
        problems,
        left_out,
        notes_above: split.notes_above,
        notes_below: split.notes_below,
    })
}

/// Parts calamine reads whole when it opens a workbook (the sheet itself is streamed).
fn read_whole(part: &str) -> bool {
    let p = part.to_ascii_lowercase();
    p.ends_with("sharedstrings.xml") || p.ends_with("styles.xml") || p.ends_with("workbook.xml") || p.ends_with(".rels")
}

/// The cells read so far (sparse, in sheet order), within the limits.
struct Held<'l> {
    limits: &'l XlsxLimits,
    cells: Vec<(u32, u32, String)>,
    first_row: Option<u32>,
    cols: Option<(u32, u32)>,
    text: usize,
    left_out: Option<LeftOut>,
    columns_dropped: bool,
}

impl<'l> Held<'l> {
    fn new(limits: &'l XlsxLimits) -> Held<'l> {
        Held { limits, cells: Vec::new(), first_row: None, cols: None, text: 0, left_out: None, columns_dropped: false }
    }

    /// Keeps one non-empty cell; false (and the rows from this one on dropped) once a
    /// limit is reached — rows come whole or not at all.
    fn take(&mut self, row: u32, col: u32, text: String) -> bool {
        if text.is_empty() {
            return true;
        }
        if col >= self.limits.columns {
            self.columns_dropped = true;
            return true;
        }
        let first = *self.first_row.get_or_insert(row);
        let (lo, hi) = self.cols.map_or((col, col), |(lo, hi)| (lo.min(col), hi.max(col)));
        let height = row.saturating_sub(first) as usize + 1;
        let cap = if height > self.limits.rows + 1 {
            Some(Cap::Rows)
        } else if height.saturating_mul((hi - lo + 1) as usize) > self.limits.cells {
            Some(Cap::Cells)
        } else if self.text + text.len() > self.limits.text_bytes {
            Some(Cap::Text)
        } else {
            None
        };
        if let Some(cap) = cap {
            self.cells.retain(|(r, _, _)| *r < row);
            self.left_out =
                Some(LeftOut { cap, first_row_left_out: Some(row + 1), columns_dropped: self.columns_dropped });
            return false;
        }
        self.cols = Some((lo, hi));
        self.text += text.len();
        self.cells.push((row, col, text));
        true
    }

    /// The rows as a dense grid from the first row and column that hold anything, and that
    /// first row's index (0-based).
    fn finish(self) -> (Vec<Vec<String>>, u32, Option<LeftOut>) {
        let left_out = self.left_out.or(self.columns_dropped.then_some(LeftOut {
            cap: Cap::Columns,
            first_row_left_out: None,
            columns_dropped: true,
        }));
        let (Some(_), Some((lo, hi))) = (self.first_row, self.cols) else { return (Vec::new(), 0, left_out) };
        let top = self.cells.iter().map(|c| c.0).min().unwrap_or(0);
        let bottom = self.cells.iter().map(|c| c.0).max().unwrap_or(0);
        let width = (hi - lo + 1) as usize;
        let mut grid = vec![vec![String::new(); width]; (bottom - top + 1) as usize];
        for (r, c, text) in self.cells {
            grid[(r - top) as usize][(c - lo) as usize] = text;
        }
        (grid, top, left_out)
    }
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

    /// A one-sheet workbook (stored, not deflated) whose sheet holds `rows`.
    fn workbook(rows: &str) -> Vec<u8> {
        let date = crate::catalog::Date::parse("2026-12-05").unwrap();
        let mut z = crate::zip::ZipWriter::new();
        let parts = [
            ("_rels/.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#)),
        ];
        for (name, xml) in parts {
            z.add(name, xml.as_bytes(), &date).unwrap();
        }
        z.finish()
    }

    /// `n` rows of `cols` inline-string cells (`r1c1`, …), the first being the header.
    fn rows(n: usize, cols: usize) -> String {
        (1..=n)
            .map(|r| {
                let cells: String =
                    (1..=cols).map(|c| format!(r#"<c t="inlineStr"><is><t>r{r}c{c}</t></is></c>"#)).collect();
                format!("<row>{cells}</row>")
            })
            .collect()
    }

    #[test]
    fn a_sheet_past_a_limit_is_cut_at_a_whole_row_and_says_so() {
        let book = workbook(&rows(50, 4));
        let whole = parse_xlsx_table(&book, None, None).unwrap();
        assert_eq!((whole.table.rows.len(), whole.left_out.clone()), (49, None));
        assert_eq!(whole.table.rows[48], ["r50c1", "r50c2", "r50c3", "r50c4"]);
        let small = XlsxLimits { rows: 10, ..XlsxLimits::default() };
        let t = parse_xlsx_table_within(&book, None, None, &small).unwrap();
        assert_eq!(t.table.columns, ["r1c1", "r1c2", "r1c3", "r1c4"]);
        assert_eq!(t.table.rows.len(), 10);
        assert_eq!(t.table.rows[9], ["r11c1", "r11c2", "r11c3", "r11c4"]);
        let left = t.left_out.clone().unwrap();
        assert_eq!((left.cap, left.first_row_left_out), (Cap::Rows, Some(12)));
        let (zh, en) = left.messages(&small);
        assert!(zh.contains("第 12 行") && en.contains("rows from 12 on"), "{zh} / {en}");
        // The cell and text budgets cut at a whole row too.
        let t =
            parse_xlsx_table_within(&book, None, None, &XlsxLimits { cells: 4 * 7, ..XlsxLimits::default() }).unwrap();
        assert_eq!((t.table.rows.len(), t.left_out.unwrap().cap), (6, Cap::Cells));
        let t =
            parse_xlsx_table_within(&book, None, None, &XlsxLimits { text_bytes: 5 * 4 * 3, ..XlsxLimits::default() })
                .unwrap();
        assert_eq!((t.table.rows.len(), t.left_out.unwrap().cap), (2, Cap::Text));
        // Columns past the cap are dropped, the rows kept.
        let t =
            parse_xlsx_table_within(&book, None, None, &XlsxLimits { columns: 2, ..XlsxLimits::default() }).unwrap();
        assert_eq!((t.table.columns.len(), t.table.rows.len()), (2, 49));
        assert_eq!(t.left_out.unwrap(), LeftOut { cap: Cap::Columns, first_row_left_out: None, columns_dropped: true });
    }

    #[test]
    fn a_sparse_cell_far_away_does_not_make_a_huge_grid() {
        // One cell at XFD1048576 beside A1: without the column and cell caps that is a grid
        // of 17 billion empty cells.
        let book = workbook(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>z</t></is></c></row>"#,
        );
        let t = parse_xlsx_table(&book, None, None).unwrap();
        assert_eq!(t.table.columns, ["a"]);
        assert!(t.table.rows.is_empty());
        assert_eq!(t.left_out.unwrap().cap, Cap::Columns);
        let far_down = workbook(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>z</t></is></c></row>"#,
        );
        let t = parse_xlsx_table(&far_down, None, None).unwrap();
        assert_eq!((t.table.rows.len(), t.left_out.unwrap().first_row_left_out), (0, Some(1_048_576)));
    }

    #[test]
    fn a_part_that_would_inflate_past_its_cap_is_refused_before_reading() {
        let book = workbook(&rows(3, 2));
        let tiny = XlsxLimits { part_bytes: 100, ..XlsxLimits::default() };
        let err = parse_xlsx_table_within(&book, None, None, &tiny).unwrap_err();
        assert!(err.to_string().contains("inflates to"), "{err}");
    }

    #[test]
    fn other_sheets_by_name_and_bad_input() {
        let t = parse_xlsx_table(SAMPLE, Some("说明"), None).unwrap();
        assert_eq!(t.table.columns, ["项目", "内容"]);
        assert!(matches!(parse_xlsx_table(SAMPLE, Some("没有"), None), Err(TableError::NotSpreadsheet(_))));
        assert!(matches!(parse_xlsx_table(b"a,b\n1,2\n", None, None), Err(TableError::NotSpreadsheet(_))));
        assert!(matches!(
            parse_xlsx_table(&SAMPLE[..SAMPLE.len() / 2], None, None),
            Err(TableError::NotSpreadsheet(_))
        ));
    }
}
