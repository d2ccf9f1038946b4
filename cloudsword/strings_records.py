"""Strings of the case-record drill-downs (cloudsword.records: /map's province panel, /'s largest
seizures), both languages."""

STRINGS: dict[str, dict[str, str]] = {
    "records.col.case_id": {"zh": "案件编号", "en": "Case"},
    "records.col.clue_id": {"zh": "线索编号", "en": "Clue"},
    "records.col.province": {"zh": "省份", "en": "Province"},
    "records.col.opened_on": {"zh": "立案日期", "en": "Opened on"},
    "records.col.category": {"zh": "商品类别", "en": "Category"},
    "records.col.suspects_caught": {"zh": "抓获嫌疑人", "en": "Suspects caught"},
    "records.col.seizure_cny": {"zh": "涉案金额", "en": "Seized value"},
    "records.no_clue": {"zh": "非联盟线索", "en": "Not from a clue"},
    "records.showing": {
        "zh": "显示涉案金额最大的 {n} 件，共 {total} 件。",
        "en": "Showing {n} of {total} cases, largest seizure first.",
    },
    "records.count": {
        "zh": "共 {total} 件，按涉案金额从大到小排列。",
        "en": "{total} cases, largest seizure first.",
    },
    "records.none": {"zh": "没有符合条件的案件。", "en": "No cases match."},
    "records.not_for_role": {
        "zh": "您的角色只能查看汇总数据，不能查看案件明细。",
        "en": "Your role sees totals only, not case records.",
    },
    "records.officer_note": {
        "zh": "只列出您有权查看的案件：本辖区的案件，以及针对与本辖区相连的团伙网络的线索所立的案件。",
        "en": "Only the cases you may see are listed: your provinces' own, and those opened on clues "
        "about the networks that touch them.",
    },
}
