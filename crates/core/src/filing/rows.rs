//! Row selections as a person types them: `3, 10-12` → rows 3, 10, 11, 12.
//! Used by the objection form (scope = rows); rows picked in the preview are written back with [`format_rows`].

use super::check::FieldError;

/// Most rows one selection may name (the intake accepts up to 10 000 on an objection).
pub const MAX_ROWS: usize = 10_000;

/// Parses a comma- (or 、/，/space-) separated list of row numbers and ranges `a-b`
/// (also `a–b`, `a~b`), 1-based. The result is sorted and without duplicates.
pub fn parse_rows(text: &str) -> Result<Vec<u64>, FieldError> {
    let err = |code: &str, zh: String, en: String| FieldError { path: "scope.rows".into(), code: code.into(), zh, en };
    let mut rows: Vec<u64> = Vec::new();
    // `7 - 8` is a range: drop spaces around range marks before splitting on spaces.
    let mut joined = String::with_capacity(text.len());
    for c in text.chars() {
        if is_dash(c) {
            while joined.ends_with(' ') {
                joined.pop();
            }
            joined.push('-');
        } else if !(c == ' ' && joined.ends_with('-')) {
            joined.push(c);
        }
    }
    let parts = joined.split([',', '，', '、', ';', '；', ' ', '\n', '\t']).map(str::trim).filter(|p| !p.is_empty());
    let number = |s: &str| -> Result<u64, FieldError> {
        let s = s.trim();
        let n: u64 = s.parse().map_err(|_| {
            err(
                "invalid_rows",
                format!("“{s}”不是行号。请写成 3, 10-12 的形式。"),
                format!("“{s}” is not a row number. Write e.g. 3, 10-12."),
            )
        })?;
        if n == 0 {
            return Err(err("invalid_row", "行号从 1 开始。".into(), "Row numbers start at 1.".into()));
        }
        Ok(n)
    };
    for part in parts {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (number(a)?, number(b)?);
                if b < a {
                    return Err(err(
                        "reversed_range",
                        format!("范围 {a}-{b} 的起点大于终点。"),
                        format!("The range {a}-{b} starts after it ends."),
                    ));
                }
                if (b - a) as usize >= MAX_ROWS || rows.len() + (b - a) as usize >= MAX_ROWS {
                    return Err(too_many());
                }
                rows.extend(a..=b);
            }
            None => rows.push(number(part)?),
        }
        if rows.len() > MAX_ROWS {
            return Err(too_many());
        }
    }
    rows.sort_unstable();
    rows.dedup();
    if rows.is_empty() {
        return Err(err("required", "请填写行号,例如 3, 10-12。".into(), "Enter row numbers, e.g. 3, 10-12.".into()));
    }
    Ok(rows)
}

fn is_dash(c: char) -> bool {
    matches!(c, '-' | '–' | '—' | '~' | '～')
}

fn too_many() -> FieldError {
    FieldError {
        path: "scope.rows".into(),
        code: "too_many".into(),
        zh: format!("最多 {MAX_ROWS} 行。"),
        en: format!("At most {MAX_ROWS} rows."),
    }
}

/// The inverse of [`parse_rows`]: sorted rows written compactly, `3, 10-12`.
pub fn format_rows(rows: &[u64]) -> String {
    let mut sorted = rows.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let start = sorted[i];
        let mut end = start;
        while i + 1 < sorted.len() && sorted[i + 1] == end + 1 {
            i += 1;
            end = sorted[i];
        }
        out.push(if end == start { start.to_string() } else { format!("{start}-{end}") });
        i += 1;
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_ranges() {
        assert_eq!(parse_rows("3, 10-12").unwrap(), vec![3, 10, 11, 12]);
        assert_eq!(parse_rows("12，3、3 5～6").unwrap(), vec![3, 5, 6, 12]);
        assert_eq!(parse_rows(" 7 - 8  2").unwrap(), vec![2, 7, 8]);
        assert_eq!(format_rows(&[12, 3, 10, 11, 5]), "3, 5, 10-12");
        assert_eq!(format_rows(&parse_rows("1-3,5").unwrap()), "1-3, 5");
    }

    #[test]
    fn bad_input_says_why() {
        assert_eq!(parse_rows("").unwrap_err().code, "required");
        assert_eq!(parse_rows("0").unwrap_err().code, "invalid_row");
        assert_eq!(parse_rows("12-3").unwrap_err().code, "reversed_range");
        let e = parse_rows("3, x").unwrap_err();
        assert_eq!(e.code, "invalid_rows");
        assert!(e.en.contains("“x”"));
        assert_eq!(parse_rows("1-20000").unwrap_err().code, "too_many");
        assert_eq!(parse_rows("1-9999, 20000-20001").unwrap_err().code, "too_many");
        assert_eq!(parse_rows("1-10000").unwrap().len(), 10_000);
    }
}
