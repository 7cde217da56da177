"""Download and upload a whole rule set as one ZIP file, laid out like ``rules/<name>/``.

Prescribers edit offline in their own editor and upload the result; the upload goes through
the same checks as every edit. An uploaded archive is untrusted: only ``ruleset.yaml``,
``<name>.yaml`` and ``cases/<name>.yaml`` entries are accepted (no folders, no ``..``, no
absolute paths), sizes are capped before anything is decompressed, and the text must be
UTF-8. Every problem is reported at once.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from flask_babel import gettext as _

from prescribe.errors import RulebookError, RuleProblem

MAX_FILES = 200
MAX_FILE_BYTES = 1_000_000
MAX_TOTAL_BYTES = 5_000_000
_NAME = re.compile(r"^(cases/)?[a-z0-9][a-z0-9_\-]*\.yaml$")


def write_archive(files: dict[str, str], folder: str) -> bytes:
    """``{filename: text}`` as a ZIP whose entries sit under ``<folder>/``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name].encode("utf-8"))
    return buffer.getvalue()


def _strip_folder(names: list[str]) -> str:
    """The common top folder (``default/``) of the entries, if they all share one."""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names) and tops != {"cases"}:
        return tops.pop() + "/"
    return ""


def read_archive(data: bytes) -> dict[str, str]:
    """Return ``{filename: text}`` from an uploaded ZIP; raise ``RulebookError`` listing
    every refused entry."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise RulebookError([RuleProblem("(upload)", None, None, _("not a ZIP file: download a rule set to see the expected layout"))]) from None
    entries = [i for i in archive.infolist() if not i.is_dir()]
    problems: list[RuleProblem] = []
    if len(entries) > MAX_FILES:
        problems.append(RuleProblem("(upload)", None, None, _("more than %(n)s files", n=MAX_FILES)))
    if sum(i.file_size for i in entries) > MAX_TOTAL_BYTES:
        problems.append(RuleProblem("(upload)", None, None,
                                    _("larger than %(n)s MB unpacked", n=MAX_TOTAL_BYTES // 1_000_000)))
    if problems:
        raise RulebookError(problems)
    prefix = _strip_folder([i.filename for i in entries])
    files: dict[str, str] = {}
    for info in entries:
        name = info.filename[len(prefix):] if info.filename.startswith(prefix) else info.filename
        if name != "ruleset.yaml" and not _NAME.match(name):
            problems.append(RuleProblem(info.filename, None, None, _("not a rule-set file: expected ruleset.yaml, <name>.yaml or cases/<name>.yaml")))
            continue
        if info.file_size > MAX_FILE_BYTES:
            problems.append(RuleProblem(name, None, None, _("file larger than 1 MB")))
            continue
        try:
            files[name] = archive.read(info).decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(RuleProblem(name, None, None, _("not UTF-8 text (byte %(n)s)", n=exc.start)))
        except (zipfile.BadZipFile, zlib.error, EOFError):  # damaged, or sizes that lie
            problems.append(RuleProblem(name, None, None, _("damaged in the archive")))
    if "ruleset.yaml" not in files and not problems:
        problems.append(RuleProblem("ruleset.yaml", None, None, _("missing from the archive")))
    if problems:
        raise RulebookError(problems)
    return files
