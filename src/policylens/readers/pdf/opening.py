"""Opening a PDF, with a clear error for every way a file can fail to be one."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfplumber.pdf import PDF
from pdfplumber.utils.exceptions import PdfminerException

from policylens.errors import CorruptPdf, EmptyDocument, EncryptedPdf, NotAPdf

_MAGIC = b"%PDF-"


def open_pdf(path: Path, password: str | None = None) -> PDF:
    """Open a PDF for reading, or raise a `PolicylensError` saying what is wrong and what to do."""
    with path.open("rb") as handle:
        head = handle.read(1024)
    if _MAGIC not in head:
        shown = head[:16].decode("latin-1", "replace").strip() or "an empty file"
        raise NotAPdf(str(path), f"the file is not a PDF (it starts with {shown!r})")
    try:
        pdf = pdfplumber.open(path, password=password or "")
        pages = pdf.pages
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if isinstance(cause, PDFPasswordIncorrect):
            if password:
                raise EncryptedPdf(str(path), "the password given does not open this PDF") from None
            raise EncryptedPdf(str(path), "the PDF is encrypted") from None
        raise CorruptPdf(str(path), f"the PDF is damaged or truncated ({cause or type(cause).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many types for malformed files
        raise CorruptPdf(str(path), f"the PDF cannot be parsed ({type(exc).__name__}: {exc})") from None
    if not pages:
        pdf.close()
        raise EmptyDocument(str(path), "the PDF has no pages")
    return pdf


def _readable_chars(page: Any) -> int:
    """Characters set upright and left to right: how readable the page is as it stands."""
    return sum(1 for c in page.chars if c.get("upright") and c["matrix"][0] > 0)


def needs_turning(page: Any) -> bool:
    return bool(page.chars) and _readable_chars(page) < 0.5 * len(page.chars)


@contextmanager
def turned_page(path: Path, number: int, password: str | None = None) -> Iterator[Any]:
    """The page turned a quarter or half turn so that most of its text reads upright, left to right.

    Landscape tables are often set on portrait pages with rotated text; pdfplumber reads
    them as columns of single letters.
    """
    from pypdf import PdfReader, PdfWriter  # only pages with rotated text need it

    best: tuple[int, PDF] | None = None
    for angle in (270, 90, 180):
        reader = PdfReader(path, password=password)
        writer = PdfWriter()
        page = reader.pages[number - 1]
        page.rotate(angle)
        writer.add_page(page)
        buffer = io.BytesIO()
        writer.write(buffer)
        buffer.seek(0)
        pdf = pdfplumber.open(buffer)
        score = _readable_chars(pdf.pages[0])
        if best is None or score > best[0]:
            if best is not None:
                best[1].close()
            best = (score, pdf)
        else:
            pdf.close()
    assert best is not None
    try:
        yield best[1].pages[0]
    finally:
        best[1].close()
