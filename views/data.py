"""Data (/data): import files into a new dataset version, the versions and their history, the
quality of the version this session shows, and (for the administrator) the audit log.

An import goes: files and table -> the suggested columns (changeable) -> the validation report ->
commit, which writes a complete new version and switches to it (cloudsword.ingest.importer).
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from cloudsword import dataset, export
from cloudsword.access import audit
from cloudsword.i18n import STRINGS, error_text, format_date, t
from cloudsword.ingest import importer, quality, report
from cloudsword.ingest import read as reading
from cloudsword.ingest.check import Checked
from cloudsword.ingest.headers import ADDRESS, IMPORTABLE, ColumnMap
from cloudsword.ingest.quality import OUTLIER_MADS
from cloudsword.ingest.read import IngestError, Limits
from cloudsword.schema import TABLES
from components import access
from components.cache import data_dir, use_version
from components.cache import quality as cached
from components.context import view
from components.downloads import chart_downloads

v = view()
store, lang, who = v.store, v.lang, v.principal
root = data_dir()
_DRAFT, _CHECKED, _DONE = "_data_draft", "_data_checked", "_data_committed"


def labelled(frame: pd.DataFrame) -> pd.DataFrame:
    """Column headers in the user's language (the page and its downloads alike)."""
    return frame.rename(
        columns={c: t(f"data.col.{c}", lang) for c in frame.columns if f"data.col.{c}" in STRINGS}
    )


def table_downloads(frame: pd.DataFrame, name: str, key: str) -> None:
    """CSV and Excel of a table shown on the page (text cells neutralised by the writers)."""
    buttons = st.container(horizontal=True)  # side by side, each as wide as its label (half columns too)
    csv_name, xlsx_name = export.file_name(name, "csv"), export.file_name(name, "xlsx")
    buttons.download_button(
        t("export.csv", lang),
        access.audited(lambda: export.csv_bytes(frame), csv_name),
        csv_name,
        "text/csv",
        key=f"{key}_csv",
        on_click="ignore",
    )
    buttons.download_button(
        t("export.xlsx", lang),
        access.audited(lambda: export.xlsx_bytes(frame), xlsx_name),
        xlsx_name,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"{key}_xlsx",
        on_click="ignore",
    )


# --- import ------------------------------------------------------------------------------------


def _upload_dir() -> Path:
    if "_data_upload_dir" not in st.session_state:
        st.session_state["_data_upload_dir"] = tempfile.mkdtemp(prefix="cloudsword-upload-")
    return Path(st.session_state["_data_upload_dir"])


