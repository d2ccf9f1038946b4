"""Every visible string in Chinese and English, and number formatting for each language.

Strings live in one table keyed by a short id so a test can check that both languages are
complete. Chinese numbers use 万/亿; English uses thousands separators and k/m/bn.
Ground floor: imports nothing of ours.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable
from datetime import date

LANGS = ("zh", "en")

STRINGS: dict[str, dict[str, str]] = {
    # app shell
    "app.title": {"zh": "云剑联盟打假数据看板", "en": "Cloud Sword Alliance Dashboard"},
    "app.subtitle": {
        "zh": "阿里巴巴与各省公安、市场监管部门联合打击网络售假",
        "en": "Alibaba and provincial police and market regulators against counterfeits sold online",
    },
    "nav.overview": {"zh": "总览", "en": "Overview"},
    "nav.map": {"zh": "地图", "en": "Map"},
    "nav.network": {"zh": "售假网络", "en": "Seller network"},
    "nav.trends": {"zh": "加入前后", "en": "Before and after"},
    "nav.present": {"zh": "演示", "en": "Present"},
    "nav.data": {"zh": "数据", "en": "Data"},
    "demo.notice": {
        "zh": "演示数据：按公开数字校准的合成数据集（截至 {as_of}），并非真实记录。",
        "en": "Demonstration data: a synthetic dataset calibrated to public figures (as of {as_of}), "
        "not real records.",
    },
    "asof": {"zh": "数据截至 {date}", "en": "Data as of {date}"},
    # sidebar filters
    "filters.header": {"zh": "筛选", "en": "Filters"},
    "filters.language": {"zh": "语言 / Language", "en": "Language / 语言"},
    "filters.dates": {"zh": "日期范围", "en": "Date range"},
    "filters.provinces": {"zh": "省份", "en": "Provinces"},
    "filters.provinces.all": {"zh": "全部省份", "en": "All provinces"},
    "filters.categories": {"zh": "商品类别", "en": "Product categories"},
    "filters.categories.all": {"zh": "全部类别", "en": "All categories"},
    "filters.metric": {"zh": "指标", "en": "Metric"},
    "filters.reset": {"zh": "重置筛选", "en": "Reset filters"},
    "filters.permalink": {
        "zh": "本视图链接已写入地址栏，可直接复制分享。",
        "en": "The address bar holds a link to this view.",
    },
    "filters.url_problem": {
        "zh": "链接中的参数“{param}”无法识别（{value}），已改用默认值。",
        "en": "The link's parameter '{param}' was not understood ({value}); the default is used.",
    },
    # metrics
    "metric.clues": {"zh": "线索", "en": "Clues"},
    "metric.cases": {"zh": "案件", "en": "Cases"},
    "metric.suspects": {"zh": "抓获嫌疑人", "en": "Suspects caught"},
    "metric.seizure": {"zh": "涉案金额", "en": "Seized value"},
    "unit.clues": {"zh": "条", "en": "clues"},
    "unit.cases": {"zh": "起", "en": "cases"},
    "unit.suspects": {"zh": "人", "en": "people"},
    "unit.seizure": {"zh": "元", "en": "yuan"},
    # overview
    "overview.title": {"zh": "联盟工作总览", "en": "What the alliance has done"},
    "overview.kpi_scope": {
        "zh": "以下数字只计联盟线索及其带来的案件、抓获人数和涉案金额；{start} 至 {end}。",
        "en": "These figures count alliance clues and the cases, arrests and seizures they led to; "
        "{start} to {end}.",
    },
    "overview.delta_vs": {"zh": "较前 {months} 个月", "en": "vs previous {months} months"},
    "overview.delta_help": {
        "zh": "与上一同长时段（{start} 至 {end}）相比。",
        "en": "Compared with the previous period of equal length ({start} to {end}).",
    },
    "overview.delta_na": {"zh": "无可比数据", "en": "no earlier data"},
    "overview.delta_none": {
        "zh": "上一同长时段（{start} 至 {end}）不在数据范围内，无法比较。",
        "en": "The previous period of equal length ({start} to {end}) lies outside the data.",
    },
    "overview.funnel": {"zh": "线索 → 案件 → 抓获 → 查获", "en": "Clue → case → arrest → seizure"},
    "overview.funnel.clues": {"zh": "移交线索", "en": "Clues handed over"},
    "overview.funnel.cases": {"zh": "立案的线索", "en": "Clues that became cases"},
    "overview.funnel.suspects": {"zh": "有抓获的案件", "en": "Cases with arrests"},
    "overview.funnel.seizure": {"zh": "既抓获又查获的案件", "en": "…and goods seized"},
    "overview.funnel.people": {"zh": "共抓获 {n} 人", "en": "{n} suspects caught"},
    "overview.funnel.note": {
        "zh": "每一级是上一级中继续推进的部分；百分比相对于移交线索数。",
        "en": "Each stage is the part of the one above that went further; "
        "percentages are of clues handed over.",
    },
    "overview.timeline": {"zh": "联盟成员加入时间", "en": "How the alliance grew"},
    "overview.timeline.illustrative": {"zh": "示意日期（未公开）", "en": "Illustrative date (not public)"},
    "overview.timeline.public": {"zh": "公开日期", "en": "Public date"},
    "overview.timeline.members": {"zh": "成员数", "en": "Members"},
    "overview.map": {"zh": "各省{metric}", "en": "{metric} by province"},
    "overview.map.member": {
        "zh": "联盟成员（截至 {date}）",
        "en": "Alliance member (as of {date})",
    },
    "overview.map.no_data": {"zh": "无数据", "en": "No data"},
    "overview.empty": {
        "zh": "当前筛选条件下没有数据：请放宽日期、省份或类别。",
        "en": "Nothing matches the current filters: widen the dates, provinces or categories.",
    },
    "overview.monthly": {"zh": "每月联盟线索与案件", "en": "Alliance clues and cases by month"},
    # the data's column heads and values in a download (export.readable)
    "col.month": {"zh": "月份", "en": "Month"},
    "col.value": {"zh": "数值", "en": "Value"},
    "col.raw": {"zh": "原始数", "en": "Raw figure"},
    "col.population": {"zh": "人口", "en": "Population"},
    "col.gdp_cny": {"zh": "地区生产总值（元）", "en": "GDP (yuan)"},
    "col.category": {"zh": "商品类别", "en": "Category"},
    "col.province_adcode": {"zh": "省份代码", "en": "Province code"},
    "col.src": {"zh": "网店所在省代码", "en": "Shops' province code"},
    "col.dst": {"zh": "供货方所在省代码", "en": "Suppliers' province code"},
    "col.chains": {"zh": "链条数", "en": "Chains"},
    "col.stage": {"zh": "环节", "en": "Stage"},
    "col.joined_on": {"zh": "加入日期", "en": "Joined on"},
    "col.illustrative": {"zh": "示意日期", "en": "Illustrative date"},
    "col.lon": {"zh": "经度", "en": "Longitude"},
    "col.lat": {"zh": "纬度", "en": "Latitude"},
    "col.clues": {"zh": "线索", "en": "Clues"},
    "col.cases": {"zh": "案件", "en": "Cases"},
    "col.suspects": {"zh": "抓获嫌疑人", "en": "Suspects caught"},
    "col.seizure": {"zh": "涉案金额（元）", "en": "Seized value (yuan)"},
    "col.name": {"zh": "名称", "en": "Name"},
    "col.kind": {"zh": "类型", "en": "Kind"},
    "col.entity_id": {"zh": "编号", "en": "Id"},
    "value.yes": {"zh": "是", "en": "Yes"},
    "value.no": {"zh": "否", "en": "No"},
    "value.no_data": {"zh": "无数据", "en": "No data"},
    "axis.month": {"zh": "月份", "en": "Month"},
    "axis.count": {"zh": "数量", "en": "Count"},
    "axis.date": {"zh": "加入日期", "en": "Date joined"},
    # categories
    "category.apparel": {"zh": "服装", "en": "Apparel"},
    "category.footwear": {"zh": "鞋类", "en": "Footwear"},
    "category.bags": {"zh": "箱包", "en": "Bags"},
    "category.cosmetics": {"zh": "化妆品", "en": "Cosmetics"},
    "category.electronics": {"zh": "电子产品", "en": "Electronics"},
    "category.auto_parts": {"zh": "汽车配件", "en": "Auto parts"},
    "category.food": {"zh": "食品", "en": "Food"},
    "category.medicine": {"zh": "药品", "en": "Medicine"},
    "category.toys": {"zh": "玩具", "en": "Toys"},
    "category.jewellery": {"zh": "珠宝首饰", "en": "Jewellery"},
    # errors the user can fix
    "error.title": {"zh": "无法加载数据", "en": "The data could not be loaded"},
    "error.config_missing": {"zh": "找不到配置文件 {file}。", "en": "Config file {file} not found."},
    "error.config_invalid": {
        "zh": "配置文件 {file} 无法读取：{detail}",
        "en": "Config file {file} cannot be read: {detail}",
    },
    "error.unknown_province": {
        "zh": "{file}：未知省份“{name}”。最接近的是：{suggestions}",
        "en": "{file}: unknown province '{name}'. Closest matches: {suggestions}",
    },
    "error.join_outside_range": {
        "zh": "{file}：{province} 的加入日期 {date} 不在数据范围 {start} 至 {end} 之内。",
        "en": "{file}: {province} joins on {date}, outside the data's range {start} to {end}.",
    },
    "error.bad_date": {
        "zh": "{file}：{field} 的值“{value}”不是日期（应为 YYYY-MM-DD）。",
        "en": "{file}: '{value}' in {field} is not a date (use YYYY-MM-DD).",
    },
    "error.config_value": {
        "zh": "{file}：{field} 有误：{detail}",
        "en": "{file}: {field} is wrong: {detail}",
    },
    "error.unknown_place": {
        "zh": "未知地名“{query}”。最接近的是：{suggestions}",
        "en": "Unknown place '{query}'. Closest matches: {suggestions}",
    },
    "error.data_dir_missing": {
        "zh": "找不到数据集“{dataset}”（网页读取环境变量 CLOUDSWORD_DATA，命令行读取 --data）。",
        "en": "Dataset '{dataset}' does not exist (the app reads the CLOUDSWORD_DATA environment "
        "variable, the command line --data).",
    },
    "error.data_missing": {
        "zh": "数据集“{dataset}”缺少数据文件 {file}。",
        "en": "Dataset '{dataset}' has no data file {file}.",
    },
    "error.data_corrupt": {
        "zh": "数据集“{dataset}”中的 {file} 已损坏或不是 Parquet 文件。",
        "en": "{file} in dataset '{dataset}' is damaged or not a Parquet file.",
    },
    "error.data_unreadable": {
        "zh": "数据集“{dataset}”中的 {file} 无法读取：服务器没有读取它的权限。",
        "en": "{file} in dataset '{dataset}' cannot be read: the server has no permission to read it.",
    },
    "error.manifest": {
        "zh": "数据集“{dataset}”的 {file} 无法读取：{detail}",
        "en": "{file} of dataset '{dataset}' cannot be read: {detail}",
    },
    "error.dataset_invalid": {
        "zh": "数据集“{dataset}”不符合数据模型（docs/data-model.md），未被打开：\n{problems}",
        "en": "Dataset '{dataset}' does not match the data model (docs/data-model.md) and was not opened:\n"
        "{problems}",
    },
    # every chart's download menu
    "export.menu": {"zh": "下载", "en": "Download"},
    "export.png": {"zh": "图片（PNG）", "en": "Image (PNG)"},
    "export.svg": {"zh": "矢量图（SVG）", "en": "Vector image (SVG)"},
    "export.html": {"zh": "交互式图表（HTML，可离线打开）", "en": "Interactive chart (HTML, opens offline)"},
    "export.csv": {"zh": "数据（CSV）", "en": "Data (CSV)"},
    "export.xlsx": {"zh": "数据（Excel）", "en": "Data (Excel)"},
    "export.no_browser": {
        "zh": "服务器上没有 Chromium，无法生成图片；请下载 HTML，在浏览器中另存为图片。",
        "en": "No Chromium on the server, so images cannot be rendered; download the HTML and save it "
        "as an image from a browser.",
    },
    "export.image_failed": {
        "zh": "图片生成失败（{reason}）。",
        "en": "The image could not be rendered ({reason}).",
    },
    "export.add_slide": {"zh": "加入演示文稿", "en": "Add to the presentation"},
    "export.added_slide": {
        "zh": "已加入演示文稿（共 {n} 页）。",
        "en": "Added to the presentation ({n} slides).",
    },
    "error.unexpected": {
        "zh": "出现意外错误（{detail}）。数据未被修改；请刷新页面，若仍出现请联系维护人员。",
        "en": "Something unexpected went wrong ({detail}). No data was changed; reload the page, "
        "and tell the maintainers if it happens again.",
    },
}


def _merge_feature_strings() -> None:
    """Each feature keeps its strings beside its code (cloudsword/<feature>/strings*.py, a STRINGS
    dict of the same shape), so features grow in parallel; they all end up in this one table.
    Found by name, not imported by i18n: the ground floor knows no feature."""
    import importlib
    import pkgutil

    import cloudsword

    for mod in pkgutil.walk_packages(cloudsword.__path__, "cloudsword."):
        if mod.name.rsplit(".", 1)[-1].startswith("strings"):
            extra = importlib.import_module(mod.name).STRINGS
            clash = set(extra) & set(STRINGS)
            if clash:
                raise KeyError(f"{mod.name} redefines {sorted(clash)[:3]}")
            STRINGS.update(extra)


_merge_feature_strings()


def t(key: str, lang: str, **params: object) -> str:
    """The string `key` in `lang`, with `params` filled in."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**params) if params else text


