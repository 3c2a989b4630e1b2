//! A portal's own catalog list → source folder: the 开放目录 / 资源目录 spreadsheet (XLSX, or
//! CSV in any encoding the preview reads), one dataset per row, with Chinese column headers
//! as portals publish them. Title lines above the header and notes below are skipped as in
//! a preview (`kaifang_core::table::shape`).
//!
//! Columns are found by name: each field has the names portals use (`HEADERS`), and the
//! rules file's `[sheet]` section adds a portal's own (`title = ["目录名称（中文）"]`), so
//! no code changes for a new spreadsheet. Values are read as a person wrote them: 无条件开放 /
//! 普遍开放, 每月 / 月度, 2023年5月1日, 二级 … What cannot be read is left out and noted, so
//! `check` and the report's table list it.

use super::{date_part, department, make_id, portal, Draft, Imported};
use anyhow::{bail, Context};
use kaifang_core::table::xlsx::parse_xlsx_table;
use kaifang_core::table::{ReaderOptions, Table};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// The names each field goes by, in the order they are tried.
pub const HEADERS: &[(&str, &[&str])] = &[
    ("id", &["资源代码", "目录代码", "资源编码", "目录编码", "资源编号", "目录编号", "标识符"]),
    ("title", &["资源名称", "数据目录名称", "目录名称", "数据资源名称", "数据集名称", "数据名称", "名称"]),
    ("title_en", &["英文名称"]),
    ("description", &["资源摘要", "摘要", "数据摘要", "资源描述", "描述", "简介", "内容描述"]),
    (
        "publisher",
        &["数源部门", "数据提供单位", "提供单位", "资源提供方", "数据提供方", "责任部门", "来源部门", "部门"],
    ),
    ("open", &["开放属性", "开放类型", "开放方式", "共享开放属性"]),
    ("conditions", &["开放条件"]),
    ("legal_basis", &["开放依据", "不予开放依据", "法律依据", "有条件开放依据"]),
    ("accrual_periodicity", &["更新频率", "更新周期", "更新频度"]),
    ("theme", &["数据领域", "所属领域", "领域", "主题分类", "资源分类"]),
    ("formats", &["数据格式", "资源格式", "文件格式"]),
    ("fields", &["数据项", "信息项", "字段"]),
    ("issued", &["发布日期", "发布时间", "上线日期", "首次发布日期"]),
    ("modified", &["更新日期", "更新时间", "最近更新", "最后更新日期"]),
    ("keywords", &["关键字", "关键词", "标签"]),
    ("security_level", &["安全级别", "安全等级", "数据分级", "分级"]),
    ("region", &["行政区划", "所属地区", "覆盖地区", "区域"]),
    ("contact", &["联系人", "联系方式名称"]),
    ("phone", &["联系电话", "电话"]),
    ("email", &["联系邮箱", "电子邮箱", "邮箱"]),
    ("license", &["许可协议", "开放协议", "授权协议"]),
    ("usage_requirements", &["使用要求"]),
    ("spatial", &["空间范围"]),
];

/// Which column holds which field: the rules' names first, then the built-in ones.
fn column_map(
    columns: &[String],
    extra: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<BTreeMap<&'static str, usize>> {
    if let Some(k) = extra.keys().find(|k| !HEADERS.iter().any(|(f, _)| f == k)) {
        bail!(
            "[sheet] `{k}`: not a field of the catalog list ({})",
            HEADERS.iter().map(|(f, _)| *f).collect::<Vec<_>>().join(" ")
        );
    }
    let find = |name: &str| columns.iter().position(|c| c.trim() == name);
    let mut map = BTreeMap::new();
    for (field, names) in HEADERS {
        let own = extra.get(*field).into_iter().flatten().map(String::as_str);
        if let Some(i) = own.chain(names.iter().copied()).find_map(find) {
            map.insert(*field, i);
        }
    }
    if !map.contains_key("title") {
        bail!(
            "no title column: expected one of {} (or name yours in the rules' [sheet] title = [\"…\"])",
            HEADERS[1].1.join(" ")
        );
    }
    Ok(map)
}

/// Reads the sheet (XLSX by extension, else delimited text) as a table.
fn read_table(input: &Path) -> anyhow::Result<Table> {
    let bytes = std::fs::read(input).with_context(|| format!("reading {}", input.display()))?;
    let xlsx = input.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if xlsx {
        return Ok(parse_xlsx_table(&bytes, None, None).with_context(|| format!("reading {}", input.display()))?.table);
    }
    let (t, _, _) = Table::from_csv_bytes(&bytes, ReaderOptions::default())
        .with_context(|| format!("reading {}", input.display()))?;
    Ok(t)
}

