"""Tables without rules, found by how their text lines up.

A line whose words fall into two or more groups separated by wide gaps is
tabular. A run of tabular lines is a table region; its columns are the x
ranges that the text of most rows covers, separated by "rivers" of white space
that (almost) no row crosses. Each text line is a row, as peers do; a cell
split over lines is left to the reader of the rows (the action stage joins
continuation rows).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from policylens.model import BBox
from policylens.readers.layout import LIST_NUMBER
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


_MARKER = re.compile(rf"^(?:{LIST_NUMBER}|[a-z][.)]|[ivx]+[.)])$")


@lru_cache(maxsize=4096)
def segments(line: Line, glyphs: frozenset[str] = frozenset()) -> tuple[Segment, ...]:
    """The line's words in groups separated by wide gaps; a list marker stays with its text when the
    two are the whole line ("1.1   Expand the service"). Before several cells, a number is a table's
    reference column ("1.1 | Stable homes | Recruit …"), not a marker."""
    groups: list[list[Word]] = [[line.words[0]]]
    for before, word in zip(line.words, line.words[1:], strict=False):
        if word.x0 - before.x1 > SEGMENT_GAP_EM * max(before.size, word.size):
            groups.append([word])
        else:
            groups[-1].append(word)
    first = groups[0]
    marker = len(first) == 1 and (first[0].text in glyphs or _MARKER.match(first[0].text))
    if marker and len(groups) == 2:
        groups = [first + groups[1]]
    return tuple(Segment(tuple(g)) for g in groups)


def _regions(lines: Sequence[Line], glyphs: frozenset[str]) -> list[list[Line]]:
    """Runs of lines that are mostly tabular, close together.

    A line of one run of words stays in the region when it starts where a column of the
    region starts (the wrapped tail of a cell) or, once, between two tabular lines.
    """
    regions: list[list[Line]] = []
    current: list[Line] = []
    starts: list[float] = []
    plain_run = 0
    for line in lines:
        cut = segments(line, glyphs)
        tabular = len(cut) >= 2
        close = bool(current) and line.top - current[-1].bottom <= 2.0 * line.size
        aligned = close and not tabular and any(abs(line.x0 - x) <= 4 for x in starts)
        if current and (not close or (not tabular and not aligned and plain_run >= 1)):
            regions.append(current)
            current, starts, plain_run = [], [], 0
        if tabular or current:
            current.append(line)
            plain_run = 0 if tabular or aligned else plain_run + 1
            starts += [seg.x0 for seg in cut] if tabular else []
    if current:
        regions.append(current)
    trimmed = [_trim(r, glyphs) for r in regions]
    return [r for r in trimmed if sum(len(segments(ln, glyphs)) >= 2 for ln in r) >= MIN_TABULAR_LINES]


def _trim(region: list[Line], glyphs: frozenset[str]) -> list[Line]:
    """A region ends on a tabular line, or on the wrapped tails of cells just below one."""
    tabular = [ln for ln in region if len(segments(ln, glyphs)) >= 2]
    starts = [seg.x0 for ln in tabular for seg in segments(ln, glyphs)]
    while len(region) > 1 and len(segments(region[-1], glyphs)) < 2:
        last, before = region[-1], region[-2]
        tail = last.top - before.bottom <= 0.6 * last.size and any(abs(last.x0 - x) <= 4 for x in starts)
        if tail:
            break
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


def _cells_of_line(
    line: Line, separators: Sequence[tuple[float, float]], glyphs: frozenset[str]
) -> dict[int, list[Word]]:
    cells: dict[int, list[Word]] = {}
    for seg in segments(line, glyphs):
        cells.setdefault(_column_of(seg, separators), []).extend(seg.words)
    return cells


ROW_BREAK_SHARE = 0.2
"""Rules or wide gaps must part at least this share of a table's lines to be its row breaks."""


def _row_groups(region: Sequence[Line], rules: Sequence[float]) -> list[list[Line]]:
    """Lines into table rows. Rules between lines, or gaps wider than the table's own line
    pitch, part rows when they part a good share of the lines (a table whose cells wrap);
    otherwise every line is a row, as the peers' readers have it."""
    gaps = list(itertools.pairwise(region))
    if not gaps:
        return [list(region)]
    ruled = [any(a.bottom - 1 <= y <= b.top + 1 for y in rules) for a, b in gaps]
    tight = min(b.top - a.top for a, b in gaps)
    wide = [tight > 0 and b.top - a.top >= 1.25 * tight for a, b in gaps]
    if sum(ruled) >= ROW_BREAK_SHARE * len(gaps) and not all(ruled):
        breaks = ruled
    elif sum(wide) >= ROW_BREAK_SHARE * len(gaps) and not all(wide):
        breaks = wide
    else:
        return [[line] for line in region]
    groups: list[list[Line]] = [[region[0]]]
    for (_, line), new_row in zip(gaps, breaks, strict=True):
        if new_row:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _table(
    region: Sequence[Line], page: int, glyphs: frozenset[str], rules: Sequence[float] | None
) -> TableLayout | None:
    separators = _separators(region, glyphs)
    if not separators:
        return None
    n_cols = len(separators) + 1
    rows: list[tuple[CellLayout, ...]] = []
    boxes: list[BBox] = []
    left, right = min(ln.x0 for ln in region), max(ln.x1 for ln in region)
    groups = _row_groups(region, rules) if rules is not None else [[line] for line in region]
    for group in groups:
        cells: list[list[Line]] = [[] for _ in range(n_cols)]
        for line in group:
            for column, words in _cells_of_line(line, separators, glyphs).items():
                cells[column].append(Line(tuple(words), page))
        rows.append(tuple(CellLayout(tuple(c), None) for c in cells))
        boxes.append(BBox(left, group[0].top, right, group[-1].bottom))
    used = [i for i in range(n_cols) if any(r[i].lines for r in rows)]
    if len(used) < 2:
        return None
    rows = [tuple(r[i] for i in used) for r in rows]
    box = BBox(min(ln.x0 for ln in region), region[0].top, max(ln.x1 for ln in region), region[-1].bottom)
    return TableLayout(tuple(rows), tuple(boxes), box, page)


def borderless_tables(
    lines: Sequence[Line], page: int, glyphs: frozenset[str] = frozenset(), rules: Sequence[float] | None = ()
) -> list[tuple[TableLayout, list[Line]]]:
    """Tables found among a page's text lines, each with the lines it took.

    `rules`: the y of horizontal rules on the page; where a table has them, they part its
    rows, else wide gaps do (cells that wrap over lines stay one row). None: one row per
    text line, as Camelot and tabula report them.
    """
    found = []
    for region in _regions(sorted(lines, key=lambda ln: (ln.top, ln.x0)), glyphs):
        table = _table(region, page, glyphs, rules)
        if table is not None:
            found.append((table, region))
    return found
