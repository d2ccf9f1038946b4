"""How the projector and the presenter console lay a slide out (/present, issue 6).

A slide arrives resolved and masked (cloudsword.story.build_slide, through components.cache); this
module only lays it out, so nothing here queries or unmasks data.
"""

from __future__ import annotations

import html

import plotly.graph_objects as go
import streamlit as st

from cloudsword.charts_style import reframe
from cloudsword.deck.spec import Slide
from cloudsword.i18n import t
from components import url
from components.present.state import go_to, leave_show, switch_language

STAGE = "present_stage"  # key of the container that is the whole screen in show/notes mode
# The smallest screen the projected slide fits whole, legend and buttons included: a 1440 x 900
# laptop (a 1920 x 1080 projector shows it with room to spare; charts' heights are in px).
SCREEN_W, SCREEN_H = 1440, 900
_STAGE_PAD = 64  # the stage's left and right padding


_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"]
  {display: none !important;}
[data-testid="stMain"] {padding-top: 0 !important;}
[data-testid="stMainBlockContainer"] {padding: 14px 32px 6px 32px !important; max-width: none !important;}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :not(:has(.st-key-present_stage))
  {display: none !important;}
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"]
  > :has([data-testid="stAlertContentError"]),
[data-testid="stMainBlockContainer"] > [data-testid="stVerticalBlock"] > :has([data-testid="stException"])
  {display: block !important;}
