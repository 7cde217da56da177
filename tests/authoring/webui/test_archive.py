"""The rule-set ZIP: same layout as rules/<name>/, and untrusted uploads refused safely."""

from __future__ import annotations

import io
import zipfile

import pytest

from prescribe.errors import RulebookError
from web.ruleset_authoring.archive import read_archive, write_archive


def test_a_downloaded_archive_uploads_back_unchanged(mini_files):
    data = write_archive(mini_files, "mini")
    assert sorted(zipfile.ZipFile(io.BytesIO(data)).namelist()) == sorted(
        f"mini/{name}" for name in mini_files)
    assert read_archive(data) == mini_files
    assert write_archive(mini_files, "mini") == data  # byte-stable: fixed timestamps


def test_entries_without_a_top_folder_are_accepted(mini_files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in mini_files.items():
            archive.writestr(name, text)
    assert read_archive(buffer.getvalue()) == mini_files


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_every_refused_entry_is_listed_at_once():
    data = _zip({"x/ruleset.yaml": b"name: x\n", "x/../../etc/passwd.yaml": b"",
                 "x/sub/deep.yaml": b"rules: []\n", "x/notes.txt": b"hi",
                 "x/latin.yaml": "rules: [] # é".encode("latin-1")})
    with pytest.raises(RulebookError) as err:
        read_archive(data)
    files = {p.file for p in err.value.problems}
    assert files == {"x/../../etc/passwd.yaml", "x/sub/deep.yaml", "x/notes.txt",
                     "latin.yaml"}


def test_an_archive_without_ruleset_yaml_is_refused():
    with pytest.raises(RulebookError, match="ruleset.yaml"):
        read_archive(_zip({"a.yaml": b"rules: []\n"}))


def test_sizes_are_checked_before_anything_is_unpacked():
    bomb = _zip({"ruleset.yaml": b"name: x\n", "big.yaml": b"#" * 6_000_000})
    with pytest.raises(RulebookError, match="MB"):
        read_archive(bomb)


def test_an_entry_whose_declared_size_lies_is_reported_as_damaged():
    data = bytearray(_zip({"ruleset.yaml": b"name: x\n", "a.yaml": b"rules: []\n" * 50}))
    # shrink the declared size of a.yaml in its central-directory record
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = archive.getinfo("a.yaml")
    central = data.rfind(b"PK\x01\x02", 0, data.find(b"a.yaml", info.header_offset + 40) + 1)
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    with pytest.raises(RulebookError) as err:
        read_archive(bytes(data))
    assert [(p.file, p.message) for p in err.value.problems] == [
        ("a.yaml", "damaged in the archive")]
