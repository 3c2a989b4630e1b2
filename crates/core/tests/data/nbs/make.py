"""Writes the NBS-shaped test files (see SOURCE.md): run from this folder with python3."""
import zipfile

YEARS = [f"{y}年" for y in range(2023, 2013, -1)]
# Fifteen indicators in the order and units of the NBS annual "国民经济核算" table; the
# values are rounded illustrations, not the published figures.
ROWS = [
    ("国民总收入(亿元)", 1251297), ("国内生产总值(亿元)", 1260582), ("第一产业增加值(亿元)", 89755),
    ("第二产业增加值(亿元)", 482589), ("第三产业增加值(亿元)", 688238), ("人均国内生产总值(元)", 89358),
    ("农林牧渔业增加值(亿元)", 93064), ("工业增加值(亿元)", 399103), ("制造业增加值(亿元)", 330000),
    ("建筑业增加值(亿元)", 85691), ("批发和零售业增加值(亿元)", 123072), ("交通运输、仓储和邮政业增加值(亿元)", 57820),
    ("住宿和餐饮业增加值(亿元)", 21024), ("金融业增加值(亿元)", 100677), ("房地产业增加值(亿元)", 73722),
]

def series(base):
    return [f"{base * (1 - 0.055 * i):.1f}".rstrip("0").rstrip(".") for i in range(len(YEARS))]

lines = ["数据库：年度数据", "时间：最近10年", ",".join(["指标"] + YEARS)]
lines += [",".join([name] + series(base)) for name, base in ROWS]
lines += ["注：1.1980年以后国民总收入（原称国民生产总值）与国内生产总值的差额为国外净要素收入。",
          "数据来源：国家统计局"]
with open("nbs-annual-gbk.csv", "wb") as f:
    f.write("\r\n".join(lines).encode("gbk") + b"\r\n")

# A workbook with a title row, a two-row header whose upper cells are merged over two
# columns each, and a source line below the data, as statistical yearbook sheets are laid out.
TOP = ["地区", "2022年", "", "2021年", ""]
SUB = ["", "地区生产总值(亿元)", "常住人口(万人)", "地区生产总值(亿元)", "常住人口(万人)"]
DATA = [["北京市", 41610.9, 2184, 40269.6, 2189], ["天津市", 16311.3, 1363, 15695.1, 1373],
        ["河北省", 42370.4, 7420, 40391.3, 7448]]
SHEET = [["表2-1 各地区生产总值和常住人口"], TOP, SUB] + DATA + [["资料来源：国家统计局《中国统计年鉴2023》"]]

def cell(ref, v):
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    if v == "":
        return ""
    v = v.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'


def col(c):
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[c]


def write_xlsx(path, sheet_name, rows, merges=()):
    rows_xml = "".join(
        f'<row r="{r + 1}">' + "".join(cell(f"{col(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows))
    merge_xml = ""
    if merges:
        merge_xml = f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>"
    sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             f'<sheetData>{rows_xml}</sheetData>{merge_xml}</worksheet>')
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{sheet_name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, body in parts.items():
            z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), body)


write_xlsx("../xlsx/yearbook-two-row-header.xlsx", "地区生产总值", SHEET,
           ["A1:E1", "A2:A3", "B2:C2", "D2:E2"])

# A catalog list (开放目录) as a portal publishes it: a title line, Chinese headers under the
# names of one provincial template (数据目录名称, 数据提供单位, 开放类型 …), values written as
# people write them, a note below. Read by `kaifang catalog import --from sheet`.
CATALOG = [
    ["示例市公共数据开放目录（2024年版）"],
    ["序号", "目录编码", "数据目录名称", "摘要", "数据提供单位", "数据领域", "开放类型", "开放条件",
     "开放依据", "更新频率", "数据格式", "信息项", "发布日期", "更新日期", "安全级别", "关键词"],
    [1, "SZ-JT-001", "公交线路及站点信息", "全市公交线路走向、站点名称和经纬度。", "示例市交通运输局", "交通出行",
     "无条件开放", "", "", "每月", "CSV、XLSX", "线路名称、站点名称、经度、纬度", "2023年3月1日", "2024/1/15", "一级", "公交，站点"],
    [2, "SZ-WS-014", "医疗机构执业登记信息", "医疗机构名称、类别、地址和执业科目。", "示例市卫生健康委员会", "医疗卫生",
     "有条件开放", "签订数据利用协议；仅限科研使用", "《示例市公共数据管理办法》第二十条", "季度", "CSV", "机构名称、类别、地址、执业科目", "2023-06-01", "2024-03-31", "二级", "医疗"],
    [3, "SZ-GA-007", "户籍人口明细", "户籍人口个人信息。", "示例市公安局", "公共安全",
     "不予开放", "", "《中华人民共和国个人信息保护法》第二十八条", "不定期", "", "", "2023-01-10", "", "四级", ""],
    [4, "", "农产品批发价格", "主要农产品批发市场每日价格。", "示例市农业农村局", "农业农村",
     "普遍开放", "", "", "每日", "CSV", "品种、市场、价格、日期", "2022.8.1", "2024.4.2", "1", ""],
    ["注：本目录依据《示例市公共数据开放管理办法》编制。"],
]
write_xlsx("../xlsx/catalog-list.xlsx", "开放目录", CATALOG)
with open("../xlsx/catalog-list-gbk.csv", "wb") as f:
    lines = [",".join(str(c) if "," not in str(c) else f'"{c}"' for c in row) for row in CATALOG]
    f.write("\r\n".join(lines).encode("gbk") + b"\r\n")
