"""Readers: each turns one kind of file into the same `Document` model.

A reader is a function `(path, meta, source, settings) -> Document`. The
registry maps file suffixes to readers, so a new format is one new entry;
extractors never ask which reader ran.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from policylens.errors import UnsupportedFormat
from policylens.model import Document, DocumentMeta, SourceFile, SourceFormat
from policylens.readers.docx import read_docx
from policylens.readers.html import read_html
from policylens.readers.pdf import read_pdf
from policylens.readers.text import read_text
from policylens.settings import ReaderSettings

Reader = Callable[[Path, DocumentMeta, SourceFile, ReaderSettings], Document]

READERS: dict[SourceFormat, Reader] = {
    SourceFormat.TEXT: read_text,
    SourceFormat.PDF: read_pdf,
    SourceFormat.HTML: read_html,
    SourceFormat.DOCX: read_docx,
}

SUFFIXES: dict[str, SourceFormat] = {
    ".txt": SourceFormat.TEXT,
    ".text": SourceFormat.TEXT,
    ".md": SourceFormat.TEXT,
    ".markdown": SourceFormat.TEXT,
    ".pdf": SourceFormat.PDF,
    ".html": SourceFormat.HTML,
    ".htm": SourceFormat.HTML,
    ".docx": SourceFormat.DOCX,
}


def format_of(path: Path) -> SourceFormat:
    """The source format a file's suffix names."""
    try:
        return SUFFIXES[path.suffix.casefold()]
    except KeyError:
        known = ", ".join(sorted(SUFFIXES))
        raise UnsupportedFormat(
            str(path), f"files ending {path.suffix or '(no suffix)'!r} are not read ({known} are)"
        ) from None


def reader_for(fmt: SourceFormat, target: str) -> Reader:
    """The reader registered for a format."""
    try:
        return READERS[fmt]
    except KeyError:
        supported = ", ".join(sorted(READERS))
        raise UnsupportedFormat(target, f"no {fmt.value} reader is available yet (supported: {supported})") from None


def supported_formats() -> tuple[SourceFormat, ...]:
    return tuple(READERS)
