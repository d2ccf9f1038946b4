"""Strings of the overview's record-level drill-down (the view's largest seizures), both languages.
The overview's other strings are still in cloudsword/i18n.py."""

STRINGS: dict[str, dict[str, str]] = {
    "overview.seizures": {
        "zh": "涉案金额最大的 {k} 件案件",
        "en": "The {k} largest seizures",
    },
    "overview.seizures.scope": {
        "zh": "{start}至{end}，按侧边栏所选省份和商品类别，含非联盟线索所立的案件。",
        "en": "{start} to {end}, in the provinces and categories chosen in the sidebar, cases not "
        "opened on alliance clues included.",
    },
}
