//! Relevance suite: queries a person would type, with the results a person expects,
//! over a small catalog of realistic Chinese datasets (titles and descriptions in the
//! style of municipal portals). Runs the whole path: build the index, then search
//! through the index files as the app does.

use kaifang_core::catalog::Dataset;
use kaifang_core::search::{build_index, local, SearchState};
use std::collections::HashMap;

/// (id, title, English title, keywords, theme, department, description)
const CORPUS: &[(&str, &str, &str, &[&str], &str, &str, &str)] = &[
    (
        "jt-bus",
        "公交车线路站点信息",
        "Bus routes and stops",
        &["公交", "站点"],
        "交通出行",
        "交通运输局",
        "城区公交车线路及站点名称、位置、首末班时间。",
    ),
    (
        "jt-card",
        "公交卡充值网点",
        "Transit card top-up points",
        &["一卡通"],
        "交通出行",
        "交通运输局",
        "公交一卡通充值和办理网点地址。",
    ),
    (
        "jt-metro",
        "轨道交通运营线路",
        "Metro lines",
        &["地铁"],
        "交通出行",
        "轨道交通集团",
        "已开通运营的地铁线路、车站和换乘信息。",
    ),
    (
        "jt-park",
        "公共停车场泊位信息",
        "Public parking",
        &["停车"],
        "交通出行",
        "交通运输局",
        "公共停车场位置、泊位数和收费标准。",
    ),
    (
        "dl-line",
        "电力线路巡检记录",
        "Power line inspections",
        &["电网"],
        "能源环境",
        "供电局",
        "高压电力线路巡检日期、巡检结果和缺陷处理情况。",
    ),
    (
        "yb-fund",
        "医疗保障基金结算明细",
        "Medical insurance settlements",
        &["结算"],
        "医疗卫生",
        "医疗保障局",
        "定点医疗机构医疗保障基金结算数据（已脱敏）。",
    ),
    (
        "yb-points",
        "定点医药机构名录",
        "Designated pharmacies and hospitals",
        &["定点"],
        "医疗卫生",
        "医疗保障局",
        "纳入医疗保障定点管理的医院、诊所和药店。",
    ),
    (
        "ws-hosp",
        "医院基本信息",
        "Hospitals",
        &["医院"],
        "医疗卫生",
        "卫生健康委员会",
        "全市医院名称、等级、地址和床位数。",
    ),
    (
        "gjj-pay",
        "住房公积金缴存情况",
        "Housing provident fund contributions",
        &["缴存"],
        "社会民生",
        "住房公积金管理中心",
        "按月统计的住房公积金缴存人数和金额。",
    ),
    (
        "gjj-loan",
        "住房公积金贷款发放",
        "Provident fund loans",
        &["贷款"],
        "社会民生",
        "住房公积金管理中心",
        "住房公积金个人住房贷款发放笔数和金额。",
    ),
    (
        "hb-air",
        "空气质量日报",
        "Daily air quality",
        &["AQI", "环境"],
        "生态环境",
        "生态环境局",
        "各监测站点每日空气质量指数、首要污染物。",
    ),
    (
        "hb-water",
        "地表水水质监测",
        "Surface water quality",
        &["水质"],
        "生态环境",
        "生态环境局",
        "主要河流断面水质类别和监测指标。",
    ),
    (
        "jy-school",
        "中小学校名录",
        "Primary and secondary schools",
        &["学校", "教育"],
        "教育文化",
        "教育局",
        "全市中小学校名称、地址、办学性质和学段。",
    ),
    (
        "jy-kinder",
        "幼儿园信息",
        "Kindergartens",
        &["学前教育"],
        "教育文化",
        "教育局",
        "幼儿园名称、地址、班级数；学校类型为学前教育。",
    ),
    (
        "yj-shelter",
        "应急避难场所分布",
        "Emergency shelters",
        &["避难场所", "防汛"],
        "公共安全",
        "应急管理局",
        "避难场所名称、位置、容纳人数。",
    ),
    (
        "sc-license",
        "企业登记信息",
        "Company registrations",
        &["营业执照", "市场主体"],
        "市场监管",
        "市场监督管理局",
        "企业名称、统一社会信用代码、登记机关和成立日期。",
    ),
    (
        "sc-food",
        "食品经营许可",
        "Food business licences",
        &["食品安全"],
        "市场监管",
        "市场监督管理局",
        "食品经营许可证编号、经营场所和有效期。",
    ),
    (
        "rs-job",
        "招聘岗位信息",
        "Job vacancies",
        &["就业"],
        "社会民生",
        "人力资源和社会保障局",
        "用人单位发布的招聘岗位、人数和薪资范围。",
    ),
    (
        "rs-ins",
        "社会保险参保人数",
        "Social insurance enrolment",
        &["参保"],
        "社会民生",
        "人力资源和社会保障局",
        "养老、失业、工伤等社会保险参保人数。",
    ),
    (
        "jt-stats",
        "交通运输统计年报",
        "Transport statistics yearbook",
        &["统计"],
        "交通出行",
        "交通运输局",
        "客运量、货运量和道路里程的年度统计。",
    ),
    (
        "wh-lib",
        "公共图书馆开放时间",
        "Public library hours",
        &["图书馆"],
        "教育文化",
        "文化和旅游局",
        "公共图书馆地址、开放时间和借阅规则。",
    ),
];

