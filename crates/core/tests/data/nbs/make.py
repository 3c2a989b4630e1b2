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
    return f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>'

rows_xml = "".join(
    f'<row r="{r + 1}">' + "".join(cell(f"{'ABCDE'[c]}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
    for r, row in enumerate(SHEET))
merges = '<mergeCells count="4"><mergeCell ref="A1:E1"/><mergeCell ref="A2:A3"/><mergeCell ref="B2:C2"/><mergeCell ref="D2:E2"/></mergeCells>'
sheet = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
         f'<sheetData>{rows_xml}</sheetData>{merges}</worksheet>')
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="地区生产总值" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": sheet,
}
with zipfile.ZipFile("../xlsx/yearbook-two-row-header.xlsx", "w", zipfile.ZIP_DEFLATED) as z:
    for name, body in parts.items():
        z.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), body)
