"""Strings of the import (/data, `python -m cloudsword import`), both languages."""

STRINGS: dict[str, dict[str, str]] = {
    # files that cannot be imported at all
    "ingest.error.too_big": {
        "zh": "文件 {file} 大小为 {size}，超过上限 {limit}（可通过 CLOUDSWORD_IMPORT_MAX_MB 调整），未读取。",
        "en": "{file} is {size}, over the limit of {limit} (set CLOUDSWORD_IMPORT_MAX_MB to change it); "
        "it was not read.",
    },
    "ingest.error.too_many_rows": {
        "zh": "{file} 超过 {limit} 行的上限（可通过 CLOUDSWORD_IMPORT_MAX_ROWS 调整），已停止读取。",
        "en": "{file} has more than {limit} rows, the limit (set CLOUDSWORD_IMPORT_MAX_ROWS to change "
        "it); reading stopped there.",
    },
    "ingest.error.empty": {"zh": "文件 {file} 是空的。", "en": "{file} is empty."},
    "ingest.error.header_only": {
        "zh": "文件 {file} 只有表头，没有数据行。",
        "en": "{file} has a header but no rows.",
    },
    "ingest.error.encoding": {
        "zh": "无法识别文件 {file} 的文字编码；请另存为 UTF-8 或 GBK 的 CSV。",
        "en": "The text encoding of {file} cannot be recognised; save it as CSV in UTF-8 or GBK.",
    },
    "ingest.error.xls": {
        "zh": "{file} 是旧版 Excel（.xls）文件；请在 Excel 中另存为 .xlsx 或 CSV。",
        "en": "{file} is an old Excel (.xls) file; save it as .xlsx or CSV from Excel.",
    },
    "ingest.error.unreadable": {
        "zh": "无法读取文件 {file}：{detail}",
        "en": "{file} cannot be read: {detail}",
    },
    "ingest.error.sheet": {
        "zh": "{file} 中没有工作表“{sheet}”；现有：{sheets}",
        "en": "{file} has no sheet '{sheet}'; it has: {sheets}",
    },
    "ingest.error.table": {
        "zh": "不能导入表“{table}”。可导入：cases、clues、entities、links、suspects、memberships。",
        "en": "Table '{table}' cannot be imported. Importable: cases, clues, entities, links, suspects, "
        "memberships.",
    },
    "ingest.error.no_header": {
        "zh": "文件中没有列“{header}”；现有列：{headers}",
        "en": "The file has no column '{header}'; its columns: {headers}",
    },
    "ingest.error.not_allowed": {
        "zh": "检查报告中仍有错误，未导入。请修正文件，或选择“不导入被拒绝的行”。",
        "en": "The report still has errors, so nothing was imported. Fix the file, or choose to leave the "
        "rejected rows out.",
    },
    "ingest.error.headers_differ": {
        "zh": "{file} 的列与 {first} 不同：一次导入的文件须有相同的列，请分别导入。",
        "en": "{file} has other columns than {first}: files imported together must share their columns; "
        "import them one at a time.",
    },
    "ingest.error.mapping": {
        "zh": "列对应“{item}”应写作 目标列=文件列，例如 opened_on=立案日期。",
        "en": "The column mapping '{item}' should read target=header, e.g. opened_on=立案日期.",
    },
    # the rules of the report
    "ingest.rule.table.wrong": {
        "zh": "这个文件的列更像“{table}”表：请确认选择的表。",
        "en": "This file's columns look like the '{table}' table: check the table chosen.",
    },
    "ingest.rule.column.missing": {
        "zh": "必填列没有对应的文件列：{columns}",
        "en": "Required columns with no column of the file mapped to them: {columns}",
    },
    "ingest.rule.value.empty": {"zh": "必填值为空", "en": "A required value is empty"},
    "ingest.rule.value.assumed": {
        "zh": "文件中没有此列，按“否”（公开日期）导入",
        "en": "Not in the file: imported as false (public dates)",
    },
    "ingest.rule.date.invalid": {
        "zh": "不是日期或日期不存在（如 2月30日）",
        "en": "Not a date, or a day that does not exist (such as 30 February)",
    },
    "ingest.rule.date.future": {"zh": "日期在未来", "en": "A date in the future"},
    "ingest.rule.date.too_early": {
        "zh": "日期早于 1990 年，多为录入错误",
        "en": "A date before 1990, most likely a typing error",
    },
    "ingest.rule.date.order": {
        "zh": "最后发现日期早于首次发现日期",
        "en": "Last seen before first seen",
    },
    "ingest.rule.number.invalid": {"zh": "不是数字", "en": "Not a number"},
    "ingest.rule.number.negative": {"zh": "负数", "en": "A negative number"},
    "ingest.rule.number.not_whole": {"zh": "人数、个数应为整数", "en": "A count that is not a whole number"},
    "ingest.rule.number.large": {
        "zh": "单案金额超过 10 亿元，请核对",
        "en": "More than 1 bn yuan in one case: worth checking",
    },
    "ingest.rule.choice.unknown": {"zh": "不是允许的取值", "en": "Not one of the allowed values"},
    "ingest.rule.place.unknown_province": {
        "zh": "无法识别的省份；最接近：{closest}",
        "en": "Province not recognised; closest: {closest}",
    },
    "ingest.rule.place.unknown_city": {
        "zh": "无法识别的城市；最接近：{closest}",
        "en": "City not recognised; closest: {closest}",
    },
    "ingest.rule.place.city_elsewhere": {
        "zh": "城市不在该行的省份内",
        "en": "The city lies in another province than the row's",
    },
    "ingest.rule.place.from_address": {
        "zh": "此格无法识别，已按地址列确定",
        "en": "This cell was not recognised; placed from the address column",
    },
    "ingest.rule.place.guessed": {
        "zh": "按自由文本识别（cpca），请核对",
        "en": "Placed from free text (cpca): worth checking",
    },
    "ingest.rule.source.inferred": {
        "zh": "文件中没有案件来源：有线索编号的记为联盟线索，其余记为本地执法",
        "en": "No case source in the file: cases with a clue id count as alliance clues, the rest as "
        "local enforcement",
    },
    "ingest.rule.coord.from_city": {
        "zh": "没有坐标，取所在城市中心",
        "en": "No coordinates: the city's centre is used",
    },
    "ingest.rule.coord.range": {"zh": "坐标不在中国范围内", "en": "Coordinates outside China"},
    "ingest.rule.key.duplicate": {
        "zh": "编号重复（保留第一行）",
        "en": "Duplicate id (the first row is kept)",
    },
    "ingest.rule.key.exists": {
        "zh": "编号已在数据集中（追加模式）",
        "en": "The id is already in the dataset (append mode)",
    },
    "ingest.rule.ref.missing": {
        "zh": "引用的编号不在“{table}”表中",
        "en": "Refers to an id that is not in the '{table}' table",
    },
    "ingest.rule.ref.orphaned": {
        "zh": "替换后，“{table}”表中有 {count} 行引用的编号将不存在（如 {examples}）：请先导入相应数据",
        "en": "After the replacement {count} rows of '{table}' would refer to ids that are gone (e.g. "
        "{examples}): import those first",
    },
    "ingest.rule.text.formula": {
        "zh": "以 = + - @ 开头，按文字导入；导出时会加以中和",
        "en": "Starts with = + - @: imported as text, and neutralised in every export",
    },
    "ingest.rule.text.markup": {
        "zh": "含 HTML、脚本或链接标记，按文字导入和显示",
        "en": "Holds HTML, script or link markup: imported and shown as text",
    },
    "ingest.severity.error": {"zh": "错误", "en": "Error"},
    "ingest.severity.warning": {"zh": "警告", "en": "Warning"},
    "ingest.fate.imported": {"zh": "导入", "en": "Imported"},
    "ingest.fate.warned": {"zh": "导入（有警告）", "en": "Imported with a warning"},
    "ingest.fate.rejected": {"zh": "拒绝", "en": "Rejected"},
    "ingest.whole_file": {"zh": "整个文件", "en": "whole file"},
    # the command line
    "ingest.cli.read": {
        "zh": "读取 {rows} 行：导入 {imported}，有警告导入 {warned}，拒绝 {rejected}。",
        "en": "Read {rows} rows: {imported} imported, {warned} imported with a warning, {rejected} rejected.",
    },
    "ingest.cli.wrote": {
        "zh": "已写入版本 {version} 并设为当前版本（{file}）。",
        "en": "Wrote version {version} and made it current ({file}).",
    },
    "ingest.cli.blocked": {
        "zh": "未导入：报告中有错误。修正后重试，或加 --leave-out-rejected 只导入通过检查的行。",
        "en": "Nothing imported: the report has errors. Fix them, or add --leave-out-rejected to import "
        "only the rows that pass.",
    },
    "ingest.cli.mapping": {"zh": "列对应：", "en": "Columns:"},
    # the /data page
    "data.title": {"zh": "数据：导入、版本与质量", "en": "Data: import, versions and quality"},
    "data.viewing": {
        "zh": "本页面显示数据版本 {version}（{created}）；当前版本为 {current}。",
        "en": "This session shows data version {version} ({created}); the current version is {current}.",
    },
    "data.flat": {
        "zh": "此数据目录尚无版本记录：第一次导入时，现有文件会成为第一个版本，之后的每次导入都会新增版本。",
        "en": "This data directory has no versions yet: at the first import its files become the first "
        "version, and each import after that adds one.",
    },
    "data.import.header": {"zh": "导入文件", "en": "Import files"},
    "data.import.help": {
        "zh": "CSV（UTF-8、带 BOM 的 UTF-8、GBK/GB18030，自动识别）、"
        "Excel .xlsx（可选工作表，支持合并单元格表头）或 Parquet。"
        "导入会生成一个完整的新版本，检查通过后才切换；旧版本保留，可随时恢复。"
        "上限：{mb}、{rows} 行。",
        "en": "CSV (UTF-8, UTF-8 with BOM, GBK/GB18030, detected), Excel .xlsx (choose the sheet; merged "
        "header cells are fine) or Parquet. An import writes a complete new version and switches to it only "
        "once it passes the checks; earlier versions stay and can be restored. Limits: {mb}, {rows} rows.",
    },
    "data.import.table": {"zh": "导入到哪张表", "en": "Table to import into"},
    "data.import.files": {"zh": "文件（可多选，同一张表）", "en": "Files (several for one table)"},
    "data.import.browse": {"zh": "选择文件", "en": "Choose files"},
    "data.import.limit": {
        "zh": "每个文件不超过 {mb} · CSV、TXT、XLSX、Parquet",
        "en": "Up to {mb} per file · CSV, TXT, XLSX, Parquet",
    },
    "data.import.refused": {
        "zh": "标红的文件未上传：超过每个文件 {mb} 的上限（可通过 CLOUDSWORD_IMPORT_MAX_MB 调整），"
        "或不是 CSV、TXT、XLSX、Parquet 文件。请移除后重新选择。",
        "en": "The file marked red was not uploaded: it is over the limit of {mb} per file (set "
        "CLOUDSWORD_IMPORT_MAX_MB to change it) or not a CSV, TXT, XLSX or Parquet file. Remove it and "
        "choose again.",
    },
    "data.import.sheet": {"zh": "工作表", "en": "Sheet"},
    "data.import.mode": {"zh": "方式", "en": "Mode"},
    "data.import.mode.replace": {"zh": "替换整张表", "en": "Replace the table"},
    "data.import.mode.append": {"zh": "追加到现有行", "en": "Add to its rows"},
    "data.import.read": {
        "zh": "已读取 {files}：{rows} 行，编码 {encoding}。",
        "en": "Read {files}: {rows} rows, encoding {encoding}.",
    },
    "data.import.again": {
        "zh": "这些文件已导入。移除它们即可导入其他文件。",
        "en": "These files were imported. Remove them to import others.",
    },
    "data.map.header": {"zh": "列的对应（建议，可修改）", "en": "Columns (suggested; change any)"},
    "data.map.none": {"zh": "—（不使用）", "en": "— (none)"},
    "data.map.exact": {"zh": "按同义词匹配", "en": "matched by synonym"},
    "data.map.guess": {"zh": "按拼写相近猜测，请核对", "en": "a close spelling: check it"},
    "data.map.required": {"zh": "必填", "en": "required"},
    "data.map.address": {
        "zh": "地址（可用于确定省份和城市）",
        "en": "address (gives the province and city)",
    },
    "data.report.header": {"zh": "检查报告", "en": "Validation report"},
    "data.report.rows": {"zh": "读取行数", "en": "Rows read"},
    "data.report.none": {"zh": "没有发现问题。", "en": "No problems found."},
    "data.report.preview": {"zh": "导入后的前 20 行", "en": "The first 20 rows as they will be imported"},
    "data.report.download": {"zh": "下载报告（CSV）", "en": "Download the report (CSV)"},
    "data.report.download_rows": {"zh": "下载每一行的结果（CSV）", "en": "Download every row's fate (CSV)"},
    "data.report.blocked": {
        "zh": "报告中有针对整个文件的错误，无法导入。",
        "en": "The report has errors about the whole file: it cannot be imported.",
    },
    "data.report.leave_out": {
        "zh": "不导入被拒绝的行，只导入通过检查的行",
        "en": "Leave the rejected rows out and import the rest",
    },
    "data.commit": {"zh": "导入为新版本", "en": "Import as a new version"},
    "data.committed": {
        "zh": "已写入新版本 {version} 并设为当前版本。",
        "en": "Wrote version {version} and made it current.",
    },
    "data.versions.header": {"zh": "版本与导入历史", "en": "Versions and import history"},
    "data.versions.pick": {"zh": "版本", "en": "Version"},
    "data.versions.current": {"zh": "当前", "en": "current"},
    "data.versions.view": {"zh": "在本页面查看此版本", "en": "Show this version in this session"},
    "data.versions.restore": {"zh": "设为当前版本（恢复）", "en": "Make it current (restore)"},
    "data.versions.restored": {
        "zh": "版本 {version} 已设为当前版本。",
        "en": "Version {version} is now current.",
    },
    "data.versions.verify": {"zh": "校验全部文件", "en": "Verify every file"},
    "data.versions.intact": {
        "zh": "版本 {version} 的 {n} 个文件与校验和一致。",
        "en": "All {n} files of version {version} match their checksums.",
    },
    "data.versions.damaged": {
        "zh": "版本 {version} 已损坏：{detail}",
        "en": "Version {version} is damaged: {detail}",
    },
    "data.versions.sources": {
        "zh": "此版本导入的原始文件与报告",
        "en": "This version's original files and report",
    },
    "data.quality.header": {"zh": "数据质量（本页面显示的版本）", "en": "Data quality (the version shown)"},
    "quality.coverage.title": {"zh": "各省每月案件数", "en": "Cases by province and month"},
    "quality.cases": {"zh": "案件", "en": "Cases"},
    "data.quality.missing": {"zh": "各列空值", "en": "Empty values per column"},
    "data.quality.duplicates": {"zh": "重复编号", "en": "Duplicate ids"},
    "data.quality.outliers": {"zh": "异常的涉案金额", "en": "Outlying seized values"},
    "data.quality.outliers.note": {
        "zh": "与同类别案件相比（对数尺度上超过中位数 {k} 个稳健标准差）。",
        "en": "Compared with cases of the same category (more than {k} robust deviations above the median, "
        "on a log scale).",
    },
    "data.quality.history": {"zh": "导入历史", "en": "Import history"},
    # column headers of the page's tables and their downloads
    "data.col.table": {"zh": "表", "en": "table"},
    "data.col.column": {"zh": "列", "en": "column"},
    "data.col.rows": {"zh": "行数", "en": "rows"},
    "data.col.empty": {"zh": "空值", "en": "empty"},
    "data.col.share": {"zh": "占比", "en": "share"},
    "data.col.key": {"zh": "编号列", "en": "key"},
    "data.col.duplicates": {"zh": "重复", "en": "duplicates"},
    "data.col.case_id": {"zh": "案件编号", "en": "case id"},
    "data.col.province": {"zh": "省份", "en": "province"},
    "data.col.category": {"zh": "类别", "en": "category"},
    "data.col.opened_on": {"zh": "立案日期", "en": "opened on"},
    "data.col.seizure_cny": {"zh": "涉案金额（元）", "en": "seized value (yuan)"},
    "data.col.typical": {"zh": "同类中位数（元）", "en": "category median (yuan)"},
    "data.col.deviations": {"zh": "偏离（稳健标准差）", "en": "robust deviations"},
    "data.col.version": {"zh": "版本", "en": "version"},
    "data.col.created": {"zh": "创建时间（UTC）", "en": "created (UTC)"},
    "data.col.current": {"zh": "当前", "en": "current"},
    "data.origin.generated": {"zh": "生成（演示数据）", "en": "generated (demo)"},
    "data.origin.import": {"zh": "导入", "en": "import"},
    "data.origin.adopted": {"zh": "首次建档", "en": "first version"},
    "data.col.origin": {"zh": "来源", "en": "origin"},
    "data.col.mode": {"zh": "方式", "en": "mode"},
    "data.col.files": {"zh": "文件", "en": "files"},
    "data.col.imported": {"zh": "导入行数", "en": "rows imported"},
    "data.col.rejected": {"zh": "拒绝行数", "en": "rows rejected"},
    "data.col.cases": {"zh": "案件数", "en": "cases"},
    "data.col.synthetic": {"zh": "合成数据", "en": "synthetic"},
    "data.col.month": {"zh": "月份", "en": "month"},
    "data.col.province_adcode": {"zh": "省份代码", "en": "province code"},
    "data.col.file": {"zh": "文件", "en": "file"},
    "data.col.line": {"zh": "行", "en": "line"},
    "data.col.fate": {"zh": "结果", "en": "fate"},
    "data.col.reasons": {"zh": "规则", "en": "rules broken"},
}