def _css_text(text: str) -> str:
    """`text` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def uploader_texts(limit: str) -> None:
    """The uploader's own texts are English and fixed ("Upload", "500MB per file", "File must be
    500.0MB or smaller." in a tooltip): its button and limit line are replaced by ours in the
    user's language, and a file it refuses (too big or of another type; never sent to the server)
    gets our message under it."""
    box = ".st-key-data_files"
    st.html(
        "<style>"
        f'{box} [data-testid="stFileUploaderDropzoneInstructions"] span {{font-size: 0;}}'
        f'{box} [data-testid="stFileUploaderDropzoneInstructions"] span::after '
        f"{{content: {_css_text(t('data.import.limit', lang, mb=limit))}; font-size: 0.875rem;}}"
        f'{box} [data-testid="stFileUploaderDropzone"] button p {{font-size: 0;}}'
        f'{box} [data-testid="stFileUploaderDropzone"] button p::after '
        f"{{content: {_css_text(t('data.import.browse', lang))}; font-size: 0.875rem;}}"
        f'{box}:has([data-testid="stFileChip"][aria-invalid="true"])::after '
        f"{{content: {_css_text(t('data.import.refused', lang, mb=limit))}; display: block;"
        " color: #C8102E; font-size: 0.875rem; padding-top: 0.25rem;}"
        "</style>"
    )


def choose_files(limits: Limits) -> importer.Draft | None:
    """Table, files and sheet; the files read once per choice (kept in the session). The uploader
    refuses a file over the import's limit itself, so the file never reaches the server."""
    c1, c2, c3 = st.columns([1, 3, 1])
    table = c1.selectbox(t("data.import.table", lang), IMPORTABLE, key="data_table")
    limit_mb = max(1, math.ceil(limits.max_bytes / 2**20))
    uploader_texts(f"{limit_mb:,} MB")
    files = c2.file_uploader(
        t("data.import.files", lang),
        type=["csv", "txt", "xlsx", "parquet"],
        accept_multiple_files=True,
        key="data_files",
        max_upload_size=limit_mb,
    )
    if not files:
        st.session_state.pop(_DRAFT, None)
        return None
    too_big = [f for f in files if f.size > limits.max_bytes]
    if too_big:  # refused from its size alone: not read, not written anywhere
        f = too_big[0]
        err = IngestError(
            "ingest.error.too_big",
            file=f.name,
            size=f"{f.size / 2**20:,.1f} MB",
            limit=f"{limits.max_bytes / 2**20:,.0f} MB",
        )
        st.error(error_text(err, lang))
        return None
    uploaded = tuple((f.file_id, f.name, f.size) for f in files)
    held_files = st.session_state.get("_data_paths")
    if held_files is None or held_files[0] != uploaded:  # written once per upload, sheets looked up
        paths = []
        for f in files:
            path = _upload_dir() / f"{len(paths)}-{Path(f.name).name}"
            path.write_bytes(f.getvalue())
            paths.append((path, f.name))
        sheets, first = [], None
        try:
            excel = [reading.sniff(p, n, limits=limits) for p, n in paths if n.lower().endswith(".xlsx")]
        except IngestError as err:
            st.error(error_text(err, lang))
            return None
        if excel:
            sheets, first = excel[0].sheets, excel[0].sheet
            st.session_state["data_sheet"] = first  # the sheet holding the most rows
        held_files = (uploaded, paths, sheets)
        st.session_state["_data_paths"] = held_files
    _, paths, sheets = held_files
    sheet = c3.selectbox(t("data.import.sheet", lang), sheets, key="data_sheet") if sheets else None
    signature = (table, sheet, uploaded)
    held = st.session_state.get(_DRAFT)
    if held is not None and held[0] == signature:
        return held[1]
    try:
        draft = importer.prepare(paths, table, sheet, limits)
    except IngestError as err:
        st.error(error_text(err, lang))
        return None
    st.session_state[_DRAFT] = (signature, draft)
    for target in [*TABLES[table].column_names, ADDRESS]:  # the new file's suggestions into the widgets
        st.session_state[f"data_map_{target}"] = draft.suggestion.columns.get(target, "")
    return draft


def column_map(draft: importer.Draft) -> ColumnMap:
    """One select box per column of the table (and the address), seeded with the suggestion."""
    st.subheader(t("data.map.header", lang))
    headers = ["", *draft.cells.headers]
    spec = TABLES[draft.table]
    targets = [*spec.column_names, *([ADDRESS] if ADDRESS in _targets(draft.table) else [])]
    cmap = draft.suggestion
    cols = st.columns(4)
    for i, target in enumerate(targets):
        key = f"data_map_{target}"
        if st.session_state.get(key) not in headers:
            st.session_state[key] = ""
        if target == ADDRESS:
            label = t("data.map.address", lang)
        else:
            required = not spec.column(target).nullable
            label = f"{target}" + (f" ({t('data.map.required', lang)})" if required else "")
        chosen = st.session_state[key]
        hint = None
        if chosen and chosen == draft.suggestion.columns.get(target):
            hint = t("data.map.exact" if target in draft.suggestion.exact else "data.map.guess", lang)
        cols[i % 4].selectbox(
            label, headers, key=key, format_func=lambda h: h or t("data.map.none", lang), help=hint
        )
        cmap = cmap.with_column(target, st.session_state[key] or None)
    return cmap


def _targets(table: str) -> list[str]:
    from cloudsword.ingest.headers import _targets as targets

    return list(targets(table))


def show_report(checked: Checked) -> None:
    st.subheader(t("data.report.header", lang))
    counts = checked.counts
    c = st.columns(4)
    c[0].metric(t("data.report.rows", lang), f"{checked.rows_read:,}")
    for col, fate in zip(c[1:], ("imported", "warned", "rejected")):
        col.metric(t(f"ingest.fate.{fate}", lang), f"{counts[fate]:,}")
    problems = report.problems_frame(checked, lang)
    if problems.empty:
        st.success(t("data.report.none", lang))
    else:
        st.table(problems.set_index(problems.columns[0]))
    c1, c2, _ = st.columns([1, 1, 2])
    c1.download_button(
        t("data.report.download", lang),
        export.csv_bytes(problems),
        export.file_name("data-report", "csv"),
        "text/csv",
        key="data_report_csv",
        on_click="ignore",
    )
    c2.download_button(
        t("data.report.download_rows", lang),
        lambda: export.csv_bytes(labelled(report.fates_frame(checked, lang))),
        export.file_name("data-report-rows", "csv"),
        "text/csv",
        key="data_report_rows",
        on_click="ignore",
    )
    st.caption(t("data.report.preview", lang))
    st.dataframe(checked.preview, hide_index=True, key="data_preview")


