"""The error hierarchy of the core library.

User errors (a wrong rule file, bad input data, a refused model artifact) are kept apart
from bugs: the CLI prints a ``PrescribeError`` plainly with a stable exit code and lets
anything else raise with its traceback (the ehrQL convention).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class PrescribeError(Exception):
    """Base class of every error a user can act on. Never raised itself."""

    exit_code = 1


@dataclass(frozen=True)
class InputProblem:
    """One problem in an assessment or a batch row.

    ``row`` is the 1-based data row of a batch (``None`` for a single record);
    ``severity`` is ``error`` (blocks the record) or ``warning`` (unusual but possible).
    """

    field: str
    value: Any
    message: str
    row: int | None = None
    allowed: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = f"row {self.row}, " if self.row is not None else ""
        allowed = f" (allowed: {self.allowed})" if self.allowed else ""
        return f"{where}{self.field}={self.value!r}: {self.message}{allowed}"


class AssessmentError(PrescribeError):
    """Input data is wrong; ``problems`` lists every problem found, not just the first."""

    exit_code = 2

    def __init__(self, problems: list[InputProblem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input:\n{lines}")


@dataclass(frozen=True)
class RuleProblem:
    """One problem in a rule-set definition, located by file and rule id."""

    file: str
    rule_id: str | None
    field: str | None
    message: str
    suggestion: str | None = None
    severity: str = "error"

    def __str__(self) -> str:
        where = self.file + (f" rule `{self.rule_id}`" if self.rule_id else "")
        fld = f" [{self.field}]" if self.field else ""
        hint = f"; did you mean `{self.suggestion}`?" if self.suggestion else ""
        return f"{where}{fld}: {self.message}{hint}"


class RulebookError(PrescribeError):
    """A rule set is badly defined; ``problems`` lists every problem at once."""

    exit_code = 2

    def __init__(self, problems: list[RuleProblem]):
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the rule set:\n{lines}")


class StandardsError(PrescribeError):
    """A standards table is missing or inconsistent."""

    exit_code = 2


class ModelArtifactError(PrescribeError):
    """A model artifact is missing, tampered with, or built with other library versions."""

    exit_code = 4


@dataclass
class ProblemList:
    """Collects problems so that validation reports everything at once."""

    items: list[Any] = field(default_factory=list)

    def add(self, problem: Any) -> None:
        self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)
