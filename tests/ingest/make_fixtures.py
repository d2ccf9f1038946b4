"""Builds the import fixtures in tests/ingest/fixtures/: small, realistic files as bureaus send
them, each with its problems on purpose. Run it again after changing it:

    .venv/bin/python tests/ingest/make_fixtures.py

The files are committed (the tests read them as they are); this script says what is in them.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

HERE = Path(__file__).resolve().parent / "fixtures"

# A GBK CSV with Chinese headers, as exported from a provincial case system: dates in four forms
# and an Excel serial day, places as names, short names, English and addresses, money in 万元 by
# its header and with units in cells. Ten rows, five of them wrong on purpose.
GBK_HEADER = [
    "案件编号",
    "线索编号",
    "立案日期",
    "省份",
    "城市",
    "案发地址",
    "商品类别",
    "抓获人数",
    "涉案金额（万元）",
    "捣毁窝点数",
]
GBK_ROWS = [
    ["GD2017-0001", "CL000001", "2017年8月1日", "广东", "深圳", "", "服装", "2人", "12.5", "1"],
    ["GD2017-0002", "", "2017/8/2", "广东省", "广州市", "", "鞋类", "0", "1,200元", "0"],
    ["GD2017-0003", "", "2017.08.03", "Guangdong", "Dongguan", "", "化妆品", "1", "3万元", "2"],
    ["GD2017-0004", "", "20170804", "粤", "", "广东省佛山市南海区桂城街道", "玩具", "3", "0.8", "1"],
    ["GD2017-0005", "", "42951", "440000", "440300", "", "箱包", "1", "2", "0"],
    ["GD2017-0006", "", "2017年2月30日", "广东", "深圳", "", "服装", "1", "5", "0"],  # no such day
    ["GD2017-0007", "", "2099-01-01", "广东", "深圳", "", "服装", "1", "5", "0"],  # in the future
    ["GD2017-0008", "", "2017-08-05", "火星省", "", "", "服装", "1", "5", "0"],  # no such province
    ["GD2017-0009", "", "2017-08-06", "广东", "深圳", "", "服装", "1", "-5", "0"],  # negative money
    ["GD2017-0001", "", "2017-08-07", "广东", "深圳", "", "服装", "1", "不详", "0"],  # dup id, text money
]
# The same kind of file from an English-speaking analyst: UTF-8 with a byte-order mark.
BOM_HEADER = [
    "Case ID",
    "Clue ID",
    "Opened on",
    "Province",
    "City",
    "Category",
    "Suspects caught",
    "Seizure (yuan)",
    "Facilities closed",
]
BOM_ROWS = [
    ["ZJ-1", "", "2017-07-01", "Zhejiang", "Hangzhou", "footwear", "1", "¥25,000", "0"],
    ["ZJ-2", "", "2017-07-02", "浙江省", "宁波市", "Toys", "0", "12,000", "1"],
    ["ZJ-3", "", "2017-07-03", "浙", "温州", "apparel", "2", "1.5万", "0"],
]
SUSPECT_HEADER = ["Suspect ID", "Case ID", "Entity ID", "Name", "Role", "Caught on"]
SUSPECT_ROWS = [
    ["SU900001", "CA00032171", "", '=HYPERLINK("http://203.0.113.9/x","click")', "dealer", "2017-07-01"],
    ["SU900002", "CA00032171", "", "<script>alert(1)</script>", "accomplice", "2017-07-02"],
    ["SU900003", "CA00032171", "", "@SUM(A1:A9)", "operator", "2017-07-03"],
]


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue()


def _xlsx(path: Path) -> None:
    """Two sheets (a notes sheet first), a title merged across the table, a two-row header whose
    upper cells span several columns (案件信息 over 编号 and 立案日期; 地点 over 省份 and 城市)."""
    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes["A1"] = "本表由某省市场监管局填报，金额单位：元。"
    ws = wb.create_sheet("案件")
    ws["A1"] = "2017年第三季度打假案件统计表"
    ws.merge_cells("A1:H1")
    ws["A1"].font = Font(bold=True)
    # 到案（人） is no synonym of suspects_caught: the user maps it by hand
    ws["A2"], ws["C2"], ws["E2"], ws["F2"], ws["G2"], ws["H2"] = (
        "案件信息",
        "地点",
        "商品类别",
        "到案（人）",
        "涉案金额（元）",
        "捣毁窝点",
    )
    ws.merge_cells("A2:B2")
    ws.merge_cells("C2:D2")
    for col in "EFGH":
        ws.merge_cells(f"{col}2:{col}3")
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = "案件编号", "立案日期", "省份", "城市"
    for cell in ws[2] + ws[3]:
        cell.alignment = Alignment(horizontal="center", vertical="center")
    import datetime as dt

    rows = [
        ["JS-0001", dt.datetime(2017, 7, 10), "江苏", "苏州", "电子产品", 2, 35000, 1],
        ["JS-0002", "2017年7月11日", "江苏省", "南京市", "药品", 1, "8,000", 0],
        ["JS-0003", 42928, "Jiangsu", "Wuxi", "食品", 0, 1200.5, 0],
    ]
    for r in rows:
        ws.append(r)
    wb.save(path)


def main() -> None:
    HERE.mkdir(exist_ok=True)
    (HERE / "cases_gbk.csv").write_bytes(_csv([GBK_HEADER, *GBK_ROWS]).encode("gbk"))
    (HERE / "cases_bom.csv").write_bytes(_csv([BOM_HEADER, *BOM_ROWS]).encode("utf-8-sig"))
    (HERE / "suspects_hostile.csv").write_bytes(_csv([SUSPECT_HEADER, *SUSPECT_ROWS]).encode("utf-8"))
    (HERE / "suspects_as_cases.csv").write_bytes(_csv([SUSPECT_HEADER, *SUSPECT_ROWS[:1]]).encode("utf-8"))
    (HERE / "header_only.csv").write_bytes(_csv([GBK_HEADER]).encode("gbk"))
    (HERE / "empty.csv").write_bytes(b"")
    _xlsx(HERE / "cases_merged.xlsx")


if __name__ == "__main__":
    main()
