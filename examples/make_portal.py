#!/usr/bin/env python3
"""Writes the generated part of the sample portal (examples/portal): dataset descriptions
and small CSV files for 示例市公共数据开放平台. Deterministic (fixed seed).

The five hand-written descriptions already in examples/portal/datasets are left alone.
After running it, record the files' checksums:

    python3 examples/make_portal.py
    kaifang catalog check --update-checksums examples/portal

The large file (全市公交刷卡记录) is not written here: `kaifang catalog generate-large
examples/portal` produces it at build time.
"""
import csv
import io
import os
import random
import re

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "portal")
rng = random.Random(20261123)

D = {  # department id -> (name, English name, contact phone)
    "jtj": ("示例市交通运输局", "Example City Transport Bureau", "0871-63100001"),
    "sthjj": ("示例市生态环境局", "Example City Ecology and Environment Bureau", "0871-63100002"),
    "ybj": ("示例市医疗保障局", "Example City Healthcare Security Bureau", "0871-63100003"),
    "scjgj": ("示例市市场监督管理局", "Example City Administration for Market Regulation", "0871-63100004"),
    "jyj": ("示例市教育局", "Example City Education Bureau", "0871-63100005"),
    "rsj": ("示例市人力资源和社会保障局", "Example City Human Resources and Social Security Bureau", "0871-63100006"),
    "zjj": ("示例市住房和城乡建设局", "Example City Housing and Urban-Rural Development Bureau", "0871-63100007"),
    "zrzyj": ("示例市自然资源和规划局", "Example City Natural Resources and Planning Bureau", "0871-63100008"),
    "wlj": ("示例市文化和旅游局", "Example City Culture and Tourism Bureau", "0871-63100009"),
    "tjj": ("示例市统计局", "Example City Statistics Bureau", "0871-63100010"),
    "nyncj": ("示例市农业农村局", "Example City Agriculture and Rural Affairs Bureau", "0871-63100011"),
    "swj": ("示例市水务局", "Example City Water Affairs Bureau", "0871-63100012"),
    "yjglj": ("示例市应急管理局", "Example City Emergency Management Bureau", "0871-63100013"),
    "mzj": ("示例市民政局", "Example City Civil Affairs Bureau", "0871-63100014"),
    "wjw": ("示例市卫生健康委员会", "Example City Health Commission", "0871-63100015"),
    "gaj": ("示例市公安局", "Example City Public Security Bureau", "0871-63100016"),
    "fgw": ("示例市发展和改革委员会", "Example City Development and Reform Commission", "0871-63100017"),
    "czj": ("示例市财政局", "Example City Finance Bureau", "0871-63100018"),
    "qxj": ("示例市气象局", "Example City Meteorological Bureau", "0871-63100019"),
    "sjj": ("示例市政务服务和数据管理局", "Example City Government Services and Data Administration", "0871-63100020"),
}

LICENSE = "示例市公共数据开放许可协议 1.0"
COND_LICENSE = "示例市公共数据有条件开放协议 1.0"
BASIS_COND = "《云南省政务数据开放管理办法（征求意见稿）》第二十二条；《示例市公共数据管理办法》第十九条"
BASIS_PERSONAL = "《中华人民共和国个人信息保护法》第十三条、第二十八条；《云南省政务数据开放管理办法（征求意见稿）》第十二条"
BASIS_SECURITY = "《中华人民共和国数据安全法》第二十一条；《云南省政务数据开放管理办法（征求意见稿）》第十二条"
COND_RESEARCH = ["申请人为依法设立的科研机构、高等院校或经备案的企业", "签署数据安全承诺书和数据使用协议", "仅用于申请书载明的用途，不得向第三方提供"]
COND_SANDBOX = ["通过平台实名认证", "在数据沙箱内使用，结果经审核后导出", "签署数据安全承诺书"]
COND_API = ["通过平台实名认证的法人或非法人组织", "说明应用场景并经数源部门审核", "调用频率不超过每日 10000 次"]