fn dataset(i: usize) -> Dataset {
    let (id, title, title_en, keywords, theme, dept, description) = CORPUS[i];
    serde_json::from_value(serde_json::json!({
        "id": id, "title": title, "title_en": title_en, "description": description,
        "keywords": keywords, "theme": theme,
        "publisher": { "id": format!("dept-{dept}"), "name": format!("示例市{dept}") },
        "region": { "name": "示例市", "level": "city" },
        "open": { "kind": "unconditional" }, "security_level": 1,
        "accrual_periodicity": "monthly", "issued": "2024-01-01",
        "modified": format!("2026-{:02}-01", 1 + i % 12),
        "license": "CC-BY-4.0", "contact_point": { "name": "数据中心" }, "version": "1.0",
        "emergency": id == "yj-shelter",
    }))
    .expect("corpus dataset parses")
}

struct Suite {
    manifest: kaifang_core::search::SearchManifest,
    files: HashMap<String, Vec<u8>>,
}

impl Suite {
    fn new() -> Suite {
        let datasets: Vec<Dataset> = (0..CORPUS.len()).map(dataset).collect();
        let built = build_index(&datasets, &[], "search/test");
        Suite { manifest: built.manifest, files: built.files.into_iter().collect() }
    }
    /// Ids of the results of `q`, best first.
    fn ids(&self, q: &str) -> Vec<String> {
        let state = SearchState { q: q.into(), page: 1, ..Default::default() };
        let (_, summaries) = local::search(&self.manifest, &state, &|p| self.files.get(p).cloned()).unwrap();
        summaries.into_iter().map(|s| s.id).collect()
    }
}

fn rank(ids: &[String], id: &str) -> usize {
    ids.iter().position(|x| x == id).unwrap_or_else(|| panic!("{id} not among results {ids:?}"))
}

/// MISSION B3 (Yunnan 21, Xiangxi 44): emergency (突发事件) data come first in the catalog's
/// default order, ahead of datasets updated more recently.
#[test]
fn emergency_datasets_come_first_b3() {
    let suite = Suite::new();
    let ids = suite.ids("");
    assert_eq!(ids.first().map(String::as_str), Some("yj-shelter"), "{ids:?}");
    // Not by date: the next one is the most recently updated, which the shelter is not.
    let newest = (0..CORPUS.len()).max_by_key(|&i| (1 + i % 12, std::cmp::Reverse(i))).unwrap();
    assert_ne!(CORPUS[newest].0, "yj-shelter");
    assert_eq!(ids[1], CORPUS[newest].0, "{ids:?}");
}

#[test]
fn query_finds_its_words_in_a_longer_title() {
    let s = Suite::new();
    let ids = s.ids("公交线路");
    assert_eq!(ids[0], "jt-bus", "公交车线路站点信息 is what 公交线路 asks for: {ids:?}");
    assert!(!ids.contains(&"dl-line".to_string()), "电力线路 shares only 线路: {ids:?}");
}

#[test]
fn abbreviations_find_full_names() {
    let s = Suite::new();
    let ids = s.ids("医保");
    assert!(rank(&ids, "yb-fund") < 2 && rank(&ids, "yb-points") < 2, "医保 means 医疗保障: {ids:?}");
    assert!(!ids.contains(&"ws-hosp".to_string()), "a hospital list is not 医保 data: {ids:?}");
    let ids = s.ids("公积金");
    assert_eq!(ids.len(), 2, "{ids:?}");
    let ids = s.ids("地铁线路");
    assert_eq!(ids[0], "jt-metro", "地铁 is 轨道交通: {ids:?}");
    let ids = s.ids("社保");
    assert_eq!(ids[0], "rs-ins", "社保 is 社会保险: {ids:?}");
}

#[test]
fn title_matches_rank_above_passing_mentions() {
    let s = Suite::new();
    let ids = s.ids("学校");
    assert!(rank(&ids, "jy-school") < rank(&ids, "jy-kinder"), "{ids:?}");
    let ids = s.ids("公交");
    assert!(rank(&ids, "jt-bus") < 2 && rank(&ids, "jt-card") < 2, "{ids:?}");
    let ids = s.ids("水质");
    assert_eq!(ids, vec!["hb-water"]);
}

#[test]
fn english_queries_use_english_titles() {
    let s = Suite::new();
    assert_eq!(s.ids("bus stops")[0], "jt-bus");
    assert_eq!(s.ids("Schools")[0], "jy-school");
    assert_eq!(s.ids("AQI")[0], "hb-air");
}

