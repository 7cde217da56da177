"""Rasterise the PDF as a printer would (poppler's pdftoppm) and check the pages."""

from __future__ import annotations

import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from web.printing import render_class_pdf, render_plan_pdf

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")


def rasterise(pdf: bytes, folder: Path, dpi: int = 60) -> list[np.ndarray]:
    """Grey pages as arrays (0 black … 255 white), rows from the top."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "plan.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(source),
                    str(folder / "page")], check=True, capture_output=True, timeout=120)
    return [np.asarray(Image.open(p).convert("L")) for p in sorted(folder.glob("page-*.png"))]


def ink(page: np.ndarray, box: tuple[float, float, float, float]) -> float:
    """Share of non-white pixels in a box given in mm (left, top, right, bottom)."""
    scale = page.shape[1] / 210
    left, top, right, bottom = (round(v * scale) for v in box)
    return float((page[top:bottom, left:right] < 200).mean())


def test_pages_render_with_header_body_and_footer(app_ctx, make_context, hypertensive_rx,
                                                  tmp_path):
    pages = rasterise(render_plan_pdf(make_context(hypertensive_rx)), tmp_path)
    assert len(pages) >= 2
    for page in pages:
        assert page.shape[0] / page.shape[1] == pytest.approx(297 / 210, rel=0.01)
        assert ink(page, (15, 7, 195, 12)) > 0.01  # running header text
        assert ink(page, (15, 285, 195, 290)) > 0.005  # footer text
        assert ink(page, (15, 20, 195, 100)) > 0.02  # body
        assert ink(page, (0, 0, 10, 297)) == 0  # nothing in the left margin
    # the warning box's black title bar prints as a solid band somewhere
    assert any(ink(p, (20, y, 190, y + 3)) > 0.9 for p in pages for y in range(20, 270, 2))


def test_draft_watermark_is_visible(app_ctx, make_context, hypertensive_rx, tmp_path):
    def grey_in_centre(signed_at):
        pdf = render_plan_pdf(make_context(hypertensive_rx, signed_at=signed_at, progress=[]))
        page = rasterise(pdf, tmp_path / str(signed_at is None))[-1]
        h, w = page.shape
        centre = page[h // 3: 2 * h // 3, w // 3: 2 * w // 3]
        return int(((centre > 120) & (centre < 235)).sum())

    assert grey_in_centre(None) > grey_in_centre(datetime(2026, 3, 3, 10, 25)) + 200


def test_class_pdf_renders_one_page_per_student(app_ctx, student_contexts, tmp_path):
    assert len(rasterise(render_class_pdf(student_contexts), tmp_path)) == 3
