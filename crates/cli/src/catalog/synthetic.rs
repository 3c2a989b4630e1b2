//! `kaifang catalog generate`: a synthetic portal source folder with N datasets of
//! realistic Chinese text, for scale tests and benchmarks (issue 3, item 6). The text is
//! assembled from municipal-portal vocabulary by a seeded generator, so the same count
//! and seed give the same catalog.

use anyhow::Context;
use std::fmt::Write as _;
use std::path::Path;

/// xorshift64*: small, fast, deterministic; not for anything secret.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// (domain, departments, subjects)
const DOMAINS: &[(&str, &[(&str, &str)], &[&str])] = &[
    (
        "交通出行",
        &[("jtj", "交通运输局"), ("gdjt", "轨道交通集团"), ("jgj", "公安局交通管理支队")],
        &[
            "公交车线路",
            "公交站点",
            "出租车营运",
            "公共停车场泊位",
            "道路运输许可",
            "地铁客流",
            "共享单车停放区",
            "交通违法处罚",
            "驾驶培训机构",
            "客运站班次",
        ],
    ),
    (
        "医疗卫生",
        &[("wjw", "卫生健康委员会"), ("ybj", "医疗保障局"), ("jkzx", "疾病预防控制中心")],
        &[
            "医院基本信息",
            "医疗保障基金结算",
            "定点医药机构",
            "药品集中采购价格",
            "疫苗接种点",
            "传染病报告",
            "基层卫生机构",
            "医师执业注册",
            "急救站点",
            "健康体检机构",
        ],
    ),
    (
        "教育文化",
        &[("jyj", "教育局"), ("whlyj", "文化和旅游局"), ("tsg", "图书馆")],
        &[
            "中小学校名录",
            "幼儿园招生计划",
            "高校毕业生就业",
            "公共图书馆藏书",
            "博物馆展览",
            "文物保护单位",
            "体育场馆开放",
            "培训机构办学许可",
            "校外托管机构",
            "A级旅游景区",
        ],
    ),
    (
        "社会民生",
        &[("rsj", "人力资源和社会保障局"), ("gjj", "住房公积金管理中心"), ("mzj", "民政局")],
        &[
            "住房公积金缴存",
            "社会保险参保人数",
            "最低生活保障对象",
            "养老机构床位",
            "招聘岗位信息",
            "婚姻登记机关",
            "殡葬服务机构",
            "慈善组织登记",
            "职业技能培训补贴",
            "残疾人服务机构",
        ],
    ),
    (
        "生态环境",
        &[("sthjj", "生态环境局"), ("swj", "水务局"), ("lyj", "林业和草原局")],
        &[
            "空气质量日报",
            "地表水水质监测",
            "重点排污单位",
            "噪声监测结果",
            "饮用水源地水质",
            "环境影响评价审批",
            "固体废物处置",
            "森林覆盖率",
            "自然保护地",
            "污水处理厂运行",
        ],
    ),
    (
        "市场监管",
        &[("scjgj", "市场监督管理局"), ("swjj", "税务局"), ("zlj", "知识产权局")],
        &[
            "企业登记信息",
            "食品经营许可",
            "特种设备使用登记",
            "产品质量抽检",
            "个体工商户登记",
            "行政处罚决定",
            "商标注册统计",
            "纳税信用A级纳税人",
            "计量器具检定",
            "广告经营单位",
        ],
    ),
    (
        "城建住房",
        &[("zjj", "住房和城乡建设局"), ("zrzyj", "自然资源和规划局"), ("cgj", "城市管理局")],
        &[
            "商品房预售许可",
            "建设工程施工许可",
            "保障性住房分配",
            "国有建设用地供应",
            "物业服务企业",
            "城市道路挖掘许可",
            "户外广告设置",
            "垃圾分类投放点",
            "公园绿地名录",
            "房屋征收项目",
        ],
    ),
    (
        "公共安全",
        &[("yjglj", "应急管理局"), ("xfzd", "消防救援支队"), ("qxj", "气象局")],
        &[
            "应急避难场所",
            "危险化学品经营许可",
            "消防安全重点单位",
            "地质灾害隐患点",
            "防汛物资储备点",
            "气象预警信息",
            "安全生产事故统计",
            "森林防火检查站",
            "地震监测站点",
            "突发事件应急预案",
        ],
    ),
    (
        "农业农村",
        &[("nyncj", "农业农村局"), ("gxs", "供销合作社")],
        &[
            "农产品价格监测",
            "农民专业合作社",
            "家庭农场名录",
            "农机购置补贴",
            "高标准农田建设",
            "动物防疫站",
            "农药经营许可",
            "乡村旅游重点村",
            "农村集体经济组织",
            "种子生产经营许可",
        ],
    ),
    (
        "经济发展",
        &[("fgw", "发展和改革委员会"), ("tjj", "统计局"), ("swj2", "商务局")],
        &[
            "地区生产总值",
            "固定资产投资项目",
            "规模以上工业企业",
            "社会消费品零售总额",
            "外商投资企业",
            "重点项目建设进度",
            "价格监测数据",
            "电子商务企业",
            "进出口贸易统计",
            "招商引资项目",
        ],
    ),
    (
        "政务服务",
        &[("zwfwj", "政务服务和数据管理局"), ("sfj", "司法局"), ("xfj", "信访局")],
        &[
            "政务服务事项清单",
            "行政许可办件量",
            "便民服务中心",
            "法律援助机构",
            "公证机构名录",
            "人民调解组织",
            "政务服务好差评",
            "一网通办事项",
            "律师事务所",
            "12345热线工单",
        ],
    ),
    (
        "信用服务",
        &[("xyb", "社会信用体系建设办公室"), ("rmyh", "人民银行中心支行")],
        &[
            "行政许可信用信息",
            "守信激励对象",
            "失信被执行人",
            "信用承诺书",
            "信用修复记录",
            "金融机构网点",
            "融资担保机构",
            "小额贷款公司",
            "重点关注名单",
            "企业信用评价",
        ],
    ),
];

