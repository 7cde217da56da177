"""Uploaded files waiting for the school doctor's confirmation.

An upload is checked and shown as a preview first; nothing is stored in the database
until the doctor confirms. Between the two requests the files wait in the instance
folder under an unguessable token, with a manifest naming who uploaded them at which
station: another user's token answers 404 like an unknown one. Confirming reads the files
again, so the import never relies on a preview computed before another import changed
the station's records. Stale uploads are removed after a day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import secrets
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

logger = logging.getLogger(__name__)

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".xls")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 60  # a whole school sent class by class, plus vision and spine sheets
KEEP_HOURS = 24
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


class StagingError(ValueError):
    """An uploaded file cannot be accepted (name, type, size); the message names it."""


@dataclass
class Staged:
    """One waiting upload: its folder and manifest."""

    token: str
    folder: Path
    manifest: dict[str, Any] = field(default_factory=dict)

    @property
    def paths(self) -> list[Path]:
        return [self.folder / f["name"] for f in self.manifest["files"]]

    def save(self) -> None:
        (self.folder / "manifest.json").write_text(
            json.dumps(self.manifest, ensure_ascii=False, default=str), encoding="utf-8")


def root(instance_path: str) -> Path:
    return Path(instance_path) / "school_uploads"


def clean_name(filename: str | None) -> str:
    """The file's own name, kept readable (teachers name files 初二3班.xlsx) but safe:
    no folders, no control characters, a known suffix."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/")).split("/")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if not name or name.startswith(".") or name in ("manifest.json",):
        raise StagingError(f"unusable file name {filename!r}")
    if not name.lower().endswith(ALLOWED_SUFFIXES):
        raise StagingError(f"{name}: only .csv, .xlsx and .xls files can be imported")
    return name[:120]


def stage(instance_path: str, uploads: list[tuple[str | None, BinaryIO]],
          meta: dict[str, Any]) -> Staged:
    """Save the uploaded files under a new token; raise ``StagingError`` naming every
    refused file (nothing is kept when one is refused)."""
    remove_stale(instance_path)
    if not uploads:
        raise StagingError("choose at least one file")
    if len(uploads) > MAX_FILES:
        raise StagingError(f"at most {MAX_FILES} files per import")
    token = secrets.token_urlsafe(24)
    folder = root(instance_path) / token
    folder.mkdir(parents=True)
    files, problems = [], []
    try:
        for filename, stream in uploads:
            try:
                name = clean_name(filename)
                if any(f["name"] == name for f in files):
                    raise StagingError(f"{name}: the same file name twice")
                files.append(_write(folder / name, stream))
            except StagingError as exc:
                problems.append(str(exc))
        if problems:
            raise StagingError("; ".join(problems))
    except StagingError:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    staged = Staged(token, folder, {**meta, "files": files,
                                    "created_at": dt.datetime.now(dt.UTC).isoformat()})
    staged.save()
    return staged


def _write(path: Path, stream: BinaryIO) -> dict[str, Any]:
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        while chunk := stream.read(1 << 16):
            size += len(chunk)
            if size > MAX_FILE_BYTES:
                raise StagingError(f"{path.name}: larger than {MAX_FILE_BYTES // 2**20} MB")
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise StagingError(f"{path.name}: the file is empty")
    return {"name": path.name, "sha256": digest.hexdigest(), "bytes": size}


def load(instance_path: str, token: str, *, user_id: int, station_id: int) -> Staged | None:
    """The upload behind ``token`` if this user at this station made it, else None."""
    if not _TOKEN.match(token or ""):
        return None
    folder = root(instance_path) / token
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if manifest.get("user_id") != user_id or manifest.get("station_id") != station_id:
        return None
    return Staged(token, folder, manifest)


def discard(staged: Staged) -> None:
    shutil.rmtree(staged.folder, ignore_errors=True)


def remove_stale(instance_path: str, now: dt.datetime | None = None) -> int:
    """Delete uploads older than ``KEEP_HOURS``; returns how many were removed."""
    base = root(instance_path)
    if not base.is_dir():
        return 0
    limit = (now or dt.datetime.now(dt.UTC)).timestamp() - KEEP_HOURS * 3600
    removed = 0
    for folder in base.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    if removed:
        logger.info("removed %s stale school upload(s)", removed)
    return removed
