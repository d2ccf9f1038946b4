"""The validation report in words, in either language: a table of problems for the page and its
downloads, lines for the command line."""

from __future__ import annotations

import pandas as pd

from cloudsword.i18n import join, t
from cloudsword.ingest.check import Checked, Problem


def rule_text(p: Problem, lang: str) -> str:
    params = {k: join(v, lang) if isinstance(v, (list, tuple)) else v for k, v in p.params.items()}
    return t(f"ingest.rule.{p.rule}", lang, **params)


def where(p: Problem, lang: str) -> str:
    return join([f"{f}:{line}" for f, line in p.rows], lang) if p.rows else t("ingest.whole_file", lang)


def problems_frame(checked: Checked, lang: str) -> pd.DataFrame:
    """One row per problem: severity, column (and the file's header), rule, rows, first rows, examples."""
    zh = lang == "zh"
    cols = (
        ("严重程度", "列", "问题", "规则", "行数", "前几行（文件:行）", "示例")
        if zh
        else ("severity", "column", "problem", "rule", "rows", "first rows (file:line)", "examples")
    )
    rows = [
        (
            t(f"ingest.severity.{p.severity}", lang),
            f"{p.column} ← {p.header}" if p.header and p.header != p.column else p.column,
            rule_text(p, lang),
            p.rule,
            p.count,
            where(p, lang),
            join(p.examples, lang),
        )
        for p in checked.problems
    ]
    return pd.DataFrame(rows, columns=list(cols))


def fates_frame(checked: Checked, lang: str) -> pd.DataFrame:
    """Every row read: its file, line, fate and the rules it broke."""
    out = checked.rows_frame()
    out["fate"] = out["fate"].map(lambda f: t(f"ingest.fate.{f}", lang))
    return out


def lines(checked: Checked, lang: str) -> list[str]:
    """The report as the command line prints it."""
    c = checked.counts
    out = [t("ingest.cli.read", lang, rows=f"{checked.rows_read:,}", **{k: f"{v:,}" for k, v in c.items()})]
    for p in checked.problems:
        sev = t(f"ingest.severity.{p.severity}", lang)
        col = (
            f" {p.column}" + (f" ({p.header})" if p.header and p.header != p.column else "")
            if p.column
            else ""
        )
        n = f" ×{p.count:,}" if p.count else ""
        eg = f" — {join(p.examples, lang)}" if p.examples else ""
        out.append(f"  [{sev}]{col}{n}: {rule_text(p, lang)} [{p.rule}] @ {where(p, lang)}{eg}")
    return out