def _is_message(value: object) -> bool:
    return hasattr(value, "key") and hasattr(value, "params")


def error_text(err: object, lang: str) -> str:
    """A user-facing sentence for a CloudSwordError or errors.Message (anything with .key/.params).
    Parameters that are messages themselves (the problems found in a file) are translated too, a
    list of them one per line."""
    key, params = getattr(err, "key", None), dict(getattr(err, "params", {}))
    if key not in STRINGS:
        return t("error.unexpected", lang, detail=type(err).__name__)
    for k, v in params.items():
        if _is_message(v):
            params[k] = error_text(v, lang)
        elif isinstance(v, (list, tuple)) and v and all(_is_message(x) for x in v):
            params[k] = "\n".join(error_text(x, lang) for x in v)
        elif isinstance(v, (list, tuple)):
            params[k] = join(v, lang)
    try:
        return t(key, lang, **params)
    except (KeyError, IndexError):
        return t(key, "en", **params) if lang != "en" else str(err)


def join(items: Iterable[object], lang: str) -> str:
    """A list as the language writes one: 浙江、广东 / Zhejiang, Guangdong."""
    return ("、" if lang == "zh" else ", ").join(map(str, items))


def sentences(parts: Iterable[str], lang: str) -> str:
    """Sentences run together as the language writes them: no space after 。, one after a full stop."""
    return ("" if lang == "zh" else " ").join(parts)


