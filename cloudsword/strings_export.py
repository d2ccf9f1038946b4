"""Strings of the download menus every chart carries, merged into i18n.STRINGS."""

STRINGS: dict[str, dict[str, str]] = {
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
}
