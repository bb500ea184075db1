"""Opening a PDF, with a clear error for every way a file can fail to be one."""

from __future__ import annotations

from pathlib import Path

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
