//! Text inside a PNG file (B7, A1): the chart export draws the attribution line into the
//! image, and also stores it as an `iTXt` chunk (UTF-8, so Chinese survives), which image
//! viewers and tools show as metadata and which a program can read back exactly — a drawn
//! line can only be checked by looking.

use crate::zip::crc32;

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The keyword of the attribution chunk.
pub const ATTRIBUTION_KEY: &str = "Attribution";

/// `png` with an `iTXt` chunk `keyword: text` after its header chunk; `None` when `png` is
/// not a PNG or the keyword is not 1–79 Latin letters, digits or spaces (PNG's rule).
pub fn with_text(png: &[u8], keyword: &str, text: &str) -> Option<Vec<u8>> {
    let ok_key = (1..=79).contains(&keyword.len()) && keyword.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ');
    if !ok_key || !png.starts_with(SIGNATURE) {
        return None;
    }
    // The header chunk comes first: 4 length + 4 type + 13 data + 4 CRC.
    let ihdr_end = SIGNATURE.len() + 25;
    if png.len() < ihdr_end || &png[12..16] != b"IHDR" {
        return None;
    }
    // keyword \0, not compressed (0, 0), no language tag \0, no translated keyword \0, text.
    let mut data = keyword.as_bytes().to_vec();
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(text.as_bytes());
    let mut out = Vec::with_capacity(png.len() + data.len() + 12);
    out.extend_from_slice(&png[..ihdr_end]);
    out.extend_from_slice(&u32::try_from(data.len()).ok()?.to_be_bytes());
    let typed: Vec<u8> = b"iTXt".iter().chain(&data).copied().collect();
    out.extend_from_slice(&typed);
    out.extend_from_slice(&crc32(&typed).to_be_bytes());
    out.extend_from_slice(&png[ihdr_end..]);
    Some(out)
}

/// The uncompressed `iTXt` chunks of a PNG as (keyword, text), checking each chunk's CRC;
/// `None` for a file that is not a well-formed PNG.
pub fn texts(png: &[u8]) -> Option<Vec<(String, String)>> {
    let mut rest = png.strip_prefix(SIGNATURE)?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let len = u32::from_be_bytes(rest.get(..4)?.try_into().ok()?) as usize;
        let typed = rest.get(4..8 + len)?;
        let crc = u32::from_be_bytes(rest.get(8 + len..12 + len)?.try_into().ok()?);
        if crc32(typed) != crc {
            return None;
        }
        if &typed[..4] == b"iTXt" {
            let data = &typed[4..];
            let nul = data.iter().position(|&b| b == 0)?;
            let (key, after) = (&data[..nul], &data[nul + 1..]);
            if after.first() == Some(&0) {
                // Skip the flags, then the language tag and the translated keyword.
                let mut fields = after.get(2..)?.splitn(3, |&b| b == 0);
                let (_, _, text) = (fields.next()?, fields.next()?, fields.next()?);
                out.push((String::from_utf8(key.to_vec()).ok()?, String::from_utf8(text.to_vec()).ok()?));
            }
        }
        rest = &rest[12 + len..];
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG: signature, IHDR, IDAT, IEND.
    fn tiny() -> Vec<u8> {
        let chunk = |kind: &[u8], data: &[u8]| {
            let typed: Vec<u8> = kind.iter().chain(data).copied().collect();
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(&typed);
            c.extend_from_slice(&crc32(&typed).to_be_bytes());
            c
        };
        let mut png = SIGNATURE.to_vec();
        png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]));
        png.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]));
        png.extend(chunk(b"IEND", &[]));
        png
    }

    /// MISSION B7, A1 (Aba 36, Xiangxi 41): the PNG export carries the attribution as text.
    #[test]
    fn the_attribution_travels_inside_the_png() {
        let line = "数据来源：示例市交通运输局《公交车线路站点信息》，获取日期：2026-11-23";
        let png = with_text(&tiny(), ATTRIBUTION_KEY, line).unwrap();
        assert_eq!(texts(&png).unwrap(), vec![(ATTRIBUTION_KEY.to_string(), line.to_string())]);
        // The image is unchanged around the new chunk: header first, the rest after it.
        assert_eq!(&png[..33], &tiny()[..33]);
        assert!(png.ends_with(&tiny()[33..]));
        assert_eq!(texts(&tiny()).unwrap(), vec![]);
    }

    #[test]
    fn damaged_or_foreign_input_is_refused() {
        assert_eq!(with_text(b"GIF89a", ATTRIBUTION_KEY, "x"), None);
        assert_eq!(with_text(&tiny(), "", "x"), None);
        assert_eq!(with_text(&tiny(), "数据来源", "x"), None, "PNG keywords are Latin-1 letters");
        let mut bad = with_text(&tiny(), ATTRIBUTION_KEY, "x").unwrap();
        // The last byte before IEND (12 bytes) is the last byte of IDAT's CRC.
        let last = bad.len() - 13;
        bad[last] ^= 1;
        assert_eq!(texts(&bad), None, "a broken CRC is noticed");
    }
}