pub fn import(input: &Path, extra: &BTreeMap<String, Vec<String>>) -> anyhow::Result<Imported> {
    let table = read_table(input)?;
    let map = column_map(&table.columns, extra)?;
    let mut notes = Vec::new();
    let portal = portal(None, None, None, None, &mut notes);
    let found: Vec<String> = map.iter().map(|(f, i)| format!("{f} ← “{}”", table.columns[*i])).collect();
    notes.push(format!("columns read: {}", found.join(", ")));
    let unused: Vec<&str> =
        (0..table.columns.len()).filter(|i| !map.values().any(|v| v == i)).map(|i| table.columns[i].as_str()).collect();
    if !unused.is_empty() {
        notes.push(format!("columns not mapped: {}", unused.join(", ")));
    }
    let mut taken = HashSet::new();
    let mut datasets = Vec::new();
    for (i, row) in table.rows.iter().enumerate() {
        let cell = |f: &str| map.get(f).and_then(|&c| row.get(c)).map(|s| s.trim()).filter(|s| !s.is_empty());
        if cell("title").is_none() {
            if row.iter().any(|c| !c.trim().is_empty()) {
                notes.push(format!("row {}: no title; skipped", i + 1));
            }
            continue;
        }
        datasets.push(dataset(&cell, i + 1, &mut taken));
    }
    Ok(Imported { portal, datasets, notes })
}

fn dataset<'a>(cell: &dyn Fn(&str) -> Option<&'a str>, row: usize, taken: &mut HashSet<String>) -> Draft {
    let title = cell("title").unwrap_or_default();
    let mut d = Draft::new(format!("row {row}: {title}"));
    let code = cell("id").unwrap_or("");
    let id = make_id(code, title, taken);
    d.set("id", json!(id));
    for key in ["title", "title_en", "description", "theme", "license", "usage_requirements", "spatial"] {
        d.text(key, cell(key));
    }
    let keywords = split_list(cell("keywords"));
    if !keywords.is_empty() {
        d.set("keywords", json!(keywords));
    }
    if let Some(name) = cell("publisher") {
        d.set("publisher", department(None, name));
    }
    open(&mut d, cell);
    if let Some(f) = cell("accrual_periodicity") {
        match frequency(f) {
            Some(v) => d.set("accrual_periodicity", json!(v)),
            None => {
                d.note(format!("更新频率 “{f}”: not a known frequency; left out"));
                d.unread_frequency = Some(f.to_string());
            }
        }
    }
    if let Some(s) = cell("security_level") {
        match security_level(s) {
            Some(l) => d.set("security_level", json!(l)),
            None => d.note(format!("安全级别 “{s}”: not a level 1–4; left out")),
        }
    }
    if let Some(r) = cell("region") {
        region(&mut d, r);
    }
    for (key, what) in [("issued", "发布日期"), ("modified", "更新日期")] {
        if let Some(v) = cell(key) {
            match chinese_date(v) {
                Some(date) => d.set(key, json!(date)),
                None => d.note(format!("{what} “{v}”: not a date; left out")),
            }
        }
    }
    if !d.has("modified") {
        if let Some(i) = d.get("issued").cloned() {
            d.set("modified", i);
            d.note("更新日期: not given; the release date is used");
        }
    }
    contact(&mut d, cell);
    let fields: Vec<Value> =
        split_list(cell("fields")).into_iter().map(|f| json!({"name": f, "label": f, "type": "string"})).collect();
    if !fields.is_empty() {
        d.note(format!("数据项: {} fields listed, typed `string` (set their types by hand)", fields.len()));
        d.set("fields", json!(fields));
    }
    if let Some(f) = cell("formats") {
        d.note(format!("数据格式 “{f}”: no files are listed in a catalog list; add them under [[files]] or links"));
    }
    d.set("version", json!("1.0"));
    d
}

/// 开放属性 with its conditions and basis.
fn open<'a>(d: &mut Draft, cell: &dyn Fn(&str) -> Option<&'a str>) {
    let Some(text) = cell("open") else { return };
    let kind = match text {
        t if t.contains("不予") || t.contains("不开放") => "closed",
        t if t.contains("有条件") || t.contains("授权") || t.contains("依申请") => "conditional",
        t if t.contains("无条件") || t.contains("普遍") => "unconditional",
        other => {
            d.note(format!("开放属性 “{other}”: not 无条件/有条件/不予开放; left out"));
            return;
        }
    };
    let mut o = json!({"kind": kind});
    if kind != "unconditional" {
        if let Some(b) = cell("legal_basis") {
            o["legal_basis"] = json!(b);
        }
    }
    let conditions = split_list(cell("conditions"));
    if kind == "conditional" && !conditions.is_empty() {
        o["conditions"] = json!(conditions);
    }
    d.set("open", o);
}

