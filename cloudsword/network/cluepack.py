"""The clue package: for one province, a ZIP ready to hand to that province's authority.

It holds a readable HTML summary (self-contained: no scripts, fonts or images fetched), the
network's entities located in the province (entities.csv), the evidence links that tie them to
the rest of the network (links.csv: every link with at least one end there), and the clues and
cases already tied to those entities (clues.csv, cases.csv). CSVs are UTF-8 with a BOM so Excel
opens the Chinese names correctly, and a name that starts like a formula stays text.
"""

from __future__ import annotations

import html
import io
import zipfile
from datetime import date

import pandas as pd

from cloudsword import export, geo
from cloudsword.i18n import format_date, format_money, format_number, join, t


def _csv(df: pd.DataFrame) -> bytes:
    return export.csv_bytes(df)  # formula-like names neutralised for Excel


def province_part(
    province: str, nodes: pd.DataFrame, links: pd.DataFrame, enf: dict[str, pd.DataFrame]
) -> dict[str, pd.DataFrame]:
    """The part of the network in `province`: its entities, the links touching them, their clues and cases."""
    here = nodes[nodes.province_adcode == province].reset_index(drop=True)
    ids = set(here.entity_id)
    touching = links[links.src_id.isin(ids) | links.dst_id.isin(ids)].reset_index(drop=True)
    where = nodes.set_index("entity_id")["province_adcode"]
    touching = touching.assign(
        src_province=touching.src_id.map(where).to_numpy(), dst_province=touching.dst_id.map(where).to_numpy()
    )
    clues = enf["clues"][enf["clues"].entity_id.isin(ids)].reset_index(drop=True)
    cases = enf["entity_cases"][enf["entity_cases"].entity_id.isin(ids)].reset_index(drop=True)
    return {"entities": here, "links": touching, "clues": clues, "cases": cases}


def summary_html(
    province: str, focus: str, part: dict[str, pd.DataFrame], lang: str, as_of: date, synthetic: bool
) -> str:
    """A one-page summary in the user's language: who is there, what ties them to the rest."""
    e, lk, cl, ca = part["entities"], part["links"], part["clues"], part["cases"]
    name = geo.province_name(province, lang)
    esc = html.escape
    outside = lk[(lk.src_province != province) | (lk.dst_province != province)]
    others = sorted(set(outside.src_province) | set(outside.dst_province) - {province})
    others = [geo.province_name(p, lang, short=True) for p in others if p != province]
    rows = "".join(
        f"<tr><td>{esc(str(r.entity_id))}</td><td>{esc(str(r.name))}</td>"
        f"<td>{esc(t(f'network.kind.{r.kind}', lang))}</td>"
        f"<td>{esc(geo.city_name(r.city_adcode, lang) if pd.notna(r.city_adcode) else '')}</td></tr>"
        for r in e.itertuples()
    )
    facts = [
        t("cluepack.facts.entities", lang, n=format_number(len(e), lang)),
        t(
            "cluepack.facts.links",
            lang,
            n=format_number(len(lk), lang),
            outside=format_number(len(outside), lang),
        ),
        t("cluepack.facts.clues", lang, n=format_number(len(cl), lang)),
        t(
            "cluepack.facts.cases",
            lang,
            n=format_number(ca.case_id.nunique(), lang),
            value=format_money(float(ca.drop_duplicates("case_id").seizure_cny.sum()), lang),
        ),
    ]
    if others:
        facts.append(
            t(
                "cluepack.facts.others",
                lang,
                provinces=join(others, lang),
            )
        )
    note = f"<p class='note'>{esc(t('cluepack.synthetic', lang))}</p>" if synthetic else ""
    title = t("cluepack.title", lang, province=name, focus=focus)
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8"><title>{esc(title)}</title>
<style>body{{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:60em;margin:2em auto;}}
table{{border-collapse:collapse}}td,th{{border:1px solid #bbb;padding:.2em .5em;text-align:left}}
.note{{color:#555;font-size:.9em}}</style></head><body>
<h1>{esc(title)}</h1>
<p>{esc(t("cluepack.asof", lang, date=format_date(as_of, lang)))}</p>{note}
<ul>{"".join(f"<li>{esc(x)}</li>" for x in facts)}</ul>
<h2>{esc(t("cluepack.entities", lang))}</h2>
<table><tr><th>ID</th><th>{esc(t("network.col.name", lang))}</th><th>{esc(t("network.col.kind", lang))}</th>
<th>{esc(t("network.col.city", lang))}</th></tr>{rows}</table>
<p>{esc(t("cluepack.files", lang))}</p>
</body></html>
"""


def clue_package(
    province: str,
    focus: str,
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    enf: dict[str, pd.DataFrame],
    lang: str,
    as_of: date,
    synthetic: bool = True,
) -> bytes:
    """The ZIP (bytes): summary.html, entities.csv, links.csv, clues.csv, cases.csv."""
    part = province_part(province, nodes, links, enf)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("summary.html", summary_html(province, focus, part, lang, as_of, synthetic))
        for name, df in part.items():
            z.writestr(f"{name}.csv", _csv(df))
    return buf.getvalue()