.st-key-present_hidden_keys {display: none !important;}
.cs-head {display: flex; align-items: baseline; justify-content: space-between; gap: 32px;}
.cs-title {font-size: 50px; font-weight: 700; line-height: 1.15; color: #1B2430;}
.cs-counter {font-size: 28px; color: #5a6472; white-space: nowrap; font-variant-numeric: tabular-nums;}
.cs-subtitle {font-size: 26px; color: #4a5462; margin-top: 4px;}
.cs-facts {display: flex; gap: 24px; margin-top: 14px;}
.cs-fact {flex: 1; background: #F3F5F8; border-left: 8px solid #C8102E; border-radius: 10px;
  padding: 12px 22px;}
.cs-fact-value {font-size: 60px; font-weight: 700; line-height: 1.1; color: #1B2430;
  font-variant-numeric: tabular-nums; white-space: nowrap;}
.cs-fact-label {font-size: 24px; color: #4a5462;}
.cs-problem {margin-top: 60px; font-size: 40px; line-height: 1.4; padding: 36px 44px; border-radius: 12px;
  background: #FFF4E5; border-left: 10px solid #E69F00; color: #1B2430;}
.cs-footer {font-size: 15px; color: #6b7480;}
.cs-notes {font-size: 30px; line-height: 1.5; white-space: pre-wrap; background: #F3F5F8;
  border-radius: 10px; padding: 20px 28px;}
.cs-label {font-size: 20px; color: #5a6472; text-transform: uppercase; letter-spacing: .04em;}
.cs-next {font-size: 30px; font-weight: 600;}
.cs-clock {font-size: 64px; font-weight: 700; font-variant-numeric: tabular-nums;}
.st-key-present_controls button p {font-size: 22px;}
</style>
"""


def stage_css() -> None:
    """Full screen: hide the sidebar, header, toolbar and everything the app draws above the
    page (its title and demo banner: each slide carries the demo notice itself)."""
    st.html(_CSS)


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _floor_fonts(node: object, least: int) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if (
                key.endswith("font")
                and isinstance(value, dict)
                and isinstance(value.get("size"), (int, float))
            ):
                value["size"] = max(least, value["size"])
            _floor_fonts(value, least)
    elif isinstance(node, list):
        for item in node:
            _floor_fonts(item, least)


def projector_figure(fig: go.Figure, height: int, width: float = SCREEN_W) -> go.Figure:
    """A copy of `fig` filling the height left on the screen, no text under 16 px (body 20 px).
    The width follows the column (`width`: what it is on the smallest screen, so a map is framed
    for it and only gains room on a larger one); the shared cached figure is never changed."""
    spec = fig.to_dict()
    layout = spec.setdefault("layout", {})
    font = layout.setdefault("font", {})
    font["size"] = max(20, font.get("size") or 0)
    _floor_fonts(spec, 16)
    layout["height"] = height
    layout.pop("width", None)
    out = reframe(go.Figure(spec), width, height)
    for axes in (out.update_xaxes, out.update_yaxes):  # keep each big axis title clear of its ticks
        axes(automargin=True, title_standoff=12)
    return out


def slide_head_html(slide: Slide, index: int, total: int, lang: str) -> str:
    counter = t("present.counter", lang, n=index + 1, total=total)
    parts = [
        f'<div class="cs-head"><div class="cs-title">{_esc(slide.title)}</div>'
        f'<div class="cs-counter">{_esc(counter)}</div></div>'
    ]
    if slide.subtitle:
        parts.append(f'<div class="cs-subtitle">{_esc(slide.subtitle)}</div>')
    if slide.problem:
        head = _esc(t("present.problem", lang))
        parts.append(f'<div class="cs-problem"><b>{head}</b><br>{_esc(slide.problem)}</div>')
    elif slide.facts:
        cards = "".join(
            f'<div class="cs-fact"><div class="cs-fact-value">{_esc(v)}</div>'
            f'<div class="cs-fact-label">{_esc(k)}</div></div>'
            for k, v in slide.facts
        )
        parts.append(f'<div class="cs-facts">{cards}</div>')
    return "".join(parts)


def figure_height(slide: Slide) -> int:
    """What is left of the screen (SCREEN_H) under the heading, facts, footer and controls."""
    used = 110 + (44 if slide.subtitle else 0) + (150 if slide.facts else 0) + 130
    return max(360, SCREEN_H - used)


def render_slide(slide: Slide, index: int, total: int, lang: str) -> None:
    """The projected slide: heading, facts, figures side by side, the synthetic-data footer.
    Never the notes."""
    st.html(slide_head_html(slide, index, total, lang))
    if slide.ok and slide.figures:
        height = figure_height(slide)
        n = len(slide.figures)
        width = (SCREEN_W - _STAGE_PAD - 16 * (n - 1)) / n
        for i, (col, fig) in enumerate(zip(st.columns(n), slide.figures)):
            col.plotly_chart(
                projector_figure(fig, height, width),
                key=f"present_fig_{i}",
                theme=None,  # the figure's own projector fonts, as in the exported deck
                config={"displayModeBar": False},
            )
    if slide.footer:
        st.html(f'<div class="cs-footer">{_esc(slide.footer)}</div>')


def nav_buttons(index: int, total: int, lang: str) -> None:
    """Previous/next with the arrow keys; PageUp/PageDown (what clickers send) on hidden twins."""
    st.button(
        "◀ " + t("present.prev", lang),
        key="present_prev",
        on_click=go_to,
        args=(index - 1,),
        disabled=index == 0,
        shortcut="Left",
    )
    st.button(
        t("present.next", lang) + " ▶",
        key="present_next",
        on_click=go_to,
        args=(index + 1,),
        disabled=index >= total - 1,
        shortcut="Right",
        type="primary",
    )
    with st.container(key="present_hidden_keys"):
        st.button(
            "PageUp", key="present_prev_pg", on_click=go_to, args=(max(index - 1, 0),), shortcut="PageUp"
        )
        st.button(
            "PageDown",
            key="present_next_pg",
            on_click=go_to,
            args=(min(index + 1, total - 1),),
            shortcut="PageDown",
        )


def controls(index: int, total: int, lang: str, auto: int) -> None:
    with st.container(key="present_controls", horizontal=True, vertical_alignment="center"):
        nav_buttons(index, total, lang)
        st.button(t("present.switch_lang", lang), key="present_lang", on_click=switch_language, args=(lang,))
        if auto:
            st.button(
                t("present.auto.pause", lang),
                key="present_auto_stop",
                on_click=url.update,
                args=("present",),
                kwargs={"auto": 0},
                help=t("present.auto.on", lang, s=auto),
            )
        st.button("✕ " + t("present.exit", lang), key="present_exit", on_click=leave_show, shortcut="Esc")


def elapsed_text(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"


def console_html(now: Slide, after: Slide | None, index: int, total: int, lang: str) -> str:
    """The presenter's own screen: the notes in large type and what comes next."""
    notes = now.notes.strip() or t("present.notes.none", lang)
    nxt = _esc(after.title) if after else _esc(t("present.notes.last", lang))
    counter = t("present.counter", lang, n=index + 1, total=total)
    return (
        f'<div class="cs-head"><div class="cs-label">{_esc(t("present.notes.now", lang))}</div>'
        f'<div class="cs-counter">{_esc(counter)}</div></div>'
        f'<div class="cs-title">{_esc(now.title)}</div>'
        f'<div class="cs-notes">{_esc(notes)}</div>'
        f'<div class="cs-label" style="margin-top:18px">{_esc(t("present.notes.next", lang))}</div>'
        f'<div class="cs-next">{nxt}</div>'
    )