/// 联系人 with phone and e-mail; without a name the source department is the contact.
fn contact<'a>(d: &mut Draft, cell: &dyn Fn(&str) -> Option<&'a str>) {
    let department = d.get("publisher").and_then(|p| p["name"].as_str()).map(String::from);
    let name = match (cell("contact"), department) {
        (Some(n), _) => n.to_string(),
        (None, Some(dep)) => {
            d.note("联系人: not given; the source department is the contact");
            dep
        }
        (None, None) => return,
    };
    let mut c = json!({"name": name});
    if let Some(p) = cell("phone") {
        c["phone"] = json!(p);
    }
    if let Some(e) = cell("email") {
        c["email"] = json!(e);
    }
    d.set("contact_point", c);
}

/// Items of a list cell: separated by Chinese or ASCII commas, semicolons, 、 or line breaks.
fn split_list(s: Option<&str>) -> Vec<String> {
    s.unwrap_or("")
        .split([',', '，', ';', '；', '、', '\n'])
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

/// 更新频率 as portals write it, or any form `vocab` reads (R/P1M, monthly …).
pub fn frequency(s: &str) -> Option<&'static str> {
    let t = s.trim().trim_start_matches('每').trim_end_matches("更新");
    Some(match t {
        "实时" | "秒" | "分钟" | "小时" => "realtime",
        "日" | "天" | "日度" => "daily",
        "周" | "星期" => "weekly",
        "月" | "月度" => "monthly",
        "季" | "季度" => "quarterly",
        "半年" | "半年度" => "half_yearly",
        "年" | "年度" => "yearly",
        "不定期" | "按需" => "irregular",
        "一次性" | "不更新" | "静态" => "once",
        _ => return super::super::vocab::frequency_from_any(s).map(|f| f.as_str()),
    })
}

/// 安全级别: `2`, `二级`, `第二级`, `L2`.
fn security_level(s: &str) -> Option<u8> {
    let t = s.trim().trim_start_matches(['第', 'L', 'l']).trim_end_matches('级');
    let n = match t {
        "一" => 1,
        "二" => 2,
        "三" => 3,
        "四" => 4,
        d => d.parse().ok()?,
    };
    (1..=4).contains(&n).then_some(n)
}

/// A region name; its level from the name's ending (省/市/区县/乡镇街道), noted as a guess.
fn region(d: &mut Draft, name: &str) {
    let level = match name {
        n if n.ends_with('省') || n.ends_with("自治区") => "province",
        n if n.ends_with('县') || n.ends_with('区') || n.ends_with("旗") => "county",
        n if n.ends_with('乡') || n.ends_with('镇') || n.ends_with("街道") => "township",
        n if n.ends_with('市') || n.ends_with('州') || n.ends_with("盟") => "city",
        other => {
            d.note(format!("行政区划 “{other}”: level unknown; region left out"));
            return;
        }
    };
    d.set("region", json!({"name": name, "level": level}));
}

/// `2023-05-01`, `2023/5/1`, `2023.5.1`, `2023年5月1日` (with or without a time after it).
pub fn chinese_date(s: &str) -> Option<String> {
    let head = s.trim().split([' ', 'T']).next()?;
    let parts: Vec<&str> = head.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let [y, m, d] = parts.as_slice() else { return date_part(head) };
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    date_part(&format!("{y:04}-{m:02}-{d:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_as_people_write_them() {
        assert_eq!(frequency("每月"), Some("monthly"));
        assert_eq!(frequency("季度"), Some("quarterly"));
        assert_eq!(frequency("实时更新"), Some("realtime"));
        assert_eq!(frequency("R/P1Y"), Some("yearly"));
        assert_eq!(frequency("看情况"), None);
        assert_eq!(security_level("二级"), Some(2));
        assert_eq!(security_level("第3级"), Some(3));
        assert_eq!(security_level("五级"), None);
        assert_eq!(chinese_date("2023年5月1日").as_deref(), Some("2023-05-01"));
        assert_eq!(chinese_date("2023/5/1 08:00").as_deref(), Some("2023-05-01"));
        assert_eq!(chinese_date("2023-02-30"), None);
        assert_eq!(split_list(Some("姓名、性别；年龄,住址\n电话")), ["姓名", "性别", "年龄", "住址", "电话"]);
    }

    #[test]
    fn columns_by_built_in_and_own_names() {
        let cols: Vec<String> = ["序号", "目录名称（中文）", "数据提供单位", "开放类型"].map(String::from).to_vec();
        assert!(column_map(&cols, &BTreeMap::new()).is_err(), "no title column");
        let own = BTreeMap::from([("title".to_string(), vec!["目录名称（中文）".to_string()])]);
        let map = column_map(&cols, &own).unwrap();
        assert_eq!((map["title"], map["publisher"], map["open"]), (1, 2, 3));
        let typo = BTreeMap::from([("titel".to_string(), vec!["x".to_string()])]);
        assert!(column_map(&cols, &typo).is_err());
    }
}
