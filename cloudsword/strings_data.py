"""Strings of the dataset checks (cloudsword.checks, cloudsword.store): each broken rule, what an
empty table means for the pages, and what is wrong with a manifest. Every message names the
dataset and the file, never the server's path."""

_ROWS = {"zh": "前几行：{rows}", "en": "first rows: {rows}"}


def _rule(zh: str, en: str) -> dict[str, str]:
    """A rule broken by some rows: the sentence, then the first rows."""
    return {"zh": f"{zh}{_ROWS['zh']}", "en": f"{en}; {_ROWS['en']}"}


STRINGS: dict[str, dict[str, str]] = {
    "error.dataset_unreadable": {
        "zh": "无法读取数据集“{dataset}”：服务器没有读取该目录的权限。",
        "en": "Dataset '{dataset}' cannot be read: the server has no permission to read its directory.",
    },
    "data.warning": {"zh": "数据集“{dataset}”：{problem}", "en": "Dataset '{dataset}': {problem}"},
    # what is wrong with a manifest.json
    "manifest.empty": {"zh": "文件是空的（0 字节）。", "en": "the file is empty (0 bytes)."},
    "manifest.not_json": {
        "zh": "不是有效的 JSON（第 {line} 行第 {col} 列）。",
        "en": "it is not valid JSON (line {line}, column {col}).",
    },
    "manifest.not_text": {"zh": "不是 UTF-8 文本。", "en": "it is not UTF-8 text."},
    "manifest.not_object": {
        "zh": "应为一个 JSON 对象（{{...}}）。",
        "en": "it should be one JSON object ({{...}}).",
    },
    "manifest.field": {
        "zh": "缺少字段“{field}”。",
        "en": "the field '{field}' is missing.",
    },
    "manifest.date": {
        "zh": "字段“{field}”的值“{value}”不是日期（应为 YYYY-MM-DD）。",
        "en": "'{value}' in the field '{field}' is not a date (use YYYY-MM-DD).",
    },
    "manifest.order": {
        "zh": "开始日期 {start} 晚于结束日期 {end}。",
        "en": "its start {start} is after its end {end}.",
    },
    # a number of rows: "yet 1 row is" / "yet 3 rows are" (count); "in 1 row" / "in 3 rows" (count_of)
    "count.rows.one": {"zh": "{n} 行", "en": "{n} row is"},
    "count.rows": {"zh": "{n} 行", "en": "{n} rows are"},
    "count.of.one": {"zh": "{n} 行", "en": "{n} row"},
    "count.of": {"zh": "{n} 行", "en": "{n} rows"},
    # the logical types of docs/data-model.md
    "dtype.str": {"zh": "文本", "en": "text"},
    "dtype.date": {"zh": "日期", "en": "a date"},
    "dtype.float": {"zh": "数值", "en": "a number"},
    "dtype.int": {"zh": "整数", "en": "a whole number"},
    "dtype.bool": {"zh": "真/假", "en": "true/false"},
    # each broken rule (cloudsword.checks.Problem.message)
    "check.missing_columns": {"zh": "{file}：缺少列 {column}。", "en": "{file}: missing columns {column}."},
    "check.type": {
        "zh": "{file}：列 {column} 应为{expected}，实为 {actual}。",
        "en": "{file}: column {column} should be {expected}, is {actual}.",
    },
    "check.empty": _rule(
        "{file}：列 {column} 不允许为空，但有 {count}为空（缺失或 NaN）；",
        "{file}: column {column} may not be empty, yet {count} empty (missing or NaN)",
    ),
    "check.not_finite": _rule(
        "{file}：列 {column} 有 {count}不是有限数值（inf）；",
        "{file}: column {column} must hold finite numbers, yet {count} not (inf)",
    ),
    "check.below": _rule(
        "{file}：列 {column} 不应小于 {limit}，但有 {count}小于它；",
        "{file}: column {column} may not be below {limit}, yet {count}",
    ),
    "check.above": _rule(
        "{file}：列 {column} 不应大于 {limit}，但有 {count}大于它；",
        "{file}: column {column} may not be above {limit}, yet {count}",
    ),
    "check.not_allowed": _rule(
        "{file}：列 {column} 有 {count}的值不在允许值（{allowed}）之中；",
        "{file}: column {column} allows only {allowed}, yet {count} not",
    ),
    "check.outside_dataset": _rule(
        "{file}：列 {column} 有 {count_of}的日期不在数据集声明的范围（{start} 至 {end}）内，"
        "这些行不计入任何图表；",
        "{file}: {column} lies outside the dataset's declared range ({start} to {end}) in {count_of}, "
        "left out of every figure",
    ),
    "check.reference": _rule(
        "{file}：列 {column} 有 {count}在 {ref} 中找不到；",
        "{file}: column {column} must refer to {ref}, yet {count} not found there",
    ),
    "check.ordered": _rule(
        "{file}：有 {count_of}的 {last} 早于 {first}；",
        "{file}: {last} may not precede {first}, yet it does in {count_of}",
    ),
    "check.in_province": _rule(
        "{file}：有 {count_of}的城市（{city}）不在该行的省份（{province}）之内；",
        "{file}: a row's city ({city}) must lie in its province ({province}), yet not in {count_of}",
    ),
    "check.incomplete": _rule(
        "{file}：{ref} 中有 {count_of}在此没有对应行，应根据数据重新生成；",
        "{file}: must have a row for each {ref} (rebuild it from the data), yet for {count_of} there is none",
    ),
    "check.duplicate_key": _rule(
        "{file}：键（{column}）有 {count_of}重复；",
        "{file}: each key ({column}) must be unique, yet it is repeated in {count_of}",
    ),
    # an empty table: what the pages cannot show
    "check.no_rows.memberships": {
        "zh": "{file} 没有任何记录：没有联盟成员，成员标记和加入前后的比较无法显示。",
        "en": "{file} has no rows: with no alliance members, membership and before/after comparisons "
        "cannot be shown.",
    },
    "check.no_rows.entities": {
        "zh": "{file} 没有任何记录：没有售假网络的主体，无法显示售假网络。",
        "en": "{file} has no rows: with no entities there is no seller network to show.",
    },
    "check.no_rows.links": {
        "zh": "{file} 没有任何记录：主体之间没有关系，每个主体都是孤立的。",
        "en": "{file} has no rows: no entity is linked to another, so every network is a single entity.",
    },
    "check.no_rows.clues": {
        "zh": "{file} 没有任何记录：没有联盟线索，线索数和由线索带来的案件均为零。",
        "en": "{file} has no rows: with no alliance clues, clues and the cases they led to are all zero.",
    },
    "check.no_rows.cases": {
        "zh": "{file} 没有任何记录：没有案件，案件、抓获和查获数均为零。",
        "en": "{file} has no rows: with no cases, cases, arrests and seizures are all zero.",
    },
    "check.no_rows.suspects": {
        "zh": "{file} 没有任何记录：没有抓获嫌疑人的记录。",
        "en": "{file} has no rows: no suspect is recorded.",
    },
    "check.no_rows.truth_effects": {
        "zh": "{file} 没有任何记录。",
        "en": "{file} has no rows.",
    },
    "check.no_rows.truth_rings": {
        "zh": "{file} 没有任何记录。",
        "en": "{file} has no rows.",
    },
    "check.no_rows.provinces": {"zh": "{file} 没有任何记录。", "en": "{file} has no rows."},
    "check.no_rows.cities": {"zh": "{file} 没有任何记录。", "en": "{file} has no rows."},
}
