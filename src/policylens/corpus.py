"""Corpora: a manifest of documents, each with its source files and their hashes."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from policylens.errors import BadManifest, BadManifestRow, PolicylensError, SourceMissing, SourceUnreadable
from policylens.model import Corpus, CorpusEntry, DocumentMeta, Failure, SourceFile, SourceFormat

MANIFEST_NAME = "manifest.csv"
REQUIRED_COLUMNS = ("id", "council", "title", "period_start", "period_end")
SOURCE_COLUMNS: tuple[SourceFormat, ...] = (
    SourceFormat.TEXT,
    SourceFormat.PDF,
    SourceFormat.HTML,
    SourceFormat.DOCX,
)
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
HTML_PAGE_SUFFIXES = (".html", ".htm")


def series_key(doc_id: str) -> str:
    """The series a document belongs to: its id without the year ("halton-2017" -> "halton")."""
    return re.sub(r"-\d{4}$", "", doc_id)


def sha256_of(path: Path) -> str:
    """Content hash of a file, read in blocks."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except FileNotFoundError:
        raise SourceMissing(str(path), "file not found") from None
    except (IsADirectoryError, PermissionError) as exc:
        raise SourceUnreadable(str(path), f"cannot read the file ({exc.strerror})") from None
    return digest.hexdigest()


def html_pages(folder: Path) -> list[Path]:
    """The pages of a strategy published as a folder of web pages, in natural name order
    ("2-plan.html" before "10-annex.html"), so that numbered pages read in sequence."""
    pages = [p for p in folder.iterdir() if p.is_file() and p.suffix.casefold() in HTML_PAGE_SUFFIXES]
    return sorted(pages, key=lambda p: [int(t) if t.isdigit() else t.casefold() for t in re.split(r"(\d+)", p.name)])


def pages_sha256(folder: Path) -> str:
    """Content hash of a folder of pages: their names and contents, in reading order."""
    pages = html_pages(folder)
    if not pages:
        raise SourceMissing(str(folder), "the folder holds no .html or .htm pages")
    digest = hashlib.sha256()
    for page in pages:
        digest.update(f"{page.name}\0{sha256_of(page)}\n".encode())
    return digest.hexdigest()


def load_corpus(location: Path) -> Corpus:
    """Load a corpus from a folder holding `manifest.csv`, or from the manifest itself.

    Bad rows become failures naming the row; the other rows are loaded.
    Source paths are kept relative to the manifest's folder.
    """
    manifest = location / MANIFEST_NAME if location.is_dir() else location
    root = manifest.parent
    if not manifest.is_file():
        raise BadManifest(
            str(manifest), "no manifest found", fix=f"Give a folder with a {MANIFEST_NAME}, or the manifest's path."
        )
    rows = _read_manifest(manifest)
    entries: list[CorpusEntry] = []
    failures: list[Failure] = []
    seen: set[str] = set()
    for number, row in rows:
        try:
            entry, missing = _entry(row, number, root, manifest, seen)
        except PolicylensError as exc:
            failures.append(_failure(exc))
            continue
        failures.extend(missing)
        seen.add(entry.meta.doc_id)
        entries.append(entry)
    return Corpus(root=str(root), entries=tuple(entries), failures=tuple(failures))


def _read_manifest(manifest: Path) -> list[tuple[int, dict[str, str]]]:
    try:
        text = manifest.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadManifest(str(manifest), f"not UTF-8 text ({exc.reason})") from None
    reader = csv.DictReader(text.splitlines())
    columns = reader.fieldnames or []
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing or not any(f.value in columns for f in SOURCE_COLUMNS):
        raise BadManifest(str(manifest), f"missing columns {', '.join(missing) or 'for source files'}")
    # line numbers as a person sees them in the file: the header is line 1
    return [(reader.line_num, dict(row)) for row in reader]


def _failure(exc: PolicylensError) -> Failure:
    return Failure(exc.target, "corpus", exc.code, str(exc))


def _entry(
    row: dict[str, str], number: int, root: Path, manifest: Path, seen: set[str]
) -> tuple[CorpusEntry, list[Failure]]:
    """The row's document, and failures for any of its files that cannot be read.

    A document whose text edition is missing can still be read from its PDF,
    so one missing file fails only when no file is left.
    """
    where = f"{manifest}:{number}"
    doc_id = (row.get("id") or "").strip()
    if not _DOC_ID.match(doc_id):
        raise BadManifestRow(where, f"id {doc_id!r} is not a lowercase slug (letters, digits, '-', '_', '.')")
    if doc_id in seen:
        raise BadManifestRow(where, f"id {doc_id!r} appears more than once")
    start, end = _year(row, "period_start", where), _year(row, "period_end", where)
    if start is not None and end is not None and end < start:
        raise BadManifestRow(where, f"period_end {end} is before period_start {start}")
    meta = DocumentMeta(
        doc_id=doc_id,
        title=(row.get("title") or "").strip(),
        council=(row.get("council") or "").strip(),
        period_start=start,
        period_end=end,
    )
    named = [(fmt, (row.get(fmt.value) or "").strip()) for fmt in SOURCE_COLUMNS]
    named = [(fmt, relative) for fmt, relative in named if relative]
    if not named:
        raise BadManifestRow(where, f"document {doc_id!r} names no source file")
    sources: list[SourceFile] = []
    problems: list[PolicylensError] = []
    for fmt, relative in named:
        try:
            sources.append(_source(root, fmt, relative, where))
        except PolicylensError as exc:
            problems.append(exc)
    if not sources:
        raise BadManifestRow(where, f"none of the files of {doc_id!r} can be read: {'; '.join(map(str, problems))}")
    # the document is still read, from another of its files: the run loses nothing, so say so and go on
    others = ", ".join(s.path for s in sources)
    warnings = [
        Failure(
            exc.target,
            "corpus",
            exc.code,
            f"{exc.target}: {exc.problem}; {doc_id!r} is read from another of its files ({others}). {exc.fix}",
            severity="warning",
        )
        for exc in problems
    ]
    return CorpusEntry(meta=meta, sources=tuple(sources), manifest_row=number), warnings


def _year(row: dict[str, str], column: str, where: str) -> int | None:
    value = (row.get(column) or "").strip()
    if not value:
        return None
    if not re.fullmatch(r"\d{4}", value):
        raise BadManifestRow(where, f"{column} {value!r} is not a four-digit year")
    return int(value)


def _source(root: Path, fmt: SourceFormat, relative: str, where: str) -> SourceFile:
    path = root / relative
    try:
        # an `html` cell may name a folder: a strategy published as several pages is one document
        digest = pages_sha256(path) if fmt is SourceFormat.HTML and path.is_dir() else sha256_of(path)
    except PolicylensError as exc:
        raise type(exc)(f"{where} ({relative})", exc.problem) from None
    return SourceFile(path=relative, format=fmt, sha256=digest)
