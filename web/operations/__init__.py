"""Database writes, one verb per function, with the acting user and the session passed in.

Views and CLI commands call these; nothing here reads the request or ``current_user``
(Indico's operations layer, minus its ``flask.session`` reads). Operations flush but never
commit: the caller decides the transaction boundary.
"""

from __future__ import annotations


class OperationError(Exception):
    """A request the rules of the workflow refuse; ``field`` names the form field, if any."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleEditError(OperationError):
    """Someone saved the record after this form was opened; nothing was overwritten."""


class InvalidInputError(OperationError):
    """Several field problems found at once; ``problems`` lists every one."""

    def __init__(self, problems: list[OperationError]):
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems
