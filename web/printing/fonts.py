"""Find the Noto Sans CJK font that every printed plan embeds.

A plan must print on any computer, including station PCs without Chinese fonts, so the
PDF embeds a subset of Noto Sans CJK (OFL-1.1) instead of naming a system font. The
font ships as an OpenType collection whose faces are the JP, KR, SC, TC and HK variants
of the same glyph set; the same code point is drawn differently in each, so we must pick
the Simplified Chinese face explicitly. The face is found by its family name rather than
a hard-coded index, because the order inside a collection is not guaranteed.

Where we look, in order: the pip package ``noto-cjk-sans-otc`` (installed with the
project) and Debian's ``fonts-noto-cjk``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import FontNotFoundError

FAMILY = "NotoSansCJKSC"
"""The family name the PDF and matplotlib use for the embedded face."""

SC_FAMILY_NAME = "Noto Sans CJK SC"
DEBIAN_PATHS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto-cjk/NotoSansCJK-Regular.ttc"),
)


@dataclass(frozen=True)
class CjkFont:
    """A font file and the index of its Simplified Chinese face inside the collection."""

    path: Path
    face_index: int


def _pip_font_path() -> Path | None:
    try:
        import noto_cjk_sans_otc
    except ImportError:
        return None
    path = Path(str(noto_cjk_sans_otc.FONT_PATH))
    return path if path.is_file() else None


def candidate_paths() -> list[Path]:
    """Font files to try, best first; a path may not exist."""
    pip_path = _pip_font_path()
    return ([pip_path] if pip_path else []) + list(DEBIAN_PATHS)


def sc_face_index(path: Path) -> int | None:
    """The index of the face named "Noto Sans CJK SC" in ``path``, or ``None``."""
    from fontTools.ttLib import TTCollection, TTLibError

    try:
        collection = TTCollection(str(path), lazy=True)
    except (TTLibError, OSError):
        return None
    try:
        for index, face in enumerate(collection.fonts):
            if face["name"].getDebugName(1) == SC_FAMILY_NAME:
                return index
    finally:
        collection.close()
    return None


@cache
def find_cjk_font() -> CjkFont:
    """The first usable Noto Sans CJK collection with its SC face.

    Raises ``FontNotFoundError`` naming every place searched and how to install a font.
    """
    tried = []
    for path in candidate_paths():
        if not path.is_file():
            tried.append(f"{path} (missing)")
            continue
        index = sc_face_index(path)
        if index is not None:
            return CjkFont(path, index)
        tried.append(f"{path} (no '{SC_FAMILY_NAME}' face)")
    raise FontNotFoundError(
        "No Noto Sans CJK font for printed plans. Install the project (pip package "
        "'noto-cjk-sans-otc') or Debian's 'fonts-noto-cjk'. Searched: " + "; ".join(tried)
    )


def register_matplotlib_font() -> str:
    """Make the CJK font known to matplotlib and return the family name to use.

    matplotlib's bundled DejaVu has no Chinese glyphs; registering the collection adds
    every face, and charts then select the SC face by its family name.
    """
    from matplotlib import font_manager

    font = find_cjk_font()
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    if SC_FAMILY_NAME not in names:
        font_manager.fontManager.addfont(str(font.path))
    return SC_FAMILY_NAME