# Districts of the fictional city, used in rows.
DISTRICTS = ["东城区", "西山区", "南湖区", "北川区", "高新区", "滨江新区", "呈祥县", "青龙县"]
STREETS = ["人民路", "建设路", "学府路", "滨江大道", "春城路", "环湖东路", "文化街", "金马路", "北京路", "解放路", "新华路", "和平路"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def addr(district=None):
    """A street address; with `district`, prefixed by it (tables without a district column)."""
    street = f"{rng.choice(STREETS)}{rng.randint(1, 399)}号"
    return f"{district}{street}" if district else street


def full_addr():
    return addr(rng.choice(DISTRICTS))


def date_in(y, m0=1, m1=12):
    """A day in months m0..m1 of year y, never after the sample's “today” (2026-11-20)."""
    m = rng.randint(m0, m1)
    d = rng.randint(1, 28)
    if (y, m) >= (2026, 11):
        m, d = 11, min(d, 20)
    return f"{y}-{m:02d}-{d:02d}"


def lon():
    return f"{102.55 + rng.random() * 0.45:.5f}"


def lat():
    return f"{24.85 + rng.random() * 0.35:.5f}"


def credit_code():
    chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return "91530100" + "".join(rng.choice(chars) for _ in range(10))


# ------------------------------------------------------------------------------------
# Row makers: each returns (header, rows).

def rows_parking():
    h = ["停车场名称", "所属区县", "地址", "经度", "纬度", "泊位总数", "充电桩泊位", "收费标准", "开放时间"]
    names = ["市民中心", "人民广场地下", "第一人民医院", "火车站南广场", "南湖公园", "高新区管委会", "滨江万达", "市体育馆", "翠湖东门", "会展中心"]
    rows = []
    for n in names:
        total = rng.choice([120, 200, 260, 380, 450, 600, 820])
        rows.append([f"{n}停车场", rng.choice(DISTRICTS[:6]), addr(), lon(), lat(), total, total // rng.choice([5, 8, 10]),
                     rng.choice(["首小时 5 元，之后每小时 2 元", "每小时 3 元，每日封顶 30 元", "首 30 分钟免费，之后每小时 4 元"]),
                     rng.choice(["00:00-24:00", "07:00-22:00", "06:30-23:30"])])
    return h, rows


def rows_taxi_companies():
    h = ["企业名称", "统一社会信用代码", "经营区域", "车辆数", "其中新能源车辆", "服务监督电话"]
    names = ["示例市祥和出租汽车有限公司", "示例市春城客运出租车有限公司", "示例市滇池出租汽车服务有限公司", "示例市顺达出租汽车有限公司", "示例市金马出租汽车有限公司", "示例市阳光出行出租汽车有限公司"]
    return h, [[n, credit_code(), "示例市城区", v := rng.randint(180, 900), int(v * rng.uniform(0.5, 0.95)), f"0871-6{rng.randint(1000000, 9999999)}"] for n in names]


def rows_water_quality():
    h = ["断面名称", "所在水体", "监测日期", "水质类别", "溶解氧(mg/L)", "高锰酸盐指数(mg/L)", "氨氮(mg/L)", "总磷(mg/L)", "是否达标"]
    sites = [("观音山", "滇池外海"), ("罗家营", "滇池外海"), ("断桥", "滇池草海"), ("入湖口", "盘龙江"), ("松华坝", "盘龙江"), ("宝象河口", "宝象河")]
    rows = []
    for m in (8, 9, 10):
        for s, w in sites:
            cls = rng.choice(["II", "III", "III", "IV", "V"])
            rows.append([s, w, f"2026-{m:02d}-10", cls, f"{rng.uniform(5.0, 8.5):.1f}", f"{rng.uniform(2.0, 7.5):.1f}",
                         f"{rng.uniform(0.1, 1.4):.2f}", f"{rng.uniform(0.02, 0.25):.3f}", "是" if cls in ("II", "III") else "否"])
    return h, rows


def rows_noise():
    h = ["监测点位", "功能区类别", "监测时段", "等效声级Leq[dB(A)]", "标准限值[dB(A)]", "是否达标"]
    pts = ["市政府广场", "东城区第二中学", "高新区科技园", "火车站北路", "南湖居住区", "滨江工业园", "西山风景区"]
    rows = []
    for p in pts:
        cls = rng.choice(["1类", "2类", "3类", "4a类"])
        lim = {"1类": 55, "2类": 60, "3类": 65, "4a类": 70}[cls]
        for t in ("昼间", "夜间"):
            l2 = lim if t == "昼间" else lim - 10
            v = round(rng.uniform(l2 - 8, l2 + 3), 1)
            rows.append([p, cls, t, v, l2, "是" if v <= l2 else "否"])
    return h, rows


def rows_pharmacies():
    h = ["机构名称", "机构类型", "医保编码", "所属区县", "地址", "联系电话", "是否开通门诊统筹"]
    rows = []
    for i in range(24):
        kind = rng.choice(["定点零售药店", "定点零售药店", "社区卫生服务中心", "二级医院", "三级医院"])
        name = {"定点零售药店": f"{rng.choice(['一心堂', '健之佳', '老百姓大药房', '鸿翔药业'])}{rng.choice(STREETS)}店",
                "社区卫生服务中心": f"{rng.choice(DISTRICTS[:6])}{rng.choice(STREETS)}社区卫生服务中心",
                "二级医院": f"示例市第{rng.choice('三四五六七')}人民医院",
                "三级医院": rng.choice(["示例市第一人民医院", "示例市中医医院", "示例医科大学第一附属医院"])}[kind]
        rows.append([name, kind, f"P53010{rng.randint(100000, 999999)}", rng.choice(DISTRICTS), addr(),
                     f"0871-6{rng.randint(1000000, 9999999)}", rng.choice(["是", "是", "否"])])
    return h, rows


def rows_drug_prices():
    h = ["药品通用名", "剂型", "规格", "生产企业", "集采中选价(元)", "医保支付标准(元)", "医保类别"]
    drugs = [("阿莫西林胶囊", "胶囊剂", "0.25g×24粒"), ("二甲双胍缓释片", "片剂", "0.5g×30片"), ("阿托伐他汀钙片", "片剂", "20mg×7片"),
             ("氨氯地平片", "片剂", "5mg×28片"), ("奥美拉唑肠溶胶囊", "胶囊剂", "20mg×14粒"), ("头孢呋辛酯片", "片剂", "0.25g×12片"),
             ("缬沙坦胶囊", "胶囊剂", "80mg×28粒"), ("布洛芬缓释胶囊", "胶囊剂", "0.3g×20粒"), ("左氧氟沙星片", "片剂", "0.5g×4片"),
             ("孟鲁司特钠片", "片剂", "10mg×5片")]
    makers = ["示例制药股份有限公司", "滇中药业有限公司", "华南制药集团", "北方医药有限公司"]
    rows = []
    for n, f, s in drugs:
        p = round(rng.uniform(1.5, 28), 2)
        rows.append([n, f, s, rng.choice(makers), p, p, rng.choice(["甲类", "甲类", "乙类"])])
    return h, rows


def rows_licences():
    h = ["许可证编号", "经营者名称", "统一社会信用代码", "经营场所", "主体业态", "经营项目", "发证日期", "有效期至"]
    names = ["小王烧饵块店", "春城米线馆", "滇味坊餐饮店", "好又多便利店", "鲜果时光水果店", "老昆明过桥米线", "美家超市", "兰州拉面馆",
             "云岭茶饮店", "阿妹烧烤", "福满园饭庄", "永和豆浆", "绿色蔬菜便民店", "状元楼餐厅", "小城故事咖啡馆"]
    rows = []
    for n in names:
        issued = date_in(2024)
        y = int(issued[:4]) + 5
        rows.append([f"JY{rng.randint(10000000000000, 99999999999999)}", f"示例市{rng.choice(DISTRICTS[:6])}{n}", credit_code(), full_addr(),
                     rng.choice(["餐饮服务经营者", "食品销售经营者", "单位食堂"]), rng.choice(["热食类食品制售", "预包装食品（含冷藏冷冻食品）销售", "自制饮品制售"]),
                     issued, f"{y}{issued[4:]}"])
    return h, rows


def rows_sampling():
    h = ["抽检编号", "食品名称", "标称生产企业", "被抽样单位", "抽样日期", "检验结果", "不合格项目"]
    foods = ["鲜鸡蛋", "大米", "菜籽油", "酱油", "豆腐", "韭菜", "猪肉", "牛奶", "面包", "米线", "腊肉", "普洱茶"]
    rows = []
    for i, f in enumerate(foods * 2):
        ok = rng.random() > 0.12
        rows.append([f"SC2026{1000 + i}", f, rng.choice(["示例市农产品有限公司", "滇中食品厂", "（散装，无标称）", "云岭乳业有限公司"]),
                     f"{rng.choice(['美家超市', '东风农贸市场', '好又多便利店', '南湖农贸市场'])}", date_in(2026, 7, 10),
                     "合格" if ok else "不合格", "" if ok else rng.choice(["腐霉利", "菌落总数", "铅(以Pb计)", "苯甲酸及其钠盐"])])
    return h, rows


def rows_schools():
    h = ["学校名称", "学段", "办学性质", "所属区县", "地址", "班级数", "在校生数", "专任教师数", "招生咨询电话"]
    rows = []
    for i in range(20):
        stage = rng.choice(["小学", "小学", "初级中学", "完全中学", "九年一贯制学校"])
        dist = rng.choice(DISTRICTS)
        name = f"示例市{dist}{rng.choice(STREETS)}{stage if stage != '初级中学' else '中学'}"
        classes = rng.randint(12, 60)
        rows.append([name, stage, rng.choice(["公办", "公办", "公办", "民办"]), dist, addr(), classes, classes * rng.randint(38, 48),
                     int(classes * rng.uniform(1.8, 2.6)), f"0871-6{rng.randint(1000000, 9999999)}"])
    return h, rows


def rows_kindergartens():
    h = ["幼儿园名称", "办园性质", "等级", "所属区县", "地址", "班级数", "学位数", "保教费(元/月)"]
    rows = []
    for i in range(18):
        kind = rng.choice(["公办", "普惠性民办", "民办"])
        rows.append([f"示例市{rng.choice(['阳光', '童心', '启明', '蓝天', '春苗', '小太阳', '彩虹'])}{rng.choice(['', '第二', '实验'])}幼儿园{rng.choice(['', '（分园）'])}",
                     kind, rng.choice(["一级一等", "一级二等", "二级一等", "三级"]), rng.choice(DISTRICTS), addr(), c := rng.randint(6, 18), c * 30,
                     {"公办": 600, "普惠性民办": 980, "民办": rng.choice([1800, 2600, 3500])}[kind]])
    return h, rows


def rows_jobs():
    h = ["招聘单位", "岗位名称", "招聘人数", "学历要求", "月薪范围(元)", "工作地点", "发布日期", "截止日期"]
    trades = [("科技有限公司", ["软件开发工程师", "数据标注员", "客服专员", "测试工程师"]), ("物流有限公司", ["快递分拣员", "仓库管理员", "货车司机"]),
              ("医疗集团", ["护士", "药剂师", "收费员"]), ("教育咨询有限公司", ["幼儿教师", "课程顾问"]), ("餐饮管理有限公司", ["厨师", "服务员", "店长"]),
              ("机械制造有限公司", ["数控车床操作工", "电工", "焊工"]), ("会计师事务所有限公司", ["会计", "审计助理"])]
    rows = []
    for i in range(24):
        trade, jobs = rng.choice(trades)
        low = rng.choice([3000, 3500, 4000, 5000, 6000, 8000])
        pub = f"2026-{rng.choice(['10', '11'])}-{rng.randint(1, 20):02d}"
        rows.append([f"示例市{rng.choice(['恒通', '云创', '康泰', '金桥', '鑫源', '博学'])}{trade}", rng.choice(jobs), rng.randint(1, 20),
                     rng.choice(["不限", "高中/中专", "大专", "本科", "本科"]), f"{low}-{low + rng.choice([1500, 2000, 3000, 5000])}",
                     rng.choice(DISTRICTS[:6]), pub, f"2026-12-{rng.randint(10, 31)}"])
    return h, rows


def rows_min_wage():
    h = ["执行日期", "档次", "适用区域", "月最低工资标准(元)", "小时最低工资标准(元)"]
    rows = []
    for d, base in (("2022-10-01", 1900), ("2024-10-01", 1990), ("2026-10-01", 2080)):
        for tier, areas, delta in (("一类", "东城区、西山区、南湖区、北川区、高新区、滨江新区", 0), ("二类", "呈祥县", -150), ("三类", "青龙县", -290)):
            rows.append([d, tier, areas, base + delta, round((base + delta) / 174 * 1.1, 1)])
    return h, rows


def rows_housing_projects():
    h = ["项目名称", "开发企业", "所属区县", "预售许可证号", "批准预售套数", "批准预售面积(平方米)", "发证日期"]
    rows = []
    for i in range(16):
        rows.append([f"{rng.choice(['滨江', '南湖', '春城', '云景', '翠湖', '金马'])}{rng.choice(['壹号院', '花园', '学府', '悦府', '公馆', '新城'])}{rng.choice(['一期', '二期', '三期', ''])}",
                     f"示例市{rng.choice(['万家', '云投', '华润', '城建'])}置业有限公司", rng.choice(DISTRICTS[:6]), f"示房预许字（2026）第{rng.randint(1, 300):03d}号",
                     n := rng.randint(80, 600), round(n * rng.uniform(85, 130), 2), date_in(2026, 1, 10)])
    return h, rows


def rows_rental():
    h = ["小区名称", "所属区县", "户型", "建筑面积(平方米)", "月租金参考价(元)", "统计月份"]
    rows = []
    for i in range(20):
        area = rng.choice([45, 60, 75, 90, 110, 130])
        rows.append([f"{rng.choice(['春城', '滇池', '金色', '阳光', '书香'])}{rng.choice(['花园', '小区', '苑', '家园', '雅居'])}", rng.choice(DISTRICTS[:6]),
                     {45: "一室一厅", 60: "两室一厅", 75: "两室一厅", 90: "三室一厅", 110: "三室两厅", 130: "四室两厅"}[area], area, int(area * rng.uniform(18, 38)), "2026-10"])
    return h, rows


def rows_land():
    h = ["宗地编号", "土地位置", "土地用途", "出让面积(平方米)", "容积率", "成交价(万元)", "竞得人", "成交日期"]
    rows = []
    for i in range(12):
        area = rng.randint(8000, 90000)
        rows.append([f"SLS2026-{i + 1:03d}", f"{rng.choice(DISTRICTS)}{rng.choice(STREETS)}以东", rng.choice(["住宅用地", "商服用地", "工业用地", "科教用地"]), area,
                     rng.choice(["≤1.0", "≤2.0", "≤2.8", "≤3.5"]), round(area * rng.uniform(0.05, 0.9), 1), f"示例市{rng.choice(['云投', '城建', '高新'])}{rng.choice(['置业', '产业发展', '实业'])}有限公司", date_in(2026)])
    return h, rows


def rows_scenic():
    h = ["景区名称", "等级", "所属区县", "地址", "门票价格(元)", "开放时间", "最大承载量(人次/日)", "咨询电话"]
    spots = [("西山森林公园", "AAAA"), ("滇池海埂大坝", "AAAA"), ("官渡古镇", "AAAA"), ("翠湖公园", "AAA"), ("示例市博物馆", "AAAA"), ("金殿名胜区", "AAAA"),
             ("南湖湿地公园", "AAA"), ("青龙峡", "AAA"), ("呈祥花海", "AA"), ("北川古村落", "AAA")]
    return h, [[n, l, rng.choice(DISTRICTS), addr(), rng.choice([0, 0, 10, 20, 30, 50, 80]), rng.choice(["08:30-17:30", "07:00-22:00", "09:00-17:00（周一闭馆）"]),
                rng.choice([5000, 8000, 12000, 20000, 30000]), f"0871-6{rng.randint(1000000, 9999999)}"] for n, l in spots]


def rows_visitors():
    h = ["月份", "接待游客人次(万)", "游客人次同比增长(%)", "旅游总收入(亿元)", "旅游收入同比增长(%)", "过夜游客占比(%)"]
    return h, [[f"2026-{m:02d}", round(rng.uniform(380, 760), 1), round(rng.uniform(-3, 18), 1), round(rng.uniform(38, 92), 2),
                round(rng.uniform(-2, 20), 1), round(rng.uniform(28, 46), 1)] for m in range(1, 11)]


def rows_gdp():
    h = ["年份", "季度", "地区生产总值(亿元)", "第一产业(亿元)", "第二产业(亿元)", "第三产业(亿元)", "可比价增速(%)"]
    rows = []
    for y in (2024, 2025, 2026):
        for q in ("一季度", "上半年", "前三季度", "全年"):
            if y == 2026 and q == "全年":
                continue
            k = {"一季度": 0.23, "上半年": 0.48, "前三季度": 0.73, "全年": 1.0}[q]
            total = round(8200 * (1.05 ** (y - 2024)) * k, 1)
            a, b = round(total * 0.045, 1), round(total * 0.31, 1)
            rows.append([y, q, total, a, b, round(total - a - b, 1), round(rng.uniform(3.8, 6.2), 1)])
    return h, rows


def rows_population():
    h = ["年份", "区县", "常住人口(万人)", "城镇人口(万人)", "城镇化率(%)", "出生率(‰)", "死亡率(‰)"]
    rows = []
    for y in (2023, 2024, 2025):
        for d in DISTRICTS:
            p = round(rng.uniform(28, 130), 2)
            u = round(p * rng.uniform(0.55, 0.98), 2)
            rows.append([y, d, p, u, round(u / p * 100, 2), round(rng.uniform(5.5, 9.5), 2), round(rng.uniform(5.8, 8.2), 2)])
    return h, rows


def rows_cpi():
    h = ["月份", "居民消费价格指数(上年同月=100)", "食品烟酒", "衣着", "居住", "交通通信", "教育文化娱乐", "医疗保健"]
    return h, [[f"2026-{m:02d}"] + [round(rng.uniform(98.6, 102.8), 1) for _ in range(7)] for m in range(1, 11)]


def rows_farm_prices():
    h = ["日期", "品种", "规格", "批发市场", "最低价(元/公斤)", "最高价(元/公斤)", "平均价(元/公斤)"]
    items = [("大白菜", "普通"), ("土豆", "中等"), ("西红柿", "普通"), ("黄瓜", "普通"), ("猪肉", "白条"), ("鸡蛋", "散装"), ("大米", "普通粳米"), ("苹果", "富士")]
    rows = []
    for day in ("2026-11-18", "2026-11-19", "2026-11-20"):
        for n, s in items:
            lo = round(rng.uniform(1.2, 22), 2)
            hi = round(lo * rng.uniform(1.1, 1.5), 2)
            rows.append([day, n, s, rng.choice(["示例市农产品批发中心", "南湖蔬菜批发市场"]), lo, hi, round((lo + hi) / 2, 2)])
    return h, rows


def rows_coops():
    h = ["合作社名称", "统一社会信用代码", "所在乡镇", "主营产业", "成员数", "示范社级别", "成立日期"]
    rows = []
    for i in range(16):
        rows.append([f"{rng.choice(['呈祥县', '青龙县'])}{rng.choice(['绿源', '丰收', '金穗', '花香', '山泉', '云雾'])}{rng.choice(['蔬菜', '花卉', '茶叶', '核桃', '生猪养殖', '中药材'])}专业合作社",
                     credit_code().replace("9153", "9353"), rng.choice(["龙泉镇", "马街镇", "白石乡", "清水镇", "杨柳乡"]), rng.choice(["蔬菜种植", "花卉种植", "茶叶种植加工", "生猪养殖", "中药材种植"]),
                     rng.randint(5, 260), rng.choice(["国家级", "省级", "市级", "无"]), date_in(rng.randint(2010, 2023))])
    return h, rows


def rows_reservoirs():
    h = ["水库名称", "所在区县", "规模", "汛限水位(米)", "当前水位(米)", "当前蓄水量(万立方米)", "观测时间"]
    res = [("松华坝水库", "大型"), ("宝象河水库", "中型"), ("云龙水库", "大型"), ("柴河水库", "中型"), ("大河水库", "中型"), ("果林水库", "中型"), ("自卫村水库", "小(1)型"), ("横冲水库", "中型")]
    rows = []
    for n, s in res:
        lim = round(rng.uniform(1900, 2150), 2)
        rows.append([n, rng.choice(DISTRICTS), s, lim, round(lim - rng.uniform(-0.3, 2.5), 2), round(rng.uniform(300, 21000), 1), "2026-11-22 08:00"])
    return h, rows


def rows_water_outage():
    h = ["停水区域", "停水原因", "开始时间", "预计恢复时间", "影响户数", "联系电话"]
    rows = []
    for i in range(10):
        d = rng.randint(1, 22)
        rows.append([f"{rng.choice(DISTRICTS[:6])}{rng.choice(STREETS)}沿线", rng.choice(["管网改造", "阀门检修", "爆管抢修", "加压站设备检修"]),
                     f"2026-11-{d:02d} {rng.choice(['08', '09', '22'])}:00", f"2026-11-{d:02d} {rng.choice(['18', '20', '23'])}:00", rng.randint(200, 6000), "0871-96106"])
    return h, rows


def rows_hazards():
    h = ["隐患点编号", "灾害类型", "所在区县", "位置", "威胁人数", "威胁财产(万元)", "险情等级", "防治措施"]
    rows = []
    for i in range(14):
        rows.append([f"DZ-{i + 1:03d}", rng.choice(["滑坡", "崩塌", "泥石流", "地面塌陷"]), rng.choice(["西山区", "呈祥县", "青龙县", "北川区"]),
                     f"{rng.choice(['龙泉镇', '马街镇', '白石乡', '清水镇'])}{rng.choice(['后山', '村东', '河沟', '公路边坡'])}", rng.randint(5, 300),
                     rng.randint(20, 3000), rng.choice(["小型", "小型", "中型", "大型"]), rng.choice(["群测群防", "工程治理", "搬迁避让", "专业监测"])])
    return h, rows


def rows_elderly():
    h = ["机构名称", "机构性质", "所属区县", "地址", "床位数", "护理型床位数", "收费区间(元/月)", "联系电话"]
    rows = []
    for i in range(15):
        beds = rng.randint(40, 500)
        rows.append([f"示例市{rng.choice(DISTRICTS)}{rng.choice(['颐和', '康乐', '福寿', '夕阳红', '松鹤'])}{rng.choice(['养老院', '老年公寓', '养老服务中心', '护理院'])}",
                     rng.choice(["公办", "公建民营", "民办"]), rng.choice(DISTRICTS), addr(), beds, int(beds * rng.uniform(0.3, 0.8)),
                     f"{rng.choice([1800, 2200, 2800])}-{rng.choice([4500, 6000, 8800])}", f"0871-6{rng.randint(1000000, 9999999)}"])
    return h, rows


def rows_marriage_offices():
    h = ["登记机关", "地址", "办公时间", "预约电话", "是否可预约周末颁证"]
    return h, [[f"示例市{d}婚姻登记处", full_addr(), "周一至周五 9:00-12:00，13:30-17:00", f"0871-6{rng.randint(1000000, 9999999)}", rng.choice(["是", "否"])] for d in DISTRICTS]


def rows_hospitals():
    h = ["医疗机构名称", "级别", "类别", "所属区县", "地址", "编制床位", "急诊", "联系电话"]
    rows = []
    for n, lv in [("示例市第一人民医院", "三级甲等"), ("示例市中医医院", "三级甲等"), ("示例医科大学第一附属医院", "三级甲等"), ("示例市儿童医院", "三级甲等"),
                  ("示例市妇幼保健院", "三级甲等"), ("示例市第三人民医院", "三级乙等"), ("示例市东城区人民医院", "二级甲等"), ("示例市西山区人民医院", "二级甲等"),
                  ("呈祥县人民医院", "二级甲等"), ("青龙县中医医院", "二级甲等"), ("示例市传染病医院", "三级乙等"), ("示例市口腔医院", "三级乙等")]:
        rows.append([n, lv, rng.choice(["综合医院", "中医医院", "专科医院"]), rng.choice(DISTRICTS), addr(), rng.randint(200, 2600), "有", f"0871-6{rng.randint(1000000, 9999999)}"])
    return h, rows


def rows_vaccination():
    h = ["接种单位", "所属区县", "地址", "接种门诊类型", "门诊时间", "咨询电话"]
    return h, [[f"{d}{s}社区卫生服务中心预防接种门诊", d, addr(), rng.choice(["儿童预防接种门诊", "成人预防接种门诊", "狂犬病暴露预防处置门诊"]),
                rng.choice(["周一至周五 8:30-11:30", "周二、周四、周六 8:30-16:30"]), f"0871-6{rng.randint(1000000, 9999999)}"]
               for d in DISTRICTS for s in rng.sample(STREETS, 2)]


def rows_police_stations():
    h = ["派出所名称", "所属分局", "地址", "辖区范围", "户籍窗口办公时间", "值班电话"]
    rows = []
    for d in DISTRICTS:
        for s in rng.sample(STREETS, 2):
            rows.append([f"{s}派出所", f"示例市公安局{d}分局", addr(), f"{d}{s}、{rng.choice(STREETS)}一带", "周一至周五 9:00-17:00，周六 9:00-12:00", f"0871-6{rng.randint(1000000, 9999999)}"])
    return h, rows


def rows_weather():
    h = ["站点", "日期", "最高气温(℃)", "最低气温(℃)", "降水量(mm)", "平均相对湿度(%)", "日照时数(h)", "天气现象"]
    rows = []
    for st in ("示例市国家基本气象站", "呈祥县气象站", "青龙县气象站"):
        for d in range(10, 21):
            hi = round(rng.uniform(14, 23), 1)
            rain = rng.choice([0, 0, 0, 0.3, 2.1, 8.6, 15.2])
            rows.append([st, f"2026-11-{d:02d}", hi, round(hi - rng.uniform(7, 13), 1), rain, rng.randint(45, 90), round(rng.uniform(0, 9.5), 1),
                         "晴" if rain == 0 else ("小雨" if rain < 10 else "中雨")])
    return h, rows


def rows_warnings():
    h = ["预警编号", "预警类型", "预警级别", "发布时间", "解除时间", "影响区域", "防御指南"]
    rows = []
    for i in range(12):
        t = rng.choice(["暴雨", "大风", "雷电", "冰雹", "森林火险", "高温", "道路结冰"])
        rows.append([f"YJ2026{i + 1:04d}", t, rng.choice(["蓝色", "黄色", "橙色"]), f"2026-{rng.randint(5, 10):02d}-{rng.randint(1, 28):02d} {rng.randint(6, 22):02d}:00",
                     "", "、".join(rng.sample(DISTRICTS, 3)), f"注意防范{t}可能引发的次生灾害"])
        rows[-1][4] = rows[-1][3][:11] + f"{min(23, int(rows[-1][3][11:13]) + rng.randint(3, 12)):02d}:00"
    return h, rows


def rows_budget():
    h = ["预算年度", "部门名称", "一般公共预算支出(万元)", "其中基本支出(万元)", "其中项目支出(万元)", "三公经费(万元)"]
    rows = []
    for did, (name, _, _) in list(D.items())[:16]:
        total = rng.randint(3000, 180000)
        basic = int(total * rng.uniform(0.2, 0.6))
        rows.append([2026, name, total, basic, total - basic, round(rng.uniform(10, 260), 2)])
    return h, rows


def rows_projects():
    h = ["项目名称", "项目单位", "建设地点", "总投资(万元)", "建设性质", "计划开工年份", "计划竣工年份", "年度计划投资(万元)"]
    names = ["地铁 6 号线二期工程", "滇池北岸水环境综合治理", "第一人民医院新院区", "城市快速路东连接线", "高新区数字经济产业园", "南湖片区老旧小区改造",
             "市级应急物资储备库", "职业教育园区二期", "智慧水务一期", "呈祥县高标准农田建设", "西山区排水管网改造", "市图书馆新馆"]
    return h, [[n, f"示例市{rng.choice(['城投集团', '交投集团', '水务集团', '卫生健康委员会', '教育局', '住房和城乡建设局'])}", rng.choice(DISTRICTS),
                t := rng.randint(8000, 2400000), rng.choice(["新建", "改扩建"]), rng.choice([2024, 2025, 2026]), rng.choice([2027, 2028, 2029]),
                int(t * rng.uniform(0.08, 0.35))] for n in names]


def rows_enterprises():
    h = ["企业名称", "统一社会信用代码", "企业类型", "法定代表人", "注册资本(万元)", "成立日期", "登记机关", "住所"]
    rows = []
    for i in range(20):
        rows.append([f"示例市{rng.choice(['云创', '恒通', '博远', '春晖', '鑫海', '启航', '嘉禾'])}{rng.choice(['科技', '商贸', '建筑工程', '文化传媒', '农业开发', '物业服务'])}有限公司",
                     credit_code(), rng.choice(["有限责任公司(自然人投资或控股)", "有限责任公司(法人独资)", "股份有限公司(非上市)"]),
                     rng.choice(SURNAMES) + rng.choice(["某", "某某"]), rng.choice([50, 100, 200, 500, 1000, 5000]), date_in(2026, 1, 10),
                     f"示例市{rng.choice(DISTRICTS)}市场监督管理局", full_addr()])
    return h, rows


def rows_charging():
    h = ["站点名称", "运营单位", "地址", "经度", "纬度", "快充桩数", "慢充桩数", "服务时间", "充电服务费(元/度)"]
    rows = []
    for i in range(18):
        rows.append([f"{rng.choice(STREETS)}{rng.choice(['公共', '超级', '社区'])}充电站", rng.choice(["示例市交投能源有限公司", "国网示例市供电公司", "特来电示例分公司", "星星充电示例分公司"]),
                     full_addr(), lon(), lat(), rng.randint(4, 40), rng.randint(0, 20), "00:00-24:00", round(rng.uniform(0.4, 0.8), 2)])
    return h, rows


def rows_bike():
    h = ["站点编号", "站点名称", "所属区县", "经度", "纬度", "锁车桩数", "可借车辆数", "更新时间"]
    rows = []
    for i in range(25):
        docks = rng.choice([12, 16, 20, 24, 30])
        rows.append([f"GX{i + 1:04d}", f"{rng.choice(STREETS)}{rng.choice(['口', '地铁站', '公交站', '公园', '学校'])}", rng.choice(DISTRICTS[:6]), lon(), lat(), docks, rng.randint(0, docks), "2026-11-22 09:00"])
    return h, rows


def rows_metro_flow():
    h = ["日期", "线路", "进站客流(人次)", "出站客流(人次)", "换乘客流(人次)", "最高断面满载率(%)"]
    rows = []
    for d in range(10, 17):
        for line in ("1号线", "2号线", "3号线", "4号线", "6号线"):
            inn = rng.randint(60000, 260000)
            rows.append([f"2026-11-{d:02d}", line, inn, int(inn * rng.uniform(0.95, 1.05)), rng.randint(20000, 90000), rng.randint(45, 118)])
    return h, rows


def rows_pension_rates():
    h = ["险种", "缴费基数下限(元/月)", "缴费基数上限(元/月)", "单位缴费比例(%)", "个人缴费比例(%)", "执行期间"]
    return h, [["企业职工基本养老保险", 4218, 21090, 16, 8, "2026-01至2026-12"], ["失业保险", 4218, 21090, 0.7, 0.3, "2026-01至2026-12"],
               ["工伤保险", 4218, 21090, "0.2-1.9（按行业）", 0, "2026-01至2026-12"], ["职工基本医疗保险", 4218, 21090, 7.5, 2, "2026-01至2026-12"],
               ["城乡居民基本养老保险（最低档）", "", "", "", "年缴 200 元", "2026 年度"]]


def rows_training():
    h = ["培训机构", "培训项目", "培训等级", "补贴标准(元/人)", "开班日期", "培训地点", "报名电话"]
    rows = []
    for i in range(14):
        rows.append([f"示例市{rng.choice(['职业技能', '新华', '蓝翔', '阳光'])}培训学校", rng.choice(["中式烹调师", "育婴员", "电工", "养老护理员", "电子商务师", "焊工", "美容师"]),
                     rng.choice(["初级（五级）", "中级（四级）", "高级（三级）"]), rng.choice([800, 1200, 1600, 2000]), f"2026-12-{rng.randint(1, 28):02d}", full_addr(), f"0871-6{rng.randint(1000000, 9999999)}"])
    return h, rows


def rows_construction_permits():
    h = ["施工许可证编号", "项目名称", "建设单位", "施工单位", "建筑面积(平方米)", "合同价格(万元)", "发证日期"]
    rows = []
    for i in range(14):
        rows.append([f"530100202610{rng.randint(100000, 999999)}0101", f"{rng.choice(['滨江', '南湖', '春城', '云景'])}{rng.choice(['学校', '安置房', '商业综合体', '医院门诊楼', '产业园厂房'])}项目",
                     f"示例市{rng.choice(['城投', '云投', '高新'])}建设有限公司", f"{rng.choice(['云南', '示例'])}{rng.choice(['建工', '城建', '路桥'])}集团有限公司",
                     round(rng.uniform(5000, 160000), 2), round(rng.uniform(1500, 68000), 2), date_in(2026, 6, 11)])
    return h, rows


def rows_libraries():
    h = ["场馆名称", "类型", "地址", "开放时间", "免费开放", "咨询电话"]
    rows = [["示例市图书馆", "公共图书馆", full_addr(), "周二至周日 9:00-21:00", "是", "0871-64100001"], ["示例市博物馆", "博物馆", full_addr(), "周二至周日 9:00-17:00", "是", "0871-64100002"],
            ["示例市文化馆", "文化馆", full_addr(), "周一至周日 9:00-21:00", "是", "0871-64100003"], ["示例市美术馆", "美术馆", full_addr(), "周二至周日 9:30-17:30", "是", "0871-64100004"],
            ["示例市大剧院", "剧院", full_addr(), "以演出安排为准", "否", "0871-64100005"]]
    for d in DISTRICTS:
        rows.append([f"{d}图书馆", "公共图书馆", full_addr(), "周二至周日 9:00-18:00", "是", f"0871-6{rng.randint(1000000, 9999999)}"])
    return h, rows


def rows_air_hourly():
    h = ["站点名称", "时间", "AQI", "PM2.5(μg/m³)", "PM10(μg/m³)", "O3(μg/m³)", "NO2(μg/m³)", "SO2(μg/m³)", "CO(mg/m³)"]
    rows = []
    for st in ("东城监测站", "西山监测站", "高新区监测站", "南湖监测站"):
        for hr in range(0, 24, 2):
            pm = rng.randint(8, 60)
            rows.append([st, f"2026-11-22 {hr:02d}:00", max(pm + rng.randint(5, 25), 15), pm, pm + rng.randint(8, 40), rng.randint(20, 140), rng.randint(5, 48), rng.randint(2, 12), round(rng.uniform(0.3, 1.2), 1)])
    return h, rows


def rows_polluters():
    h = ["单位名称", "统一社会信用代码", "行业类别", "所属区县", "重点排污类别", "主要污染物", "排污许可证编号"]
    rows = []
    for i in range(12):
        rows.append([f"示例市{rng.choice(['滇中', '云岭', '金马', '恒达'])}{rng.choice(['水泥', '化工', '造纸', '污水处理', '制药', '电力'])}有限公司", credit_code(),
                     rng.choice(["水泥制造", "化学原料制造", "污水处理及其再生利用", "化学药品制剂制造", "火力发电"]), rng.choice(DISTRICTS),
                     rng.choice(["水环境", "大气环境", "水环境、大气环境"]), rng.choice(["化学需氧量、氨氮", "二氧化硫、氮氧化物、颗粒物", "总磷、总氮"]),
                     f"91530100{rng.randint(10000000, 99999999)}001{rng.choice('PVRQ')}"])
    return h, rows


ROWS = {k[5:]: v for k, v in globals().items() if k.startswith("rows_")}

# ------------------------------------------------------------------------------------
# The datasets. Fields come from the row makers' headers; labels and types are given
# per column where the header alone is not enough.

def infer_type(col, sample):
    if col.endswith("日期") or col in ("日期", "发证日期", "有效期至", "成立日期", "成交日期", "抽样日期", "发布日期", "截止日期", "执行日期"):
        return "date"
    if re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d", str(sample)):
        return "datetime"
    if col in ("经度", "纬度"):
        return "number"
    if isinstance(sample, bool):
        return "boolean"
    if isinstance(sample, int):
        return "integer"
    if isinstance(sample, float) or re.match(r"^-?\d+\.\d+$", str(sample)):
        return "number"
    return "string"


def unit_of(col):
    if "(" in col and col.endswith(")"):
        return col[col.index("(") + 1:-1]
    if col in ("经度", "纬度"):
        return "度"
    return None


DATASETS = [
    # id, title, title_en, dept, theme, description, keywords, freq, rows key, encoding, extra
    ("jt-parking-lots", "公共停车场基本信息", "Public car parks", "jtj", "交通出行",
     "全市经营性公共停车场名称、位置、泊位数量、充电桩泊位、收费标准和开放时间，便于市民出行停车和导航软件接入。", ["停车场", "泊位", "停车收费", "交通出行"], "monthly", "parking", "utf-8", {}),
    ("jt-taxi-companies", "巡游出租汽车企业及运力情况", "Taxi companies and fleet", "jtj", "交通出行",
     "全市巡游出租汽车经营企业名录、车辆数、新能源车辆数及服务监督电话。", ["出租车", "巡游出租汽车", "运力", "新能源"], "quarterly", "taxi_companies", "utf-8", {}),
    ("jt-charging-stations", "新能源汽车公共充电站分布", "Public EV charging stations", "jtj", "交通出行",
     "全市对外开放的新能源汽车公共充电站位置、运营单位、快慢充桩数量和充电服务费标准。", ["充电桩", "充电站", "新能源汽车", "电动汽车"], "monthly", "charging", "utf-8-sig", {}),
    ("jt-public-bikes", "公共自行车站点实时状态", "Public bicycle stations (live)", "jtj", "交通出行",
     "公共自行车租赁站点编号、位置、锁车桩数量和可借车辆数，每 5 分钟更新，可通过接口实时获取。", ["公共自行车", "共享单车", "慢行交通", "实时"], "realtime", "bike", "utf-8",
     {"access": [{"kind": "download"}, {"kind": "api", "endpoint": "/api/open/public-bikes", "docs": "/api/open/docs#public-bikes"}]}),
    ("jt-metro-ridership", "城市轨道交通线路日客流量", "Metro daily ridership by line", "jtj", "交通出行",
     "城市轨道交通各线路每日进站、出站、换乘客流和最高断面满载率，按日统计发布。", ["地铁", "轨道交通", "客流", "满载率"], "daily", "metro_flow", "utf-8", {"provider": "示例市轨道交通集团有限公司"}),
    ("hb-water-quality", "地表水水质监测月报", "Monthly surface water quality", "sthjj", "生态环境",
     "滇池、盘龙江、宝象河等重点水体国控、省控断面的月度水质类别及主要监测指标。", ["水质", "地表水", "滇池", "断面监测"], "monthly", "water_quality", "gbk", {}),
    ("hb-noise", "城市声环境质量监测结果", "Urban noise monitoring", "sthjj", "生态环境",
     "城市功能区声环境质量监测点位昼间、夜间等效声级及达标情况。", ["噪声", "声环境", "功能区", "环境监测"], "quarterly", "noise", "utf-8", {}),
    ("hb-air-hourly", "空气质量小时浓度数据", "Hourly air quality", "sthjj", "生态环境",
     "各国控空气自动监测站逐小时 AQI 及 PM2.5、PM10、臭氧、二氧化氮、二氧化硫、一氧化碳浓度。", ["空气质量", "AQI", "PM2.5", "小时数据", "环境监测"], "realtime", "air_hourly", "utf-8-sig",
     {"access": [{"kind": "download"}, {"kind": "api", "endpoint": "/api/open/air-hourly"}]}),
    ("hb-key-polluters", "重点排污单位名录", "Key pollutant-discharging entities", "sthjj", "生态环境",
     "依法确定的水环境、大气环境重点排污单位名称、行业类别、主要污染物和排污许可证编号。", ["排污单位", "排污许可", "污染源", "环境监管"], "yearly", "polluters", "gbk", {}),
    ("yb-designated-institutions", "医疗保障定点医药机构名单", "Designated medical insurance institutions", "ybj", "医疗卫生",
     "全市医疗保障定点医疗机构和定点零售药店名称、类型、医保编码、地址及门诊统筹开通情况。", ["医保", "定点药店", "定点医院", "医疗保障", "门诊统筹"], "monthly", "pharmacies", "utf-8", {}),
    ("yb-drug-prices", "国家组织药品集中采购中选药品价格", "Prices of drugs in centralised procurement", "ybj", "医疗卫生",
     "本市执行的国家和省级组织药品集中带量采购中选药品通用名、规格、生产企业、中选价格和医保支付标准。", ["集采", "药品价格", "医保支付标准", "医保"], "quarterly", "drug_prices", "utf-8", {}),
    ("sj-food-licences", "食品经营许可信息", "Food business licences", "scjgj", "市场监管",
     "全市新核发食品经营许可证的许可证编号、经营者名称、经营场所、主体业态、经营项目和有效期。", ["食品经营许可", "餐饮", "许可证", "市场主体"], "weekly", "licences", "gbk", {}),
    ("sj-food-sampling", "食品安全监督抽检结果", "Food safety sampling results", "scjgj", "市场监管",
     "市场监管部门组织的食品安全监督抽检信息，包括食品名称、被抽样单位、检验结果和不合格项目。", ["食品安全", "抽检", "不合格食品", "市场监管"], "monthly", "sampling", "utf-8-sig", {}),
    ("sj-new-enterprises", "新设立企业登记信息", "Newly registered enterprises", "scjgj", "市场监管",
     "本市新登记设立企业的名称、统一社会信用代码、企业类型、注册资本、成立日期和登记机关（法定代表人姓名已脱敏）。", ["企业登记", "市场主体", "统一社会信用代码", "营商环境"], "monthly", "enterprises", "utf-8", {}),
    ("jy-schools", "中小学校基本信息", "Primary and secondary schools", "jyj", "教育文化",
     "全市义务教育阶段中小学校名称、学段、办学性质、地址、班级数、在校生数和专任教师数。", ["学校", "中小学", "义务教育", "招生"], "yearly", "schools", "utf-8", {}),
    ("jy-kindergartens", "幼儿园名录及收费标准", "Kindergartens and fees", "jyj", "教育文化",
     "全市公办、普惠性民办和民办幼儿园名称、等级、学位数和保教费收费标准。", ["幼儿园", "学前教育", "普惠", "保教费"], "yearly", "kindergartens", "gbk", {}),
    ("rs-job-postings", "人力资源市场招聘岗位信息", "Job postings", "rsj", "社会保障",
     "公共就业服务机构发布的用人单位招聘岗位、人数、学历要求、薪酬范围和工作地点。", ["招聘", "就业", "岗位", "人力资源"], "weekly", "jobs", "utf-8", {}),
    ("rs-minimum-wage", "最低工资标准", "Minimum wage standards", "rsj", "社会保障",
     "本市各档次最低工资标准的执行日期、适用区域、月最低工资和小时最低工资，含历次调整。", ["最低工资", "工资标准", "劳动保障"], "irregular", "min_wage", "utf-8", {}),
    ("rs-contribution-rates", "社会保险缴费基数和费率", "Social insurance contribution bases and rates", "rsj", "社会保障",
     "企业职工基本养老、失业、工伤、职工基本医疗保险的缴费基数上下限和单位、个人缴费比例。", ["社保", "缴费基数", "养老保险", "社会保险"], "yearly", "pension_rates", "utf-8", {}),
    ("rs-skills-training", "职业技能培训补贴项目", "Subsidised vocational training", "rsj", "社会保障",
     "经认定的职业技能培训机构开设的补贴性培训项目、等级、补贴标准、开班日期和报名方式。", ["职业培训", "技能提升", "培训补贴"], "monthly", "training", "utf-8-sig", {}),
    ("zj-presale-permits", "商品房预售许可信息", "Pre-sale permits for commercial housing", "zjj", "城建住房",
     "商品房预售许可证号、项目名称、开发企业、批准预售套数和面积、发证日期。", ["商品房", "预售许可", "房地产", "住房"], "weekly", "housing_projects", "gbk", {}),
    ("zj-rental-prices", "住房租赁市场参考价格", "Reference rents", "zjj", "城建住房",
     "按小区和户型统计的住房租赁市场月租金参考价格，供租赁双方参考。", ["租房", "租金", "住房租赁", "参考价"], "monthly", "rental", "utf-8", {}),
    ("zj-construction-permits", "建筑工程施工许可信息", "Construction permits", "zjj", "城建住房",
     "建筑工程施工许可证编号、项目名称、建设单位、施工单位、建筑面积、合同价格和发证日期。", ["施工许可", "建筑工程", "工程建设"], "weekly", "construction_permits", "utf-8", {}),
    ("zr-land-transactions", "国有建设用地使用权出让结果", "Land use right transfers", "zrzyj", "资源环境",
     "国有建设用地使用权招拍挂出让结果，包括宗地位置、用途、面积、容积率、成交价和竞得人。", ["土地出让", "建设用地", "招拍挂", "自然资源"], "monthly", "land", "utf-8", {}),
    ("zr-geohazards", "地质灾害隐患点信息", "Geological hazard sites", "zrzyj", "公共安全",
     "已查明的滑坡、崩塌、泥石流、地面塌陷等地质灾害隐患点位置、威胁对象、险情等级和防治措施。", ["地质灾害", "滑坡", "泥石流", "隐患点", "防灾减灾"], "yearly", "hazards", "utf-8", {}),
    ("wl-scenic-spots", "A级旅游景区名录", "Rated tourist attractions", "wlj", "文化旅游",
     "全市 A 级旅游景区名称、等级、地址、门票价格、开放时间和最大承载量。", ["景区", "旅游", "A级景区", "门票"], "quarterly", "scenic", "utf-8", {}),
    ("wl-visitor-stats", "旅游接待情况月度统计", "Monthly tourism statistics", "wlj", "文化旅游",
     "全市接待游客人次、旅游总收入及同比增长、过夜游客占比的月度统计。", ["旅游统计", "游客", "旅游收入"], "monthly", "visitors", "utf-8", {}),
    ("wl-public-venues", "公共文化场馆开放信息", "Public cultural venues", "wlj", "文化旅游",
     "图书馆、博物馆、文化馆、美术馆等公共文化场馆的地址、开放时间和免费开放情况。", ["图书馆", "博物馆", "文化馆", "公共文化"], "irregular", "libraries", "utf-8-sig", {}),
    ("tj-gdp-quarterly", "地区生产总值季度数据", "Quarterly GDP", "tjj", "经济发展",
     "全市地区生产总值及第一、二、三产业增加值和可比价增速，按季度累计发布。", ["GDP", "地区生产总值", "经济增长", "统计数据"], "quarterly", "gdp", "utf-8", {}),
    ("tj-population", "常住人口主要数据", "Resident population", "tjj", "经济发展",
     "各区县年末常住人口、城镇人口、城镇化率、出生率和死亡率。", ["人口", "常住人口", "城镇化率", "统计数据"], "yearly", "population", "gbk", {}),
    ("tj-cpi", "居民消费价格指数", "Consumer price index", "tjj", "经济发展",
     "居民消费价格总指数及食品烟酒、衣着、居住、交通通信、教育文化娱乐、医疗保健分类指数。", ["CPI", "物价", "消费价格指数", "统计数据"], "monthly", "cpi", "utf-8", {}),
    ("ny-farm-prices", "主要农产品批发价格", "Wholesale prices of farm products", "nyncj", "农业农村",
     "主要批发市场蔬菜、肉蛋、粮油、水果等农产品每日最低价、最高价和平均价。", ["农产品价格", "菜价", "批发市场", "农业"], "daily", "farm_prices", "utf-8", {}),
    ("ny-cooperatives", "农民专业合作社名录", "Farmers' cooperatives", "nyncj", "农业农村",
     "农民专业合作社名称、所在乡镇、主营产业、成员数和示范社级别。", ["合作社", "农民专业合作社", "乡村振兴"], "yearly", "coops", "gbk", {}),
    ("sw-reservoirs", "水库水位及蓄水量", "Reservoir levels and storage", "swj", "资源环境",
     "大中型水库每日 8 时水位、汛限水位和蓄水量，汛期加密发布。", ["水库", "水位", "蓄水", "防汛", "水资源"], "daily", "reservoirs", "utf-8", {}),
    ("sw-water-outages", "计划停水信息", "Planned water outages", "swj", "城建住房",
     "供水管网改造、检修等原因造成的计划停水区域、时间、影响户数和咨询电话。", ["停水", "供水", "管网检修", "便民服务"], "daily", "water_outage", "utf-8", {"provider": "示例市自来水有限公司"}),
    ("mz-elderly-care", "养老服务机构名录", "Elderly care institutions", "mzj", "社会民生",
     "全市养老机构名称、性质、地址、床位数、护理型床位数和收费区间。", ["养老院", "养老服务", "床位", "老年人"], "quarterly", "elderly", "utf-8", {}),
    ("mz-marriage-offices", "婚姻登记机关信息", "Marriage registration offices", "mzj", "社会民生",
     "各婚姻登记机关地址、办公时间、预约电话和周末颁证预约安排。", ["婚姻登记", "结婚登记", "民政服务"], "irregular", "marriage_offices", "utf-8", {}),
    ("wj-hospitals", "医疗机构基本信息", "Hospitals", "wjw", "医疗卫生",
     "二级及以上医疗机构名称、级别、类别、地址、编制床位和急诊服务情况。", ["医院", "医疗机构", "三甲医院", "急诊"], "yearly", "hospitals", "utf-8", {}),
    ("wj-vaccination-clinics", "预防接种门诊信息", "Vaccination clinics", "wjw", "医疗卫生",
     "全市儿童、成人预防接种门诊和狂犬病暴露预防处置门诊的地址、门诊时间和咨询电话。", ["疫苗", "预防接种", "接种门诊", "狂犬疫苗"], "quarterly", "vaccination", "utf-8-sig", {}),
    ("ga-police-stations", "派出所及户籍窗口信息", "Police stations and household registration desks", "gaj", "公共安全",
     "各派出所地址、所属分局、辖区范围、户籍窗口办公时间和值班电话。", ["派出所", "户籍", "户口办理", "公安"], "irregular", "police_stations", "utf-8", {}),
    ("qx-daily-weather", "气象站逐日观测数据", "Daily weather observations", "qxj", "气象服务",
     "国家基本气象站和区县气象站逐日最高、最低气温、降水量、相对湿度、日照时数和天气现象。", ["天气", "气温", "降水", "气象观测"], "daily", "weather", "utf-8", {}),
    ("qx-warnings", "气象灾害预警信号发布记录", "Weather warning signals", "qxj", "气象服务",
     "暴雨、大风、雷电、冰雹、森林火险等气象灾害预警信号的发布、解除时间、级别和影响区域。", ["气象预警", "暴雨预警", "预警信号", "防灾减灾"], "realtime", "warnings", "utf-8", {}),
    ("cz-department-budgets", "市级部门预算支出情况", "Departmental budgets", "czj", "财税金融",
     "市级部门年度一般公共预算支出、基本支出、项目支出和“三公”经费预算。", ["部门预算", "财政预算", "三公经费", "财政公开"], "yearly", "budget", "utf-8", {}),
    ("fg-key-projects", "市级重点建设项目计划", "Key construction projects", "fgw", "经济发展",
     "年度市级重点建设项目名称、项目单位、建设地点、总投资、建设年限和年度计划投资。", ["重点项目", "固定资产投资", "项目建设"], "yearly", "projects", "utf-8", {}),
]

# Datasets without a file of their own: conditional, closed, API-only, and the statuses.
META_ONLY = [
    dict(id="yb-outpatient-claims", title="门诊慢特病医保结算汇总", title_en="Outpatient chronic disease claims", dept="ybj", theme="医疗卫生",
         description="按病种、医疗机构和月份汇总的门诊慢性病、特殊疾病医保结算人次和费用（不含个人明细），供卫生经济研究使用。",
         keywords=["医保结算", "慢性病", "门诊", "医保", "医疗保障"], freq="monthly", level=3,
         open={"kind": "conditional", "conditions": COND_RESEARCH, "legal_basis": BASIS_COND},
         access=[{"kind": "sandbox", "note": "在数据沙箱中按病种、机构维度查询"}], license=COND_LICENSE,
         fields=[("bzbm", "病种编码", "string"), ("bzmc", "病种名称", "string"), ("yljgdm", "医疗机构代码", "string"), ("tjyf", "统计月份", "string"),
                 ("jsrc", "结算人次", "integer", "人次"), ("zfy", "总费用", "number", "元"), ("jjzf", "基金支付", "number", "元")]),
    dict(id="sj-enterprise-credit", title="企业信用风险分类结果", title_en="Enterprise credit risk classes", dept="scjgj", theme="市场监管",
         description="市场监管部门对辖区企业开展的信用风险分类结果（A、B、C、D 类），用于金融机构授信和商业合作尽职调查。",
         keywords=["信用风险", "企业信用", "信用分类", "营商环境"], freq="quarterly", level=2,
         open={"kind": "conditional", "conditions": COND_API, "legal_basis": BASIS_COND},
         access=[{"kind": "api", "endpoint": "/api/conditional/enterprise-credit"}], license=COND_LICENSE,
         fields=[("tyshxydm", "统一社会信用代码", "string"), ("qymc", "企业名称", "string"), ("fxfl", "信用风险分类", "string"), ("pdrq", "评定日期", "date")]),
    dict(id="rs-insured-persons", title="社会保险参保人员明细", title_en="Insured persons (individual records)", dept="rsj", theme="社会保障",
         description="参加基本养老、失业、工伤保险的个人参保登记和缴费明细。涉及个人信息，依法不予开放。",
         keywords=["社保", "参保", "个人信息"], freq="monthly", level=4,
         open={"kind": "closed", "legal_basis": BASIS_PERSONAL}, license="不适用"),
    dict(id="jt-vehicle-trajectories", title="营运车辆卫星定位轨迹", title_en="Commercial vehicle GPS tracks", dept="jtj", theme="交通出行",
         description="道路客运、危险货物运输车辆卫星定位轨迹数据（车牌号已脱敏），可用于交通规划和运输安全研究，申请后在沙箱内使用。",
         keywords=["轨迹", "卫星定位", "营运车辆", "交通规划"], freq="realtime", level=3,
         open={"kind": "conditional", "conditions": COND_SANDBOX, "legal_basis": BASIS_COND},
         access=[{"kind": "sandbox"}], license=COND_LICENSE,
         fields=[("cphm_tm", "车牌号（脱敏）", "string"), ("sj", "定位时间", "datetime"), ("jd", "经度", "number", "度"), ("wd", "纬度", "number", "度"), ("sd", "速度", "number", "千米/小时")]),
    dict(id="zr-cadastral-parcels", title="不动产登记宗地信息", title_en="Cadastral parcels", dept="zrzyj", theme="资源环境",
         description="不动产登记宗地界址、权利人和权利类型。涉及权利人个人信息和商业秘密，依法不予开放；宗地统计汇总数据见其他数据集。",
         keywords=["不动产", "宗地", "不动产登记"], freq="daily", level=4,
         open={"kind": "closed", "legal_basis": BASIS_PERSONAL}, license="不适用"),
    dict(id="yj-hazardous-chemicals", title="危险化学品企业分布", title_en="Hazardous chemical enterprises", dept="yjglj", theme="公共安全",
         description="危险化学品生产、储存、经营企业位置、重大危险源级别和应急联系人。涉及公共安全，依法不予开放。",
         keywords=["危险化学品", "重大危险源", "安全生产"], freq="quarterly", level=4,
         open={"kind": "closed", "legal_basis": BASIS_SECURITY}, license="不适用"),
    dict(id="wj-birth-certificates", title="出生医学证明签发统计", title_en="Birth certificate statistics", dept="wjw", theme="医疗卫生",
         description="按区县、月份、助产机构统计的出生医学证明签发数量，可用于人口与妇幼健康研究。",
         keywords=["出生", "出生医学证明", "妇幼健康", "人口"], freq="monthly", level=2,
         open={"kind": "conditional", "conditions": ["通过平台实名认证", "说明研究用途", "成果发表时注明数据来源"], "legal_basis": BASIS_COND},
         access=[{"kind": "api", "endpoint": "/api/conditional/birth-certificates"}], license=COND_LICENSE),
    dict(id="jy-exam-scores", title="中考成绩分段统计", title_en="Senior high entrance exam score bands", dept="jyj", theme="教育文化",
         description="初中学业水平考试各科成绩分段人数统计（不含考生个人信息），供教育研究机构申请使用。",
         keywords=["中考", "成绩", "教育统计"], freq="yearly", level=2,
         open={"kind": "conditional", "conditions": COND_RESEARCH, "legal_basis": BASIS_COND},
         access=[{"kind": "sandbox"}], license=COND_LICENSE),
    dict(id="ga-traffic-violations", title="交通违法处理窗口信息", title_en="Traffic violation service desks", dept="gaj", theme="交通出行",
         description="交警部门交通违法处理窗口地址和办公时间。接口维护期间暂停开放，恢复时间另行公告。",
         keywords=["交通违法", "交警", "办事窗口"], freq="irregular", level=1,
         open={"kind": "unconditional"}, access=[{"kind": "api", "endpoint": "/api/open/traffic-desks"}], license=LICENSE,
         status="suspended", status_since="2026-11-18", status_note="数据接口升级维护，暂停开放；预计 2026 年 12 月恢复，恢复后将发布新版本。"),
    dict(id="sj-price-complaints", title="价格投诉举报处理情况", title_en="Price complaints handled", dept="scjgj", theme="市场监管",
         description="12315 平台受理的价格类投诉举报件数、办结率及典型案例。因收到涉及个人信息的异议，核实期间中止开放。",
         keywords=["价格投诉", "12315", "消费维权"], freq="monthly", level=1, open={"kind": "unconditional"}, license=LICENSE,
         status="suspended", status_since="2026-11-20", status_note="收到数据主体异议（涉及投诉人信息），依规中止开放，核实处理后再行公告。"),
    dict(id="jt-taxi-fares-2019", title="出租汽车运价标准（2019 版）", title_en="Taxi fares (2019 edition)", dept="jtj", theme="交通出行",
         description="2019 年起执行的巡游出租汽车运价标准。该标准已被 2025 年新运价标准取代，本数据集已失效。",
         keywords=["出租车", "运价", "打车费"], freq="once", level=1, open={"kind": "unconditional"}, license=LICENSE,
         status="invalid", status_since="2025-03-01", status_note="本运价标准自 2025 年 3 月 1 日起废止，数据已失效，请以现行运价标准为准。"),
    dict(id="wj-covid-testing-sites", title="核酸检测采样点", title_en="COVID-19 testing sites", dept="wjw", theme="医疗卫生",
         description="常态化核酸检测采样点名称、地址和服务时间。相关工作已结束，数据不再更新。",
         keywords=["核酸检测", "采样点"], freq="daily", level=1, open={"kind": "unconditional"}, license=LICENSE,
         status="invalid", status_since="2023-01-08", status_note="常态化核酸检测采样服务已停止，数据失效并停止更新，仅作历史记录保留。"),
    dict(id="mz-subsistence-recipients", title="城乡最低生活保障对象名单", title_en="Minimum living allowance recipients", dept="mzj", theme="社会民生",
         description="城乡最低生活保障对象姓名、家庭人数和保障金额公示名单。因涉及个人隐私，经权利人申请已撤回。",
         keywords=["低保", "最低生活保障", "社会救助"], freq="monthly", level=3, open={"kind": "unconditional"}, license=LICENSE,
         status="withdrawn", status_since="2026-06-30", status_note="经数据主体提出撤回申请并核实，公示名单含可识别个人信息，已撤回；汇总统计数据另行开放。"),
    dict(id="tj-enterprise-survey-2024", title="规模以上工业企业调查名录（2024）", title_en="Industrial enterprise survey list (2024)", dept="tjj", theme="经济发展",
         description="2024 年规模以上工业企业调查单位名录。提供单位发现数据存在错误，已撤回，更正后将作为新版本重新开放。",
         keywords=["规上工业", "企业名录", "统计调查"], freq="yearly", level=1, open={"kind": "unconditional"}, license=LICENSE,
         status="withdrawn", status_since="2026-09-15", status_note="数据存在批量错误，提供单位撤回更正，更正后以新版本重新开放。"),
    dict(id="sw-flood-control-contacts", title="防汛抗旱责任人名单", title_en="Flood control officials", dept="swj", theme="公共安全",
         description="各级防汛抗旱行政责任人、技术责任人姓名、职务和办公电话，汛期前公布。",
         keywords=["防汛", "抗旱", "责任人", "防汛应急"], freq="yearly", level=1, open={"kind": "unconditional"}, license=LICENSE,
         access=[{"kind": "api", "endpoint": "/api/open/flood-contacts"}], emergency=True),
]


def fields_for(header, rows):
    out = []
    for i, col in enumerate(header):
        sample = next((r[i] for r in rows if r[i] != ""), "")
        t = infer_type(col, sample)
        f = {"name": col, "label": col.split("(")[0].split("[")[0], "type": t}
        u = unit_of(col)
        if u and t in ("integer", "number"):
            f["unit"] = u
        out.append(f)
    return out


def toml_str(s):
    return '"' + str(s).replace("\\", "\\\\").replace('"', '\\"') + '"'


def toml_val(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_val(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_val(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def issued_modified(freq):
    issued = date_in(rng.choice([2021, 2022, 2023, 2024]))
    recent = {"realtime": "2026-11-22", "daily": "2026-11-21", "weekly": "2026-11-17", "monthly": "2026-11-05",
              "quarterly": "2026-10-15", "yearly": "2026-03-20", "irregular": date_in(2025, 1, 12), "once": issued, "half_yearly": "2026-07-10"}[freq]
    return issued, max(issued, recent)


def write_dataset(d, files=()):
    dept = D[d["dept"]]
    lines = [f"id = {toml_str(d['id'])}", f"title = {toml_str(d['title'])}", f"title_en = {toml_str(d['title_en'])}",
             f"description = {toml_str(d['description'])}", f"keywords = {toml_val(d['keywords'])}", f"theme = {toml_str(d['theme'])}",
             f"license = {toml_str(d.get('license', LICENSE))}", f"security_level = {d.get('level', 1)}", f"accrual_periodicity = {toml_str(d['freq'])}"]
    issued, modified = d.get("dates") or issued_modified(d["freq"])
    if d.get("status_since") and modified > d["status_since"]:
        modified = d["status_since"]
    if issued > modified:
        issued = modified
    lines += [f"issued = {toml_str(issued)}", f"modified = {toml_str(modified)}", f"version = {toml_str(d.get('version', '1.0'))}"]
    if d.get("provider"):
        lines.append(f"provider = {toml_str(d['provider'])}")
    if d.get("usage"):
        lines.append(f"usage_requirements = {toml_str(d['usage'])}")
    for k in ("status", "status_since", "status_note"):
        if d.get(k):
            lines.append(f"{k} = {toml_str(d[k])}")
    if d.get("emergency"):
        lines.append("emergency = true")
    if d.get("access"):
        lines.append(f"access = {toml_val(d['access'])}")
    lines.append(f"publisher = {{ id = {toml_str(d['dept'])}, name = {toml_str(dept[0])}, name_en = {toml_str(dept[1])} }}")
    lines.append(f"region = {{ name = \"示例市\", level = \"city\" }}")
    lines.append(f"spatial = \"示例市全域\"")
    lines.append(f"contact_point = {{ name = {toml_str(dept[0] + '数据管理科')}, phone = {toml_str(dept[2])}, email = {toml_str('opendata@' + d['dept'] + '.example.gov.cn')} }}")
    lines.append(f"open = {toml_val(d['open'])}")
    if d.get("fields"):
        lines.append("fields = [")
        for f in d["fields"]:
            lines.append(f"  {toml_val(f)},")
        lines.append("]")
    for f in files:
        lines.append("")
        lines.append("[[files]]")
        for k, v in f.items():
            lines.append(f"{k} = {toml_val(v)}")
    path = os.path.join(ROOT, "datasets", d["id"] + ".toml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


def write_csv(name, header, rows, encoding):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    data = buf.getvalue().encode(encoding)
    with open(os.path.join(ROOT, "files", name), "wb") as fh:
        fh.write(data)


def main():
    os.makedirs(os.path.join(ROOT, "files"), exist_ok=True)
    for (id_, title, title_en, dept, theme, desc, kw, freq, rows_key, enc, extra) in DATASETS:
        header, rows = ROWS[rows_key]()
        fname = f"{id_[3:] if id_[2] == '-' else id_}.csv"
        label = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 带 BOM", "gbk": "GBK 编码"}[enc]
        write_csv(fname, header, rows, enc)
        d = dict(id=id_, title=title, title_en=title_en, dept=dept, theme=theme, description=desc, keywords=kw, freq=freq,
                 open={"kind": "unconditional"}, fields=fields_for(header, rows), usage="使用时请注明数据来源（示例市公共数据开放平台及数源部门）和获取日期。")
        d.setdefault("access", [{"kind": "download"}])
        d.update(extra)
        files = [{"title": f"{title}（CSV，{label}）", "file": f"files/{fname}", "format": "CSV", "encoding": "gbk" if enc == "gbk" else "utf-8"}]
        write_dataset(d, files)
    for d in META_ONLY:
        d = dict(d)
        if d.get("fields"):
            d["fields"] = [dict(zip(("name", "label", "type", "unit"), f)) for f in d["fields"]]
        write_dataset(d)


if __name__ == "__main__":
    main()
