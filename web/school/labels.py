"""Words for the school pages: flag reasons, review reasons, indicators, problem reasons.

The core explains import problems in English sentences (``prescribe.school.problems``);
a school doctor reading the Chinese pages should not have to. ``problem_reason`` matches
the core's known sentences (with their line numbers, ages and file names) and gives them
in the user's language; a sentence it does not know is shown as the core wrote it, so a
new check is never hidden.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

FLAG_REASONS = {
    "fail": _l("Fail grade"), "overweight": _l("Overweight"), "obese": _l("Obese"),
    "screening_myopia": _l("Screening myopia"), "scoliosis": _l("Scoliosis screen positive"),
}
ATTENTION = {
    **FLAG_REASONS,
    "deferred": _l("Deferred by the rules"), "clearance": _l("Medical clearance required"),
    "needs_review": _l("The rules ask for a clinician's review"),
    "referral": _l("Referral"),
}
INDICATORS = {
    "good_excellent": _l("Good or excellent"), "pass_or_better": _l("Pass or better"),
    "overweight": _l("Overweight"), "obese": _l("Obese"),
    "overweight_or_obese": _l("Overweight or obese"),
    "screening_myopia": _l("Screening myopia"), "scoliosis_positive": _l("Scoliosis screen "
                                                                         "positive"),
    "mean_total_score": _l("Mean total score"),
}
KINDS = {"new_student": _l("New students"), "new_year": _l("Known students, new school year"),
         "corrected": _l("Corrected results (replace this year's)"),
         "unchanged": _l("Unchanged (skipped)")}
SCOPES = {"all": _l("every student"), "flagged": _l("flagged students"), "none": _l("none")}


def school_year_label(year: int) -> str:
    return _("%(a)s–%(b)s school year", a=year, b=year + 1)


_PATTERNS: list[tuple[re.Pattern[str], Callable[..., str]]] = [
    (re.compile(r"^impossible value$"), lambda: _("impossible value")),
    (re.compile(r"^not a number$"), lambda: _("not a number")),
    (re.compile(r"^must be a whole number$"), lambda: _("must be a whole number")),
    (re.compile(r"^not a date.*$"), lambda: _("not a date")),
    (re.compile(r"^not a time.*$"), lambda: _("not a time: write 3'40\" or seconds (220)")),
    (re.compile(r"^looks like minutes\.seconds.*$"),
     lambda: _("looks like minutes.seconds: write 3'40\" or seconds")),
    (re.compile(r"^not an allowed value$"), lambda: _("not an allowed value")),
    (re.compile(r"^unknown grade code$"), lambda: _("unknown grade code")),
    (re.compile(r"^missing: sex is required$"), lambda: _("missing: sex is required")),
    (re.compile(r"^missing: the grade code is required$"),
     lambda: _("missing: the grade code is required")),
    (re.compile(r"^missing student ID \(学籍号\): row not joined$"),
     lambda: _("missing student ID (学籍号): the row was not joined")),
    (re.compile(r"^missing student ID \(学籍号\)$"), lambda: _("missing student ID (学籍号)")),
    (re.compile(r"^duplicate student ID: also on line (\d+) of (.+)$"),
     lambda n, f: _("duplicate student ID: also on line %(n)s of %(file)s", n=n, file=f)),
    (re.compile(r"^duplicate student ID: also on line (\d+)$"),
     lambda n: _("duplicate student ID: also on line %(n)s", n=n)),
    (re.compile(r"^duplicate row: same as line (\d+)$"),
     lambda n: _("duplicate row: same as line %(n)s", n=n)),
    (re.compile(r"^missing: the template requires 出生日期$"),
     lambda: _("missing: the template requires 出生日期")),
    (re.compile(r"^age ([\d.]+) on the test day is implausible for grade (\w+)$"),
     lambda a, g: _("age %(age)s on the test day is implausible for grade %(grade)s",
                    age=a, grade=g)),
    (re.compile(r"^after the test date$"), lambda: _("after the test date")),
    (re.compile(r"^BMI ([\d.]+) is impossible with this height$"),
     lambda b: _("BMI %(bmi)s is impossible with this height", bmi=b)),
    (re.compile(r"^column missing from the template$"),
     lambda: _("column missing from the template")),
    (re.compile(r"^column not in the template: ignored(?: \(did you mean (.+)\?\))?$"),
     lambda hint=None: _("column not in the template: ignored") + (
         _(" (did you mean %(hint)s?)", hint=hint) if hint else "")),
    (re.compile(r"^the template codes sex as 1 \(male\) / 2 \(female\).*$"),
     lambda: _("the template codes sex as 1 (male) / 2 (female); understood, and exported "
               "as 1/2")),
    (re.compile(r"^not tested in this grade for this sex: the value is ignored$"),
     lambda: _("not tested in this grade for this sex: the value is ignored")),
    (re.compile(r"^empty, but required for this grade.*$"),
     lambda: _("empty, but required for this grade: without it the child gets no total "
               "score")),
    (re.compile(r"^missing: the station's records need the student's name$"),
     lambda: _("missing: the station's records need the student's name")),
    (re.compile(r"^missing: the station's records need the class code$"),
     lambda: _("missing: the station's records need the class code")),
    (re.compile(r"^longer than (\d+) characters$"),
     lambda n: _("longer than %(n)s characters", n=n)),
    (re.compile(r"^this number is already the record number of another patient.*$"),
     lambda: _("this number is already the record number of another patient at this "
               "station (different sex or birth date)")),
]


def problem_reason(reason: str) -> str:
    """The core's problem sentence in the user's language (unknown sentences unchanged)."""
    for pattern, render in _PATTERNS:
        match = pattern.match(reason or "")
        if match:
            return render(*[g for g in match.groups() if g is not None])
    return reason