#[test]
fn mixed_and_partial_queries() {
    let s = Suite::new();
    // 3 of 4 characters covered is enough for a four-character query…
    // (停车场所: 停车 + 车场 cover 停车场, 场所 never occurs.)
    assert_eq!(s.ids("停车场所"), vec!["jt-park"]);
    // …and a department name finds its datasets.
    let ids = s.ids("住房公积金管理中心");
    assert_eq!(ids.len(), 2, "{ids:?}");
    // A single character works (as the user starts typing).
    assert!(s.ids("医").contains(&"ws-hosp".to_string()));
    // Nothing matches nonsense.
    assert!(s.ids("量子引力").is_empty());
}

#[test]
fn the_word_being_typed_finds_its_completions() {
    let s = Suite::new();
    // As-you-type: "transp" is half of "Transport"; "transi" of "Transit".
    assert_eq!(s.ids("transp"), vec!["jt-stats"]);
    assert_eq!(s.ids("transi"), vec!["jt-card"]);
    let ids = s.ids("trans");
    assert_eq!(ids.len(), 2, "Transport and Transit: {ids:?}");
    // Only the last word may still be being typed: an earlier one must be whole.
    assert_eq!(s.ids("stat yearb"), Vec::<String>::new(), "no word is stat");
    assert_eq!(s.ids("statistic yearb"), vec!["jt-stats"]);
    assert_eq!(s.ids("transport statis"), vec!["jt-stats"]);
    // "Hospitals" and "Designated pharmacies and hospitals": "hosp" finds both.
    let ids = s.ids("hosp");
    assert_eq!(ids.len(), 2, "{ids:?}");
    // Chinese and a half-typed English word together.
    assert_eq!(s.ids("交通 transp"), vec!["jt-stats"]);
}

#[test]
fn a_query_matching_every_dataset_needs_no_table_chunk() {
    use kaifang_core::search::Facet;
    use std::cell::RefCell;
    let s = Suite::new();
    // Every dataset is in 示例市, so 示例 matches all of them.
    let read = RefCell::new(Vec::new());
    let search = |state: &SearchState| {
        read.borrow_mut().clear();
        local::search(&s.manifest, state, &|p| {
            read.borrow_mut().push(p.to_string());
            s.files.get(p).cloned()
        })
        .unwrap()
    };
    let plain = SearchState { q: "示例".into(), page: 1, ..Default::default() };
    let (fast, fast_items) = search(&plain);
    assert_eq!(fast.total, CORPUS.len());
    assert!(!read.borrow().iter().any(|p| p.contains("/d/")), "no table chunk read: {:?}", read.borrow());
    // The same answer as counting over the tables: a filter every dataset passes forces that path.
    let mut filtered = plain.clone();
    filtered.filters.insert(Facet::Open, vec!["unconditional".into()]);
    let (slow, slow_items) = search(&filtered);
    assert!(read.borrow().iter().any(|p| p.contains("/d/")));
    assert_eq!((fast.total, &fast.page_docs, &fast.facet_counts), (slow.total, &slow.page_docs, &slow.facet_counts));
    assert_eq!(fast_items, slow_items);
}

#[test]
fn sort_keys_are_read_only_for_orders_that_need_them() {
    use kaifang_core::search::SortOrder;
    use std::cell::RefCell;
    let s = Suite::new();
    let read = RefCell::new(Vec::<String>::new());
    let search = |state: &SearchState| {
        read.borrow_mut().clear();
        let (_, items) = local::search(&s.manifest, state, &|p| {
            read.borrow_mut().push(p.to_string());
            s.files.get(p).cloned()
        })
        .unwrap();
        let order_parts = read.borrow().iter().filter(|p| p.contains("/o/")).count();
        (items, order_parts)
    };
    // Relevance order: facet parts only.
    let (_, order_parts) = search(&SearchState { q: "公交".into(), page: 1, ..Default::default() });
    assert_eq!(order_parts, 0, "{:?}", read.borrow());
    // Title order: the sort keys are read and used.
    let by_title = SearchState { q: "公交".into(), sort: SortOrder::Title, page: 1, ..Default::default() };
    let (items, order_parts) = search(&by_title);
    assert!(order_parts > 0);
    let titles: Vec<String> = items.iter().map(|i| i.title.clone()).collect();
    let mut sorted = titles.clone();
    sorted.sort();
    assert_eq!(titles, sorted);
    assert!(titles.len() >= 2);
    // Newest first: each modified date not after the one before.
    let by_date = SearchState { q: "示例".into(), sort: SortOrder::Modified, page: 1, ..Default::default() };
    let (items, _) = search(&by_date);
    assert!(
        items.windows(2).all(|w| w[0].modified >= w[1].modified),
        "{:?}",
        items.iter().map(|i| i.modified.to_string()).collect::<Vec<_>>()
    );
}
