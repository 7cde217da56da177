"""Every table class of the app, from every area, for Alembic and the schema tests.

Areas keep their own tables next to their code (``web/tables/``, ``web/<area>/tables.py``)
but share one database and one line of migrations; importing them all here lets
autogenerate and ``test_migrations`` compare the whole schema, not just this package's.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import web


def load_all_tables() -> Any:
    """Import ``web.tables`` and every ``web.<area>.tables`` module; return the metadata."""
    from .extensions import db

    importlib.import_module("web.tables")
    for info in pkgutil.iter_modules(web.__path__):
        if info.ispkg and info.name not in ("tables", "migrations"):
            spec = importlib.util.find_spec(f"web.{info.name}.tables")
            if spec is not None:
                importlib.import_module(f"web.{info.name}.tables")
    return db.metadata
