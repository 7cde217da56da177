"""Show the core's input problems in the user's language, next to the right field."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from prescribe.errors import InputProblem

# The core's messages (English, stable) mapped to catalogue strings.
_MESSAGES = {
    "impossible value": _l("Impossible value"),
    "unusual value: please re-check": _l("Unusual value: please re-check"),
    "must be a whole number": _l("Must be a whole number"),
    "not a date (YYYY-MM-DD)": _l("Not a date (YYYY-MM-DD)"),
    "not yes/no": _l("Answer yes or no"),
    "not an allowed value": _l("Not an allowed value"),
    "unknown code(s)": _l("Unknown code"),
    "unknown code or synonym": _l("Unknown code or synonym"),
    "diastolic must be below systolic": _l("Diastolic pressure must be below systolic"),
    "after the test date": _l("The date of birth is after the assessment date"),
    "youth-only field given for an adult": _l("This field is for children and students only"),
    "unknown field": _l("Unknown field"),
}
_BMI = re.compile(r"^BMI ([\d.]+) is impossible with this height$")
_AGE = re.compile(r"^gives age ([\d.]+), outside 3–110 y$")
_NUMBER = re.compile(r"^not a number")


def problem_message(problem: InputProblem) -> str:
    """One problem as a sentence in the user's language, with the allowed range."""
    text = problem.message
    if text in _MESSAGES:
        message = str(_MESSAGES[text])
    elif m := _BMI.match(text):
        message = _("BMI %(bmi)s is impossible with this height", bmi=m.group(1))
    elif m := _AGE.match(text):
        message = _("Gives age %(age)s years, outside 3–110", age=m.group(1))
    elif _NUMBER.match(text):
        message = _("Not a number")
    else:
        message = text  # a new core message: shown as written rather than hidden
    if problem.allowed and problem.severity == "error":
        message += " (" + _("allowed: %(range)s", range=problem.allowed) + ")"
    return message


def attach_problems(form: Any, problems: list[InputProblem]) -> list[str]:
    """Add each problem to its form field; return messages for fields not on the form."""
    leftover = []
    for problem in problems:
        message = problem_message(problem)
        if problem.field in form and problem.severity == "error":
            form[problem.field].errors = [*form[problem.field].errors, message]
        elif problem.severity == "error":
            leftover.append(f"{problem.field}: {message}")
    return leftover


def warnings_by_field(problems: list[InputProblem]) -> dict[str, str]:
    return {p.field: problem_message(p) for p in problems if p.severity == "warning"}
