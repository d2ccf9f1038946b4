"""A drill-down's case records on a page (/map's province panel, /'s largest seizures): the count,
the table in the page's language and its CSV and Excel files, each file taken written into the
audit log. Both pages use it, so it lives here rather than in either page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cloudsword import export, records
from cloudsword.access import Principal
from cloudsword.i18n import t
from components.access import audited
from components.lazy import opened

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def records_box(label: str, key: str, lang: str, who: Principal):
    """An expander for a drill-down, or None when there is nothing to build in it: closed (its
    records are queried only once it is opened) or a role that reads no records (told so inside,
    and the query never runs)."""
    box = opened(label, key)
    if box is None:
        return None
    if not who.takes_records:
        box.info(t("records.not_for_role", lang))
        return None
    return box


def case_records(
    rows: pd.DataFrame,
    total: int | None,
    view: str,
    key: str,
    lang: str,
    who: Principal,
    with_province: bool = False,
) -> None:
    """`rows` (the first of `total` cases) as a table with "showing N of M" when cut, then the
    rows as files. `total` None: a top-k list whose heading says what it is, no count line.
    `view` names the files (`cloudsword-<view>-<day>.csv`); `key` prefixes widgets."""
    if who.restricted:  # also when none is left: "no cases" may mean "none you may see"
        st.caption(t("records.officer_note", lang))
    if not len(rows):
        st.info(t("records.none", lang))
        return
    if total is not None:
        st.caption(records.shown_of(len(rows), total, lang))
    numbers = (t("records.col.suspects_caught", lang), t("records.col.seizure_cny", lang))
    right = {c: st.column_config.TextColumn(alignment="right") for c in numbers}  # figures line up
    st.dataframe(records.case_table(rows, lang, with_province), hide_index=True, column_config=right)
    files = (("csv", export.csv_bytes, "text/csv"), ("xlsx", export.xlsx_bytes, XLSX))
    buttons = st.container(horizontal=True)
    for fmt, write, mime in files:
        name = export.file_name(view, fmt)

        def build(write=write) -> bytes:  # on the click only
            return write(records.case_file(rows, lang, with_province))

        buttons.download_button(
            t(f"export.{fmt}", lang),
            audited(build, name, "case records"),
            file_name=name,
            mime=mime,
            on_click="ignore",
            key=f"{key}_{fmt}",
            icon=":material/download:",
        )
