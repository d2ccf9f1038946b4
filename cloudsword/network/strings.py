"""Strings of the seller network page (/network) and its clue package, merged into i18n.STRINGS."""

STRINGS: dict[str, dict[str, str]] = {
    "network.title": {"zh": "售假网络追查", "en": "Seller network explorer"},
    "network.caption": {
        "zh": "谁在这家店铺背后？他们在哪里？执法已经打击到哪一环？",
        "en": "Who is behind this shop, where are they, and what has enforcement already hit?",
    },
    "network.search": {"zh": "查找卖家（编号、名称或拼音）", "en": "Find a seller (id, name or pinyin)"},
    "network.search.hint": {
        "zh": "例如 E0000000、昌顺箱包、changshun",
        "en": "e.g. E0000000, 昌顺箱包, changshun",
    },
    "network.search.pick": {"zh": "选择一个主体", "en": "Choose an entity"},
    "network.search.unknown": {
        "zh": "没有编号为“{query}”的卖家。最接近的编号：",
        "en": "No such seller: '{query}'. The closest ids:",
    },
    "network.search.none": {
        "zh": "没有找到与“{query}”相符的主体，请换个名称、编号或拼音再试。",
        "en": "Nothing matches '{query}'; try another name, id or pinyin.",
    },
    "network.search.many": {
        "zh": "有 {n} 个主体与“{query}”相符，请选择：",
        "en": "{n} entities match '{query}'; choose one:",
    },
    "network.example": {
        "zh": "尚未选择卖家，先展示示例店铺 {id}（线索最多的店铺）。",
        "en": "No seller chosen yet: showing the example shop {id} (the shop with the most clues).",
    },
    "network.clue.unknown": {
        "zh": "没有编号为“{clue}”的线索。",
        "en": "No such clue: '{clue}'.",
    },
    "network.hops": {"zh": "跳数", "en": "Hops"},
    "network.relations": {"zh": "关系类型", "en": "Relations"},
    "network.kinds": {"zh": "主体类型", "en": "Entity kinds"},
    "network.all": {"zh": "全部", "en": "All"},
    "network.stop_hubs": {"zh": "不展开枢纽", "en": "Stop at hubs"},
    "network.stop_hubs.help": {
        "zh": "物流、支付等共享服务商连接成千上万家无关店铺；开启后它们显示在网络中，但不再向外展开。",
        "en": "Shared couriers and payment providers serve thousands of unrelated shops; when on, they "
        "are shown but not expanded further.",
    },
    "network.click": {"zh": "点击节点时", "en": "Clicking a node"},
    "network.click.expand": {"zh": "展开其关联", "en": "expands it"},
    "network.click.focus": {"zh": "设为中心", "en": "makes it the focus"},
    "network.kpi.entities": {"zh": "网络主体", "en": "Entities in the network"},
    "network.kpi.links": {"zh": "关联", "en": "Links"},
    "network.kpi.provinces": {"zh": "涉及省份", "en": "Provinces spanned"},
    "network.kpi.hit_rate": {"zh": "上游打击率", "en": "Upstream hit rate"},
    "network.kpi.hit_rate.help": {
        "zh": "网络中的工厂和仓库已有案件的比例：{total} 个中有 {hit} 个（经线索或嫌疑人关联到案件）。",
        "en": "Share of the network's factories and warehouses that already have a case: {hit} of "
        "{total} (tied to a case through a clue or a suspect).",
    },
    "network.cut": {
        "zh": "这个网络很大：到第 {hop} 跳已触及 {reached} 个主体，只沿其中关联最多的 {n} 个继续分析，"
        "未再向外扩展。关联数、打击率和关键人物只按这 {n} 个计算；其余按类型和省份计数。",
        "en": "A large network: {reached} entities reached by hop {hop}. Only the {n} best connected "
        "are analysed and the walk went no further; links, hit rate and key players count those "
        "{n}, the rest are counted by kind and province.",
    },
    "network.cut.help": {
        "zh": "在第 {hop} 跳停止扩展时已触及的主体数：更远的主体未计入。",
        "en": "Entities reached when the walk stopped at hop {hop}: those further out are not counted.",
    },
    "network.isolated": {
        "zh": "该主体在当前筛选条件下没有任何关联，只显示其本身。",
        "en": "This entity has no links under the current filters: it is shown alone.",
    },
    "network.expanded": {"zh": "已展开：{ids}", "en": "Expanded: {ids}"},
    "network.entity_named": {"zh": "{name}（{id}）", "en": "{name} ({id})"},
    "network.more": {
        "zh": "另有 {n} 个主体未显示（最多显示 {cap} 个），按类型和省份汇总",
        "en": "{n} more not shown (at most {cap} are drawn), by kind and province",
    },
    "network.graph.title": {"zh": "关系图", "en": "Graph"},
    "network.map.title": {"zh": "地图（主体位于所在城市）", "en": "Map (entities at their city)"},
    "network.map.note": {
        "zh": "连线颜色表示关系类型，与左图一致；点击地图上的主体即在两图中突出显示。",
        "en": "Lines are coloured by relation, as in the graph; click an entity on the map to "
        "highlight it in both views.",
    },
    "network.legend.kinds": {"zh": "主体类型", "en": "Entity kinds"},
    "network.legend.relations": {"zh": "关系", "en": "Relations"},
    "network.evidence": {"zh": "证据 {n} 条", "en": "{n} pieces of evidence"},
    "network.hop_n": {"zh": "距中心 {n} 跳", "en": "{n} hops from the focus"},
    "network.path": {"zh": "最短路径", "en": "Shortest path"},
    "network.selected": {
        "zh": "已选中：{name}（{id}，{kind}，{province}）",
        "en": "Selected: {name} ({id}, {kind}, {province})",
    },
    "network.make_focus": {"zh": "设为中心", "en": "Make it the focus"},
    "network.tab.rings": {"zh": "团伙", "en": "Rings"},
    "network.tab.players": {"zh": "关键环节", "en": "Key links"},
    "network.tab.path": {"zh": "最短路径", "en": "Shortest path"},
    "network.tab.provinces": {"zh": "涉及省份", "en": "Provinces"},
    "network.tab.cases": {"zh": "案件", "en": "Cases"},
    "network.cases.explain": {
        "zh": "根据关于该卖家的线索立案、或抓获了与其有关的嫌疑人的案件。",
        "en": "The cases opened on a clue about this seller or that caught a suspect tied to it.",
    },
    "network.tab.timeline": {"zh": "时间线", "en": "Timeline"},
    "network.tab.package": {"zh": "线索包", "en": "Clue package"},
    "network.tab.export": {"zh": "导出", "en": "Export"},
    "network.rings.summary": {
        "zh": "此视图中有 {n} 个团伙的成员：彼此联系紧密、与其他部分联系较少的一群主体。"
        "同一团伙在每个视图中都相同；视图中另有 {none} 个主体不属于任何团伙"
        "（共享的物流、支付枢纽，或没有同伙的主体）。",
        "en": "Rings with members in this view: {n}; a ring is a group of entities tied closely to each "
        "other and loosely to the rest, and it is the same in every view. {none} entities here belong "
        "to none (shared courier and payment hubs, or entities with no ring-mates).",
    },
    "network.rings.method": {
        "zh": "方法：在整个网络上一次性检测团伙（igraph 的 Leiden 模块度算法，按证据数加权，"
        "先排除共享的物流、支付枢纽），随数据集版本保存；视图只读取每个主体所属的团伙。",
        "en": "Method: rings are detected once on the whole network (igraph's Leiden modularity method, "
        "weighted by evidence, with the shared courier and payment hubs set aside) and stored with the "
        "dataset version; a view only reads each entity's ring.",
    },
    "network.rings.cut": {
        "zh": "{ring} 延伸到视图之外：共 {size} 个主体，其中 {outside} 个（{share}）不在此视图中。",
        "en": "{ring} reaches beyond this view: {outside} of its {size} entities ({share}) lie outside it.",
    },
    "network.rings.whole": {
        "zh": "此视图中的每个团伙都完整地包含在视图内。",
        "en": "Every ring in this view lies wholly inside it.",
    },
    "network.rings.more_cut": {
        "zh": "另有 {n} 个团伙也延伸到视图之外（见表）。",
        "en": "{n} more rings also reach beyond this view (see the table).",
    },
    "network.ring.label": {"zh": "团伙 {n}", "en": "Ring {n}"},
    "network.ring.hover": {"zh": "团伙 {n}（共 {size} 个主体）", "en": "Ring {n} ({size} entities)"},
    "network.ring.none": {"zh": "不属于任何团伙", "en": "In no ring"},
    "network.ring.legend": {
        "zh": "团伙 {n}：{size} 个中 {shown} 个在图中",
        "en": "Ring {n}: {shown} of {size} here",
    },
    "network.ring.other": {"zh": "其他 {n} 个团伙", "en": "{n} other rings"},
    "network.legend.rings": {"zh": "团伙（全网检测）", "en": "Rings (whole network)"},
    "network.players.explain": {
        "zh": "关键环节：网络中其他主体之间的联系经过它们最多，切断它们最能把网络拆散。",
        "en": "Key links: the entities that most of the connections between the others pass "
        "through; cutting them breaks the network apart the most.",
    },
    "network.players.method": {
        "zh": "方法：中介中心性（其他主体之间的最短路径经过该主体的比例）。",
        "en": "Method: betweenness centrality (the share of shortest paths between other entities "
        "that pass through the entity).",
    },
    "network.path.from": {"zh": "起点", "en": "From"},
    "network.path.to": {"zh": "终点", "en": "To"},
    "network.path.none": {
        "zh": "在当前筛选条件下两者之间没有路径。",
        "en": "No path connects them under the current filters.",
    },
    "network.path.found": {"zh": "最短路径长 {n} 跳：", "en": "Shortest path, links crossed: {n}"},
    "network.path.note": {
        "zh": "路径在整个数据集中查找（不限于图中显示的部分），并以黑色粗线画在关系图上。",
        "en": "The path is searched in the whole dataset (not only what is drawn) and drawn in bold "
        "black on the graph.",
    },
    "network.provinces.note": {
        "zh": "按主体所在省份统计：线索和案件指与这些主体关联的线索和案件"
        "（案件经线索或嫌疑人关联），涉案金额为这些案件的合计。",
        "en": "By the province where the entities are: clues and cases tied to them (a case through "
        "its clue or a suspect), and those cases' seized value.",
    },
    "network.timeline.title": {
        "zh": "关联的首次与最近发现时间（证据最多的 {n} 条，共 {total} 条）",
        "en": "When each link was first and last seen (the {n} with most evidence, of {total})",
    },
    "network.timeline.span": {
        "zh": "关联活跃期：{start} 至 {end}。",
        "en": "Links active from {start} to {end}.",
    },
    "network.package.province": {"zh": "移交省份", "en": "Province to hand it to"},
    "network.package.download": {"zh": "下载线索包（ZIP）", "en": "Download the clue package (ZIP)"},
    "network.package.note": {
        "zh": "ZIP 内含：可直接阅读的摘要（HTML），该省境内的网络主体、"
        "将其与网络其余部分相连的证据关联、相关线索和案件（CSV）。",
        "en": "The ZIP holds a readable summary (HTML) and CSVs of the network's entities in that "
        "province, the evidence links tying them to the rest, and their clues and cases.",
    },
    "network.export.nodes": {"zh": "节点 CSV", "en": "Nodes CSV"},
    "network.export.links": {"zh": "关联 CSV", "en": "Links CSV"},
    "network.export.graphml": {"zh": "GraphML 图文件", "en": "GraphML"},
    "network.export.note": {
        "zh": "导出整个网络（包括未画出的部分）。"
        "网络图和地图的图片：各图下方的“下载”菜单（PNG、SVG、HTML）。",
        "en": "Exports cover the whole network (including what is not drawn). Pictures of the graph "
        "and the map: the Download menu below each (PNG, SVG, HTML).",
    },
    # columns
    "network.col.name": {"zh": "名称", "en": "Name"},
    "network.col.kind": {"zh": "类型", "en": "Kind"},
    "network.col.city": {"zh": "城市", "en": "City"},
    "network.col.count": {"zh": "数量", "en": "Count"},
    "network.col.province": {"zh": "省份", "en": "Province"},
    "network.col.province_adcode": {"zh": "省份", "en": "Province"},
    "network.col.entity_id": {"zh": "编号", "en": "Id"},
    "network.col.betweenness": {"zh": "关键程度", "en": "How key (0–1)"},
    "network.col.ring": {"zh": "团伙", "en": "Ring"},
    "network.col.entities": {"zh": "主体数", "en": "Entities"},
    "network.col.provinces": {"zh": "省份", "en": "Provinces"},
    "network.col.members": {"zh": "视图中的成员（部分）", "en": "Members in view (some)"},
    "network.col.in_view": {"zh": "视图中", "en": "In this view"},
    "network.col.size": {"zh": "团伙规模", "en": "Ring size"},
    "network.col.outside": {"zh": "视图外", "en": "Outside the view"},
    "network.col.share_outside": {"zh": "视图外占比", "en": "Share outside"},
    "network.col.clues": {"zh": "线索", "en": "Clues"},
    "network.col.cases": {"zh": "案件", "en": "Cases"},
    "network.col.suspects": {"zh": "抓获嫌疑人", "en": "Suspects caught"},
    "network.col.seizure": {"zh": "涉案金额", "en": "Seized value"},
    # kinds and relations
    "network.kind.shop": {"zh": "店铺", "en": "Shop"},
    "network.kind.operator": {"zh": "经营者", "en": "Operator"},
    "network.kind.factory": {"zh": "工厂", "en": "Factory"},
    "network.kind.warehouse": {"zh": "仓库", "en": "Warehouse"},
    "network.kind.dealer": {"zh": "经销商", "en": "Dealer"},
    "network.kind.logistics": {"zh": "物流", "en": "Logistics"},
    "network.kind.payment_account": {"zh": "支付账户", "en": "Payment account"},
    "network.rel.operates": {"zh": "经营", "en": "operates"},
    "network.rel.supplies": {"zh": "供货", "en": "supplies"},
    "network.rel.stores_for": {"zh": "仓储", "en": "stores for"},
    "network.rel.ships_to": {"zh": "发货", "en": "ships to"},
    "network.rel.pays": {"zh": "付款", "en": "pays"},
    "network.rel.shares_identifier": {"zh": "共用标识", "en": "shares an identifier"},
    # clue package
    "cluepack.title": {
        "zh": "线索包：{province}（网络中心 {focus}）",
        "en": "Clue package: {province} (network of {focus})",
    },
    "cluepack.asof": {"zh": "数据截至 {date}。", "en": "Data as of {date}."},
    "cluepack.synthetic": {
        "zh": "演示数据：本线索包由合成数据集生成，并非真实记录。",
        "en": "Demonstration data: this package comes from a synthetic dataset, not real records.",
    },
    "cluepack.facts.entities": {
        "zh": "本省境内的网络主体：{n} 个",
        "en": "Network entities in this province: {n}",
    },
    "cluepack.facts.links": {
        "zh": "涉及这些主体的证据关联：{n} 条，其中 {outside} 条连向外省主体",
        "en": "Evidence links touching them: {n}, of which {outside} reach entities in other provinces",
    },
    "cluepack.facts.clues": {"zh": "已移交的相关线索：{n} 条", "en": "Clues already issued about them: {n}"},
    "cluepack.facts.cases": {
        "zh": "已关联案件：{n} 起，涉案金额 {value}",
        "en": "Cases already tied to them: {n}, seized value {value}",
    },
    "cluepack.facts.others": {"zh": "关联延伸至：{provinces}", "en": "Links reach: {provinces}"},
    "cluepack.entities": {"zh": "本省境内的主体", "en": "Entities in this province"},
    "cluepack.files": {
        "zh": "附件：entities.csv（主体）、links.csv（证据关联）、clues.csv（线索）、cases.csv（案件）。",
        "en": "Attached: entities.csv, links.csv (evidence links), clues.csv, cases.csv.",
    },
}
