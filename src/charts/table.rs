//! The column data charts draw from. Until the table module (`kaifang_core::table`, the
//! preview's streaming parser) feeds charts, the chart panel builds this from the file it
//! fetches; later an adapter from the preview's parsed columns is all that changes.

use kaifang_core::chart::{classify, ColumnKind};

/// Column-major cells with their kinds.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartTable {
    pub headers: Vec<String>,
    pub columns: Vec<Vec<String>>,
    pub kinds: Vec<ColumnKind>,
    /// Rows whose field count differed from the header's (kept, padded or cut).
    pub ragged_rows: usize,
    /// For files too big to hold as text: per column, its values as numbers from the
    /// preview's whole-file scan (`ScanResult::columns`; NaN for empty/non-numeric cells,
    /// packed date-times for temporal columns), None for text columns. `columns` then holds
    /// only the first rows (used to classify the columns).
    pub numbers: Option<Vec<Option<Vec<f64>>>>,
}

/// How many cells per column `classify` looks at: enough to be sure, cheap for big files.
const SAMPLE: usize = 2000;

impl ChartTable {
    pub fn from_columns(headers: Vec<String>, columns: Vec<Vec<String>>, ragged_rows: usize) -> ChartTable {
        let kinds = columns.iter().map(|c| classify(c.iter().take(SAMPLE).map(String::as_str))).collect();
        ChartTable { headers, columns, kinds, ragged_rows, numbers: None }
    }

    /// Parses CSV text whose first record is the header.
    pub fn from_csv_text(text: &str) -> Result<ChartTable, String> {
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let headers: Vec<String> =
            reader.headers().map_err(|e| e.to_string())?.iter().map(|h| h.trim().to_string()).collect();
        if headers.is_empty() {
            return Err("no header row".into());
        }
        let mut columns: Vec<Vec<String>> = vec![Vec::new(); headers.len()];
        let mut ragged = 0;
        for rec in reader.records() {
            let rec = rec.map_err(|e| e.to_string())?;
            if rec.len() != headers.len() {
                ragged += 1;
            }
            for (i, col) in columns.iter_mut().enumerate() {
                col.push(rec.get(i).unwrap_or("").to_string());
            }
        }
        Ok(ChartTable::from_columns(headers, columns, ragged))
    }

    pub fn refs(&self) -> Vec<&[String]> {
        self.columns.iter().map(|c| c.as_slice()).collect()
    }

    pub fn rows(&self) -> usize {
        self.columns.first().map_or(0, |c| c.len())
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn sample_file_columns_and_kinds() {
        let text =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/crates/core/tests/data/bus-stops.csv"))
                .unwrap();
        let t = ChartTable::from_csv_text(&text).unwrap();
        assert_eq!(t.headers[3], "站点名称");
        assert_eq!(t.rows(), 5);
        assert_eq!(t.columns[3][4], "大学城,北门");
        assert_eq!(t.kinds[4], ColumnKind::Numeric);
        assert_eq!(t.kinds[3], ColumnKind::Categorical);
        assert_eq!(t.ragged_rows, 0);
    }

    #[test]
    fn ragged_rows_are_kept_and_counted() {
        let t = ChartTable::from_csv_text("a,b\n1,2\n3\n4,5,6\n").unwrap();
        assert_eq!(t.columns[1], vec!["2", "", "5"]);
        assert_eq!(t.ragged_rows, 2);
    }
}
