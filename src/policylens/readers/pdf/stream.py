"""Tables without rules, found by how their text lines up.

A line whose words fall into two or more groups separated by wide gaps is
tabular. A run of tabular lines is a table region; its columns are the x
ranges that the text of most rows covers, separated by "rivers" of white space
that (almost) no row crosses. Each text line is a row, as peers do; a cell
split over lines is left to the reader of the rows (the action stage joins
continuation rows).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from policylens.model import BBox
from policylens.readers.pdf.layout import CellLayout, Line, TableLayout, Word

SEGMENT_GAP_EM = 0.8
"""A gap wider than this many ems between two words separates two cells."""
MIN_TABULAR_LINES = 3
RIVER_SHARE = 0.12
"""A column separator is crossed by at most this share of the region's rows."""
MIN_RIVER_WIDTH = 4.0


@dataclass(frozen=True, slots=True)
class Segment:
    words: tuple[Word, ...]

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return self.words[-1].x1

    @property
    def middle(self) -> float:
        return (self.x0 + self.x1) / 2


_MARKER = re.compile(r"^(\d{1,2}[.)]|[a-z][.)]|[ivx]+[.)])$")


@lru_cache(maxsize=4096)
def segments(line: Line, glyphs: frozenset[str] = frozenset()) -> tuple[Segment, ...]:
    """The line's words in groups separated by wide gaps; a list marker stays with its text."""
    groups: list[list[Word]] = [[line.words[0]]]
    for before, word in zip(line.words, line.words[1:], strict=False):
        marker = len(groups) == 1 and len(groups[0]) == 1 and (before.text in glyphs or _MARKER.match(before.text))
        if word.x0 - before.x1 > SEGMENT_GAP_EM * max(before.size, word.size) and not marker:
            groups.append([word])
        else:
            groups[-1].append(word)
    return tuple(Segment(tuple(g)) for g in groups)


def _regions(lines: Sequence[Line], glyphs: frozenset[str]) -> list[list[Line]]:
    """Runs of lines that are mostly tabular, close together."""
    regions: list[list[Line]] = []
    current: list[Line] = []
    plain_run = 0
    for line in lines:
        tabular = len(segments(line, glyphs)) >= 2
        close = bool(current) and line.top - current[-1].bottom <= 2.0 * line.size
        if current and (not close or (not tabular and plain_run >= 1)):
            regions.append(current)
            current, plain_run = [], 0
        if tabular or current:
            current.append(line)
            plain_run = 0 if tabular else plain_run + 1
    if current:
        regions.append(current)
    trimmed = [_trim(r, glyphs) for r in regions]
    return [r for r in trimmed if sum(len(segments(ln, glyphs)) >= 2 for ln in r) >= MIN_TABULAR_LINES]


def _trim(region: list[Line], glyphs: frozenset[str]) -> list[Line]:
    while region and len(segments(region[-1], glyphs)) < 2:
        region = region[:-1]
    return region


def _separators(region: Sequence[Line], glyphs: frozenset[str]) -> list[tuple[float, float]]:
    """White-space rivers that few rows cross: the gaps between columns."""
    x_min = min(ln.x0 for ln in region)
    x_max = max(ln.x1 for ln in region)
    width = int(x_max - x_min) + 1
    cover = [0] * width
    rows = [ln for ln in region if len(segments(ln, glyphs)) >= 2]
    for line in rows:
        for seg in segments(line, glyphs):
            for x in range(int(seg.x0 - x_min), min(width, int(seg.x1 - x_min) + 1)):
                cover[x] += 1
    limit = RIVER_SHARE * len(rows)
    rivers: list[tuple[float, float]] = []
    start = None
    for x, count in enumerate(cover):
        if count <= limit and start is None:
            start = x
        elif count > limit and start is not None:
            if x - start >= MIN_RIVER_WIDTH:
                rivers.append((x_min + start, x_min + x))
            start = None
    return rivers


def _column_of(segment: Segment, separators: Sequence[tuple[float, float]]) -> int:
    return sum(1 for _, right in separators if segment.middle >= right)


def _table(region: Sequence[Line], page: int, glyphs: frozenset[str]) -> TableLayout | None:
    separators = _separators(region, glyphs)
    if not separators:
        return None
    n_cols = len(separators) + 1
    rows: list[tuple[CellLayout, ...]] = []
    boxes: list[BBox] = []
    for line in region:
        cells: list[list[Word]] = [[] for _ in range(n_cols)]
        for seg in segments(line, glyphs):
            cells[_column_of(seg, separators)].extend(seg.words)
        rows.append(tuple(CellLayout((Line(tuple(c), page),) if c else (), None) for c in cells))
        boxes.append(BBox(min(ln.x0 for ln in region), line.top, max(ln.x1 for ln in region), line.bottom))
    used = [i for i in range(n_cols) if any(r[i].lines for r in rows)]
    if len(used) < 2:
        return None
    rows = [tuple(r[i] for i in used) for r in rows]
    box = BBox(min(ln.x0 for ln in region), region[0].top, max(ln.x1 for ln in region), region[-1].bottom)
    return TableLayout(tuple(rows), tuple(boxes), box, page)


def borderless_tables(
    lines: Sequence[Line], page: int, glyphs: frozenset[str] = frozenset()
) -> list[tuple[TableLayout, list[Line]]]:
    """Tables found among a page's text lines, each with the lines it took."""
    found = []
    for region in _regions(sorted(lines, key=lambda ln: (ln.top, ln.x0)), glyphs):
        table = _table(region, page, glyphs)
        if table is not None:
            found.append((table, region))
    return found
