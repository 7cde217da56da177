"""Database writes for rule-set authoring: drafts, publication, roll-back, seeding, audit.

Each function takes the database session and the acting prescriber and flushes but never
commits (the web app's operations convention). The rule content itself is edited by the
core (``prescribe.authoring``); these functions only store its results, enforce the
optimistic lock of the shared draft, run the publish gate and keep the audit trail.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from prescribe.authoring import editing, versions
from prescribe.authoring.gate import GateResult, run_gate
from prescribe.engine import load_ruleset

from ..operations import OperationError, StaleEditError
from ..tables import AuditEvent, User
from .tables import RulesetDraft, RulesetVersion

logger = logging.getLogger(__name__)

# Audit vocabulary of this area (AuditEvent columns are 20 characters wide).
ACTIONS = ("edited", "tested", "published", "rolled_back", "uploaded", "downloaded",
           "discarded", "impact_run", "seeded")
OBJECT_TYPES = ("ruleset_draft", "ruleset_version")


class GateBlockedError(OperationError):
    """The publish gate found problems; ``result`` lists exactly which."""

    def __init__(self, result: GateResult):
        super().__init__("publication blocked by the publish gate")
        self.result = result


class DraftOutOfDateError(OperationError):
    """A newer version was published after this draft started (e.g. a roll-back)."""


def audit(session: Session, actor: User | None, action: str, object_type: str,
          object_id: int | None, detail: str = "") -> None:
    """Record one authoring event; ``detail`` names rules and versions, never patients."""
    if action not in ACTIONS or object_type not in OBJECT_TYPES:
        raise ValueError(f"unknown authoring audit event {action!r} on {object_type!r}")
    session.add(AuditEvent(user_id=actor.id if actor else None,
                           station_id=actor.station_id if actor else None, action=action,
                           object_type=object_type, object_id=object_id, detail=detail[:200]))


def history(session: Session, name: str, limit: int = 50) -> list[AuditEvent]:
    """Who changed, tested or published this rule set, newest first."""
    draft_ids = select(RulesetDraft.id).where(RulesetDraft.name == name)
    version_ids = select(RulesetVersion.id).where(RulesetVersion.name == name)
    query = select(AuditEvent).where(
        ((AuditEvent.object_type == "ruleset_draft") & AuditEvent.object_id.in_(draft_ids))
        | ((AuditEvent.object_type == "ruleset_version")
           & AuditEvent.object_id.in_(version_ids))
    ).order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)
    return list(session.scalars(query))


# --- versions ------------------------------------------------------------------------

def ruleset_names(session: Session) -> list[str]:
    return list(session.scalars(select(RulesetVersion.name).distinct().order_by(
        RulesetVersion.name)))


def current_version(session: Session, name: str) -> RulesetVersion | None:
    """The published version in force: the highest number."""
    return session.scalar(select(RulesetVersion).where(RulesetVersion.name == name)
                          .order_by(RulesetVersion.number.desc()).limit(1))


def all_versions(session: Session, name: str) -> list[RulesetVersion]:
    return list(session.scalars(select(RulesetVersion).where(RulesetVersion.name == name)
                                .order_by(RulesetVersion.number.desc())))


def get_version(session: Session, name: str, number: int) -> RulesetVersion | None:
    return session.scalar(select(RulesetVersion).where(RulesetVersion.name == name,
                                                       RulesetVersion.number == number))


def _add_version(session: Session, actor: User | None, name: str, files: dict[str, str],
                 kind: str, note: str, rolled_back_to: int | None = None) -> RulesetVersion:
    ruleset = load_ruleset(files)
    if ruleset.name != name:
        raise OperationError(f"the files are rule set `{ruleset.name}`, not `{name}`", "name")
    number = (session.scalar(select(func.max(RulesetVersion.number)).where(
        RulesetVersion.name == name)) or 0) + 1
    item = RulesetVersion(name=name, number=number, version=ruleset.version,
                          content_hash=ruleset.hash, kind=kind, note=note,
                          rolled_back_to=rolled_back_to,
                          published_by_id=actor.id if actor else None,
                          files_json=_dump(files))
    session.add(item)
    session.flush()
    return item


def _dump(files: dict[str, str]) -> str:
    from ..tables import dump_json

    return dump_json(dict(sorted(files.items())))


def read_folder(folder: Path) -> dict[str, str]:
    """A rule-set folder (``rules/<name>/``) as ``{filename: text}``."""
    return {p.relative_to(folder).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(folder.rglob("*.yaml")) if p.is_file()}


def seed_from_folder(session: Session, folder: str | Path) -> RulesetVersion | None:
    """Publish the shipped rule set as version 1 on first run; later runs change nothing.

    Returns the new version, or ``None`` when the folder is missing or already seeded.
    """
    folder = Path(folder)
    if not (folder / "ruleset.yaml").is_file():
        return None
    files = read_folder(folder)
    name = load_ruleset(files).name
    if current_version(session, name) is not None:
        return None
    item = _add_version(session, None, name, files, "seed", f"seeded from {folder.name}/")
    audit(session, None, "seeded", "ruleset_version", item.id,
          f"{name} {item.version} from {folder.name}/")
    logger.info("rule set %s %s seeded from %s", name, item.version, folder)
    return item


# --- the shared draft ------------------------------------------------------------------

def get_draft(session: Session, name: str) -> RulesetDraft:
    """The rule set's draft, started from the current version when there is none."""
    draft = session.scalar(select(RulesetDraft).where(RulesetDraft.name == name))
    if draft is None:
        base = current_version(session, name)
        if base is None:
            raise OperationError(f"no published rule set called `{name}`", "name")
        draft = RulesetDraft(name=name, base_version_id=base.id, files_json=base.files_json)
        session.add(draft)
        session.flush()
    return draft


