"""OCR of pages with no text layer, with the Tesseract command line when it is installed.

Only pages without a single character are read this way: a page with a text layer
is never OCR'd (its own text is exact). The page is rendered at `RESOLUTION` dpi
(pdfplumber's renderer, pypdfium2), Tesseract writes its words as TSV (one row per
word with its box and confidence), and the words come back as layout `Word`s in PDF
points, so the scanned page goes through the same line, table and block steps as
any other page. A scan has no vector lines, so the ruling lines of its tables are
found in the image (`rulings.py`), the vertical ones erased before Tesseract reads it,
and all handed to the table finder in the same points as the words.

The command line is called directly (no pytesseract): one `subprocess.run` with a
documented TSV output is all that wrapper would add, and without Tesseract the
reader behaves exactly as it did before OCR existed.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from policylens.readers.pdf.layout import OcrPage, Word
from policylens.readers.pdf.rulings import erased, find_rules, in_points

RESOLUTION = 300
"""Tesseract reads body text best at about 300 dpi."""
LANGUAGE = "eng"
_POINTS_PER_INCH = 72.0
_WORD_LEVEL = "5"
_LINE_LEVEL = "4"


@lru_cache(maxsize=1)
def tesseract() -> str | None:
    """The Tesseract executable, or None when it is not installed."""
    return shutil.which("tesseract")


def ocr_page(page: Any, timeout_s: float, bullet_misreads: frozenset[str] = frozenset()) -> OcrPage | None:
    """The words Tesseract reads on a rendered page, and the page's ruling lines; None when
    it cannot run or reads nothing. `bullet_misreads`: what Tesseract reads a bullet as (see
    `bullets_restored`)."""
    executable = tesseract()
    if executable is None or timeout_s <= 0:
        return None
    gray = np.asarray(page.to_image(resolution=RESOLUTION).original.convert("L"))
    found = find_rules(gray, RESOLUTION / _POINTS_PER_INCH)
    # vertical rules are read as "|" or as part of the letter beside them, so they go; horizontal
    # ones stay, since Tesseract's layout analysis separates blocks (a table's rows) by them
    tsv = _tesseract(executable, erased(gray, [r for r in found if r.vertical]), timeout_s)
    if tsv is None:
        return None
    scale, x0, top = _POINTS_PER_INCH / RESOLUTION, float(page.bbox[0]), float(page.bbox[1])
    read = words_from_tsv(tsv, scale, x0, top, bullet_misreads)
    return replace(read, rules=tuple(in_points(r, scale, x0, top) for r in found)) if read else None


def _tesseract(executable: str, gray: NDArray[np.uint8], timeout_s: float) -> str | None:
    """Tesseract's TSV for an image, or None when it fails or runs out of time."""
    png = io.BytesIO()
    Image.fromarray(gray).save(png, format="PNG")
    command = [executable, "stdin", "stdout", "-l", LANGUAGE, "--psm", "3", "tsv"]
    try:
        done = subprocess.run(command, input=png.getvalue(), capture_output=True, timeout=timeout_s, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def words_from_tsv(
    tsv: str, scale: float, x0: float = 0.0, top: float = 0.0, bullet_misreads: frozenset[str] = frozenset()
) -> OcrPage | None:
    """Tesseract's TSV rows into words in PDF points (pixels times `scale`, offset by the page
    origin), with the bullets of lists restored (`bullets_restored`)."""
    rows = [r.split("\t") for r in tsv.splitlines()[1:]]
    rows = [r for r in rows if len(r) == 12]
    # a word's size is its line's height: word boxes alone vary with ascenders and descenders
    heights = {tuple(r[2:5]): float(r[9]) for r in rows if r[0] == _LINE_LEVEL}
    words: list[Word] = []
    lines: list[tuple[str, ...]] = []
    confidences: list[float] = []
    for r in rows:
        text = r[11].strip()
        if r[0] != _WORD_LEVEL or not text or float(r[10]) < 0:
            continue
        left, upper, width, height = (float(v) for v in r[6:10])
        size = heights.get(tuple(r[2:5]), height) * scale
        words.append(
            Word(
                text=text,
                x0=x0 + left * scale,
                x1=x0 + (left + width) * scale,
                top=top + upper * scale,
                bottom=top + (upper + height) * scale,
                size=round(size, 1),
                bold=False,
                tag="",
            )
        )
        lines.append(tuple(r[2:5]))
        confidences.append(float(r[10]))
    if not words:
        return None
    return OcrPage(bullets_restored(words, lines, bullet_misreads), round(_mean(confidences), 1))


BULLET = "\u2022"
_SAME_EDGE_PT = 2.0
"""How far apart (in points) the left edges of two bullets of one list may be read."""


def bullets_restored(
    words: Sequence[Word], lines: Sequence[tuple[str, ...]], misreads: frozenset[str]
) -> tuple[Word, ...]:
    """The words, with each list bullet Tesseract misread ("•" as "e", "«" or "©") written "•" again,
    so a scanned list reads as the same list as a text layer. A line's first word is a bullet when
    it is one of `misreads`, a capitalised word follows it on the line, and another such line starts
    at the same left edge: one line alone starting with "e" is not taken for a list."""
    firsts = [k for k, line in enumerate(lines) if k == 0 or lines[k - 1] != line]
    marked = [
        k
        for k in firsts
        if words[k].text in misreads
        and k + 1 < len(words)
        and lines[k + 1] == lines[k]
        and words[k + 1].text[:1].isupper()
    ]
    bullets = {k for k in marked if any(j != k and abs(words[j].x0 - words[k].x0) <= _SAME_EDGE_PT for j in marked)}
    return tuple(replace(w, text=BULLET) if k in bullets else w for k, w in enumerate(words))


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)
