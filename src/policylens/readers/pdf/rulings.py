"""Ruling lines of a scanned page, found in its pixels.

A page with a text layer hands pdfplumber's table finder its vector lines and
rectangles; a scan has none, only an image. Its rules are long, thin runs of ink:
a row (or column) of the binarised image in which dark pixels run on for longer
than any stroke of a letter at text sizes. Runs in adjacent rows that overlap are
one rule (its thickness); a stack thicker than a rule is a filled area, a picture
or a line of heavy text, never a rule.

Rules are found and returned in pixels, so the OCR step can erase the vertical ones
before Tesseract reads the page (it reads them as "|", or as part of the letter beside
them) and turn them all into PDF points with the same scale and offset as the words.
Only numpy: a few vectorised row scans are all this needs, no OpenCV.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from policylens.readers.pdf.layout import Rule

DARKNESS = 64
"""A pixel is ink when it is this much darker than the paper (grey levels 0-255): rules
printed in grey (about 130 on white) count, tinted cell fills (about 225) do not."""
MIN_LENGTH_PT = 36.0
"""Half an inch: longer than any stroke of a letter at text sizes, shorter than a table's rules."""
MAX_THICKNESS_PT = 3.0
"""Ruling lines are hairlines to about 2 pt; a thicker stack of runs is a filled area."""
MAX_GAP_PT = 0.5
"""Breaks this short in a scanned rule (toner drop-outs) are closed; the gaps between
letters are wider, so a line of text never closes into a rule."""

Runs = tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp]]
"""Runs of True in a 2-D mask: their rows, starts and (exclusive) ends, in row order."""


@dataclass(frozen=True, slots=True)
class PixelRule:
    """A rule in image pixels: along it from `start` to `end` (exclusive), across it
    from `first` to `last` (inclusive) rows, or columns for a vertical rule."""

    vertical: bool
    start: int
    end: int
    first: int
    last: int


def find_rules(gray: NDArray[np.uint8], pixels_per_point: float) -> list[PixelRule]:
    """The horizontal and vertical ruling lines of a greyscale page image."""
    ink = gray < _paper(gray) - DARKNESS
    sizes = (MIN_LENGTH_PT, MAX_THICKNESS_PT, MAX_GAP_PT)
    length, thickness, gap = (max(1, round(v * pixels_per_point)) for v in sizes)
    # a vertical rule is a horizontal rule of the transposed image
    return [
        *_rules(ink, length, thickness, gap, vertical=False),
        *_rules(ink.T, length, thickness, gap, vertical=True),
    ]


def _paper(gray: NDArray[np.uint8]) -> float:
    # most of a page is paper even when it is full of text, and a scan's paper is rarely pure white
    return float(np.percentile(gray, 90))


def _rules(ink: NDArray[np.bool_], length: int, thickness: int, gap: int, *, vertical: bool) -> list[PixelRule]:
    rows, starts, ends = _runs(_closed(ink, gap))
    long = ends - starts >= length
    stacks = _stacks(zip(rows[long].tolist(), starts[long].tolist(), ends[long].tolist(), strict=True), vertical)
    return [s for s in stacks if s.last - s.first < thickness]


def _runs(mask: NDArray[np.bool_]) -> Runs:
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    change = np.diff(padded, axis=1)
    # nonzero walks row-major, so the n-th start and the n-th end belong to the same run
    rows, starts = np.nonzero(change == 1)
    _, ends = np.nonzero(change == -1)
    return rows, starts, ends


def _closed(mask: NDArray[np.bool_], gap: int) -> NDArray[np.bool_]:
    """The mask with breaks of up to `gap` pixels inside each row's runs filled."""
    rows, starts, ends = _runs(~mask)
    width = mask.shape[1]
    inner = (starts > 0) & (ends < width) & (ends - starts <= gap)
    # mark each break's start +1 and end -1: a running sum is then 1 exactly inside the breaks
    marks = np.zeros(mask.size + 1, dtype=np.int32)
    marks[rows[inner] * width + starts[inner]] += 1
    marks[rows[inner] * width + ends[inner]] -= 1
    filled = np.cumsum(marks[:-1]).reshape(mask.shape) > 0
    return mask | filled


def _stacks(runs: Iterable[tuple[int, int, int]], vertical: bool) -> list[PixelRule]:
    """Runs in adjacent rows that overlap along their length, as one rule each."""
    done: list[PixelRule] = []
    growing: list[PixelRule] = []
    for row, start, end in runs:
        done += [g for g in growing if g.last < row - 1]
        growing = [g for g in growing if g.last >= row - 1]
        index = next((i for i, g in enumerate(growing) if start < g.end and end > g.start), None)
        if index is None:
            growing.append(PixelRule(vertical, start, end, row, row))
            continue
        g = growing[index]
        growing[index] = PixelRule(vertical, min(g.start, start), max(g.end, end), g.first, row)
    return done + growing


def in_points(rule: PixelRule, scale: float, x0: float = 0.0, top: float = 0.0) -> Rule:
    """A rule in PDF points: pixels times `scale`, offset by the page origin, as OCR's words are."""
    across = (rule.first + rule.last + 1) / 2 * scale
    if rule.vertical:
        return Rule(x0 + across, top + rule.start * scale, x0 + across, top + rule.end * scale)
    return Rule(x0 + rule.start * scale, top + across, x0 + rule.end * scale, top + across)


def erased(gray: NDArray[np.uint8], rules: Iterable[PixelRule]) -> NDArray[np.uint8]:
    """The image with its rules painted over in white, and a pixel either side (their soft edges)."""
    clean = gray.copy()
    for rule in rules:
        across = slice(max(0, rule.first - 1), rule.last + 2)
        along = slice(rule.start, rule.end)
        if rule.vertical:
            clean[along, across] = 255
        else:
            clean[across, along] = 255
    return clean
