"""``prescribe recommend ASSESSMENT.json``: one assessment in, one prescription out.

The file holds one JSON object of vocabulary fields (``sbp_mmhg``, ``conditions``…;
Chinese synonyms such as ``"高血压"`` resolve like codes). Bad input stops with exit
status 2 and every problem named by field, so the file is fixed in one pass. The result
is the prescription JSON (``docs/prescription.schema.json``) or a plain-text plan.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..errors import PrescribeError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RULES = PROJECT_ROOT / "rules" / "default"


class AssessmentFileError(PrescribeError):
    """The assessment file cannot be read as one JSON object."""

    exit_code = 2


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``recommend`` subcommand to the ``prescribe`` CLI."""
    p = sub.add_parser("recommend", help="propose an exercise prescription for one assessment",
                       description=__doc__)
    p.add_argument("assessment", help="assessment JSON file ('-' reads standard input)")
    p.add_argument("--format", choices=("json", "text"), default="json",
                   help="output format (default: json)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh",
                   help="language of the text plan (default: zh)")
    p.add_argument("--rules", type=Path, default=DEFAULT_RULES,
                   help="rule-set folder (default: rules/default)")
    p.add_argument("--model", type=Path, default=None,
                   help="fitness-tier model folder (default: none; tier from the standard grade)")
    p.set_defaults(func=run)


def read_assessment(source: str) -> dict[str, Any]:
    """The JSON object in ``source`` (a path or ``-``); errors name the file and line."""
    name = "<stdin>" if source == "-" else source
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise AssessmentFileError(f"{name}: cannot read the file ({exc.strerror or exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise AssessmentFileError(
            f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from None
    if not isinstance(data, dict):
        raise AssessmentFileError(
            f"{name}: expected one JSON object of assessment fields, got {type(data).__name__}")
    return data


def run(args: argparse.Namespace) -> int:
    """Validate, prescribe, print. Input problems raise ``AssessmentError`` (exit 2)."""
    from ..assessment import parse_assessment
    from ..assistant import Assistant
    from ..prescription import render_text

    data = read_assessment(args.assessment)
    assessment = parse_assessment(data)  # every problem at once, before loading anything
    assistant = Assistant.from_paths(args.rules, args.model)
    result = assistant.prescribe(assessment)
    for warning in assessment.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.format == "text":
        sys.stdout.write(render_text(result, args.lang))
    else:
        json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    return 0
