//! What makes the site installable (issue 18, docs/phone.md): the web app manifest, named
//! for the portal, and its icons, drawn here (no image files to keep, nothing fetched from
//! elsewhere). The service worker is the app's own file (`src/sw.js`, copied by Trunk).

use kaifang_core::catalog::Portal;
use std::io::Write;

/// The theme colour (style/main.css `--accent`).
pub const THEME: &str = "#0b5cad";
const ACCENT: [u8; 3] = [0x0b, 0x5c, 0xad];

/// `manifest.webmanifest` for `portal`.
pub fn manifest(portal: &Portal) -> String {
    let short = kaifang_web::i18n::lookup(kaifang_web::i18n::Lang::Zh, "app.short_name");
    serde_json::to_string_pretty(&serde_json::json!({
        "name": portal.name,
        "short_name": short,
        "description": kaifang_web::i18n::lookup(kaifang_web::i18n::Lang::Zh, "app.footer.about"),
        "lang": "zh-CN",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            { "src": "/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any" },
            { "src": "/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any" },
            { "src": "/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable" }
        ]
    }))
    .expect("a JSON value serialises")
}

/// The icon files: (name, PNG bytes).
pub fn icons() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("icon-192.png", icon(192, false)),
        ("icon-512.png", icon(512, false)),
        ("icon-maskable-512.png", icon(512, true)),
    ]
}

/// A table on the theme colour: a rounded square (the whole square for a maskable icon,
/// whose corners the system cuts), white header bar and rows inside the safe zone.
fn icon(size: u32, maskable: bool) -> Vec<u8> {
    let s = size as f32;
    let radius = if maskable { 0.0 } else { s * 0.18 };
    // Maskable icons keep their drawing within the middle 80 %.
    let (x0, x1) = if maskable { (s * 0.28, s * 0.72) } else { (s * 0.2, s * 0.8) };
    let bars = [(0.24, 0.36), (0.44, 0.50), (0.58, 0.64), (0.72, 0.78)];
    let scale = |v: f32| if maskable { s * (0.5 + (v - 0.5) * 0.74) } else { s * v };
    let mut raw = Vec::with_capacity((size * (size * 4 + 1)) as usize);
    for y in 0..size {
        raw.push(0); // filter: none
        for x in 0..size {
            let (fx, fy) = (x as f32 + 0.5, y as f32 + 0.5);
            let inside = in_rounded(fx, fy, s, radius);
            let bar = fx >= x0 && fx < x1 && bars.iter().any(|&(a, b)| fy >= scale(a) && fy < scale(b));
            let px = match (inside, bar) {
                (false, _) => [0, 0, 0, 0],
                (true, true) => [255, 255, 255, 255],
                (true, false) => [ACCENT[0], ACCENT[1], ACCENT[2], 255],
            };
            raw.extend_from_slice(&px);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    z.write_all(&raw).expect("writing to memory");
    let idat = z.finish().expect("writing to memory");
    let mut ihdr = size.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&size.to_be_bytes());
    ihdr.extend_from_slice(&[8, 6, 0, 0, 0]); // 8-bit RGBA
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(b"IHDR", ihdr), (b"IDAT", idat), (b"IEND", vec![])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let typed: Vec<u8> = kind.iter().chain(&data).copied().collect();
        png.extend_from_slice(&typed);
        png.extend_from_slice(&kaifang_core::zip::crc32(&typed).to_be_bytes());
    }
    png
}

fn in_rounded(x: f32, y: f32, s: f32, r: f32) -> bool {
    let cx = x.clamp(r, s - r);
    let cy = y.clamp(r, s - r);
    (x - cx).powi(2) + (y - cy).powi(2) <= r * r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn icons_are_pngs_of_their_size_and_the_manifest_names_them() {
        for (name, png) in icons() {
            assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}");
            let size = u32::from_be_bytes(png[16..20].try_into().unwrap());
            assert!(name.contains(&size.to_string()), "{name} is {size} px");
        }
        let portal: Portal = serde_json::from_value(serde_json::json!({
            "name": "示例市公共数据开放平台", "url": "https://example.org", "publisher": "x", "jurisdiction": "yunnan",
            "intake": "/api/v1", "default_license": "x"
        }))
        .unwrap_or_else(|_| panic!("a portal"));
        let m: serde_json::Value = serde_json::from_str(&manifest(&portal)).unwrap();
        assert_eq!(m["display"], "standalone");
        assert_eq!(m["start_url"], "/");
        assert_eq!(m["icons"].as_array().unwrap().len(), 3);
    }
}
