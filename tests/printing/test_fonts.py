"""The embedded face is Noto Sans CJK SC, found by name; a missing font is a clear error."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection

from web.printing import FontNotFoundError, fonts


@pytest.fixture
def fresh_font_cache():
    fonts.find_cjk_font.cache_clear()
    yield
    fonts.find_cjk_font.cache_clear()


def test_finds_the_simplified_chinese_face():
    font = fonts.find_cjk_font()
    collection = TTCollection(str(font.path), lazy=True)
    face = collection.fonts[font.face_index]
    assert face["name"].getDebugName(1) == "Noto Sans CJK SC"
    assert face["name"].getDebugName(6) == "NotoSansCJKsc-Regular"
    # 骨 has different SC and JP glyphs: the chosen face must map it to the SC glyph
    jp = next(i for i, f in enumerate(collection.fonts) if f["name"].getDebugName(1).endswith("JP"))
    assert face.getBestCmap()[ord("骨")] != collection.fonts[jp].getBestCmap()[ord("骨")]
    collection.close()


def test_missing_font_names_every_place_searched(monkeypatch, tmp_path, fresh_font_cache):
    not_a_font = tmp_path / "NotoSansCJK-Regular.ttc"
    not_a_font.write_bytes(b"not a font")
    missing = tmp_path / "absent.ttc"
    monkeypatch.setattr(fonts, "candidate_paths", lambda: [not_a_font, missing])
    with pytest.raises(FontNotFoundError) as caught:
        fonts.find_cjk_font()
    message = str(caught.value)
    assert str(missing) in message
    assert "(missing)" in message
    assert str(not_a_font) in message
    assert "no 'Noto Sans CJK SC' face" in message
    assert "noto-cjk-sans-otc" in message
    assert "fonts-noto-cjk" in message


def test_debian_font_is_the_fallback(monkeypatch, fresh_font_cache):
    monkeypatch.setattr(fonts, "_pip_font_path", lambda: None)
    assert fonts.candidate_paths() == list(fonts.DEBIAN_PATHS)
    debian = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
    if not debian.is_file():
        with pytest.raises(FontNotFoundError):
            fonts.find_cjk_font()
    else:
        assert fonts.find_cjk_font().path == debian
