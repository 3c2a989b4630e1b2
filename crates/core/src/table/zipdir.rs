//! The names and declared inflated sizes of a ZIP's entries, from its central directory —
//! enough to refuse a workbook whose parts would inflate past a cap before anything is
//! inflated. A ZIP64 size (0xFFFFFFFF in the 32-bit field) reads as `u64::MAX`: larger than
//! any cap, which is what a part that size is.

/// (name, inflated size) of each entry; empty when `zip` has no readable central directory
/// (the ZIP reader then says what is wrong with it).
pub fn entries(zip: &[u8]) -> Vec<(String, u64)> {
    let u16_at = |at: usize| zip.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]) as usize);
    let u32_at = |at: usize| zip.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]));
    // The end record (22 bytes + a comment of up to 64 KiB) is found from the end.
    let lowest = zip.len().saturating_sub(22 + 0xFFFF);
    let Some(end) = (lowest..zip.len().saturating_sub(21)).rev().find(|&i| u32_at(i) == Some(0x0605_4b50)) else {
        return Vec::new();
    };
    let (Some(count), Some(mut at)) = (u16_at(end + 10), u32_at(end + 16).map(|o| o as usize)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for _ in 0..count {
        if u32_at(at) != Some(0x0201_4b50) {
            break;
        }
        let (Some(size), Some(name_len), Some(extra), Some(comment)) =
            (u32_at(at + 24), u16_at(at + 28), u16_at(at + 30), u16_at(at + 32))
        else {
            break;
        };
        let Some(name) = zip.get(at + 46..at + 46 + name_len) else { break };
        let size = if size == u32::MAX { u64::MAX } else { u64::from(size) };
        out.push((String::from_utf8_lossy(name).into_owned(), size));
        at += 46 + name_len + extra + comment;
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn lists_a_workbooks_parts_and_nothing_from_garbage() {
        let book = include_bytes!("../../tests/data/xlsx/air-quality-2sheets.xlsx");
        let parts = super::entries(book);
        let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
        assert!(names.contains(&"xl/workbook.xml") && names.contains(&"xl/worksheets/sheet1.xml"), "{names:?}");
        assert!(parts.iter().all(|(_, size)| *size > 0 && *size < 1 << 20));
        assert!(super::entries(b"not a zip").is_empty());
        assert!(super::entries(&book[..book.len() - 30]).len() < parts.len());
    }
}
