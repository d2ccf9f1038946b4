"""Strings of dataset versions (cloudsword.dataset, the store, the app shell), both languages."""

STRINGS: dict[str, dict[str, str]] = {
    "error.no_version": {
        "zh": "数据集“{dataset}”中还没有任何数据版本。",
        "en": "Dataset '{dataset}' holds no version yet.",
    },
    "error.version_missing": {
        "zh": "数据集“{dataset}”中没有版本 {version}。",
        "en": "Dataset '{dataset}' has no version {version}.",
    },
    "error.version_damaged": {
        "zh": "数据集“{dataset}”的版本 {version} 已损坏：{detail}",
        "en": "Version {version} of dataset '{dataset}' is damaged: {detail}",
    },
    "error.data_changed": {
        "zh": "数据集“{dataset}”的文件在读取时被修改；请稍后重试。",
        "en": "The files of dataset '{dataset}' changed while they were being read; try again in a moment.",
    },
    "error.not_versioned": {
        "zh": "“{dataset}”不是带版本的数据集（其中已有文件）。请导入到新目录或空目录。",
        "en": "'{dataset}' is not a versioned dataset (it already holds files). Import into a new or empty "
        "directory.",
    },
    "error.stale_base": {
        "zh": "检查期间数据集已切换到另一个版本（{version}）；请重新检查后再导入。",
        "en": "Another version ({version}) became current while this import was being checked; check "
        "it again, then import.",
    },
    "dataset.newer": {
        "zh": "数据已有更新的版本。本页面仍显示打开时的版本，刷新页面即可查看新版本。",
        "en": "A newer version of the data is current. This session keeps the version it opened "
        "with; reload the page to see the new one.",
    },
    "dataset.newer.use": {"zh": "查看最新版本", "en": "Show the newest version"},
    "dataset.fallback": {
        "zh": "无法使用当前数据版本：{reason} 现显示最后一个完好的版本 {version}。",
        "en": "The current data version cannot be used: {reason} Showing {version}, the last good version.",
    },
}
