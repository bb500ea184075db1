"""Words right per action field: the action rows read from a scanned page against those read
from the same page's text layer (row by row, in order), and the two pages built at test time."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from pypdf import PdfReader, PdfWriter

from policylens.model import Action

CORPUS_PDF = Path(__file__).resolve().parents[1] / "corpus" / "pdf" / "halton-2017.pdf"
ACTION_PAGE = 13
"""A page of the corpus PDF's action plan (a ruled table with Lead and Timescale columns)."""
SCAN_DPI = 200
FIELDS = ("action", "outcome", "timescale", "lead")


def words(text: str) -> Counter[str]:
    """Words as a multiset, case and punctuation aside (OCR's quotes and dashes vary)."""
    return Counter(w.casefold() for w in re.findall(r"[A-Za-z0-9]+", text))


def scanned_page(folder: Path) -> tuple[Path, Counter[str]]:
    """The corpus page as an image-only PDF (rendered at `SCAN_DPI`), and the words of its text layer."""
    with pdfplumber.open(CORPUS_PDF) as pdf:
        page = pdf.pages[ACTION_PAGE - 1]
        expected = words(page.extract_text())
        image = page.to_image(resolution=SCAN_DPI).original
    path = folder / "scanned.pdf"
    image.save(path, "PDF", resolution=SCAN_DPI)
    return path, expected


def text_page(folder: Path) -> Path:
    """The same corpus page alone, with its text layer (so both sides are read as one page)."""
    writer = PdfWriter()
    writer.add_page(PdfReader(CORPUS_PDF).pages[ACTION_PAGE - 1])
    path = folder / "text.pdf"
    writer.write(path)
    return path


@dataclass(frozen=True, slots=True)
class FieldScore:
    matched: int
    expected: int
    got: int

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.got if self.got else 1.0

    def __add__(self, other: FieldScore) -> FieldScore:
        return FieldScore(self.matched + other.matched, self.expected + other.expected, self.got + other.got)


def field_text(action: Action, name: str) -> str:
    return action.timescale.raw if name == "timescale" else str(getattr(action, name))


def field_scores(expected: Sequence[Action], got: Sequence[Action]) -> dict[str, FieldScore]:
    """Word-multiset matches per field over rows paired in order, and over all fields ("all")."""
    scores = {name: FieldScore(0, 0, 0) for name in FIELDS}
    for want, read in zip(expected, got, strict=False):
        for name in FIELDS:
            a, b = words(field_text(want, name)), words(field_text(read, name))
            scores[name] += FieldScore(sum((a & b).values()), a.total(), b.total())
    missing = [words(field_text(a, n)).total() for a in expected[len(got) :] for n in FIELDS]
    extra = [words(field_text(a, n)).total() for a in got[len(expected) :] for n in FIELDS]
    scores["all"] = sum(scores.values(), FieldScore(0, sum(missing), sum(extra)))
    return scores


def fields_right(expected: Sequence[Action], got: Sequence[Action]) -> tuple[int, int]:
    """Fields whose words are all the same (the measure before rules were found in scans)."""
    same = sum(
        words(field_text(a, n)) == words(field_text(b, n)) for a, b in zip(expected, got, strict=False) for n in FIELDS
    )
    return same, len(expected) * len(FIELDS)
