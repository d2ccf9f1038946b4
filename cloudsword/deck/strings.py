"""Strings of the presenter deck (slide titles, talking points, problems, saved-deck errors),
merged into i18n.STRINGS."""

STRINGS: dict[str, dict[str, str]] = {
    # slide titles (a spec's own title wins)
    "deck.title.headline": {"zh": "联盟战果一览", "en": "The alliance in numbers"},
    "deck.title.growth": {"zh": "联盟如何壮大", "en": "How the alliance grew"},
    "deck.title.overview_map": {"zh": "各省{metric}", "en": "{metric} by province"},
    "deck.title.map": {"zh": "{month}各省{metric}", "en": "{metric} by province, {month}"},
    "deck.title.map_province": {
        "zh": "{month}各省{metric}：聚焦{province}",
        "en": "{metric} by province, {month}: {province}",
    },
    "deck.title.compare": {
        "zh": "前后对比：{before} 与 {after}",
        "en": "Before and after: {before} and {after}",
    },
    "deck.title.network": {"zh": "一个售假网络：{name}", "en": "One seller network: {name}"},
    "deck.title.trends": {"zh": "加入联盟前后：{metric}", "en": "Before and after joining: {metric}"},
    "deck.title.problem": {"zh": "无法显示的视图", "en": "A view that no longer resolves"},
    # subtitles: what is shown, in words
    "deck.sub.period": {"zh": "{start} 至 {end}", "en": "{start} to {end}"},
    "deck.sub.network": {
        "zh": "{n} 个主体、{links} 条关系，跨 {p} 个省份 · 距{name} {hops} 步以内",
        "en": "entities: {n} · links: {links} · provinces: {p} · steps from {name}: up to {hops}",
    },
    "deck.sub.network_cap": {"zh": "图中显示 {shown} 个", "en": "{shown} shown"},
    "deck.sub.masked": {"zh": "人名与个人编号已脱敏", "en": "personal names and ids masked"},
    # facts
    "deck.fact.effect": {"zh": "加入后平均变化", "en": "Average change after joining"},
    "deck.fact.interval": {"zh": "95% 区间", "en": "95% interval"},
    "deck.fact.provinces": {"zh": "成员省份", "en": "Member provinces"},
    # talking points (speaker notes), numbers from the data
    "deck.notes.headline": {
        "zh": "{start}至{end}，联盟共移交线索 {clues} 条，其中 {conv} 已立案，共 {cases} 起案件；"
        "{arrest_share} 的案件有抓获，共抓获嫌疑人 {suspects} 人，涉案金额 {seizure}。",
        "en": "From {start} to {end} the alliance handed over {clues} clues; {conv} became cases "
        "({cases} cases). {arrest_share} of those cases led to arrests: {suspects} suspects caught, "
        "{seizure} in goods seized.",
    },
    "deck.notes.growth": {
        "zh": "联盟始于{first}（{first_date}），截至{end}共有 {n} 个成员省份，"
        "最近加入的是{last}（{last_date}）。"
        "联盟线索从最初 6 个月的月均 {early} 条，增至最近 6 个月的月均 {late} 条。",
        "en": "The alliance began with {first} ({first_date}); by {end} it had {n} member provinces, "
        "the latest {last} ({last_date}). Alliance clues rose from {early} a month in its first six "
        "months to {late} a month in the last six.",
    },
    "deck.notes.illustrative": {
        "zh": "{k} 个成员的加入日期未公开，图中空心点为示意日期。",
        "en": "{k} members' join dates are not public: hollow markers show illustrative dates.",
    },
    "deck.notes.map": {
        "zh": "{month}，{metric}最多的省份是{top}（{top_value}）；粗框标出当时的 {n} 个联盟成员。",
        "en": "{month}: {top} had the most {metric} ({top_value}); bold outlines mark the {n} "
        "alliance members at the time.",
    },
    "deck.notes.map_province": {
        "zh": "{province}于{date}加入联盟：加入前 {w} 个月月均{metric} {before}，"
        "加入后（至{month}）月均 {after}。",
        "en": "{province} joined on {date}: {before} {metric} a month in the {w} months before, "
        "{after} a month after (to {month}).",
    },
    "deck.notes.map_nonmember": {
        "zh": "{province}在{month}尚未加入联盟。",
        "en": "{province} had not joined the alliance by {month}.",
    },
    "deck.notes.compare": {
        "zh": "两幅地图使用同一套分级，颜色可以直接比较：{before_period}各省{metric}合计 {before}，"
        "{after_period}合计 {after}。",
        "en": "Both maps share one set of classes, so colours compare directly: {metric} totalled "
        "{before} in {before_period} and {after} in {after_period}.",
    },
    "deck.notes.network": {
        "zh": "{name}（{kind}，{province}）所在的网络：{n} 个主体、{links} 条关系，"
        "跨 {p} 个省份（{provinces}）。"
        "涉及其中主体的联盟线索 {clues} 条，相关案件 {cases} 起，抓获 {suspects} 人。",
        "en": "The network around {name} ({kind}, {province}) has {n} entities and {links} links; "
        "provinces: {p} ({provinces}). Alliance clues about its entities: {clues}; cases tied to "
        "them: {cases}; suspects caught: {suspects}.",
    },
    "deck.notes.network_hits": {
        "zh": "上游工厂和仓库共 {total} 个，其中 {hit} 个已被立案查处。",
        "en": "Upstream factories and warehouses in it: {total}; already hit by a case: {hit}.",
    },
    "deck.notes.masked": {
        "zh": "经营者姓名只显示姓氏，个人编号和支付账户号码已替换，位置只精确到城市。",
        "en": "Operators show their surname only; personal ids and account numbers are replaced; "
        "places are shown at city level only.",
    },
    # problems: a spec that no longer resolves
    "deck.problem.page": {
        "zh": "“{page}”不是可以做成幻灯片的页面（可用：{pages}）。",
        "en": "'{page}' is not a page a slide can show (use one of: {pages}).",
    },
    "deck.problem.param": {
        "zh": "视图参数“{param}”的值“{value}”无法使用。",
        "en": "The view's parameter '{param}' has a value that cannot be used: '{value}'.",
    },
    "deck.problem.province": {
        "zh": "本数据集中没有省份“{value}”。",
        "en": "Province '{value}' is not in this dataset.",
    },
    "deck.problem.no_data": {
        "zh": "{provinces}在{start}至{end}期间没有数据。",
        "en": "There is no data for {provinces} between {start} and {end}.",
    },
    "deck.problem.trends_clues": {
        "zh": "线索不作加入前后估计：线索只移交给成员省份，加入前按定义为零。"
        "请改用案件、抓获嫌疑人或涉案金额。",
        "en": "Clues get no before/after estimate: they go only to members, so before joining there "
        "are none by definition. Use cases, suspects caught or seized value instead.",
    },
    "deck.all_provinces": {"zh": "全部省份", "en": "all provinces"},
    "deck.problem.entity": {
        "zh": "主体 {id} 不在本数据集中。",
        "en": "Entity {id} is not in this dataset.",
    },
    "deck.problem.clue": {
        "zh": "线索 {id} 不在本数据集中。",
        "en": "Clue {id} is not in this dataset.",
    },
    "deck.problem.unexpected": {
        "zh": "这一页无法生成（{detail}）。其余幻灯片不受影响。",
        "en": "This slide could not be built ({detail}). The other slides are not affected.",
    },
    # footer (what the room reads) and provenance (what the file's metadata keeps)
    "deck.footer.demo": {
        "zh": "演示数据（合成数据，并非真实记录）· 数据截至 {as_of}",
        "en": "Demonstration data (synthetic, not real records) · Data as of {as_of}",
    },
    "deck.footer.source_plain": {
        "zh": "数据来源：{source}，数据截至 {as_of}",
        "en": "Data source: {source}, as of {as_of}",
    },
    "deck.provenance": {
        "zh": "数据：{source}；生成程序 {generator} {version}，种子 {seed}；数据截至 {as_of}",
        "en": "Data: {source}; generated by {generator} {version}, seed {seed}; as of {as_of}",
    },
    # saved decks and the command line
    "deck.error.not_json": {
        "zh": "{file}不是演示文稿文件：第 {line} 行第 {col} 列起不是有效的 JSON。",
        "en": "{file} is not a saved deck: it is not valid JSON (line {line}, column {col}).",
    },
    "deck.error.not_text": {
        "zh": "{file}不是演示文稿文件：不是 UTF-8 文本。",
        "en": "{file} is not a saved deck: it is not UTF-8 text.",
    },
    "deck.error.not_deck": {
        "zh": "{file}不是演示文稿文件：应为含有“version”和“slides”的 JSON 对象。",
        "en": '{file} is not a saved deck: expected a JSON object with "version" and "slides".',
    },
    "deck.error.version": {
        "zh": "{file}：不支持演示文稿版本“{version}”（本程序读取版本 1）。",
        "en": "{file}: deck version '{version}' is not supported (this app reads version 1).",
    },
    "deck.error.slides": {
        "zh": "{file}：“slides”应为幻灯片列表。",
        "en": '{file}: "slides" should be a list of slides.',
    },
    "deck.error.slide": {
        "zh": "{file}：第 {n} 页应为含有“view”文字的对象（如 map?month=2017-06）。",
        "en": '{file}: slide {n} should be an object with a "view" text (such as map?month=2017-06).',
    },
    "deck.error.slide_field": {
        "zh": "{file}：第 {n} 页的“{field}”应为文字。",
        "en": '{file}: slide {n}\'s "{field}" should be text.',
    },
    "deck.error.suffix": {
        "zh": "{file}：不支持的文件类型“{suffix}”，请用 .pptx、.pdf 或 .html。",
        "en": "{file}: unknown file type '{suffix}'; use .pptx, .pdf or .html.",
    },
    "deck.error.story": {
        "zh": "没有名为“{story}”的演示脚本（可用：{stories}）。",
        "en": "There is no story called '{story}' (available: {stories}).",
    },
    "deck.error.missing": {"zh": "找不到演示文稿文件 {file}。", "en": "Deck file {file} not found."},
    "deck.error.file": {
        "zh": "无法读取演示文稿文件 {file}：{detail}",
        "en": "The deck file {file} cannot be read: {detail}",
    },
    "deck.error.too_big": {
        "zh": "{file}太大（{size}），演示文稿文件最多 {limit}。",
        "en": "{file} is too large ({size}); a saved deck may be at most {limit}.",
    },
    "deck.error.too_many": {
        "zh": "{source}有 {n} 页，演示文稿最多 {limit} 页（可由 CLOUDSWORD_DECK_MAX_SLIDES 设置）。",
        "en": "{source} has {n} slides; a deck may have at most {limit} (set by CLOUDSWORD_DECK_MAX_SLIDES).",
    },
    "deck.error.nested": {
        "zh": "{file}不是演示文稿文件：JSON 嵌套过深。",
        "en": "{file} is not a saved deck: its JSON is nested too deeply.",
    },
    "deck.error.full": {
        "zh": "演示文稿已有 {limit} 页，不能再加（上限可由 CLOUDSWORD_DECK_MAX_SLIDES 设置）。",
        "en": "The presentation already has {limit} slides, the most it may have "
        "(CLOUDSWORD_DECK_MAX_SLIDES).",
    },
    "deck.cli.wrote": {
        "zh": "已写入 {file}：{n} 页（其中 {problems} 页无法显示），用时 {seconds} 秒",
        "en": "wrote {file}: {n} slides ({problems} could not be shown) in {seconds} s",
    },
}