def import_section() -> None:
    st.header(t("data.import.header", lang))
    if not who.administers:
        st.info(t("access.admin_only", lang))
        return
    limits = Limits.from_env()
    st.caption(
        t("data.import.help", lang, mb=f"{limits.max_bytes / 2**20:,.0f} MB", rows=f"{limits.max_rows:,}")
    )
    done = st.session_state.pop(_DONE, None)
    if done:
        st.success(t("data.committed", lang, version=done))
    draft = choose_files(limits)
    if draft is None:
        return
    if st.session_state.get("_data_committed_sig") == st.session_state[_DRAFT][0]:
        st.info(t("data.import.again", lang))  # these files went in: the report would only repeat them
        return
    src = draft.sources[0]
    names = ", ".join(s.name for s in draft.sources)
    st.caption(
        t(
            "data.import.read",
            lang,
            files=names,
            rows=f"{len(draft.cells.frame):,}",
            encoding=src.encoding or src.format,
        )
    )
    cmap = column_map(draft)
    mode = st.radio(
        t("data.import.mode", lang),
        importer.MODES,
        key="data_mode",
        horizontal=True,
        format_func=lambda m: t(f"data.import.mode.{m}", lang),
    )
    base = importer.base_of(root)
    wanted = (st.session_state[_DRAFT][0], cmap, mode, base.version)
    held = st.session_state.get(_CHECKED)
    if held is None or held[0] != wanted:
        held = (wanted, importer.check_draft(draft, cmap, base, mode))
        st.session_state[_CHECKED] = held
    checked = held[1]
    show_report(checked)
    if checked.blocked:
        st.error(t("data.report.blocked", lang))
        return
    leave_out = st.checkbox(
        t("data.report.leave_out", lang), key="data_leave_out", disabled=not checked.counts["rejected"]
    )
    if st.button(
        t("data.commit", lang), key="data_commit", type="primary", disabled=not checked.can_import(leave_out)
    ):
        try:
            version = importer.commit(root, draft, checked, base, mode, leave_out, importer.summary(checked))
        except (IngestError, dataset.DataError) as err:
            st.error(error_text(err, lang))
            return
        audit.append(
            access.audit_path(), who, "import", access.origin(), version=version.id, base=base.version,
            table=draft.table, mode=mode, files=[x.name for x in draft.sources],
        )  # fmt: skip
        use_version(version.id)
        st.session_state["_data_committed_sig"] = st.session_state[_DRAFT][0]
        for key in (_CHECKED, "data_leave_out"):
            st.session_state.pop(key, None)
        st.session_state[_DONE] = version.id
        st.rerun()


# --- versions ----------------------------------------------------------------------------------


def in_words(hist: pd.DataFrame) -> pd.DataFrame:
    """The history's origins and modes in the page's language (they are stored as codes)."""
    return hist.assign(
        origin=[t(f"data.origin.{o}", lang) if o else "" for o in hist.get("origin", [])],
        mode=[t(f"data.import.mode.{m}", lang) if m else "" for m in hist.get("mode", [])],
    )


