//! What the app's page asks of its scan worker, and what a workbook read there sends back.
//!
//! The worker's wasm holds the readers the page's first module should not carry: the whole-file
//! scan's parts (`parts`) and the XLSX reader (`xlsx`: a ZIP inflater and an XML parser, about
//! a hundred kilobytes of the dataset page's module, brotli). A job crosses as JSON; a part's
//! outcome as `wire` bytes; everything else a worker says as JSON, one [`WorkerReply`] (a sheet
//! among them: one sheet is at most [`super::xlsx::XlsxLimits`] big, and read once).

use super::parts::PartJob;
use super::scan::ScanReport;
use super::xlsx::SheetTable;
use serde::{Deserialize, Serialize};

/// One job for a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerJob {
    /// A part of a whole-file scan.
    Part(PartJob),
    /// One sheet of an XLSX workbook, read whole.
    Sheet(SheetJob),
}

/// Which workbook, which sheet, and where its header is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetJob {
    pub url: String,
    /// The sheet's name; the first sheet when None.
    pub sheet: Option<String>,
    /// The header's sheet row (1-based) where the catalog states it.
    pub header_row: Option<u64>,
}

/// A sheet read on the worker, with the workbook's size in bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetRead {
    pub sheet: SheetTable,
    pub bytes: u64,
}

/// What a worker says as text besides `ready`: how far it has read, a sheet, or why it failed.
/// The page parses each message once, into this type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkerReply {
    Progress(u64),
    Sheet(Box<SheetRead>),
    Error(String),
}

impl SheetRead {
    /// What the profile panel shows, as [`SheetTable::report`] says.
    pub fn report(&self) -> ScanReport {
        self.sheet.report(self.bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::xlsx::{parse_xlsx_table_within, XlsxLimits};

    const SAMPLE: &[u8] = include_bytes!("../../tests/data/xlsx/air-quality-2sheets.xlsx");

    #[test]
    fn a_sheet_crosses_to_the_page_unchanged() {
        // Capped, so the crossing carries what was left out too.
        let limits = XlsxLimits { rows: 2, ..XlsxLimits::default() };
        let sheet = parse_xlsx_table_within(SAMPLE, Some("空气质量"), None, &limits).unwrap();
        assert!(sheet.left_out.is_some(), "the cap left rows out");
        let read = SheetRead { sheet, bytes: SAMPLE.len() as u64 };
        let text = serde_json::to_string(&read).unwrap();
        let back: SheetRead = serde_json::from_str(&text).unwrap();
        // Everything but the problems' cap, which only counts new problems (none come later).
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
        assert_eq!(
            (&back.sheet.table, &back.sheet.left_out, &back.sheet.sheets),
            (&read.sheet.table, &read.sheet.left_out, &read.sheet.sheets)
        );
        let report = |r: &SheetRead| serde_json::to_string(&r.report()).unwrap();
        assert_eq!(report(&back), report(&read));
    }

    #[test]
    fn replies_keep_the_protocols_shapes() {
        for (reply, text) in [
            (WorkerReply::Progress(65536), r#"{"progress":65536}"#),
            (WorkerReply::Error("HTTP 404".into()), r#"{"error":"HTTP 404"}"#),
        ] {
            assert_eq!(serde_json::to_string(&reply).unwrap(), text);
            assert_eq!(serde_json::from_str::<WorkerReply>(text).unwrap(), reply);
        }
        let sheet = crate::table::xlsx::parse_xlsx_table(SAMPLE, None, None).unwrap();
        let reply = WorkerReply::Sheet(Box::new(SheetRead { sheet, bytes: 1 }));
        let text = serde_json::to_string(&reply).unwrap();
        assert!(text.starts_with(r#"{"sheet":{"sheet":{"sheets":["#), "{text}");
        assert!(serde_json::from_str::<WorkerReply>(r#"{"sheet":{"bytes":1}}"#).is_err(), "a damaged sheet is refused");
    }

    #[test]
    fn jobs_name_their_kind() {
        let job = WorkerJob::Sheet(SheetJob { url: "/catalog/a.xlsx".into(), sheet: None, header_row: Some(3) });
        let text = serde_json::to_string(&job).unwrap();
        assert_eq!(text, r#"{"sheet":{"url":"/catalog/a.xlsx","sheet":null,"header_row":3}}"#);
        assert_eq!(serde_json::from_str::<WorkerJob>(&text).unwrap(), job);
        assert!(serde_json::from_str::<WorkerJob>(r#"{"sheet":{"url":1}}"#).is_err(), "a malformed job is refused");
    }
}
