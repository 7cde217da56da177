"""Header names of the screening files that travel beside the official template.

The vision and scoliosis screenings are often run by a different team (the eye hospital,
the district CDC) and arrive as their own sheets keyed by 学籍号. Their headers vary from
one screening platform to the next (``裸眼视力(左)`` vs ``左眼裸眼视力``, full-width
parentheses, a unit in brackets), so each internal column lists every spelling we have
seen; headers are compared after :func:`normalise_header`.
"""

from __future__ import annotations

import re
import unicodedata

STUDENT_ID = "student_id"

VISION_HEADERS: dict[str, tuple[str, ...]] = {
    "uncorrected_va_left": ("裸眼视力(左)", "左眼裸眼视力", "左眼裸眼远视力", "裸眼视力左",
                            "左眼视力"),
    "uncorrected_va_right": ("裸眼视力(右)", "右眼裸眼视力", "右眼裸眼远视力", "裸眼视力右",
                             "右眼视力"),
    "se_left_d": ("等效球镜(左)", "左眼等效球镜", "等效球镜度(左)", "左眼等效球镜度"),
    "se_right_d": ("等效球镜(右)", "右眼等效球镜", "等效球镜度(右)", "右眼等效球镜度"),
    # the MOE vision upload (since 2021) writes 左眼屈光球镜S / 左眼屈光柱镜C / 左屈光轴位A
    "sphere_left_d": ("球镜(左)", "左眼球镜", "左眼球镜度", "左眼屈光球镜S", "左眼屈光球镜"),
    "sphere_right_d": ("球镜(右)", "右眼球镜", "右眼球镜度", "右眼屈光球镜S", "右眼屈光球镜"),
    "cyl_left_d": ("柱镜(左)", "左眼柱镜", "左眼柱镜度", "左眼屈光柱镜C", "左眼屈光柱镜"),
    "cyl_right_d": ("柱镜(右)", "右眼柱镜", "右眼柱镜度", "右眼屈光柱镜C", "右眼屈光柱镜"),
    "axis_left_deg": ("轴位(左)", "左眼轴位", "左屈光轴位A", "左眼屈光轴位A", "左屈光轴位"),
    "axis_right_deg": ("轴位(右)", "右眼轴位", "右屈光轴位A", "右眼屈光轴位A", "右屈光轴位"),
}

SCOLIOSIS_HEADERS: dict[str, tuple[str, ...]] = {
    "atr_deg": ("躯干旋转角", "躯干旋转角度", "ATR", "旋转角"),
    "atr_region": ("部位", "检查部位", "节段"),
    "atr_thoracic_deg": ("躯干旋转角(胸段)", "胸段躯干旋转角", "胸段ATR", "胸段"),
    "atr_thoracolumbar_deg": ("躯干旋转角(胸腰段)", "胸腰段躯干旋转角", "胸腰段ATR", "胸腰段"),
    "atr_lumbar_deg": ("躯干旋转角(腰段)", "腰段躯干旋转角", "腰段ATR", "腰段"),
}

ID_HEADERS = ("学籍号", "全国学籍号", "学生学籍号", "学籍编号")

REGIONS = {"胸段": "thoracic", "胸腰段": "thoracolumbar", "腰段": "lumbar",
           "thoracic": "thoracic", "thoracolumbar": "thoracolumbar", "lumbar": "lumbar"}
WIDE_ATR = {"atr_thoracic_deg": "thoracic", "atr_thoracolumbar_deg": "thoracolumbar",
            "atr_lumbar_deg": "lumbar"}

_UNIT = re.compile(r"\((?:°|度|d|D|cm|kg|ml|mL|s|秒|次|个)\)$")


def normalise_header(text: object) -> str:
    """Compare headers as people mean them: NFKC (full-width → ASCII), no spaces, no unit.

    ``裸眼视力（左）`` and ``裸眼视力(左)`` are the same header; ``躯干旋转角(°)`` is
    ``躯干旋转角``. The side in brackets is kept: it is the meaning, not a unit.
    """
    s = unicodedata.normalize("NFKC", str(text)).strip()
    s = re.sub(r"\s+", "", s)
    return _UNIT.sub("", s)


def _lookup(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(alias): name for name, aliases in table.items() for alias in aliases}


VISION_LOOKUP = _lookup(VISION_HEADERS)
SCOLIOSIS_LOOKUP = _lookup(SCOLIOSIS_HEADERS)
ID_LOOKUP = {normalise_header(h): STUDENT_ID for h in ID_HEADERS}
