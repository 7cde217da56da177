"""The sample generator works without the web app or a compiled catalogue."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from web.printing.sample import main


@pytest.mark.parametrize(("lang", "title"), [("zh", "运动处方"), ("en", "Exercise plan")])
def test_sample_writes_a_plan(tmp_path, capsys, read_pages, lang, title):
    out = tmp_path / f"sample-{lang}.pdf"
    assert main([str(out), "--lang", lang, "--draft"]) == 0
    pdf = out.read_bytes()
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2
    text = "".join(read_pages(pdf))
    assert title in text
    assert "王建国" in text
    assert ("草稿" if lang == "zh" else "DRAFT") in text
    assert "wrote" in capsys.readouterr().out
