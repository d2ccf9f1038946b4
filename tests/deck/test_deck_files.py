"""The take-home deck files: PPTX, PDF and one self-contained HTML, from hand-made slides.

The slides carry Chinese text whose characters share glyphs with CJK radicals (工, 长, 门), a
problem slide, notes that must stay off the slide face, and a map chart (maps in an HTML file
opened from disk need the worker shim). Each file is produced once per module.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import plotly.graph_objects as go
import pytest
from PIL import Image

from cloudsword import export
from cloudsword.deck import files as deck_files
from cloudsword.deck.files import DeckFileError
from cloudsword.deck.layout import TITLE_MIN_PX
from cloudsword.deck.pdf_text import fixed_cmap
from cloudsword.deck.spec import Slide, SlideSpec
from cloudsword.i18n import error_text, t

FOOTER = "演示数据：本看板使用按公开数字校准的合成数据集，并非真实记录。"
SOURCE = "数据：demo；生成程序 cloudsword.synth 1.0，种子 20170801；数据截至 2017年8月1日"
NOTES = ["开场：先讲移交线索的增长。", "对比长三角与珠三角。", "这一页的视图已失效，直接跳过。", ""]
MAP_BLUE = (0, 114, 178)  # the map's fill colour, looked for in its screenshot


def bar(title: str) -> go.Figure:
    fig = go.Figure(go.Bar(x=["浙江", "江苏", "广东", "上海"], y=[120, 80, 60, 30], marker_color="#E69F00"))
    return fig.update_layout(title=title, height=380, font=dict(size=14))


def square_map() -> go.Figure:
    """A choropleth_map of one square (our own GeoJSON, no tiles), drawn by maplibre in a worker."""
    square = [[[110, 25], [120, 25], [120, 35], [110, 35], [110, 25]]]
    feature = {"type": "Feature", "id": "a", "properties": {}}
    feature["geometry"] = {"type": "Polygon", "coordinates": square}
    gj = {"type": "FeatureCollection", "features": [feature]}
    trace = go.Choroplethmap(
        geojson=gj, locations=["a"], z=[1], colorscale=[[0, "#0072B2"], [1, "#0072B2"]],
        showscale=False, marker_opacity=1, marker_line_width=0,
    )  # fmt: skip
    fig = go.Figure(trace)
    return fig.update_layout(
        title="长三角地图", map=dict(style="white-bg", center=dict(lon=115, lat=30), zoom=3),
        width=870, height=800, margin=dict(l=0, r=0, t=40, b=0),
    )  # fmt: skip


def make_slides() -> list[Slide]:
    return [
        Slide(
            SlideSpec("overview"), "联盟工作总览：长三角与部门协作", "2017年1月 至 2017年7月 · 全部省份",
            NOTES[0], [bar("各省案件数")], [("移交线索", "1.2万"), ("案件", "843"), ("涉案金额", "30.9亿元")],
            footer=FOOTER, source=SOURCE,
        ),
        Slide(SlideSpec("map"), "地图与趋势", "案件 · 总量", NOTES[1], [square_map(), bar("每月案件")],
              footer=FOOTER, source=SOURCE),
        Slide(SlideSpec("network?entity=E0000123"), "一个售假网络", notes=NOTES[2],
              problem="卖家 E0000123 不在此数据集中", footer=FOOTER, source=SOURCE),
        Slide(SlideSpec("trends"), "加入前后", "按加入月份对齐", NOTES[3], [bar("加入前后")], footer=FOOTER,
              source=SOURCE),
    ]  # fmt: skip


@pytest.fixture(scope="module")
def slides() -> list[Slide]:
    return make_slides()


@pytest.fixture(scope="module")
def pptx(slides: list[Slide]):
    from pptx import Presentation

    return Presentation(io.BytesIO(deck_files.pptx_bytes(slides, "zh")))


@pytest.fixture(scope="module")
def pdf(slides: list[Slide]):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(deck_files.pdf_bytes(slides, "zh")))


@pytest.fixture(scope="module")
def html(slides: list[Slide]) -> str:
    return deck_files.html_bytes(slides, "zh").decode("utf-8")


# -- PPTX ------------------------------------------------------------------------------------------------
def face_text(slide: object) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_pptx_has_one_slide_per_view_with_title_pictures_and_notes(pptx, slides):
    assert len(pptx.slides) == len(slides)
    assert abs(pptx.slide_width / pptx.slide_height - 16 / 9) < 0.01
    for page, slide in zip(pptx.slides, slides, strict=True):
        assert page.shapes.title is not None and page.shapes.title.text == slide.title
        pictures = [s for s in page.shapes if s.shape_type == 13]  # MSO_SHAPE_TYPE.PICTURE
        assert len(pictures) == (len(slide.figures) if slide.ok else 0)
        for pic in pictures:  # inside the slide, and not distorted
            assert 0 <= pic.left and pic.left + pic.width <= pptx.slide_width
            assert 0 <= pic.top and pic.top + pic.height <= pptx.slide_height
            with Image.open(io.BytesIO(pic.image.blob)) as im:
                assert im.width >= pic.width / 6350 * 0.99, "fewer image pixels than canvas px"
                assert abs(im.width / im.height - pic.width / pic.height) < 0.02
        face = face_text(page)
        if slide.notes:
            assert page.has_notes_slide and page.notes_slide.notes_text_frame.text == slide.notes
            assert slide.notes not in face
        assert slide.footer in face
        if not slide.ok:
            assert slide.problem in face and t("deckfiles.problem", "zh") in face
        for label, value in slide.facts:
            assert label in face and value in face


def test_pptx_type_is_big_and_names_a_cjk_font(pptx):
    from pptx.oxml.ns import qn

    for page in pptx.slides:
        title_runs = [r for p in page.shapes.title.text_frame.paragraphs for r in p.runs]
        assert title_runs and all(r.font.size.pt >= TITLE_MIN_PX / 2 >= 32 for r in title_runs)
        for shape in page.shapes:
            if not shape.has_text_frame:
                continue
            for run in (r for p in shape.text_frame.paragraphs for r in p.runs):
                if run.text != FOOTER:
                    assert run.font.size.pt >= 20, (run.text, run.font.size.pt)
                ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
                assert ea is not None and ea.get("typeface") == "Noto Sans CJK SC"


# -- PDF -------------------------------------------------------------------------------------------------
def test_pdf_has_one_landscape_page_per_slide_with_real_chinese_text(pdf, slides):
    assert len(pdf.pages) == len(slides)
    for page, slide in zip(pdf.pages, slides, strict=True):
        box = page.mediabox
        assert abs(float(box.width) / float(box.height) - 16 / 9) < 0.01
        text = page.extract_text()
        # 工, 长 and 门 share glyphs with radicals: without the ToUnicode fix they extract as ⼯ ⻓ ⻔
        assert slide.title in text, text[:200]
        assert slide.footer in text.replace("\n", "")
        if slide.problem:
            assert slide.problem in text
        for note in filter(None, NOTES):
            assert note not in text, "speaker notes belong in the notes, not in the PDF"


def test_files_name_the_deck_and_our_application_and_keep_the_provenance(pdf, pptx, html, slides):
    title, app = t("deckfiles.doc_title", "zh"), t("app.title", "zh")
    info = pdf.metadata
    assert info.title == title and info.creator == app, "not Chromium's name, not the first slide's"
    assert "20170801" in info.subject, "the generator's seed stays in the file's metadata"
    assert pptx.core_properties.title == title and pptx.core_properties.author == app
    assert "20170801" in pptx.core_properties.comments
    text = html
    assert f"<title>{title}</title>" in text and 'name="generator"' in text and "20170801" in text
    assert all("20170801" not in s.footer for s in slides), "the room reads demo data and the date"


def test_pdf_embeds_a_cjk_font(pdf):
    families = set()
    for page in pdf.pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor") or next(
                (d.get_object().get("/FontDescriptor") for d in font.get("/DescendantFonts", [])), None
            )
            families.add(str((desc.get_object() if desc else {}).get("/FontFamily", font.get("/BaseFont"))))
    assert any("CJK" in f for f in families), families


def test_radicals_in_a_tounicode_map_become_ideographs():
    cmap = (
        b"/CIDInit /ProcSet findresource begin\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
        b"2 beginbfchar\n<45> <2F2F>\n<46> <4F5C>\nendbfchar\n1 beginbfrange\n<11> <12> <2ED3>\nendbfrange\n"
        b"endcmap\nend\n"
    )
    fixed = fixed_cmap(cmap)
    pairs = dict(re.findall(rb"<([0-9A-F]{2})> <([0-9A-F]{4})>", fixed))
    assert pairs[b"45"] == b"5DE5"  # ⼯ -> 工
    assert pairs[b"46"] == b"4F5C"  # 作 unchanged
    assert pairs[b"11"] == b"957F"  # ⻓ -> 长 (a supplement radical: the font's cmap, not NFKC)
    assert pairs[b"12"] == b"95E8"  # ⻔ -> 门 (the range is split into single entries)
    assert fixed_cmap(cmap.replace(b"<2F2F>", b"<5DE5>").replace(b"<2ED3>", b"<0030>")) is None


# -- HTML ------------------------------------------------------------------------------------------------
OUTSIDE = re.compile(r"""(?:\bsrc\s*=|\bhref\s*=|url\()\s*["']?\s*(?:https?:)?//|@import""", re.I)


def test_html_is_self_contained(html, slides):
    js = export.plotly_js()
    assert html.count(js) == 1, "plotly.js inlined exactly once"
    rest = html.replace(js, "")
    assert not OUTSIDE.findall(rest), OUTSIDE.findall(rest)[:5]
    assert "http" not in rest, rest[rest.find("http") - 80 :][:200]  # (the shim's XMLHttpRequest has "Http")
    assert not re.search(r"https?:", rest, re.I)
    assert not re.search(r"url\(\s*['\"]?(?:https?:)?//|@import", html, re.I)
    assert '<html lang="zh-CN">' in html
    for slide in slides:
        assert slide.title in html and slide.footer in html
    assert '"Noto Sans CJK SC"' in html and "Microsoft YaHei" in html


@pytest.mark.browser
def test_html_opens_offline_and_steps_through(file_context, html, slides, tmp_path: Path):
    path = tmp_path / "deck.html"
    path.write_text(html, encoding="utf-8")
    ctx, outside = file_context
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(path.as_uri())
        page.locator("#slide-1 .js-plotly-plot svg.main-svg").first.wait_for(timeout=20_000)
        assert page.locator("#slide-1").is_visible() and not page.locator("#slide-2").is_visible()
        assert page.locator("#counter").inner_text() == t("deckfiles.counter", "zh", n=1, total=len(slides))
        assert page.evaluate("document.fonts.check('64px \"Noto Sans CJK SC\"', '联盟工作')")
        page.wait_for_timeout(300)
        shot = tmp_path / "slide-1.png"
        page.screenshot(path=str(shot))  # a Chinese slide, kept for a human look (no tofu boxes)
        assert not page.locator("#notes-panel").is_visible(), "notes are hidden by default"

        page.keyboard.press("ArrowRight")
        assert page.locator("#slide-2").is_visible() and not page.locator("#slide-1").is_visible()
        assert page.locator("#counter").inner_text() == t("deckfiles.counter", "zh", n=2, total=len(slides))
        # the map draws from file:// (maplibre's module worker is started as a classic one)
        map_div = page.locator("#fig-2-1")
        page.wait_for_function(
            "() => { const m = document.querySelector('#fig-2-1')._fullLayout.map._subplot.map;"
            " return m.loaded() && m.isStyleLoaded(); }",
            timeout=20_000,
        )
        page.wait_for_timeout(500)
        with Image.open(io.BytesIO(map_div.screenshot())) as im:
            rgb = im.convert("RGB")
            blue = sum(n for n, c in rgb.getcolors(rgb.width * rgb.height) if max(map(abs, (
                c[0] - MAP_BLUE[0], c[1] - MAP_BLUE[1], c[2] - MAP_BLUE[2]))) < 12)  # fmt: skip
            assert blue > 0.02 * rgb.width * rgb.height, "the map's square is not drawn"

        page.keyboard.press("n")
        assert page.locator("#notes-panel").is_visible()
        assert page.locator("#notes-text").inner_text() == NOTES[1]
        page.keyboard.press("N")
        assert not page.locator("#notes-panel").is_visible()
        page.keyboard.press("End")
        assert page.locator(f"#slide-{len(slides)}").is_visible()
        page.locator("#prev").click()
        assert page.locator(f"#slide-{len(slides) - 1}").is_visible()
        assert t("deckfiles.problem", "zh") in page.locator(f"#slide-{len(slides) - 1}").inner_text()
        page.keyboard.press("Home")
        assert page.locator("#slide-1").is_visible()
        page.locator("#next").click()
        assert page.locator("#slide-2").is_visible()
        assert not outside, outside
        assert not errors, errors
    finally:
        page.close()


# -- write_deck ------------------------------------------------------------------------------------------
def test_write_deck_picks_the_format_by_suffix(tmp_path: Path, slides, html):
    out = deck_files.write_deck(slides, tmp_path / "deck.HTML", "zh")
    assert out.read_text(encoding="utf-8") == html
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.HTML"]


def test_unknown_suffix_and_empty_deck_are_user_errors(tmp_path: Path, slides):
    with pytest.raises(DeckFileError) as err:
        deck_files.write_deck(slides, tmp_path / "deck.docx", "zh")
    assert err.value.key == "deckfiles.error.suffix"
    assert "deck.docx" in error_text(err.value, "en") and ".pptx" in error_text(err.value, "en")
    assert "不支持" in error_text(err.value, "zh")
    with pytest.raises(DeckFileError) as err:
        deck_files.write_deck([], tmp_path / "deck.pdf", "zh")
    assert err.value.key == "deckfiles.error.empty"
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(tmp_path: Path, slides, monkeypatch):
    def broken(slides: list[Slide], lang: str) -> bytes:
        raise DeckFileError("deckfiles.error.render", format="PDF", detail="chromium crashed")

    monkeypatch.setitem(deck_files.FORMATS, ".pdf", broken)
    with pytest.raises(DeckFileError):
        deck_files.write_deck(slides, tmp_path / "deck.pdf", "zh")
    assert list(tmp_path.iterdir()) == []

    old = tmp_path / "deck.html"
    old.write_bytes(b"the previous deck")

    def disk_full(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(deck_files.os, "replace", disk_full)
    with pytest.raises(DeckFileError) as err:
        deck_files.write_deck(slides, old, "zh")
    assert err.value.key == "deckfiles.error.write" and "No space left" in error_text(err.value, "en")
    assert old.read_bytes() == b"the previous deck"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.html"], "no temporary file left behind"
