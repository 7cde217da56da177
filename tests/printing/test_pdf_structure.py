"""The PDF as a file: embedded subset font, images, size, pages, nothing off the page."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader

from web.printing import render_plan_pdf
from web.printing.document import BOTTOM, MARGIN, TOP
from web.printing.qr import qr_png

SUBSET_TAG = re.compile(r"^/[A-Z]{6}\+NotoSansCJKSC")


def fonts_of(reader: PdfReader) -> dict[str, dict]:
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    return fonts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_only_font_is_noto_sc_embedded_as_a_subset(app_ctx, make_context, hypertensive_rx, lang):
    reader = PdfReader(io.BytesIO(render_plan_pdf(make_context(hypertensive_rx, lang=lang))))
    fonts = fonts_of(reader)
    assert len(fonts) == 1, fonts.keys()
    name, font = next(iter(fonts.items()))
    assert SUBSET_TAG.match(name), name
    descendant = font["/DescendantFonts"][0].get_object()
    descriptor = descendant["/FontDescriptor"].get_object()
    embedded = [k for k in ("/FontFile", "/FontFile2", "/FontFile3") if k in descriptor]
    assert embedded == ["/FontFile3"]  # CFF outlines, as in the Noto OTC
    font_file = descriptor["/FontFile3"].get_object()
    assert font_file["/Subtype"] == "/CIDFontType0C"
    # a subset is tiny next to the 19 MB collection
    assert len(font_file.get_data()) < 400_000
    assert "/ToUnicode" in font  # copy-paste and search work


def images_of(pdf: bytes) -> list[Image.Image]:
    reader = PdfReader(io.BytesIO(pdf))
    return [img.image for page in reader.pages for img in page.images]


def test_qr_image_encodes_the_share_url(app_ctx, make_context, hypertensive_rx):
    url = "https://plans.example-station.cn/p/kQ7vX2mN9sLw4RtY"
    images = images_of(render_plan_pdf(make_context(hypertensive_rx, qr_url=url, progress=[])))
    assert len(images) == 1
    expected = Image.open(io.BytesIO(qr_png(url))).convert("L")
    embedded = images[0].convert("L")
    assert embedded.size == expected.size
    assert ImageChops.difference(embedded, expected).getbbox() is None  # pixel-identical


def test_no_qr_without_url_and_chart_only_with_two_points(
        app_ctx, make_context, hypertensive_rx):
    assert images_of(render_plan_pdf(make_context(hypertensive_rx, qr_url=None,
                                                  progress=[]))) == []
    one_point = [{"date": "2026-03-03", "grade": "good", "total": 24, "scores": {}}]
    assert images_of(render_plan_pdf(make_context(hypertensive_rx, qr_url=None,
                                                  progress=one_point))) == []
    with_chart = images_of(render_plan_pdf(make_context(hypertensive_rx, qr_url=None)))
    assert len(with_chart) == 1
    assert with_chart[0].size[0] > 1500


@pytest.mark.parametrize("rx_name", ["hypertensive_rx", "beta_blocker_rx", "deferred_rx",
                                     "youth_rx"])
def test_size_and_page_count_are_sane(app_ctx, make_context, request, rx_name):
    pdf = render_plan_pdf(make_context(request.getfixturevalue(rx_name)))
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) < 1_000_000
    reader = PdfReader(io.BytesIO(pdf))
    assert 1 <= len(reader.pages) <= 4
    for page in reader.pages:  # A4 portrait
        assert round(float(page.mediabox.width)) == 595
        assert round(float(page.mediabox.height)) == 842


def text_positions(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """(page, x mm, y mm from the top, text) for every text run."""
    reader = PdfReader(io.BytesIO(pdf))
    runs = []
    for number, page in enumerate(reader.pages):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((number, x / 72 * 25.4, 297 - y / 72 * 25.4, text))
        page.extract_text(visitor_text=visit)
    return runs


def test_long_content_breaks_pages_without_overflow(
        app_ctx, make_context, hypertensive_rx, read_pages):
    """40 precautions and 25 warning signs: boxes split across pages, nothing runs off."""
    long_line = ("运动前后请注意观察身体反应，如有不适及时停止并记录，复诊时告知医生；"
                 "天气炎热或寒冷时应调整运动时间和强度。")
    hypertensive_rx["precautions"] = [
        {"code": f"p{i}", "rule_id": "r", "text": {"zh": f"第{i}条注意：{long_line}",
                                                   "en": f"Precaution {i}"}}
        for i in range(40)]
    hypertensive_rx["warning_signs"] = [
        {"code": f"w{i}", "text": {"zh": f"警示{i}：{long_line}", "en": f"Sign {i}"}}
        for i in range(25)]
    hypertensive_rx["components"][0]["note"]["zh"] = long_line * 6
    pdf = render_plan_pdf(make_context(hypertensive_rx))
    pages = read_pages(pdf)
    assert len(pages) >= 5
    text = "".join(pages).replace(" ", "")
    assert all(f"第{i}条注意" in text for i in range(40))
    assert all(f"警示{i}：" in text for i in range(25))
    assert text.count("（续）") >= 1  # a box continued on the next page is titled so
    runs = [r for r in text_positions(pdf) if "草稿" not in r[3]]  # not the watermark
    header_y, footer_y = min(r[2] for r in runs), max(r[2] for r in runs)
    bands: dict[int, Counter] = {}
    for page, x, y, run in runs:
        assert MARGIN - 1 <= x <= 210 - MARGIN, (page, x, run[:20])
        if abs(y - header_y) < 0.3:
            band = "header"
        elif abs(y - footer_y) < 0.3:
            band = "footer"
        else:  # body baselines lie between the top margin and the page-break line
            band = "body"
            assert TOP <= y <= 297 - BOTTOM + 0.5, (page, y, run[:20])
        bands.setdefault(page, Counter())[band] += 1
    assert header_y < TOP - 6
    assert footer_y > 297 - BOTTOM + 4
    for page, count in bands.items():
        assert (count["header"], min(count["footer"], 2), min(count["body"], 1)) == (2, 2, 1), page


def test_running_header_names_the_patient_on_every_page(
        app_ctx, make_context, hypertensive_rx, read_pages):
    pages = read_pages(render_plan_pdf(make_context(hypertensive_rx)))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.split("\n") if line.strip()]
        assert lines[0] == "朝阳区东湖社区卫生服务站"  # running header, left
        assert lines[1] == "王建国 · 档案号 DH-2026-00417"  # running header, right
        assert lines[-1] == f"第 {number} / {len(pages)} 页"