def _check_lock(draft: RulesetDraft, expected: int) -> None:
    if draft.lock_version != expected:
        raise StaleEditError("the draft was saved by someone else after this page opened")


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:  # a concurrent commit between our read and our write
        raise StaleEditError("the draft was saved by someone else at the same moment") from exc


def save_draft(session: Session, actor: User, draft: RulesetDraft, files: dict[str, str],
               expected_lock: int, detail: str, *, action: str = "edited") -> RulesetDraft:
    """Store new draft files (already checked by ``prescribe.authoring.editing``)."""
    _check_lock(draft, expected_lock)
    editing.validate(files)
    draft.files = files
    draft.updated_by_id = actor.id
    _flush(session)
    audit(session, actor, action, "ruleset_draft", draft.id, detail)
    return draft


def discard_draft(session: Session, actor: User, draft: RulesetDraft,
                  expected_lock: int) -> RulesetDraft:
    """Throw the draft's changes away: it becomes the current published version again."""
    _check_lock(draft, expected_lock)
    base = current_version(session, draft.name)
    draft.files_json = base.files_json
    draft.base_version_id = base.id
    draft.updated_by_id = actor.id
    _flush(session)
    audit(session, actor, "discarded", "ruleset_draft", draft.id,
          f"reset to version #{base.number}")
    return draft


def check_draft(session: Session, actor: User, draft: RulesetDraft, model: Any = None
               ) -> GateResult:
    """Run the publish gate on the draft without publishing (recorded in the audit log)."""
    result = run_gate(draft.files, model=model)
    audit(session, actor, "tested", "ruleset_draft", draft.id, _gate_detail(result))
    return result


def _gate_detail(result: GateResult) -> str:
    if result.passed:
        return f"gate passed: {result.cases_passed}/{result.cases_total} cases"
    return (f"gate blocked: {len(result.load_problems)} load, {len(result.lint_blocking)} lint, "
            f"{len(result.case_failures)} case failure(s)")


def publish_draft(session: Session, actor: User, draft: RulesetDraft, expected_lock: int,
                  note: str, *, model: Any = None, today: dt.date | None = None
                  ) -> RulesetVersion:
    """Gate the draft and publish it as the next version; the draft then equals it.

    :raise GateBlockedError: lint errors or failing golden cases (nothing is published).
    :raise DraftOutOfDateError: a newer version was published after the draft started.
    """
    _check_lock(draft, expected_lock)
    current = current_version(session, draft.name)
    if current.id != draft.base_version_id:
        raise DraftOutOfDateError(f"version #{current.number} was published after this draft "
                                  f"started from #{draft.base_version.number}")
    result = run_gate(draft.files, model=model)
    audit(session, actor, "tested", "ruleset_draft", draft.id, _gate_detail(result))
    if not result.passed:
        raise GateBlockedError(result)
    files, version = versions.stamp_publication(
        draft.files, published=current.files, author=actor.display_name, note=note,
        on=today or dt.date.today())
    item = _add_version(session, actor, draft.name, files, "publish", note.strip())
    draft.files = files
    draft.base_version_id = item.id
    draft.updated_by_id = actor.id
    _flush(session)
    audit(session, actor, "published", "ruleset_version", item.id,
          f"{draft.name} {version} (#{item.number})")
    logger.info("rule set %s %s published as #%s by user %s", draft.name, version,
                item.number, actor.id)
    return item


def rollback(session: Session, actor: User, name: str, number: int, note: str, *,
             model: Any = None, today: dt.date | None = None) -> RulesetVersion:
    """Republish version ``number``'s rules and cases as a new version (gated like any).

    An unchanged shared draft follows the new version; a draft with unpublished edits is
    left as it is, and publishing it is refused (``DraftOutOfDateError``) until someone
    looks at it, so nobody silently republishes the rules that were just withdrawn.
    """
    target = get_version(session, name, number)
    current = current_version(session, name)
    if target is None or current is None:
        raise OperationError(f"rule set `{name}` has no version #{number}", "number")
    if target.id == current.id:
        raise OperationError("this version is already the one in force", "number")
    files, version = versions.rollback_files(target.files, current=current.files,
                                             author=actor.display_name, note=note,
                                             on=today or dt.date.today())
    result = run_gate(files, model=model)
    if not result.passed:
        raise GateBlockedError(result)
    item = _add_version(session, actor, name, files, "rollback", note.strip() or
                        f"roll back to #{number}", rolled_back_to=number)
    draft = session.scalar(select(RulesetDraft).where(RulesetDraft.name == name))
    if draft is not None and draft.files == current.files:
        draft.files = files
        draft.base_version_id = item.id
        draft.updated_by_id = actor.id
    _flush(session)
    audit(session, actor, "rolled_back", "ruleset_version", item.id,
          f"{name} {version} (#{item.number}) = rules of #{number}")
    return item
