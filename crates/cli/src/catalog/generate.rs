//! `kaifang catalog generate-large`: the sample portal's one large file (T3), a
//! deterministic 全市公交刷卡记录 CSV of about 144 MB, generated rather than committed.
//! Its size and sha256 are recorded in `examples/portal/datasets/jt-bus-card-records.toml`,
//! so `catalog check` also proves the generator still writes the same bytes.

use anyhow::Context;
use std::io::Write;
use std::path::{Path, PathBuf};

pub const DEFAULT_ROWS: u64 = 1_500_000;
/// Where the file goes, relative to the source folder (git-ignored).
pub const RELATIVE_PATH: &str = "generated/bus-card-records.csv";

const LINES: [(&str, &[&str]); 8] = [
    ("1路", &["火车站", "人民广场", "市第一人民医院", "东风路口", "五一商场", "北京路口", "动物园"]),
    ("2路", &["南部客运站", "大学城北门", "职教中心", "滇池路口", "金碧广场", "正义坊"]),
    ("5路", &["东城体育馆", "东城区政府", "春城路口", "世纪城", "国际会展中心"]),
    ("12路", &["西山公园", "第二中学", "学府路口", "滨江公园", "市图书馆", "市博物馆", "西站"]),
    ("23路", &["机场大巴站", "官渡古镇", "关上中路", "塘双路口", "新螺蛳湾"]),
    ("K8路", &["高新区管委会", "科技园", "软件园", "海源寺", "眠山"]),
    ("68路", &["北部汽车站", "白龙路口", "圆通山", "翠湖", "云南大学", "文林街"]),
    ("101路", &["呈贡新区", "大学城南门", "斗南花市", "呈贡地铁站", "雨花路口"]),
];

/// (card type, fare in fen before discount rules, share in per mille)
const CARDS: [(&str, u32); 5] = [("普通卡", 200), ("学生卡", 100), ("老年卡", 0), ("爱心卡", 0), ("移动支付", 180)];

/// A small, fast, reproducible generator (xorshift64*): the same seed gives the same file
/// on every machine, which is what lets the description record its checksum.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Writes `rows` records (plus a header) to `out`.
pub fn write_records(out: &mut impl Write, rows: u64) -> std::io::Result<()> {
    writeln!(out, "交易流水号,交易时间,卡号,卡类型,线路,车辆编号,上车站点,交易金额(元)")?;
    let mut rng = Rng(0x4B41_4946_414E_4721);
    // Spread rows over October 2026, service hours 06:00–22:59, in time order.
    let days = 31u64;
    let seconds_per_day = 17 * 3600;
    let total = days * seconds_per_day;
    for i in 0..rows {
        let t = i * total / rows.max(1);
        let (day, sec) = (t / seconds_per_day + 1, t % seconds_per_day + 6 * 3600);
        let (line, stops) = LINES[rng.below(LINES.len() as u64) as usize];
        let stop = stops[rng.below(stops.len() as u64) as usize];
        let roll = rng.below(1000);
        let (card, fare) = match roll {
            0..=559 => CARDS[0],
            560..=699 => CARDS[1],
            700..=819 => CARDS[2],
            820..=839 => CARDS[3],
            _ => CARDS[4],
        };
        let card_no = rng.below(100_000_000);
        let bus = rng.below(2000) + 1;
        writeln!(
            out,
            "202610{day:02}{i:010},2026-10-{day:02} {:02}:{:02}:{:02},5301****{:04},{card},{line},云A{bus:05},{stop},{}.{:02}",
            sec / 3600,
            sec % 3600 / 60,
            sec % 60,
            card_no % 10_000,
            fare / 100,
            fare % 100,
        )?;
    }
    Ok(())
}

/// Writes the file under `source/generated/`, via a temporary name so a reader never sees
/// half a file.
pub fn write_bus_card_records(source: &Path, rows: u64) -> anyhow::Result<PathBuf> {
    let path = source.join(RELATIVE_PATH);
    let dir = path.parent().expect("relative path has a folder");
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let tmp = path.with_extension("csv.part");
    let file = std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    write_records(&mut out, rows)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_deterministic_and_well_formed() {
        let mut a = Vec::new();
        let mut b = Vec::new();
        write_records(&mut a, 1000).unwrap();
        write_records(&mut b, 1000).unwrap();
        assert_eq!(a, b);
        let text = String::from_utf8(a).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 1001);
        assert!(lines.iter().all(|l| l.split(',').count() == 8));
        assert!(lines[1].starts_with("2026100100"));
        assert!(lines[1000].contains("2026-10-31"));
    }
}
