"""Strings of the take-home deck files (PPTX, PDF, HTML), merged into i18n.STRINGS."""

STRINGS: dict[str, dict[str, str]] = {
    "deckfiles.doc_title": {"zh": "云剑联盟演示", "en": "Cloud Sword Alliance presentation"},
    "deckfiles.problem": {"zh": "此视图无法显示", "en": "This view cannot be shown"},
    "deckfiles.prev": {"zh": "上一页", "en": "Previous slide"},
    "deckfiles.next": {"zh": "下一页", "en": "Next slide"},
    "deckfiles.counter": {"zh": "第 {n} 页，共 {total} 页", "en": "{n} / {total}"},
    "deckfiles.notes": {"zh": "演讲备注", "en": "Speaker notes"},
    "deckfiles.no_notes": {"zh": "本页没有备注。", "en": "No notes for this slide."},
    "deckfiles.keys": {
        "zh": "← → 翻页 · N 显示/隐藏演讲备注",
        "en": "← → to move · N shows or hides the speaker notes",
    },
    "deckfiles.error.suffix": {
        "zh": "无法保存为“{file}”：不支持的文件类型“{suffix}”，请使用 {allowed}。",
        "en": "Cannot save '{file}': '{suffix}' is not a deck format; use {allowed}.",
    },
    "deckfiles.error.empty": {
        "zh": "演示中没有幻灯片，无法导出。",
        "en": "The presentation has no slides to export.",
    },
    "deckfiles.error.render": {
        "zh": "无法生成 {format} 文件：{detail}",
        "en": "The {format} file could not be made: {detail}",
    },
    "deckfiles.error.write": {
        "zh": "无法写入“{file}”：{detail}",
        "en": "Cannot write '{file}': {detail}",
    },
}
