"""The deck as PowerPoint: one slide per Slide, charts as pictures, notes in the notes pane.

The title goes into the layout's title placeholder, so outline views, accessibility checkers
and `slide.shapes.title` see it. Every run names "Noto Sans CJK SC" as its East Asian font
(a:ea): without it PowerPoint and LibreOffice pick a Latin font for Chinese text and show boxes
or a mismatched fallback.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from cloudsword.deck.layout import (
    CJK_FONT,
    COLOURS,
    LINE,
    Box,
    Geometry,
    H,
    TextBox,
    W,
    geometry,
    render_pictures,
)
from cloudsword.deck.spec import Slide
from cloudsword.i18n import t

EMU_PER_PX = 12192000 // W  # a 13.333 x 7.5 in slide (PowerPoint's 16:9) is 1920 x 1080 px
TITLE_ONLY_LAYOUT = 5  # in python-pptx's default template


def _emu(px: float) -> Emu:
    return Emu(round(px * EMU_PER_PX))


def _pt(px: float) -> Pt:
    return Pt(px / 2)  # 960 pt across 1920 px


def _place(shape: object, box: Box) -> None:
    shape.left, shape.top, shape.width, shape.height = _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h)


def _set_ea(run: object) -> None:
    """Name the East Asian typeface; a:ea must follow a:latin inside a:rPr (schema order)."""
    rpr = run._r.get_or_add_rPr()
    for old in rpr.findall(qn("a:ea")):
        rpr.remove(old)
    ea = rpr.makeelement(qn("a:ea"), {"typeface": CJK_FONT})
    latin = rpr.find(qn("a:latin"))
    if latin is not None:
        latin.addnext(ea)
    else:
        later = [rpr.find(qn(tag)) for tag in ("a:cs", "a:sym", "a:hlinkClick", "a:hlinkMouseOver", "a:rtl")]
        later = [el for el in later if el is not None]
        later[0].addprevious(ea) if later else rpr.append(ea)


def _fill(frame: object, text: str, size: float, colour: str, bold: bool = False,
          anchor: MSO_ANCHOR = MSO_ANCHOR.TOP) -> None:  # fmt: skip
    """Replace a text frame's text; one paragraph per line of `text`, all in one style."""
    frame.clear()
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = 0
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.alignment = PP_ALIGN.LEFT
        para.line_spacing = LINE * 0.85  # PowerPoint's "1.0" already holds ~1.2 em
        run = para.add_run()
        run.text = line
        run.font.size, run.font.bold = _pt(size), bold
        run.font.color.rgb = RGBColor.from_string(colour)
        _set_ea(run)


def _textbox(slide: object, tb: TextBox, colour: str, bold: bool = False) -> None:
    shape = slide.shapes.add_textbox(_emu(tb.box.x), _emu(tb.box.y), _emu(tb.box.w), _emu(tb.box.h))
    _fill(shape.text_frame, tb.text, tb.size, colour, bold)


def _panel(slide: object, box: Box, fill: str, edge: str | None = None) -> None:
    shape = slide.shapes.add_shape(
        MSO_SHAPE.ROUNDED_RECTANGLE, *(_emu(v) for v in (box.x, box.y, box.w, box.h))
    )
    shape.adjustments[0] = 0.06 if box.h > 400 else 0.12
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(fill)
    if edge:
        shape.line.color.rgb, shape.line.width = RGBColor.from_string(edge), Pt(2.5)
    else:
        shape.line.fill.background()
    shape.shadow.inherit = False
    shape.text_frame.text = ""


def _slide(prs: Presentation, slide: Slide, geo: Geometry, pictures: list[bytes]) -> None:
    page = prs.slides.add_slide(prs.slide_layouts[TITLE_ONLY_LAYOUT])
    title = page.shapes.title
    _place(title, geo.title.box)
    _fill(title.text_frame, slide.title, geo.title.size, COLOURS["title"], bold=True)
    if geo.subtitle:
        _textbox(page, geo.subtitle, COLOURS["text"])
    for card, value, label in geo.facts:
        _panel(page, card, COLOURS["card"])
        _textbox(page, value, COLOURS["accent"], bold=True)
        _textbox(page, label, COLOURS["text"])
    for png, box in zip(pictures, geo.figures, strict=False):
        page.shapes.add_picture(io.BytesIO(png), _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h))
    if geo.problem:
        panel, head, body = geo.problem
        _panel(page, panel, COLOURS["problem"], COLOURS["problem_edge"])
        _textbox(page, head, COLOURS["muted"], bold=True)
        _textbox(page, body, COLOURS["title"])
    if geo.footer:
        _textbox(page, geo.footer, COLOURS["muted"])
    if slide.notes:
        _fill(page.notes_slide.notes_text_frame, slide.notes, 24, COLOURS["title"])  # 12 pt


def pptx_bytes(slides: list[Slide], lang: str) -> bytes:
    """The deck as a .pptx file (16:9); every chart rendered in one browser session."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = _emu(W), _emu(H)
    props = prs.core_properties
    props.title = t("deckfiles.doc_title", lang)
    props.author = props.last_modified_by = t("app.title", lang)  # the application that made it
    props.comments = props.subject = slides[0].source if slides else ""  # the data's provenance
    props.language = "zh-CN" if lang == "zh" else "en-GB"
    geos = [geometry(s, t("deckfiles.problem", lang)) for s in slides]
    pictures = render_pictures(slides, geos)
    for slide, geo, pngs in zip(slides, geos, pictures, strict=True):
        _slide(prs, slide, geo, pngs)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
