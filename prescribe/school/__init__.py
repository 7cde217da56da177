"""The school youth-health package: import, screen, draft, report, export, KPIs.

Pure functions over pandas frames; the web pages (upload preview, review queue, class
PDFs, report page, KPI dashboard) call these and render what they return. Columns use
vocabulary names (``student_id`` = 学籍号, ``grade_code`` = 年级编号, ``sex`` M/F, items
such as ``run_50m_s``) throughout.

Import — ``importing``
    ``preview_import(paths, known_ids=(), *, test_date=None) -> ImportPreview``: read the
    official template (CSV/XLSX/legacy XLS, one or many class files) and vision/scoliosis
    sheets joined by 学籍号; nothing is stored. ``ImportPreview`` fields: ``frame`` (one
    row per roster line, clean values, ``has_error``, ``source_file``/``source_line``),
    ``problems`` (dicts ``{file, row, column, field, value, reason, allowed, severity}``;
    row = file line, column = header as written, value = cell text as typed),
    ``n_rows``, ``matched_ids``/``new_ids`` (vs ``known_ids``), ``unmatched_join_ids``
    (per screening file), ``files``; ``.ok``, ``.errors``, ``.warnings``, ``.summary()``.

Screening — ``screening``
    ``screen_students(frame, *, on=None) -> DataFrame``: 2014 student score, WS/T 586
    ``weight_status``, ``screening_myopia``, ``atr_band`` / ``scoliosis_screen_positive``,
    ``grade_fail``, ``failing_items``, ``flagged`` / ``flag_reasons``, ``input_errors``.

Drafting — ``pipeline``
    ``run_pipeline(frame, assistant, *, prescribe_for="flagged"|"all"|"none", on=None,
    prescriptions=False) -> DataFrame``: screen, then ``Assistant.prescribe_frame`` for the
    chosen students; ``rx_*`` columns; fixed dtypes (Parquet-ready).

Reports — ``report``
    ``class_report(frame, last_year=None) -> dict`` and ``school_report(frame,
    last_year=None, *, class_columns=("grade_code", "class_code")) -> dict`` (school,
    per grade, per class): grade distribution, item pass rates (score ≥ 60), overweight /
    obesity, screening myopia, scoliosis positives, good+excellent vs the 60 % target,
    change against last year (paired by 学籍号 for a frame, aggregate for a report dict).

Export — ``export``
    ``to_official_template(frame, *, include_scores=False) -> DataFrame`` (text cells, the
    template's headers and order, m'ss" runs) and ``export_official(frame, path)``.

KPIs — ``kpi``
    ``student_good_excellent_share``, ``physique_pass_share``, ``prescriptions_signed``,
    ``retests_done`` → :class:`Kpi` (numerator, denominator, value, target, met);
    ``average_change`` → dict.

City scale — ``batch`` / ``batch_dask`` (``prescribe batch``)
    ``run_pandas`` / ``run_dask``: the pipeline over a file or a Parquet directory, chunk
    by chunk or as Dask partitions, with identical Parquet output and a summary.
"""

from __future__ import annotations

from .export import export_official, to_official_template
from .importing import ImportFileError, ImportPreview, preview_import
from .kpi import (
    Kpi,
    average_change,
    physique_pass_share,
    prescriptions_signed,
    retests_done,
    student_good_excellent_share,
)
from .pipeline import run_pipeline
from .report import class_report, school_report
from .screening import screen_students

__all__ = [
    "ImportFileError",
    "ImportPreview",
    "Kpi",
    "average_change",
    "class_report",
    "export_official",
    "physique_pass_share",
    "prescriptions_signed",
    "preview_import",
    "retests_done",
    "run_pipeline",
    "school_report",
    "screen_students",
    "student_good_excellent_share",
    "to_official_template",
]
