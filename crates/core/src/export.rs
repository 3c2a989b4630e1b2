//! Exporting rows as CSV that is safe to open in a spreadsheet (MISSION X4).
//!
//! Spreadsheets (Excel, LibreOffice Calc, Google Sheets, WPS) run a cell as a formula when
//! it starts with `=`, `+`, `-` or `@`, and some also after a leading tab or carriage
//! return ("CSV injection"). Such cells are written with a leading apostrophe `'`, which
//! spreadsheets show as text and never evaluate.
//!
//! **Decision on negative numbers:** a cell that is, in full, a plain decimal number —
//! optional sign, digits, optional fraction, optional exponent, e.g. `-12.5`, `+3`,
//! `-1.2e5` — is left as it is. A spreadsheet reads it as a number, which cannot call a
//! function or reach the network, and prefixing it would turn every negative value of a
//! published table into text. Anything else starting with a trigger character, including
//! `-1+2`, `-2,3` or `+cmd|' /C calc'!A0`, is prefixed.
//!
//! The file is RFC 4180: fields holding `,`, `"`, CR or LF are quoted with `"` doubled;
//! rows end in CRLF; an optional UTF-8 byte-order mark makes Excel read Chinese correctly.

/// Characters that make a spreadsheet treat the rest of the cell as a formula.
const TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether `s` is, in full, a plain decimal number (see the module's decision).
pub fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let int_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let mut digits = i - int_start;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let f = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        digits += i - f;
    }
    if digits == 0 {
        return false;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return false;
        }
    }
    i == b.len()
}

/// The cell as it is safe to give a spreadsheet: prefixed with `'` when it would run as a
/// formula, unchanged otherwise.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some(c) if TRIGGERS.contains(&c) && !is_plain_number(cell) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// One CSV field, quoted when needed.
fn push_field(out: &mut String, cell: &str) {
    let cell = neutralise(cell);
    if cell.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(&cell);
    }
}

fn push_row<S: AsRef<str>>(out: &mut String, row: &[S]) {
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, cell.as_ref());
    }
    out.push_str("\r\n");
}

/// Writes a header and rows as safe CSV. `bom` prepends a UTF-8 byte-order mark.
pub fn to_csv<H: AsRef<str>, S: AsRef<str>, R: AsRef<[S]>>(
    header: &[H],
    rows: impl IntoIterator<Item = R>,
    bom: bool,
) -> String {
    write_csv(None, header, rows, bom)
}

/// Like [`to_csv`], with a note (the attribution) as the file's first line: one cell starting
/// with `# `. Spreadsheets show it as a title line above the header; pandas (`comment="#"`),
/// R (`comment.char = "#"`) and `csv` readers with a comment character skip it.
pub fn to_csv_with_note<H: AsRef<str>, S: AsRef<str>, R: AsRef<[S]>>(
    note: &str,
    header: &[H],
    rows: impl IntoIterator<Item = R>,
    bom: bool,
) -> String {
    write_csv(Some(note), header, rows, bom)
}

fn write_csv<H: AsRef<str>, S: AsRef<str>, R: AsRef<[S]>>(
    note: Option<&str>,
    header: &[H],
    rows: impl IntoIterator<Item = R>,
    bom: bool,
) -> String {
    let mut out = String::new();
    if bom {
        out.push('\u{FEFF}');
    }
    if let Some(note) = note {
        // Line breaks inside the note would start new records; keep it to one line.
        push_row(&mut out, &[format!("# {}", note.replace(['\r', '\n'], " "))]);
    }
    push_row(&mut out, header);
    for r in rows {
        push_row(&mut out, r.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// MISSION X4: exported CSV cells cannot run as spreadsheet formulas.
    #[test]
    fn formula_cells_are_neutralised() {
        for cell in [
            "=1+1",
            "=HYPERLINK(\"http://x\",\"y\")",
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
            "+",
            "-1,5",
            "--1",
        ] {
            assert_eq!(neutralise(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn plain_numbers_and_text_are_kept() {
        for cell in ["-12.5", "+3", "-1.2e5", "-.5", "12", "火车站", "a=b", " =1", "", "'already"] {
            assert_eq!(neutralise(cell), cell, "{cell:?}");
        }
        assert!(!is_plain_number("-"));
        assert!(!is_plain_number("-."));
        assert!(!is_plain_number("1e"));
        assert!(!is_plain_number("-1e+"));
    }

    #[test]
    fn csv_is_quoted_crlf_and_reads_back() {
        let header = ["站点", "值"];
        let rows = vec![vec!["火车站", "-3"], vec!["a,\"b\"\nc", "=1+1"], vec!["", "@x"]];
        let text = to_csv(&header, &rows, true);
        assert!(text.starts_with('\u{FEFF}'));
        assert_eq!(text, "\u{FEFF}站点,值\r\n火车站,-3\r\n\"a,\"\"b\"\"\nc\",'=1+1\r\n,'@x\r\n");
        // A real CSV reader sees the intended cells.
        let mut r = csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
        let rows: Vec<Vec<String>> = r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect();
        assert_eq!(rows[0], vec!["火车站", "-3"]);
        assert_eq!(rows[1], vec!["a,\"b\"\nc", "'=1+1"]);
        assert_eq!(rows[2], vec!["", "'@x"]);
    }

    #[test]
    fn the_note_is_a_comment_line_readers_can_skip() {
        let text = to_csv_with_note(
            "数据来源：某局《公交站点》，\n2026-11-23",
            &["站点", "值"],
            vec![vec!["a", "=1+1"]],
            true,
        );
        assert!(text.starts_with("\u{FEFF}# 数据来源：某局《公交站点》， 2026-11-23\r\n站点,值\r\n"), "{text:?}");
        let mut r =
            csv::ReaderBuilder::new().comment(Some(b'#')).from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
        assert_eq!(r.headers().unwrap().iter().collect::<Vec<_>>(), vec!["站点", "值"]);
        let rows: Vec<Vec<String>> = r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect();
        assert_eq!(rows, vec![vec!["a".to_string(), "'=1+1".to_string()]]);
    }
}
