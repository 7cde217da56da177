"""Errors raised while printing a plan.

They are user-actionable (bad context data, a missing font, an unloaded catalogue), so the
web app can show them to a clinician instead of a traceback. They never contain patient
values beyond the field path, because error messages end up in logs.
"""

from __future__ import annotations


class PrintingError(Exception):
    """Base class of every printing problem the caller can act on."""


class PlanContextError(PrintingError):
    """The data handed to a render function is incomplete or malformed.

    ``problems`` lists every problem at once, each starting with the field path
    (e.g. ``contexts[2].prescription.components[0].days_per_week``).
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the plan data:\n{lines}")


class FontNotFoundError(PrintingError):
    """No Noto Sans CJK font was found; the message lists every place searched."""
