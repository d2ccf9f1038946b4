"""Strings of the province map page (/map), merged into i18n.STRINGS."""

STRINGS: dict[str, dict[str, str]] = {
    "map.title": {"zh": "各省打假地图", "en": "Enforcement across the provinces"},
    "map.caption": {
        "zh": "{metric} · {scope} · {start} 至 {end}。点击省份查看详情。",
        "en": "{metric} · {scope} · {start} to {end}. Click a province for its details.",
    },
    "map.norm": {"zh": "口径", "en": "Measure"},
    "map.norm.total": {"zh": "总量", "en": "Total"},
    "map.norm.pop": {"zh": "每千万人", "en": "Per 10 million people"},
    "map.norm.gdp": {"zh": "每千亿元GDP", "en": "Per 100 bn yuan of GDP"},
    "map.cls": {"zh": "分级方法", "en": "Classes"},
    "map.cls.quantiles": {"zh": "分位数", "en": "Quantiles"},
    "map.cls.jenks": {"zh": "自然断点", "en": "Natural breaks"},
    "map.cls.equal": {"zh": "等间距", "en": "Equal intervals"},
    "map.scope": {"zh": "范围", "en": "Scope"},
    "map.scope.all": {"zh": "全部案件", "en": "All cases"},
    "map.scope.alliance": {"zh": "仅联盟线索案件", "en": "Alliance clues only"},
    "map.span": {"zh": "时段", "en": "Period"},
    "map.span.month": {"zh": "当月", "en": "That month"},
    "map.span.cumul": {"zh": "累计至当月", "en": "Up to that month"},
    "map.month": {"zh": "月份", "en": "Month"},
    "map.play": {"zh": "逐月播放", "en": "Play month by month"},
    "map.figure": {"zh": "{month}各省{metric}（{norm}）", "en": "{metric} ({norm}), {month}"},
    "map.figure.cumul": {"zh": "截至{month}", "en": "up to {month}"},
    "map.legend.classes": {"zh": "分级（{unit}）", "en": "Classes ({unit})"},
    "map.legend.no_data": {"zh": "无数据", "en": "No data"},
    "map.legend.member": {"zh": "联盟成员（粗框）", "en": "Alliance member (bold outline)"},
    "map.legend.nonmember": {"zh": "非成员（细框）", "en": "Not a member (thin outline)"},
    "map.unit.count": {"zh": "件", "en": "count"},
    "map.unit.people": {"zh": "人", "en": "people"},
    "map.unit.yuan": {"zh": "元", "en": "yuan"},
    "map.unit.per_pop": {"zh": "{unit}/千万人", "en": "{unit} per 10 m people"},
    "map.unit.per_gdp": {"zh": "{unit}/千亿元GDP", "en": "{unit} per 100 bn yuan GDP"},
    "map.hover.member": {"zh": "成员，{date}加入", "en": "member since {date}"},
    "map.hover.nonmember": {"zh": "非成员", "en": "not a member"},
    "map.empty": {
        "zh": "当前筛选条件下本月没有数据：请换一个月份或放宽筛选。",
        "en": "Nothing in this month under the current filters: pick another month or widen the filters.",
    },
    # province panel
    "map.panel.close": {"zh": "关闭省份详情", "en": "Close the province panel"},
    "map.panel.member": {"zh": "{date}加入联盟", "en": "Joined the alliance on {date}"},
    "map.panel.illustrative": {"zh": "（示意日期）", "en": " (illustrative date)"},
    "map.panel.nonmember": {"zh": "截至数据结束尚未加入联盟", "en": "Not a member by the end of the data"},
    "map.panel.cities": {"zh": "{province}各市{metric}", "en": "{metric} by city, {province}"},
    "map.panel.trend": {"zh": "{province}每月{metric}", "en": "{metric} by month, {province}"},
    "map.panel.joined": {"zh": "加入", "en": "joined"},
    "map.panel.categories": {"zh": "{province}主要商品类别", "en": "Top product categories, {province}"},
    "map.panel.cross": {"zh": "跨省链条占比", "en": "Clues whose chain crosses provinces"},
    "map.panel.cross_help": {
        "zh": "交给本省的线索中，其目标主体直接关联（供货、仓储、经营）的主体位于外省的比例："
        "{n} / {total} 条。",
        "en": "Of the clues handed to this province, the share whose target is directly linked (supply, "
        "storage, operation) to an entity in another province: {n} of {total}.",
    },
    "map.panel.cross_count": {
        "zh": "本期交给本省的 {total} 条线索中有 {n} 条",
        "en": "{n} of the {total} clues handed to this province in the period",
    },
    "map.panel.cross_none": {
        "zh": "所选时段内本省没有收到线索。",
        "en": "No clues reached this province in the period.",
    },
    "map.panel.networks": {
        "zh": "涉及本省的最大售假网络",
        "en": "Largest seller networks touching this province",
    },
    "map.panel.networks_help": {
        "zh": "网络为相互关联的主体组成的连通群组（不计物流、支付等公共枢纽），按主体数排序。",
        "en": "A network is a connected group of linked entities (shared hubs such as logistics and "
        "payment providers left out), largest first.",
    },
    "map.panel.network_row": {
        "zh": "[{name}]({url})：{hops} 跳之内 {entities} 个主体，涉及 {provinces} 个省"
        "（整个群组 {group} 个主体、{group_provinces} 个省，{clues} 条线索）",
        "en": "[{name}]({url}): {entities} entities in {provinces} provinces within {hops} links, "
        "as its page opens (the whole group: {group} entities in {group_provinces} provinces, "
        "{clues} clues)",
    },
    "map.panel.no_networks": {"zh": "没有涉及本省的网络。", "en": "No network touches this province."},
    "map.panel.unknown": {
        "zh": "链接中的省份“{value}”无法识别，已显示全国视图。",
        "en": "The link's province '{value}' was not understood; showing the whole country.",
    },
    # before / after
    "map.compare.title": {"zh": "前后对比", "en": "Before and after"},
    "map.compare.pivot": {"zh": "对比日期", "en": "Compare around"},
    "map.compare.window": {"zh": "前后各几个月", "en": "Months on each side"},
    "map.compare.before": {"zh": "之前：{start} 至 {end}", "en": "Before: {start} to {end}"},
    "map.compare.after": {"zh": "之后：{start} 至 {end}", "en": "After: {start} to {end}"},
    "map.compare.note": {
        "zh": "两幅图使用相同分级，可直接比较颜色。",
        "en": "Both maps share the same classes, so colours compare directly.",
    },
    "map.compare.short": {
        "zh": "对比日期前后的时段超出数据范围，已截短。",
        "en": "The periods around this date reach beyond the data and were shortened.",
    },
    "map.compare.view": {"zh": "对比方式", "en": "Show"},
    "map.compare.view.pair": {"zh": "并排两图", "en": "Side by side"},
    "map.compare.view.diff": {"zh": "变化图", "en": "Difference"},
    "map.diff.figure": {
        "zh": "{pivot}前后{metric}（{norm}）的月均变化",
        "en": "Change per month in {metric} ({norm}) around {pivot}",
    },
    "map.diff.colorbar": {"zh": "每月变化<br>（{unit}）", "en": "Change per month<br>({unit})"},
    "map.diff.change": {"zh": "月均变化", "en": "Change per month"},
    "map.diff.hover": {
        "zh": "月均值（{unit}）<br>之前：{before}<br>之后：{after}<br>变化：{change}（{pct}）",
        "en": "Monthly average ({unit})<br>before: {before}<br>after: {after}<br>change: {change} ({pct})",
    },
    "map.diff.caption": {
        "zh": "变化 = 之后的月均值（{after_start} 至 {after_end}，{after_n} 个月）减去之前的月均值"
        "（{before_start} 至 {before_end}，{before_n} 个月），单位为{unit}；按月平均，时段长短不同也可比较。"
        "红色为增加，蓝色为减少，色标以零为中心。灰色表示任一时段无数据（例如非成员省没有线索），而非零。",
        "en": "Change = the monthly average after ({after_start} to {after_end}, {after_n} months) minus "
        "the monthly average before ({before_start} to {before_end}, {before_n} months), in {unit}; "
        "averages per month keep periods of different length comparable. Red is a rise, blue a fall, "
        "the scale centred on zero. Grey means no data in one of the periods (for example, no clues "
        "outside the alliance), not zero.",
    },
    "map.diff.empty": {
        "zh": "没有省份在前后两个时段都有数据：请换一个对比日期或放宽筛选。",
        "en": "No province has data in both periods: pick another date or widen the filters.",
    },
    "map.col.before": {"zh": "之前月均", "en": "Before, per month"},
    "map.col.after": {"zh": "之后月均", "en": "After, per month"},
    "map.col.change": {"zh": "月均变化", "en": "Change per month"},
    "map.col.pct": {"zh": "变化（%）", "en": "Change (%)"},
    # flows
    "map.flows.title": {"zh": "跨省链条流向", "en": "Chains across provinces"},
    "map.flows.caption": {
        "zh": "弧线从网店注册省指向其工厂、仓库和经销商所在省，宽度为链条数；柱高为各市{metric}。",
        "en": "Arcs run from the province where shops are registered to the provinces of their "
        "factories, storehouses and dealers, width by number of chains; columns show {metric} by city.",
    },
    "map.flows.arc": {"zh": "从{src}到{dst}", "en": "{src} → {dst}"},
    "map.flows.chains": {"zh": "{n} 条链条", "en": "{n} chains"},
    "map.flows.empty": {"zh": "所选时段没有跨省链条。", "en": "No chains crossed provinces in the period."},
    # flows as a static picture (charts_flows.flows_figure)
    "map.flows.width": {
        "zh": "线宽与颜色：链条数（网店—供货方组合）",
        "en": "Line width and colour: chains (shop–supplier pairs)",
    },
    "map.flows.class": {"zh": "{lo}–{hi} 条链条", "en": "{lo}–{hi} chains"},
    "map.flows.chains_in": {"zh": "流入 {n} 条链条", "en": "{n} chains end here"},
    "map.flows.supplier_end": {"zh": "供货方所在省（线条终点）", "en": "Suppliers' province (line end)"},
    "map.flows.note": {
        "zh": "线条从网店注册省指向其工厂、仓库和经销商所在省，<br>"
        "沿行进方向向右弯曲；一条链条即所选时段内活跃的一个网店—供货方组合。",
        "en": "Lines run from the province where shops are registered to the province of their<br>"
        "factories, storehouses and dealers, bending to the right of travel. A chain is one<br>"
        "shop–supplier pair active in the period.",
    },
    # export
    "map.export.csv": {"zh": "地图数据（CSV）", "en": "Map data (CSV)"},
    "map.export.png": {"zh": "地图图片（PNG）", "en": "Map image (PNG)"},
    "map.export.svg": {"zh": "地图矢量图（SVG）", "en": "Map vector image (SVG)"},
    "map.export.html": {"zh": "交互式地图（HTML）", "en": "Interactive map (HTML)"},
    "map.export.permalink": {"zh": "本视图的链接", "en": "Link to this view"},
    "map.export.error": {
        "zh": "图片导出失败：服务器上的 Chromium 不可用。",
        "en": "The image export failed: Chromium is not available on the server.",
    },
    "map.col.province": {"zh": "省份", "en": "Province"},
    "map.col.value": {"zh": "数值", "en": "Value"},
    "map.col.raw": {"zh": "总量", "en": "Total"},
    "map.col.cls": {"zh": "分级", "en": "Class"},
    "map.col.member": {"zh": "成员", "en": "Member"},
    "map.panel.cases": {"zh": "{province}{month}的案件", "en": "Cases in {province}, {month}"},
    "map.panel.cases_alliance": {
        "zh": "仅列出联盟线索所立的案件（与地图的范围一致）。",
        "en": "Only cases opened on alliance clues (the map's scope).",
    },
}
