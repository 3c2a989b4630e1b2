"""Writes a source folder's datasets as a portal's catalog list (开放目录), the spreadsheet
form `kaifang catalog import --from sheet` reads: one row per dataset, Chinese headers,
values as people write them (无条件开放, 每月, 二级, 2024年5月1日).

    python3 examples/catalog_list_from_source.py SOURCE OUT.csv

Used to time the import of the 100,000-dataset synthetic catalog in its spreadsheet form
(`kaifang catalog generate --count 100000`; figures in docs/catalog-format.md).
"""
import csv
import pathlib
import sys
import tomllib

OPEN = {"unconditional": "无条件开放", "conditional": "有条件开放", "closed": "不予开放"}
FREQ = {"realtime": "实时", "daily": "每日", "weekly": "每周", "monthly": "每月", "quarterly": "每季度",
        "half_yearly": "每半年", "yearly": "每年", "irregular": "不定期", "once": "一次性"}
LEVEL = {1: "一级", 2: "二级", 3: "三级", 4: "四级"}
HEADER = ["序号", "资源代码", "资源名称", "资源摘要", "数源部门", "数据领域", "开放属性", "开放条件", "开放依据",
          "更新频率", "数据格式", "数据项", "发布日期", "更新日期", "安全级别", "行政区划", "联系人", "关键词", "许可协议"]


def chinese_date(d):
    y, m, day = d.split("-")
    return f"{int(y)}年{int(m)}月{int(day)}日"


def row(n, d):
    o = d.get("open", {})
    return [n, d["id"], d["title"], d.get("description", ""), d["publisher"]["name"], d.get("theme", ""),
            OPEN[o.get("kind", "unconditional")], "；".join(o.get("conditions", [])), o.get("legal_basis", ""),
            FREQ[d["accrual_periodicity"]], "、".join(sorted({f.get("format", "CSV") for f in d.get("files", [])})),
            "、".join(f["name"] for f in d.get("fields", [])), chinese_date(d["issued"]), d["modified"],
            LEVEL[d["security_level"]], d["region"]["name"], d["contact_point"]["name"], "，".join(d.get("keywords", [])),
            d.get("license", "")]


def main(source, out):
    paths = sorted(pathlib.Path(source, "datasets").glob("*.toml"))
    with open(out, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["示例市公共数据开放目录"])
        w.writerow(HEADER)
        for n, p in enumerate(paths, 1):
            w.writerow(row(n, tomllib.loads(p.read_text(encoding="utf-8"))))


if __name__ == "__main__":
    main(*sys.argv[1:3])