def metric_name(metric: str, lang: str, in_sentence: bool = False) -> str:
    """A metric's name: as a label ('Cases') or inside a sentence ('cases')."""
    name = t(f"metric.{metric}", lang)
    return name.lower() if in_sentence and lang != "zh" else name


def _trim(x: float, digits: int) -> str:
    s = f"{x:,.{digits}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def format_number(value: float | None, lang: str, digits: int = 1) -> str:
    """A count or amount for people: 1.2万 / 30.5亿 in Chinese, 12.3k / 3.05 bn in English."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    v, sign = abs(float(value)), "-" if value < 0 else ""
    if lang == "zh":
        if v >= 1e8:
            return f"{sign}{_trim(v / 1e8, max(digits, 2) if v < 1e10 else digits)}亿"
        if v >= 1e4:
            return f"{sign}{_trim(v / 1e4, digits)}万"
        return sign + (f"{v:.0f}" if v == int(v) else _trim(v, digits))
    if v >= 1e9:
        return f"{sign}{_trim(v / 1e9, 2)} bn"
    if v >= 1e6:
        return f"{sign}{_trim(v / 1e6, digits)} m"
    if v >= 1e5:
        return f"{sign}{_trim(v / 1e3, 0)}k"
    return sign + (f"{v:,.0f}" if v == int(v) else _trim(v, digits))


def format_money(value: float | None, lang: str) -> str:
    """Yuan: 30.5亿元 / ¥3.05 bn."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{format_number(value, 'zh')}元" if lang == "zh" else f"¥{format_number(value, 'en')}"


def format_metric(metric: str, value: float | None, lang: str) -> str:
    return format_money(value, lang) if metric == "seizure" else format_number(value, lang)


def format_pct(value: float | None, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value * 100:+.1f}%"


def format_date(d: date, lang: str) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if lang == "zh" else d.strftime("%d %b %Y").lstrip("0")


def format_month(d: date, lang: str) -> str:
    return f"{d.year}年{d.month}月" if lang == "zh" else d.strftime("%b %Y")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=&\"'^@%/])")


def md(text: object) -> str:
    """`text` as literal words for a markdown renderer (Streamlit's messages, captions, labels):
    every ASCII punctuation mark is backslash-escaped, so outside text (a URL value, a seller's
    name, a deck's title) can never become a link, an image, a heading, a formula, an emoji or a
    colour directive; a line break stays a line break."""
    lines = str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "  \n".join(_MARKDOWN_SPECIAL.sub(r"\\\1", line) for line in lines)


def html_text(text: object) -> str:
    """`text` as literal words inside a plotly label or a deck.gl tooltip, which read a little HTML
    (<a href>, <b>, <img> in a tooltip): outside text (a seller's name) stays text."""
    return html.escape(str(text), quote=False)