const DISTRICTS: &[(&str, &str)] = &[
    ("示例市", "city"),
    ("东城区", "county"),
    ("西城区", "county"),
    ("南山区", "county"),
    ("北湖区", "county"),
    ("高新区", "county"),
    ("临江县", "county"),
    ("青山县", "county"),
    ("云台镇", "township"),
    ("示例省", "province"),
];
const SUFFIXES: &[&str] = &["信息", "数据", "统计", "名录", "清单", "明细", "目录", "情况"];
const PERIODS: &[&str] =
    &["realtime", "daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly", "irregular", "once"];
const FIELD_LABELS: &[&str] = &[
    "名称",
    "地址",
    "经度",
    "纬度",
    "联系电话",
    "统一社会信用代码",
    "登记日期",
    "所属区县",
    "负责人",
    "状态",
    "数量",
    "金额（万元）",
    "编号",
    "类别",
    "更新时间",
];
const PHRASES: &[&str] = &[
    "数据按月汇总，涵盖全市各区县。",
    "已按规定进行脱敏处理。",
    "可用于政策研究和公共服务改进。",
    "数据来源于业务系统自动采集。",
    "包括历史数据和最新变更记录。",
    "适用于地图展示和空间分析。",
    "字段含义详见数据项说明。",
    "支持按区县、年度筛选。",
];

