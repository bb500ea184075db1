"""The build cache: earlier results reused when nothing that made them has changed.

An entry is found by a key, a SHA-256 over everything its result depends on: the source
file's content hash and the document's manifest metadata, the reader settings that change
what is read, the schema version, and a fingerprint of the installed package itself (its
code and its data files, so editing a rule in `data/actions.toml` or a line of a reader
invalidates every entry, not only a release). Entries are pickles of our own frozen
records, written atomically under the output folder (`extracted/.cache/`); a local cache
only this tool writes, so trusted like the code. An entry that cannot be read back (cut
short, from another Python, anything) is a miss: the result is computed again and the
entry replaced, never an error.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from policylens.ingest import ReadJob
from policylens.model import SCHEMA_VERSION
from policylens.settings import ReaderSettings

CACHE_FOLDER = ".cache"
ENTRY_SUFFIX = ".pickle"
# Reader settings that never change a result that was read: a document read within the time
# limit is the same whatever the limit. Every other setting (also ones added later) is keyed.
_NOT_KEYED = frozenset({"time_limit_s"})
# What unpickling a damaged or foreign entry may raise; all mean "not usable, rebuild".
_UNREADABLE = (
    OSError,
    EOFError,
    pickle.UnpicklingError,
    AttributeError,
    ImportError,
    IndexError,
    KeyError,
    TypeError,
    ValueError,
)

_FINGERPRINTED = frozenset({".py", ".toml", ".csv", ".json"})

T = TypeVar("T")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The fingerprint of the installed package (computed once: a few milliseconds)."""
    return package_fingerprint(Path(__file__).resolve().parent)


def package_fingerprint(package: Path) -> str:
    """A hash of a package's own files, code (`*.py`) and data (`data/*.toml` ...), with the
    schema and Python versions: any change to how documents are read or extracted, released
    or not, makes earlier entries stale."""
    digest = hashlib.sha256(f"{SCHEMA_VERSION}|{sys.version_info[:2]}".encode())
    for path in sorted(package.rglob("*")):
        if path.suffix in _FINGERPRINTED and path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _reader_part(settings: ReaderSettings) -> str:
    parts = []
    for item in dataclasses.fields(settings):
        if item.name in _NOT_KEYED:
            continue
        value = getattr(settings, item.name)
        if isinstance(value, Path):  # the layout rules file: its content, not its name
            value = hashlib.sha256(value.read_bytes()).hexdigest()
        parts.append(f"{item.name}={value!r}")
    return ";".join(parts)


def document_key(job: ReadJob, settings: ReaderSettings) -> str:
    """The key of one document's results: its file's content, metadata, settings and our code."""
    text = "\n".join((code_fingerprint(), repr(job.meta), repr(job.source), _reader_part(settings)))
    return hashlib.sha256(text.encode()).hexdigest()


def combined_key(keys: Iterable[str]) -> str:
    """The key of a result made from several documents' results, in this order."""
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


@dataclasses.dataclass(frozen=True, slots=True)
class ResultCache:
    """Entries in a folder, one file per key; `kind` says what a file holds."""

    folder: Path

    @classmethod
    def under(cls, out: Path) -> ResultCache:
        return cls(out / CACHE_FOLDER)

    def path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}{ENTRY_SUFFIX}"

    def load(self, kind: str, key: str, expected: type[T]) -> T | None:
        """The entry, or None when there is none or it is unusable (damaged, another version)."""
        try:
            with self.path(kind, key).open("rb") as handle:
                stored = pickle.load(handle)
        except _UNREADABLE:  # none yet (FileNotFoundError is an OSError), or not usable
            return None
        # Checked because a file of the right name may still hold something else (a hand copy).
        if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == key):
            return None
        value = stored[1]
        return value if isinstance(value, expected) else None

    def store(self, kind: str, key: str, value: object) -> None:
        """Write an entry atomically: a reader sees the old entry, the new one, or none."""
        target = self.path(kind, key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                pickle.dump((key, value), stream, protocol=pickle.HIGHEST_PROTOCOL)
            Path(temporary).replace(target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def keep_only(self, kind: str, keys: Iterable[str]) -> None:
        """Remove the entries of a kind that this build did not use, so the cache holds one
        build's worth of results instead of growing with every edit."""
        wanted = {f"{key}{ENTRY_SUFFIX}" for key in keys}
        folder = self.folder / kind
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name not in wanted:
                    path.unlink(missing_ok=True)
