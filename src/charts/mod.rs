//! Charts (MISSION B7): the panel on the dataset page, drawing prepared data with plotters
//! on canvas and to SVG, and the column data they draw from.
#[cfg(target_arch = "wasm32")]
pub mod bench;
mod controls;
pub mod draw;
pub mod large;
pub mod panel;
pub mod table;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::draw::*;
    use kaifang_core::chart::{bars, histogram, Aggregate, ChartKind, Prepared};

    fn text<'a>(attribution: &'a str) -> ChartText<'a> {
        ChartText {
            title: "公交车线路站点信息", x: "线路名称", y: "站点数", others: "其他", attribution
        }
    }

    #[test]
    fn svg_export_carries_chinese_labels_and_the_attribution() {
        let cats: Vec<String> = ["1路", "1路", "2路"].iter().map(|s| s.to_string()).collect();
        let data = Prepared::Bars(bars(&cats, None, Aggregate::Count, 30));
        let line = "数据来源：示例市交通运输局《公交车线路站点信息》，示例市公共数据开放平台（https://data.example.gov.cn/datasets/jt-bus-stops），获取日期：2026-11-23";
        let svg = to_svg(&data, &text(line), (800, 500)).unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..80]);
        assert!(svg.contains("1路") && svg.contains("2路") && svg.contains("线路名称"));
        // The long line is wrapped in two, both inside the image.
        let parts = wrap_attribution(line, 800, 12);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts.concat().replace(' ', ""), line.replace(' ', ""));
        for p in &parts {
            assert!(svg.contains(p.as_str()), "missing {p}");
        }
        assert!(svg.contains("获取日期：2026-11-23"));
        // On a phone-width chart it takes more lines, each within the width, nothing lost.
        let narrow = wrap_attribution(line, 320, 12);
        assert!(narrow.len() >= 4, "{narrow:?}");
        assert_eq!(narrow.concat().replace(' ', ""), line.replace(' ', ""));
        for l in &narrow {
            let est: f64 = l.chars().map(|c| if c.is_ascii() { 6.6 } else { 12.0 }).sum();
            assert!(est <= 304.0, "{l} is {est} px wide");
        }
    }

    #[test]
    fn svg_of_histogram_and_line_draws() {
        let values: Vec<f64> = (0..1000).map(|i| (i % 37) as f64).collect();
        let h = Prepared::Histogram { bins: histogram(&values, 0), skipped: 0 };
        let svg = to_svg(&h, &text("数据来源：测试"), (640, 400)).unwrap();
        assert!(svg.matches("<rect").count() >= 5);
        let pts: Vec<(f64, f64)> = (0..100).map(|i| (20000.0 + i as f64, i as f64)).collect();
        let l = Prepared::Xy { kind: ChartKind::Line, points: pts, total: 100, skipped: 0, x_temporal: true };
        let svg = to_svg(&l, &text("数据来源：测试"), (640, 400)).unwrap();
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("2024-"), "day numbers shown as dates");
    }

    #[test]
    fn numbers_on_axes() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(0.1 + 0.2), "0.3");
        assert_eq!(format_number(-2.5), "-2.5");
        assert_eq!(format_number(123456789.0), "1.23e8");
        let noon = kaifang_core::chart::parse_temporal("2026-10-01 12:30").unwrap();
        assert_eq!(format_day_time(noon), "10-01 12:30");
    }
}
