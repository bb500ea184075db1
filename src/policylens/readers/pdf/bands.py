"""Boxes side by side: tables (or shaded panels) next to each other, read box by box.

Two small action tables next to each other on a landscape page share their baselines: read line
by line, the heading over the left table and the one over the right become one line ("Priority 1:
Stable homes Priority 2: Healthy lives"), and the boxes' lines interleave. Where boxes stand side
by side (their heights overlap, their widths do not), the stretch of page they fill is a band, cut
at the white space between them. Each part of a band is read whole, left to right, with the lines
just above it that stay on its side of the cuts (its heading).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from policylens.model import BBox
from policylens.readers.pdf.layout import Line, Word

SIDE_BY_SIDE_OVERLAP = 0.5
"""Boxes whose heights overlap by at least this share of the shorter one's stand side by side."""
BAND_HEADING_GAP_EM = 2.5
"""A line at most this many ems (of its own type) above a band, on one side of every cut, heads a box."""
_TOUCH = 1.0
"""Boxes closer than this (points) in width touch, but do not overlap: a cut runs between them."""


def starts_within(y: float, top: float, bottom: float) -> bool:
    """A line or box whose top is at `y` starts in the stretch of page from `top` to `bottom`: stretches
    that meet share no line (half a point of slack for a top set on the boundary)."""
    return top - 0.5 <= y < bottom - 0.5


@dataclass(frozen=True, slots=True)
class Band:
    """A stretch of the page (`top` to `bottom`) holding boxes side by side, cut at `cuts` (x)."""

    top: float
    bottom: float
    cuts: tuple[float, ...]

    def holds(self, top: float) -> bool:
        """A line or box starting at `top` is in the band."""
        return starts_within(top, self.top, self.bottom)

    def part(self, x0: float) -> int:
        """Which of the band's parts (0 = leftmost) something starting at `x0` is in."""
        return sum(1 for cut in self.cuts if x0 >= cut - 2)


def side_by_side_bands(boxes: Sequence[BBox], lines: Sequence[Line]) -> list[Band]:
    """The bands of the page's boxes that stand side by side, each raised over its boxes' headings.
    Groups in one row (their heights overlap, their widths do not) are one band; bands never overlap."""
    bands: list[Band] = []
    for group in sorted(_rows_of_groups(_side_by_side_groups(boxes)), key=lambda g: min(b.top for b in g)):
        cuts = _cuts(group)
        if not cuts:
            continue
        floor = bands[-1].bottom if bands else float("-inf")  # bands never overlap: no line is read twice
        top = max(_headed_top(min(b.top for b in group), cuts, lines, floor), floor)
        bands.append(Band(top, max(top, *(b.bottom for b in group)), cuts))
    return bands


def _beside(a: BBox, b: BBox) -> bool:
    apart = a.x1 <= b.x0 + _TOUCH or b.x1 <= a.x0 + _TOUCH
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    shorter = min(a.bottom - a.top, b.bottom - b.top)
    return apart and shorter > 0 and overlap >= SIDE_BY_SIDE_OVERLAP * shorter


def _side_by_side_groups(boxes: Sequence[BBox]) -> list[list[BBox]]:
    """Boxes joined by standing beside one another (boxes stacked in one part come along)."""
    groups: list[list[BBox]] = []
    for box in boxes:
        joined = [g for g in groups if any(_beside(box, other) for other in g)]
        groups = [g for g in groups if not any(g is j for j in joined)]
        groups.append([box, *(b for g in joined for b in g)])
    bands = [g for g in groups if len(g) > 1]
    stacked = [b for g in groups if len(g) == 1 for b in g]
    for box in stacked:  # a box under (or over) one of a band's boxes, within the band's height and column
        home = next((g for g in bands if _within_height(box, g) and _in_one_column(box, g)), None)
        if home is not None:
            home.append(box)
    return bands


def _within_height(box: BBox, group: Sequence[BBox]) -> bool:
    return min(b.top for b in group) - 1 <= box.top and box.bottom <= max(b.bottom for b in group) + 1


