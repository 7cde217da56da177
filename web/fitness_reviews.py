"""Read clinicians' confirmed fitness tiers for model retraining (SQLAlchemy Core).

``prescribe model retrain --from-db`` imports this module only when asked, so the core
stays free of SQLAlchemy. The table definition below mirrors the ``tier_review`` contract in
docs/ARCHITECTURE.md ("Tier reviews"); it is a Core ``Table`` on its own ``MetaData`` so
this module works with any database URL without the Flask app, and tests can create the
table in a temporary SQLite file. Only the columns retraining needs are selected: no
reviewer, station or patient identifiers leave the database.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    select,
)
from sqlalchemy.exc import SQLAlchemyError

from prescribe.errors import PrescribeError

metadata = MetaData()

tier_review = Table(
    "tier_review",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("station_id", Integer, nullable=False),
    Column("assessment_id", Integer, nullable=False),
    Column("prescription_id", Integer, nullable=True),
    Column("reviewer_id", Integer, nullable=False),
    Column("model_version", String(80), nullable=False),
    Column("model_tier", Integer, nullable=True),
    Column("confirmed_tier", Integer, nullable=False),
    Column("features_json", Text, nullable=False),
    Column("created_at", DateTime, nullable=True),
)

REVIEW_COLUMNS = ("id", "model_version", "model_tier", "confirmed_tier", "features_json",
                  "created_at")


class ReviewSourceError(PrescribeError):
    """The review database cannot be read (wrong URL, missing table)."""

    exit_code = 2


def load_confirmed_reviews(database_url: str) -> pd.DataFrame:
    """Every confirmed tier review, oldest first, as a DataFrame (``REVIEW_COLUMNS``).

    Raises ``ReviewSourceError`` naming the database (without its password) when it cannot
    be reached or has no ``tier_review`` table.
    """
    engine = create_engine(database_url, hide_parameters=True)
    where = engine.url.render_as_string(hide_password=True)
    query = (select(*(tier_review.c[name] for name in REVIEW_COLUMNS))
             .where(tier_review.c.confirmed_tier.is_not(None))
             .order_by(tier_review.c.id))
    try:
        with engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
    except SQLAlchemyError as exc:
        raise ReviewSourceError(f"cannot read table tier_review from {where}: "
                                f"{type(getattr(exc, 'orig', None) or exc).__name__}") from None
    finally:
        engine.dispose()
    return pd.DataFrame(rows, columns=list(REVIEW_COLUMNS))