/// Writes a portal source folder with `count` datasets into `out` (replaced).
pub fn generate(out: &Path, count: usize, seed: u64) -> anyhow::Result<()> {
    if out.exists() {
        std::fs::remove_dir_all(out).with_context(|| format!("clearing {}", out.display()))?;
    }
    std::fs::create_dir_all(out.join("datasets"))?;
    std::fs::create_dir_all(out.join("files"))?;
    std::fs::write(
        out.join("portal.toml"),
        "name = \"示例市公共数据开放平台（合成）\"\nname_en = \"Synthetic Example City Open Data\"\n\
         publisher = \"示例市政务服务和数据管理局\"\nurl = \"https://data.example.gov.cn\"\n\
         jurisdiction = \"yunnan\"\nintake = \"/api/v1\"\ndefault_license = \"示例市公共数据开放许可协议 1.0\"\n",
    )?;
    // A few small shared data files: the builder copies and checksums one per dataset.
    let files = [
        ("sample.csv", "CSV", "名称,数量\n示例,1\n"),
        ("sample.json", "JSON", "[{\"名称\":\"示例\",\"数量\":1}]\n"),
        ("sample.xml", "XML", "<rows><row><名称>示例</名称></row></rows>\n"),
    ];
    for (name, _, body) in files {
        std::fs::write(out.join("files").join(name), body)?;
    }
    let mut rng = Rng(seed.max(1));
    for i in 0..count {
        let (theme, depts, subjects) = rng.pick(DOMAINS);
        let (dept_id, dept) = rng.pick(depts);
        let subject = rng.pick(subjects);
        let (district, level) = rng.pick(DISTRICTS);
        let suffix = rng.pick(SUFFIXES);
        let year = 2015 + rng.below(12);
        let title = match rng.below(3) {
            0 => format!("{district}{subject}{suffix}"),
            1 => format!("{subject}{suffix}（{year}年）"),
            _ => format!("{district}{subject}{suffix}（{year}年）"),
        };
        let id = format!("syn-{i:06}");
        let kind = rng.below(10);
        let open = match kind {
            0..=6 => "{ kind = \"unconditional\" }".to_string(),
            7 | 8 => "{ kind = \"conditional\", conditions = [\"实名认证\", \"签订数据使用协议\"], legal_basis = \"《示例省公共数据管理办法》第二十二条\" }".to_string(),
            _ => "{ kind = \"closed\", legal_basis = \"《中华人民共兩国个人信息保护法》第十三条\" }".replace('兩', "和").to_string(),
        };
        let status = match rng.below(40) {
            0 => "suspended",
            1 => "withdrawn",
            2 => "invalid",
            _ => "open",
        };
        let emergency = *theme == "公共安全" && rng.below(20) == 0;
        // 2019–2025: always in the past, so `check` (which refuses future dates) passes
        // whatever day the generator runs.
        let (fy, fm, fd) = (2019 + rng.below(7), 1 + rng.below(12), 1 + rng.below(28));
        let modified = format!("{fy:04}-{fm:02}-{fd:02}");
        let mut desc = format!("{district}{dept}发布的{subject}{suffix}。");
        for _ in 0..2 + rng.below(3) {
            let phrase: &&str = rng.pick(PHRASES);
            desc.push_str(phrase);
        }
        let mut toml = String::with_capacity(1200);
        let _ = writeln!(toml, "id = \"{id}\"\ntitle = \"{title}\"\ndescription = \"{desc}\"");
        let _ = writeln!(toml, "keywords = [\"{}\", \"{}\"]\ntheme = \"{theme}\"", &subject, district);
        let _ = writeln!(toml, "license = \"示例市公共数据开放许可协议 1.0\"\nsecurity_level = {}", 1 + rng.below(3));
        let _ = writeln!(
            toml,
            "accrual_periodicity = \"{}\"\nissued = \"2018-01-01\"\nmodified = \"{modified}\"",
            rng.pick(PERIODS)
        );
        let _ = writeln!(toml, "version = \"1.{}\"\nstatus = \"{status}\"\nemergency = {emergency}", rng.below(9));
        if status != "open" {
            // The checker requires the announcement and its date for every non-open status.
            let _ = writeln!(toml, "status_note = \"数据核查中\"\nstatus_since = \"{modified}\"");
        }
        let _ = writeln!(toml, "publisher = {{ id = \"{dept_id}\", name = \"示例市{dept}\" }}");
        let _ = writeln!(toml, "region = {{ name = \"{district}\", level = \"{level}\" }}\nopen = {open}");
        let _ = writeln!(toml, "contact_point = {{ name = \"示例市{dept}数据管理科\" }}");
        // Only unconditional data are public files; conditional data are reached through the
        // sandbox after approval; closed data offer nothing (the checker's rules).
        match kind {
            0..=6 => toml.push_str("access = [{ kind = \"download\" }]\n"),
            7 | 8 => toml.push_str("access = [{ kind = \"sandbox\" }]\n"),
            _ => {}
        }
        toml.push_str("fields = [\n");
        let mut labels: Vec<&str> = Vec::new();
        for _ in 0..3 + rng.below(4) {
            let l: &str = *rng.pick(FIELD_LABELS);
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        for l in labels {
            let _ = writeln!(toml, "  {{ name = \"{l}\", label = \"{l}\", type = \"string\" }},");
        }
        toml.push_str("]\n");
        let nfiles = if kind <= 6 { 1 + rng.below(2) } else { 0 };
        let first = rng.below(files.len());
        for k in 0..nfiles {
            let (name, format, _) = files[(first + k) % files.len()];
            let _ = writeln!(
                toml,
                "\n[[files]]\ntitle = \"{subject}（{format}）\"\nfile = \"files/{name}\"\nformat = \"{format}\""
            );
        }
        std::fs::write(out.join("datasets").join(format!("{id}.toml")), toml)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_source_builds_and_searches() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        let out = dir.path().join("out");
        super::generate(&src, 300, 7).unwrap();
        let opts = super::super::check::Options { update_checksums: false, today: None };
        let report = super::super::build::build(&src, &out, &opts).unwrap();
        assert_eq!(report.datasets, 300);
        let index: kaifang_core::catalog::CatalogIndex =
            serde_json::from_slice(&std::fs::read(out.join("catalog.json")).unwrap()).unwrap();
        let manifest = index.search.expect("the build writes a search index");
        assert_eq!(manifest.doc_count, 300);
        let state = kaifang_core::search::SearchState { q: "公交线路".into(), page: 1, ..Default::default() };
        let (outcome, summaries) =
            kaifang_core::search::local::search(&manifest, &state, &|p| std::fs::read(out.join(p)).ok()).unwrap();
        assert!(outcome.total > 0, "a 300-dataset catalog has bus-route datasets");
        assert!(summaries.iter().all(|s| s.title.contains("公交")), "{summaries:?}");
    }
}