def _in_one_column(box: BBox, group: Sequence[BBox]) -> bool:
    """The box's width lies in one of the columns the group's boxes fill: it reaches into no other (a box
    across two columns would join them into one, and the band would be lost)."""
    reached = [s for s in _spans(group) if min(s[1], box.x1) - max(s[0], box.x0) > _TOUCH]
    return len(reached) == 1


def _rows_of_groups(groups: Sequence[list[BBox]]) -> list[list[BBox]]:
    """Groups whose heights overlap, standing apart in width, as one group: boxes in a row, some set
    lower than others (the band of each group would take the lines of the other where they overlap)."""
    rows: list[list[BBox]] = []
    for group in groups:
        joined = [r for r in rows if _overlap_in_height(r, group) and _apart_in_width(r, group)]
        rows = [r for r in rows if not any(r is j for j in joined)]
        rows.append([*group, *(b for r in joined for b in r)])
    return rows


def _overlap_in_height(a: Sequence[BBox], b: Sequence[BBox]) -> bool:
    return min(max(x.bottom for x in a), max(x.bottom for x in b)) > max(min(x.top for x in a), min(x.top for x in b))


def _apart_in_width(a: Sequence[BBox], b: Sequence[BBox]) -> bool:
    return all(x.x1 <= y.x0 + _TOUCH or y.x1 <= x.x0 + _TOUCH for x in a for y in b)


def _spans(group: Sequence[BBox]) -> list[tuple[float, float]]:
    """The x ranges of the columns the boxes fill, left to right."""
    spans: list[list[float]] = []
    for box in sorted(group, key=lambda b: b.x0):
        if spans and box.x0 < spans[-1][1] - _TOUCH:
            spans[-1][1] = max(spans[-1][1], box.x1)
        else:
            spans.append([box.x0, box.x1])
    return [(a, b) for a, b in spans]


def _cuts(group: Sequence[BBox]) -> tuple[float, ...]:
    """The x of the white space (or the shared edge) between the columns the boxes fill."""
    return tuple((a[1] + b[0]) / 2 for a, b in itertools.pairwise(_spans(group)))


def _headed_top(top: float, cuts: Sequence[float], lines: Sequence[Line], floor: float = float("-inf")) -> float:
    """The band's top raised over the lines just above it that keep to one side of every cut, never
    above `floor` (the foot of the band above: its lines are its own)."""
    above = sorted((ln for ln in lines if ln.bottom <= top + 1), key=lambda ln: -ln.bottom)
    for line in above:
        if top - line.bottom > BAND_HEADING_GAP_EM * line.size or any(crosses(line, cut) for cut in cuts):
            break
        if not starts_within(line.top, floor, float("inf")):
            break
        top = min(top, line.top)
    return top


def crosses(line: Line, cut: float) -> bool:
    """The line runs across the cut: a word straddles it, or words on both sides are no further apart
    than words are (a title set over both boxes)."""
    if any(w.x0 < cut - 1 and w.x1 > cut + 1 for w in line.words):
        return True
    left = [w for w in line.words if w.x1 <= cut + 1]
    right = [w for w in line.words if w.x0 >= cut - 1]
    if not left or not right:
        return False
    return right[0].x0 - left[-1].x1 < 1.5 * max(left[-1].size, right[0].size)


def cut_lines(lines: Sequence[Line], bands: Sequence[Band]) -> list[Line]:
    """Lines in a band cut where they cross its cuts only by a gap: one line per box."""
    out: list[Line] = []
    for line in lines:
        band = next((b for b in bands if b.holds(line.top)), None)
        if band is None or any(crosses(line, cut) for cut in band.cuts):
            out.append(line)
            continue
        parts: dict[int, list[Word]] = {}
        for word in line.words:
            parts.setdefault(band.part(word.x0), []).append(word)
        out += [Line(tuple(words), line.page) for _, words in sorted(parts.items())]
    return sorted(out, key=lambda ln: (ln.top, ln.x0))
