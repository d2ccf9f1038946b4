"""Strings of the presenter page (/present), merged into cloudsword.i18n.STRINGS."""

# ruff: noqa: E501 - Chinese sentences are kept whole (each character counts double)

STRINGS: dict[str, dict[str, str]] = {
    # editor
    "present.title": {"zh": "演示文稿", "en": "Presentation"},
    "present.intro": {
        "zh": "每一页都是看板某个视图的链接。用侧栏的按钮或在下方粘贴链接添加视图；可调整顺序、修改标题、填写备注，然后开始放映。",
        "en": "Each slide is a saved view of a dashboard page. Add views with the sidebar's button or by "
        "pasting a link below; reorder, retitle and add notes, then start the projector.",
    },
    "present.slide_n": {"zh": "第 {n} 页", "en": "Slide {n}"},
    "present.field.title": {"zh": "标题", "en": "Title"},
    "present.field.notes": {"zh": "演讲备注（不投影）", "en": "Speaker notes (never projected)"},
    "present.open_view": {"zh": "打开此视图", "en": "Open this view"},
    "present.up": {"zh": "上移", "en": "Move up"},
    "present.down": {"zh": "下移", "en": "Move down"},
    "present.delete": {"zh": "删除此页", "en": "Delete this slide"},
    "present.empty": {
        "zh": "演示文稿是空的：请添加视图，或恢复默认内容。",
        "en": "The presentation is empty: add a view or restore the default story.",
    },
    "present.restore": {"zh": "恢复默认内容", "en": "Restore the default story"},
    "present.restored": {"zh": "已恢复默认内容（{n} 页）。", "en": "The default story is back ({n} slides)."},
    "present.add.label": {
        "zh": "添加视图：粘贴本看板的链接或路径",
        "en": "Add a view: paste a link or path from this dashboard",
    },
    "present.add.placeholder": {"zh": "例如 map?metric=cases", "en": "e.g. map?metric=cases"},
    "present.add.button": {"zh": "添加", "en": "Add"},
    "present.add.done": {"zh": "已添加为第 {n} 页。", "en": "Added as slide {n}."},
    "present.error.empty_view": {
        "zh": "请先粘贴一个链接或路径。",
        "en": "Paste a link or a path first.",
    },
    "present.error.unknown_page": {
        "zh": "“{view}”不是本看板可放映的页面（可用：{pages}）。演示文稿没有改变。",
        "en": "'{view}' is not a page of this dashboard that can be shown (pages: {pages}). "
        "The presentation is unchanged.",
    },
    "present.problems": {
        "zh": "有 {n} 页的视图已无法显示；放映时这些页会说明原因，其余各页照常。",
        "en": "{n} slide(s) no longer resolve; on the projector they say why, and the rest work as usual.",
    },
    # deck files
    "present.files": {"zh": "保存与载入", "en": "Save and load"},
    "present.save": {"zh": "保存演示文稿（JSON）", "en": "Save the presentation (JSON)"},
    "present.load": {"zh": "载入演示文稿（JSON）", "en": "Load a presentation (JSON)"},
    "present.load.done": {"zh": "已从 {file} 载入 {n} 页。", "en": "Loaded {n} slides from {file}."},
    "present.load.failed": {
        "zh": "{detail} 当前演示文稿保持不变。",
        "en": "{detail} The current presentation is kept.",
    },
    "present.export": {"zh": "带走的文件", "en": "Take-home files"},
    "present.export.note": {
        "zh": "图表在服务器上渲染，点击后需等待几秒。文件中的个人信息均已脱敏。",
        "en": "Charts are rendered on the server when you click, which takes a few seconds. "
        "Personal data in the files is masked.",
    },
    "present.export.pptx": {"zh": "下载 PPTX", "en": "Download PPTX"},
    "present.export.pdf": {"zh": "下载 PDF", "en": "Download PDF"},
    "present.export.html": {"zh": "下载交互式 HTML", "en": "Download interactive HTML"},
    # starting the show
    "present.show": {"zh": "放映", "en": "Show"},
    "present.start": {"zh": "开始放映", "en": "Start the projector"},
    "present.console": {"zh": "打开演讲者视图（新窗口）", "en": "Open the presenter console (new window)"},
    "present.console.help": {
        "zh": "在笔记本屏幕上打开：显示备注、下一页标题和用时；两个窗口的翻页保持同步。",
        "en": "Open it on the laptop screen: it shows the notes, the next slide's title and the time "
        "elapsed; both windows turn pages together.",
    },
    "present.keys": {
        "zh": "放映时：按 F11 全屏；← → 或 PageUp / PageDown 翻页；Esc 返回编辑。",
        "en": "On the projector: F11 for full screen; ← → or PageUp / PageDown to turn pages; "
        "Esc to come back here.",
    },
    "present.auto": {"zh": "自动翻页", "en": "Auto-advance"},
    "present.auto.off": {"zh": "关闭", "en": "Off"},
    "present.auto.every": {"zh": "每 {s} 秒", "en": "Every {s} s"},
    # projector
    "present.counter": {"zh": "第 {n} / {total} 页", "en": "{n} / {total}"},
    "present.prev": {"zh": "上一页", "en": "Previous"},
    "present.next": {"zh": "下一页", "en": "Next"},
    "present.exit": {"zh": "退出放映", "en": "Leave the show"},
    "present.switch_lang": {"zh": "English 英文", "en": "中文 Chinese"},
    "present.auto.on": {"zh": "自动翻页：每 {s} 秒", "en": "Auto-advance: every {s} s"},
    "present.auto.pause": {"zh": "停止自动翻页", "en": "Stop auto-advance"},
    "present.problem": {"zh": "此页无法显示", "en": "This slide cannot be shown"},
    "present.deck_missing": {
        "zh": "链接中的演示文稿已不在服务器上（服务器可能已重启），改为显示默认内容。",
        "en": "The linked presentation is no longer on the server (it may have restarted); "
        "showing the default story.",
    },
    "present.no_slides": {
        "zh": "没有可放映的页：请返回编辑添加视图。",
        "en": "There are no slides to show: go back to the editor and add a view.",
    },
    # presenter console
    "present.notes.title": {"zh": "演讲者视图", "en": "Presenter console"},
    "present.notes.now": {"zh": "当前页", "en": "Now showing"},
    "present.notes.none": {"zh": "（本页没有备注）", "en": "(no notes for this slide)"},
    "present.notes.next": {"zh": "下一页", "en": "Next"},
    "present.notes.last": {"zh": "（这是最后一页）", "en": "(this is the last slide)"},
    "present.notes.elapsed": {"zh": "已用时间", "en": "Elapsed"},
    "present.notes.reset": {"zh": "重新计时", "en": "Restart the clock"},
    "present.notes.sync": {
        "zh": "与放映窗口同步翻页（同一台服务器上的同一份演示文稿）。",
        "en": "Turns pages together with the projector window (same presentation, same server).",
    },
}
