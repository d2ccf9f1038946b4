"""Strings of the before/after-joining page (/trends), merged into cloudsword.i18n.STRINGS."""

# ruff: noqa: E501 - Chinese sentences are kept whole (each character counts double)

STRINGS: dict[str, dict[str, str]] = {
    "trends.title": {"zh": "加入联盟前后", "en": "Before and after joining"},
    "trends.intro": {
        "zh": "加入联盟后，执法有没有变化？本页把每个成员省份加入前后的{metric}，与同一时期尚未加入的省份相比较。"
        "所有来源的案件都计入，不只是联盟线索带来的案件。",
        "en": "Did enforcement change after a province joined the alliance? This page compares each "
        "member's {metric} before and after the month it joined with provinces that had not (yet) "
        "joined at the same time. Cases from every source count, not only those from alliance clues.",
    },
    "trends.model": {
        "zh": "模型：比较每月{value}的 log(1 + 值)，效果以百分比变化（e^b − 1）表示。"
        "各省规模相差数十倍，而共同的增长和季节波动按比例放大数量，因此“平行趋势”在对数尺度上才合理；"
        "加 1 保留没有案件的月份。数值很小时（小省份、筛选很窄）这一尺度会失真，请谨慎解读。",
        "en": "Model: we compare log(1 + monthly {value}) and show effects as "
        "percentage changes (e^b − 1). Provinces differ fifty-fold in size and common growth and "
        "seasons multiply counts, so trends can be parallel in logs, not in raw counts; the + 1 keeps "
        "months with nothing. Near zero (small provinces, narrow filters) this scale bends: read "
        "those with care.",
    },
    "trends.model.seizure": {"zh": "涉案金额（以元计）", "en": "seized value in yuan"},
    "trends.illustrative": {
        "zh": "除浙江（2015年5月）和广东（2017年5月）外，其余成员的加入日期均为示意，并非公开日期。",
        "en": "Join dates other than Zhejiang's (May 2015) and Guangdong's (May 2017) are illustrative, "
        "not public.",
    },
    # options
    "trends.opt.comparison": {"zh": "对照组", "en": "Comparison group"},
    "trends.opt.comparison.notyet": {"zh": "尚未加入的省份", "en": "Not yet joined"},
    "trends.opt.comparison.never": {"zh": "从未加入的省份", "en": "Never joined"},
    "trends.opt.comparison.help": {
        "zh": "“尚未加入”：与当时还没有加入的省份（包括从未加入的）比较；“从未加入”：只与在数据期内从未加入的省份比较。",
        "en": "Not yet joined: compare with provinces that had not joined by then (including those that "
        "never did). Never joined: compare only with provinces that never joined within the data.",
    },
    "trends.opt.anticipation": {"zh": "预期效应（月）", "en": "Anticipation (months)"},
    "trends.opt.anticipation.help": {
        "zh": "加入前若干个月可能已受影响（如筹备加入）：参照月相应提前。",
        "en": "Months before joining that may already be affected (preparations): the reference month "
        "moves back by as many months.",
    },
    "trends.opt.window": {"zh": "显示加入前后月数", "en": "Months shown either side"},
    "trends.opt.base": {"zh": "基期", "en": "Base month"},
    "trends.opt.base.fixed": {"zh": "固定", "en": "Fixed"},
    "trends.opt.base.varying": {"zh": "变动（R 的默认）", "en": "Varying (R's default)"},
    "trends.opt.base.help": {
        "zh": "固定：加入前后的每个月都与加入前一个月比较，图中加入前的点显示累计的偏离。"
        "变动（R 的 did 包默认）：加入前每个月只与其前一个月比较，显示逐月的变化；加入后两者相同。",
        "en": "Fixed: every month, before and after joining, against the month before joining, so points "
        "before joining show the accumulated gap. Varying (the default of R's did): each month before "
        "joining against the month before it, so they show month-to-month changes; after joining both agree.",
    },
    "trends.opt.quarters": {"zh": "按季度（三个月）合并", "en": "Bin into quarters (3 months)"},
    "trends.opt.uniform": {"zh": "显示同时置信带", "en": "Show simultaneous bands"},
    "trends.opt.uniform.help": {
        "zh": "同时置信带以 95% 的概率同时覆盖图中所有月份的真实效应，比逐点区间更宽。",
        "en": "A simultaneous band covers the true effects of every month shown at once with 95% "
        "probability; it is wider than the pointwise intervals.",
    },
    # summary
    "trends.summary": {"zh": "结论", "en": "Summary"},
    "trends.details": {
        "zh": "统计细节与选项：估计方法、区间、预趋势检验、对照组",
        "en": "Statistics and options: the method, intervals, pre-trend test, comparison group",
    },
    "trends.overall": {"zh": "加入后的平均变化", "en": "Average change after joining"},
    "trends.overall.help": {
        "zh": "加入后所有省份-月份的平均效应（Callaway–Sant'Anna 简单汇总），相对于对照组。",
        "en": "The average effect over every member province-month after joining (Callaway–Sant'Anna "
        "simple aggregation), relative to the comparison group.",
    },
    "trends.interval": {"zh": "95% 区间 {lo} 至 {hi}", "en": "95% interval {lo} to {hi}"},
    "trends.pretrend": {"zh": "加入前趋势检验", "en": "Pre-trend test"},
    "trends.pretrend.value": {"zh": "p 值 = {p}", "en": "p = {p}"},
    "trends.pretrend.help": {
        "zh": "联合检验加入前各月（{k} 个月）的效应是否全为零：取各月 |t| 的最大值，与按省份聚类的野自助法"
        "（Webb 权重，{draws} 次抽样，按成员省份数 G 取自由度 G−1 的 t 分布尾部）下的分布比较；每个月单独计入，正负交替的波动不会像取平均那样相互抵消。"
        "这一检验大约能发现加入前 12 个月内 {drift} 的漂移（80% 的把握），更小的漂移可能察觉不到。",
        "en": "Joint test that all {k} monthly effects before joining are zero: the largest |t| across those "
        "months against its distribution in a wild cluster bootstrap over provinces (Webb weights, {draws} "
        "draws, with the t(G−1) tails of few joined provinces). Each month counts on its own, so swings up and down do not cancel as they do in averages. "
        "It detects a drift of about {drift} over the 12 months before joining 8 times in 10; smaller drifts "
        "can pass unseen.",
    },
    "trends.pretrend.none": {"zh": "无法检验", "en": "not testable"},
    "trends.provinces_behind": {
        "zh": "基于 {n} 个成员省份，{c} 个从未加入的省份",
        "en": "{n} joined provinces; {c} never-joined provinces",
    },
    "trends.story.up": {
        "zh": "加入联盟后，{n} 个成员省份的{metric}比按对照省份推算的水平平均高 {pct}（95% 区间 {lo} 至 {hi}）。",
        "en": "After joining, the {n} member provinces' {metric} ran on average {pct} above what the "
        "comparison provinces' trend implies (95% interval {lo} to {hi}).",
    },
    "trends.story.down": {
        "zh": "加入联盟后，{n} 个成员省份的{metric}比按对照省份推算的水平平均低 {pct}（95% 区间 {lo} 至 {hi}）。",
        "en": "After joining, the {n} member provinces' {metric} ran on average {pct} below what the "
        "comparison provinces' trend implies (95% interval {lo} to {hi}).",
    },
    "trends.story.sure": {
        "zh": "区间不包含零，数据显示确有变化。",
        "en": "The interval excludes zero: the data show a real change.",
    },
    "trends.story.unsure": {
        "zh": "区间包含零，数据无法把这一变化与偶然波动区分开。",
        "en": "The interval includes zero: the data cannot tell this change apart from chance.",
    },
    "trends.story.pre_ok": {
        "zh": "加入之前，没有证据表明成员省份与对照省份走势不同（加入前趋势检验 p = {p}）；"
        "但这一规模的检验只能发现大约 {drift} 以上的漂移（加入前 12 个月内），更小的差异可能察觉不到，"
        "而且加入前平行也不保证加入后仍然平行。",
        "en": "There is no evidence of different trends before joining (pre-trend test p = {p}); a test of "
        "this size detects a drift of about {drift} over the 12 months before joining, so a smaller one "
        "could pass unseen, and trends that were parallel before need not stay parallel after.",
    },
    "trends.story.pre_bad": {
        "zh": "注意：加入之前成员省份与对照省份的走势已有差异（加入前趋势检验 p = {p}），上述估计可能有偏。",
        "en": "Caution: members already moved differently from the comparison provinces before joining "
        "(pre-trend test p = {p}), so the estimate may be biased.",
    },
    "trends.story.limits": {
        "zh": "这一比较无法把加入联盟与同一时间在同一省份发生的其他变化（如当地专项行动）区分开。",
        "en": "It cannot tell joining apart from anything else that changed in the same provinces at "
        "the same time, such as a local crackdown.",
    },
    # event study
    "trends.event": {
        "zh": "加入后各月的效应：{metric}",
        "en": "Effect of joining by months since joining: {metric}",
    },
    "trends.event.x": {"zh": "距加入的月数", "en": "Months since joining"},
    "trends.event.y": {"zh": "相对参照月的变化", "en": "Change vs reference month"},
    "trends.event.y_varying": {
        "zh": "相对前一个月（加入前）或加入前一月的变化",
        "en": "Change vs the month before (or before joining)",
    },
    "trends.base.fixed_note": {
        "zh": "固定基期：每个月都与第 {ref} 月（加入前一月）比较",
        "en": "Fixed base: every month against month {ref}",
    },
    "trends.base.fixed_method": {
        "zh": "固定参照月为加入前第 {ref} 月（R 的 “universal” 基期）",
        "en": 'a fixed reference month {ref} (R\'s "universal" base period)',
    },
    "trends.base.varying_method": {
        "zh": "变动基期（R 的默认 “varying”）：加入前每个月与其前一个月比较，因此图中没有固定的参照月",
        "en": 'the varying base (R\'s default "varying"): each month before joining against the month '
        "before it, so there is no fixed reference month",
    },
    "trends.base.varying_note": {
        "zh": "变动基期（R 的默认）：加入前每个月与其前一个月比较，加入后与加入前一月比较",
        "en": "Varying base (R's default): each month before joining against the one before it;<br>"
        "months from joining against the month before joining",
    },
    "trends.event.n": {"zh": "成员省份数", "en": "Joined provinces"},
    "trends.event.estimate": {"zh": "估计值及 95% 区间", "en": "Estimate, 95% interval"},
    "trends.event.thin": {"zh": "少于 3 个成员省份（灰色）", "en": "Fewer than 3 joined provinces (grey)"},
    "trends.event.reference": {"zh": "参照月（固定为 0）", "en": "Reference month (fixed at 0)"},
    "trends.event.band": {"zh": "同时 95% 置信带（自助法）", "en": "Simultaneous 95% band (bootstrap)"},
    "trends.event.joined": {"zh": "加入", "en": "joined"},
    "trends.event.hover": {
        "zh": "{label}<br>变化 {pct}<br>95% 区间 {lo} 至 {hi}<br>基于 {n} 个成员省份",
        "en": "{label}<br>change {pct}<br>95% interval {lo} to {hi}<br>{n} joined provinces",
    },
    "trends.event.month": {"zh": "第 {e} 月", "en": "month {e}"},
    "trends.event.months": {"zh": "第 {a} 至 {b} 月", "en": "months {a} to {b}"},
    "trends.event.method": {
        "zh": "方法：Callaway–Sant'Anna（2021）组别-时间效应按距加入月数汇总（diff-diff 软件包，与 R 的 did 包结果一致），"
        "{base}。95% 区间＝解析标准误 × 自由度为 G−1 的 t 分布临界值，"
        "G 为该点所依据的成员省份数（成员省份少，从未加入的省份多，前者决定精度）；"
        "少于 3 个省份的点显示为灰色，其区间不可靠，只有 1 个省份时无法给出区间。",
        "en": "Method: Callaway–Sant'Anna (2021) group-time effects averaged by months since joining "
        "(the diff-diff package, which reproduces R's did); {base}. 95% intervals: analytic standard "
        "errors times Student-t critical "
        "values with G−1 degrees of freedom, G = the joined provinces behind the point (they are few, "
        "never-joined provinces many: the few decide the precision). Points resting on fewer than 3 "
        "provinces are grey and their intervals unreliable; with 1 province there is no interval.",
    },
    "trends.event.band_note": {
        "zh": "同时置信带：对估计值的影响函数按省份做野自助法（Webb 权重，1,999 次抽样，t(G−1) 尾部），取图中各点最大 |t| 的 95% 分位数；"
        "且不窄于逐点区间。加入前趋势检验使用同一批抽样。",
        "en": "Simultaneous band: a wild cluster bootstrap over provinces of the estimates' influence functions "
        "(Webb weights, 1,999 draws, t(G−1) tails), the 95% quantile of the largest |t| across the points "
        "shown; never "
        "narrower than the pointwise interval. The pre-trend test uses the same draws.",
    },
    # R's group and calendar aggregates
    "trends.agg": {"zh": "按加入批次和按月份的效应", "en": "By joining cohort and by calendar month"},
    "trends.agg.explain": {
        "zh": "与 R 的 did 包相同的两种汇总（附解析标准误）：按批次——同月加入的省份，其加入后各月效应的平均；"
        "按月份——每个月里已加入的各批次效应按省份数加权的平均。区间用自由度 G−1 的 t 分布（G 为该点所依据的成员省份数），"
        "只有一个省份的批次没有区间。虚线为各点的平均（附 95% 区间）。",
        "en": "The two aggregations R's did offers beside the event study, with analytic standard errors: "
        "by cohort, each group of provinces that joined in the same month averaged over its months since "
        "joining; by calendar month, the cohorts joined by then, weighted by their number of provinces. "
        "Intervals on t(G−1), G = the joined provinces behind the point (a cohort of one has none). The "
        "dashed line is their average, with its 95% interval.",
    },
    "trends.agg.cohort": {"zh": "各加入批次的效应：{metric}", "en": "Effect by joining cohort: {metric}"},
    "trends.agg.month": {"zh": "各月份的效应：{metric}", "en": "Effect by calendar month: {metric}"},
    "trends.agg.x.cohort": {"zh": "加入月份（批次）", "en": "Month joined (cohort)"},
    "trends.agg.x.month": {"zh": "月份", "en": "Month"},
    "trends.agg.thin": {
        "zh": "少于 3 个成员省份（灰色，区间见悬停提示）",
        "en": "Fewer than 3 joined provinces (grey; interval on hover)",
    },
    "trends.agg.y": {"zh": "加入后的变化", "en": "Change after joining"},
    "trends.agg.hover": {
        "zh": "{label}<br>变化 {pct}<br>95% 区间 {lo} 至 {hi}<br>基于 {n} 个成员省份",
        "en": "{label}<br>change {pct}<br>95% interval {lo} to {hi}<br>{n} joined provinces",
    },
    "trends.agg.average": {"zh": "平均 {pct}（{lo} 至 {hi}）", "en": "Average {pct} ({lo} to {hi})"},
    # why not simply before vs after
    "trends.compare": {"zh": "为什么不直接比较加入前后？", "en": "Why not simply compare before with after?"},
    "trends.compare.method": {"zh": "方法", "en": "Method"},
    "trends.compare.estimate": {"zh": "变化", "en": "Change"},
    "trends.compare.interval": {"zh": "95% 区间", "en": "95% interval"},
    "trends.compare.df": {"zh": "t 分布自由度", "en": "t degrees of freedom"},
    "trends.compare.df_note": {
        "zh": "每个区间的自由度与其标准误的聚类方式一致：双向固定效应按全部 {clusters} 个省份聚类（t({tw})），"
        "简单前后比较来自 {units} 个成员省份之间的差异（t({nv})），交错估计依据其背后的 {n} 个成员省份（t({cs})）。",
        "en": "Each interval's degrees of freedom follow how its standard error is clustered: two-way fixed "
        "effects by all {clusters} provinces (t({tw})), the simple comparison across the {units} joined "
        "provinces (t({nv})), the staggered estimate on the {n} joined provinces behind it (t({cs})).",
    },
    "trends.compare.naive": {
        "zh": "简单前后比较（只看成员省份）",
        "en": "Simple before/after (members only)",
    },
    "trends.compare.twfe": {
        "zh": "双向固定效应回归（省份＋月份固定效应，加入后虚拟变量）",
        "en": "Two-way fixed effects (province + month effects, post-joining dummy)",
    },
    "trends.compare.cs": {"zh": "交错加入估计（本页）", "en": "Staggered estimate (this page)"},
    "trends.compare.explain": {
        "zh": "简单前后比较把同期的一切变化（网购增长、季节、全国专项行动）都算作加入的效果。"
        "双向固定效应回归扣除了共同变化，但在各省加入时间不同时，它把早已加入的省份当作后加入省份的对照，"
        "早加入省份自身逐渐增强的效应混入比较；交错加入估计只拿尚未（或从未）加入的省份作对照。",
        "en": "The simple before/after difference credits joining with everything else that changed "
        "meanwhile (growth of online shopping, seasons, national campaigns). The two-way fixed-effects "
        "regression removes common changes but, when provinces join at different dates, it uses "
        "provinces that joined earlier as controls for later ones, so their own growing effects leak "
        "into the comparison; the staggered estimate compares only with provinces not (yet) joined.",
    },
    # Guangdong
    "trends.gd": {"zh": "核对：广东的案件是否翻了一番？", "en": "The Guangdong check: did cases double?"},
    "trends.gd.claim": {
        "zh": "公开报道（《中国日报》2017年8月2日）：广东于2017年5月加入，当年4月至6月知识产权侵权案件“增长一倍多”。",
        "en": "Public report (China Daily, 2 August 2017): in Guangdong, which joined in May 2017, "
        'IP-infringement cases "more than doubled" from April to June 2017.',
    },
    "trends.gd.april": {"zh": "2017年4月", "en": "April 2017"},
    "trends.gd.june": {"zh": "2017年6月", "en": "June 2017"},
    "trends.gd.ratio": {"zh": "6月／4月", "en": "June / April"},
    "trends.gd.yes": {
        "zh": "本数据中广东的案件（所有来源）从 {april} 起增至 {june} 起（{ratio}）：与报道一致。",
        "en": "In this data Guangdong's cases (every source) went from {april} to {june} ({ratio}): "
        "consistent with the report.",
    },
    "trends.gd.no": {
        "zh": "本数据中广东的案件（所有来源）从 {april} 起变为 {june} 起（{ratio}）：没有翻一番，与报道不符。",
        "en": "In this data Guangdong's cases (every source) went from {april} to {june} ({ratio}): "
        "not doubled, unlike the report.",
    },
    "trends.gd.missing": {
        "zh": "数据不包含2017年4月至6月，无法核对。",
        "en": "The data does not cover April to June 2017, so the claim cannot be checked.",
    },
    "trends.gd.note": {
        "zh": "一个月的翻番并不说明原因：本页的交错估计才与对照省份比较。演示数据按报道校准，因此理应一致。",
        "en": "One month's doubling says nothing about why: this page's staggered estimate is what compares "
        "with other provinces. The demo data is calibrated to the report, so it should agree.",
    },
    # trends
    "trends.series": {
        "zh": "各省每月{metric}（竖线：加入月份）",
        "en": "{metric} by province and month (line: month joined)",
    },
    "trends.series.member": {"zh": "成员", "en": "member"},
    "trends.series.open": {
        "zh": "各省逐月走势（{n} 个省份，每省一图）",
        "en": "Each province month by month ({n} provinces, a chart each)",
    },
    "trends.aligned": {
        "zh": "按距加入月数对齐的成员省份{metric}",
        "en": "Members' {metric} aligned on months since joining",
    },
    "trends.aligned.y": {
        "zh": "指数（加入前 12 个月平均 = 100）",
        "en": "Index (12 months before joining = 100)",
    },
    "trends.aligned.each": {"zh": "各成员省份", "en": "Each member"},
    "trends.aligned.members": {"zh": "成员省份平均", "en": "Members' average"},
    "trends.aligned.others": {
        "zh": "从未加入的省份（同期平均）",
        "en": "Never-joined provinces (same months)",
    },
    "trends.aligned.note": {
        "zh": "每条细线是一个成员省份，以其加入前 12 个月的平均值为 100；虚线是从未加入的省份在相同日历月份的平均，"
        "用同样方法换算。两条粗线之间的差距大致对应上面的估计。",
        "en": "Each thin line is one member, indexed to its average over the 12 months before joining; "
        "the dashed line averages the never-joined provinces over the same calendar months, indexed the "
        "same way. The gap between the thick lines roughly matches the estimate above.",
    },
    # export
    "trends.export.png": {"zh": "下载图片（PNG）", "en": "Download image (PNG)"},
    "trends.export.svg": {"zh": "下载矢量图（SVG）", "en": "Download vector image (SVG)"},
    "trends.export.csv": {"zh": "下载估计值（CSV）", "en": "Download the estimates (CSV)"},
    # what is missing
    "trends.problem.clues": {
        "zh": "线索只在省份加入联盟后才移交给它：加入前的线索数恒为零，未加入的省份也始终为零。"
        "因此线索的“前后比较”没有意义（变化完全由定义决定），这里不作估计；下面的走势图照常显示。"
        "请选择案件、抓获嫌疑人或涉案金额。",
        "en": "Clues are handed only to members, from the month they join: before joining a province "
        "has none, and non-members never have any. A before/after estimate for clues would only restate "
        "that definition, so none is shown; the trends below are. Choose cases, suspects caught or "
        "seized value for the event study.",
    },
    "trends.problem.empty": {
        "zh": "当前筛选条件下没有省份或月份：请放宽日期或省份。",
        "en": "The current filters leave no province or month: widen the dates or provinces.",
    },
    "trends.problem.no_data": {
        "zh": "当前筛选条件下这一指标全为零：请放宽日期、省份或类别。",
        "en": "This measure is zero throughout the current filters: widen the dates, provinces or categories.",
    },
    "trends.problem.no_member": {
        "zh": "所选省份中没有联盟成员，无法比较加入前后。请在侧栏加入至少一个成员省份（如浙江、广东），"
        "或清空省份筛选。",
        "en": "None of the selected provinces is an alliance member, so there is no before and after to "
        "compare. Add at least one member (e.g. Zhejiang, Guangdong) in the sidebar, or clear the "
        "province filter.",
    },
    "trends.problem.few_months": {
        "zh": "所选时期内，没有成员省份同时有加入前（至少 {need} 个月）和加入后的月份：{provinces}。"
        "请把日期范围放宽到加入月份前后。",
        "en": "In the selected months no member has both months before joining (at least {need}) and "
        "months after: {provinces}. Widen the date range around the join dates.",
    },
    "trends.problem.no_never": {
        "zh": "所选省份都曾加入联盟，没有“从未加入”的对照省份。请改用“尚未加入”对照组，或在侧栏加入非成员省份。",
        "en": "Every selected province joined at some point, so there is no never-joined comparison "
        "group. Use the not-yet-joined comparison, or add non-member provinces in the sidebar.",
    },
    "trends.problem.no_comparison": {
        "zh": "没有可作对照的省份（既没有从未加入的，也没有当时尚未加入的）。请在侧栏加入非成员省份。",
        "en": "No province is left to compare with (none never joined, none had not yet joined). Add "
        "non-member provinces in the sidebar.",
    },
    "trends.problem.estimator": {
        "zh": "估计无法完成：{detail}。请放宽筛选条件。",
        "en": "The estimate could not be computed: {detail}. Widen the filters.",
    },
    "trends.left_out": {
        "zh": "未计入：{names}——加入时间早于所选时期，没有加入前的月份。",
        "en": "Left out: {names}: joined too early in the selected months to have a month before joining.",
    },
    "trends.late": {
        "zh": "{names} 在所选时期结束后才加入，按“尚未加入”处理。",
        "en": "{names} joined after the selected months end and count as not yet joined.",
    },
}
