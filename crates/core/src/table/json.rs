//! JSON arrays of objects as tables: `[{"a": 1, "b": "x"}, …]`.
//!
//! Columns are the keys in order of first appearance. Strings are shown as they are, numbers
//! and booleans as their JSON text, `null` as empty, nested arrays/objects as compact JSON.
//! A JSON document must be parsed whole, so this takes files up to [`MAX_JSON_BYTES`] and
//! says so beyond that, instead of streaming. Local faults (lone surrogate escapes, raw
//! control characters, trailing commas …) are repaired by [`crate::lenient_json`] and
//! reported as problems with their line and column.

use super::{encoding, Problem, ProblemKind, Problems, Table, TableError, TextEncoding};
use crate::lenient_json;
use serde_json::Value;

pub const MAX_JSON_BYTES: usize = 64 * 1024 * 1024;

/// Also accepts `{"data": [...]}`-style wrappers with exactly one array-of-objects member,
/// a common shape of portal APIs.
pub fn parse_json_table(bytes: &[u8]) -> Result<(Table, Problems), TableError> {
    if bytes.len() > MAX_JSON_BYTES {
        return Err(TableError::TooLarge { format: "JSON", limit: MAX_JSON_BYTES });
    }
    let guess = encoding::detect(bytes, None, true);
    let body = &bytes[guess.bom_len..];
    // UTF-8 goes to the parser as it is, so bytes that are not UTF-8 are reported there.
    let decoded = match guess.encoding {
        TextEncoding::Utf8 => None,
        e => Some(e.encoding_rs().decode_without_bom_handling(body).0),
    };
    let text = decoded.as_deref().map_or(body, str::as_bytes);
    let (value, repairs) = lenient_json::parse(text).map_err(|e| TableError::NotJsonArray(e.to_string()))?;
    let mut problems = Problems::new(super::ReaderOptions::default().max_problems);
    for r in repairs {
        problems.push(Problem {
            row: None,
            line: r.line,
            kind: ProblemKind::RepairedJson { column: r.column, fault: r.fault },
        });
    }
    Ok((table_of(value)?, problems))
}

fn table_of(value: Value) -> Result<Table, TableError> {
    let items = match value {
        Value::Array(items) => items,
        Value::Object(map) => {
            let mut arrays = map.into_iter().filter_map(|(_, v)| match v {
                Value::Array(a) if a.iter().all(Value::is_object) && !a.is_empty() => Some(a),
                _ => None,
            });
            match (arrays.next(), arrays.next()) {
                (Some(a), None) => a,
                _ => return Err(TableError::NotJsonArray("an object without one array of objects in it".into())),
            }
        }
        _ => return Err(TableError::NotJsonArray("the document is not an array".into())),
    };
    let mut columns: Vec<String> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Value::Object(obj) = item else {
            return Err(TableError::NotJsonArray(format!("item {} is not an object", i + 1)));
        };
        for k in obj.keys() {
            if !columns.contains(k) {
                columns.push(k.clone());
            }
        }
    }
    let rows = items
        .iter()
        .map(|item| {
            columns
                .iter()
                .map(|c| match item.get(c) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(other) => other.to_string(),
                })
                .collect()
        })
        .collect();
    Ok(Table { columns, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn array_of_objects() {
        let (t, problems) = parse_json_table(br#"[{"a":1,"b":"x"},{"b":"y","c":[1,2],"a":null}]"#).unwrap();
        assert_eq!(problems.total, 0);
        assert_eq!(t.columns, ["a", "b", "c"]);
        assert_eq!(t.rows[0], ["1", "x", ""]);
        assert_eq!(t.rows[1], ["", "y", "[1,2]"]);
    }

    #[test]
    fn view_order_sorts_and_filters_in_memory() {
        use crate::table::index::Direction;
        use crate::table::{ColumnType, Filter, FilterOp};
        let (t, _) =
            parse_json_table(br#"[{"n":"b","v":3},{"n":"a","v":10},{"n":"c","v":null},{"n":"a2","v":1}]"#).unwrap();
        assert_eq!(t.view_order(Some((1, ColumnType::Integer, Direction::Ascending)), None), vec![3, 0, 1, 2]);
        let f = Filter { column: 0, op: FilterOp::Contains("a".into()) };
        assert_eq!(t.view_order(Some((1, ColumnType::Integer, Direction::Descending)), Some(&f)), vec![1, 3]);
        assert_eq!(t.view_order(None, Some(&f)), vec![1, 3]);
    }

    #[test]
    fn wrapped_and_rejected() {
        let (t, _) = parse_json_table(br#"{"total":1,"data":[{"k":"v"}]}"#).unwrap();
        assert_eq!(t.rows, vec![vec!["v".to_string()]]);
        assert!(matches!(parse_json_table(b"[1,2]"), Err(TableError::NotJsonArray(_))));
        assert!(matches!(parse_json_table(b"{\"a\":"), Err(TableError::NotJsonArray(_))));
        assert!(matches!(parse_json_table(b"42"), Err(TableError::NotJsonArray(_))));
    }

    #[test]
    fn recoverable_faults_are_repaired_and_listed_as_problems() {
        let (t, problems) = parse_json_table(b"[{\"name\": \"a\\ud83d\"},\n {\"name\": \"b\"},]").unwrap();
        assert_eq!(t.rows, vec![vec!["a\u{FFFD}".to_string()], vec!["b".to_string()]]);
        assert_eq!(problems.total, 2);
        assert_eq!(problems.list[0].line, 1);
        assert!(matches!(
            problems.list[0].kind,
            ProblemKind::RepairedJson { column: 13, fault: lenient_json::Fault::LoneSurrogate { .. } }
        ));
        assert!(matches!(
            problems.list[1].kind,
            ProblemKind::RepairedJson { fault: lenient_json::Fault::TrailingComma, .. }
        ));
    }
}
