"""OCR of PDF pages with no text layer (Tesseract, when installed); pages with text are never OCR'd."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

import policylens.readers.pdf as pdf_reader
from policylens import IngestSettings, ReaderSettings, read_document
from policylens.errors import ScannedPages
from policylens.model import Document, Figure, Heading, Paragraph, Table
from policylens.readers.pdf.ocr import tesseract, words_from_tsv

from .conftest import debian_tool

CORPUS_PDF = Path(__file__).resolve().parents[1] / "corpus" / "pdf" / "halton-2017.pdf"
ACTION_PAGE = 13
"""A page of the corpus PDF's action plan (a ruled table with Lead and Timescale columns)."""


@pytest.fixture(scope="module")
def ocr_engine() -> str:
    """Tesseract, installed from Debian's packages when missing; OCR is optional, so a machine that
    cannot install it skips (the reader then reports scanned pages, which other tests check)."""
    found, why = debian_tool("tesseract", ["tesseract-ocr", "tesseract-ocr-eng"])
    if found is None:
        pytest.skip(f"Tesseract could not be installed: {why}")
    tesseract.cache_clear()  # the reader looked for it once, perhaps before it was installed
    return found


TSV = (
    "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n"
    "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n"
    "4\t1\t1\t1\t1\t0\t300\t600\t900\t50\t-1\t\n"
    "5\t1\t1\t1\t1\t1\t300\t605\t400\t40\t96.5\tAction\n"
    "5\t1\t1\t1\t1\t2\t750\t600\t450\t45\t89.5\tplan\n"
    "5\t1\t1\t1\t1\t3\t1250\t600\t10\t45\t95.0\t \n"
)


def _words(text: str) -> Counter[str]:
    return Counter(w.casefold() for w in re.findall(r"[A-Za-z0-9]+", text))


def _text_of(doc: Document) -> str:
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Table):
            parts += [c for row in block.header for c in row] + [c for row in block.rows for c in row.cells]
        elif isinstance(block, Figure):
            parts.append(block.description)
        else:
            parts.append(block.text)
    return " ".join(parts)


def _scanned_page(tmp_path: Path) -> tuple[Path, Counter[str]]:
    """The corpus page as an image-only PDF, and the words of its text layer."""
    with pdfplumber.open(CORPUS_PDF) as pdf:
        page = pdf.pages[ACTION_PAGE - 1]
        words = _words(page.extract_text())
        image = page.to_image(resolution=200).original
    path = tmp_path / "scanned.pdf"
    image.save(path, "PDF", resolution=200)
    return path, words


def test_tesseract_tsv_into_words_in_points() -> None:
    read = words_from_tsv(TSV, 72 / 300, x0=10.0)
    assert read is not None
    assert [w.text for w in read.words] == ["Action", "plan"]
    first = read.words[0]
    assert (first.x0, first.top, first.x1) == pytest.approx((10 + 72.0, 145.2, 10 + 168.0))
    assert first.size == 12.0  # the line's height, the same for every word of the line
    assert read.confidence == 93.0
    assert words_from_tsv(TSV.splitlines()[0], 1.0) is None


def test_a_scanned_action_page_is_read_by_ocr(tmp_path: Path, ocr_engine: str) -> None:
    path, expected = _scanned_page(tmp_path)
    doc = read_document(path)
    got = _words(_text_of(doc))
    found = sum(min(n, got[w]) for w, n in expected.items())
    assert found / sum(expected.values()) >= 0.90
    assert doc.tables and all(b.prov.page == 1 for b in doc.blocks)
    (warning,) = doc.warnings
    assert "page 1 has no text layer: its text was read by OCR (Tesseract, mean word confidence" in warning

    with pytest.raises(ScannedPages, match="no page has a text layer"):
        read_document(path, IngestSettings(reader=ReaderSettings(ocr=False)))


def test_pages_with_text_are_never_ocr_d(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_ocr(page: object, timeout_s: float) -> None:
        raise AssertionError("a page with a text layer was sent to OCR")

    monkeypatch.setattr(pdf_reader, "ocr_page", no_ocr)
    path = tmp_path / "text.pdf"
    page = canvas.Canvas(str(path), pagesize=A4)
    page.drawString(72, 760, "Introduction to the strategy")
    page.save()
    doc = read_document(path)
    assert [b.text for b in doc.blocks if isinstance(b, Paragraph | Heading)] == ["Introduction to the strategy"]
    assert doc.warnings == ()