def versions_section() -> None:
    st.header(t("data.versions.header", lang))
    current = dataset.current_id(root)
    created = store.manifest.raw.get("created", "")
    st.caption(t("data.viewing", lang, version=store.version, created=created or "—", current=current))
    if not dataset.is_versioned(root):
        st.info(t("data.flat", lang))
    hist = in_words(quality.history(root))
    st.dataframe(labelled(hist), hide_index=True, key="data_history")
    table_downloads(labelled(hist), "data-history", "data_history_dl")
    if not dataset.is_versioned(root) or hist.empty:
        return
    ids = list(hist.version)
    label = {
        r.version: f"{r.version} · {r.created} · {r.origin} {r.table}"
        + (f" ({t('data.versions.current', lang)})" if r.current else "")
        for r in hist.itertuples()
    }
    pick = st.selectbox(t("data.versions.pick", lang), ids, format_func=label.get, key="data_version")
    c1, c2, c3 = st.columns(3)
    if c1.button(t("data.versions.view", lang), key="data_view", disabled=pick == store.version):
        access.switch_version(pick)
        st.rerun()
    restore = c2.button(
        t("data.versions.restore", lang),
        key="data_restore",
        disabled=pick == current or not who.administers,
        help=None if who.administers else t("access.admin_only", lang),
    )
    if restore and who.administers:
        try:
            dataset.select(root, pick)
        except dataset.DataError as err:
            st.error(error_text(err, lang))
        else:
            audit.append(
                access.audit_path(), who, "version_switch", access.origin(), version=pick, was=current,
                scope="current",
            )  # fmt: skip
            use_version(pick)
            st.session_state["_data_restored"] = pick
            st.rerun()
    if st.session_state.pop("_data_restored", None):
        st.success(t("data.versions.restored", lang, version=current))
    if c3.button(t("data.versions.verify", lang), key="data_verify"):
        chosen = next(x for x in dataset.versions(root) if x.id == pick)
        problems = dataset.cheap_problems(chosen) if not chosen.manifest else dataset.verify(chosen)
        if problems:
            st.error(t("data.versions.damaged", lang, version=pick, detail="; ".join(problems)))
        else:
            st.success(t("data.versions.intact", lang, version=pick, n=len(chosen.files)))
    chosen = next(x for x in dataset.versions(root) if x.id == pick)
    extra = sorted(
        rel
        for rel in chosen.manifest.get("attachments", {})
        if rel.startswith("source/") or rel == "report.json"
    )
    if extra and who.administers:  # the imported files themselves: records, unmasked
        st.caption(t("data.versions.sources", lang))
        for i, rel in enumerate(extra):
            build = access.audited(lambda rel=rel: (chosen.dir / rel).read_bytes(), Path(rel).name)
            st.download_button(rel, build, Path(rel).name, key=f"data_source_{i}", on_click="ignore")


# --- quality -----------------------------------------------------------------------------------


def quality_section() -> None:
    st.header(t("data.quality.header", lang))
    cover = cached.coverage(store)
    fig = quality.coverage_figure(cover, lang)
    st.plotly_chart(fig, key="data_coverage")
    chart_downloads(fig, labelled(cover), "data-coverage", "dl_coverage", lang)
    left, right = st.columns(2)
    with left:
        st.subheader(t("data.quality.missing", lang))
        miss = labelled(cached.missing(store))
        st.dataframe(
            miss,
            hide_index=True,
            key="data_missing",
            column_config={t("data.col.share", lang): st.column_config.NumberColumn(format="percent")},
        )
        table_downloads(miss, "data-missing", "dl_missing")
    with right:
        st.subheader(t("data.quality.duplicates", lang))
        dups = labelled(cached.duplicates(store))
        st.dataframe(dups, hide_index=True, key="data_duplicates")
        table_downloads(dups, "data-duplicates", "dl_duplicates")
    st.subheader(t("data.quality.outliers", lang))
    st.caption(t("data.quality.outliers.note", lang, k=f"{OUTLIER_MADS:g}"))
    out = labelled(quality.outliers_shown(cached.outliers(store), lang))
    st.dataframe(out, hide_index=True, key="data_outliers")
    table_downloads(out, "data-outliers", "dl_outliers")


# --- audit -------------------------------------------------------------------------------------


def audit_section() -> None:
    """The audit log, verified on every view: the administrator's only."""
    st.header(t("audit.header", lang))
    if not who.administers:
        st.info(t("access.admin_only", lang))
        return
    st.caption(t("audit.caption", lang))
    path = access.audit_path()
    verdict = audit.verify(path)
    if verdict.ok:
        st.success(t("audit.ok", lang, n=verdict.entries))
    else:
        reason = t(f"audit.reason.{verdict.reason}", lang)
        st.error(t("audit.broken", lang, seq=verdict.broken_at, reason=reason))
    log = audit.frame(path)
    if log.empty:
        st.info(t("audit.empty", lang))
        return
    shown = log.assign(
        action=[t(f"audit.action.{a}", lang) for a in log.action],
        role=[t(f"access.role.{r}", lang) if r else "" for r in log.role],
    )
    shown = shown.rename(columns={c: t(f"audit.col.{c}", lang) for c in shown.columns})
    st.dataframe(shown, hide_index=True, key="data_audit")
    table_downloads(shown, "audit-log", "dl_audit")


st.title(t("data.title", lang))
st.caption(t("asof", lang, date=format_date(store.manifest.as_of, lang)))
import_section()
versions_section()
quality_section()
audit_section()
