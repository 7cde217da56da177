"""Rule-set versions and drafts, stored as the same ``{filename: text}`` files as ``rules/``.

A published version is immutable (a printed plan cites its version and hash); a draft is
shared by the prescribers of a rule set and carries a version counter, so two prescribers
saving at the same time get a "someone else saved" message instead of silently
overwriting each other. Golden cases live in the files (``cases/*.yaml``), so they travel
with the draft and are published with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..tables import User
from ..tables.types import UTCDateTime, dump_json, load_json, utcnow

VERSION_KINDS = ("seed", "publish", "rollback", "upload")


class ImmutableVersionError(RuntimeError):
    """A published rule-set version was about to change; publish a new one instead."""


class RulesetVersion(db.Model):
    """One published version: ``number`` counts 1, 2, 3 … per rule set; ``version`` and
    ``content_hash`` are what prescriptions record in their provenance."""

    __tablename__ = "ruleset_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), index=True)
    number: Mapped[int] = mapped_column(Integer)
    version: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(80))
    files_json: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12))
    note: Mapped[str] = mapped_column(Text, default="")
    rolled_back_to: Mapped[int | None] = mapped_column(Integer)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    published_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    published_by: Mapped[User | None] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("name", "number", name="uq_ruleset_version_name_number"),
        CheckConstraint("kind IN ('seed', 'publish', 'rollback', 'upload')", name="kind"),
    )

    @property
    def files(self) -> dict[str, str]:
        return load_json(self.files_json, {})


@event.listens_for(RulesetVersion, "before_update")
def _refuse_changes(mapper: Any, connection: Any, target: RulesetVersion) -> None:
    raise ImmutableVersionError(f"rule-set version {target.name} #{target.number} is "
                                "published; publish a new version instead")


class RulesetDraft(db.Model):
    """The shared working copy of a rule set; ``base_version_id`` is the published version
    it started from (publishing refuses a draft whose base is no longer current)."""

    __tablename__ = "ruleset_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    base_version_id: Mapped[int] = mapped_column(ForeignKey("ruleset_version.id"))
    files_json: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow,
                                                    onupdate=utcnow)
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    base_version: Mapped[RulesetVersion] = relationship(lazy="joined")
    updated_by: Mapped[User | None] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def files(self) -> dict[str, str]:
        return load_json(self.files_json, {})

    @files.setter
    def files(self, value: dict[str, str]) -> None:
        self.files_json = dump_json(dict(sorted(value.items())))
