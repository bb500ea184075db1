"""Pages into words, lines, ruled tables and images, with page furniture marked.

Everything here is geometry: positions in PDF points (origin top left), font
size and weight. What the lines mean (headings, lists, paragraphs) is decided
in `blocks.py`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from statistics import median
from typing import TYPE_CHECKING, Any

from policylens.model import BBox
from policylens.readers.pdf.panels import panels as shaded_panels
from policylens.readers.pdf.panels import rect_box

if TYPE_CHECKING:
    from policylens.readers.pdf.bands import Band

_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_FURNITURE_BAND = 0.12
"""Running headers and footers sit in the top or bottom 12% of the page."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    bold: bool
    tag: str
    dingbat: bool = False
    """Set in a symbol font (ZapfDingbats, Wingdings, Webdings): its letters are pictures."""


@dataclass(frozen=True, slots=True)
class Line:
    words: tuple[Word, ...]
    page: int

    @property
    def text(self) -> str:
        text = self.words[0].text
        for before, word in zip(self.words, self.words[1:], strict=False):
            raised = word.size < 0.85 * before.size and word.bottom < before.bottom - 1 and word.x0 - before.x1 < 2
            text += word.text if raised else f" {word.text}"
        return text

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def size(self) -> float:
        return round(median(w.size for w in self.words), 1)

    @property
    def bold(self) -> bool:
        return all(w.bold for w in self.words)

    @property
    def tag(self) -> str:
        return Counter(w.tag for w in self.words).most_common(1)[0][0]

    @property
    def bbox(self) -> BBox:
        return BBox(self.x0, self.top, self.x1, self.bottom)


@dataclass(frozen=True, slots=True)
class CellLayout:
    lines: tuple[Line, ...]
    bbox: BBox | None
    merged_from_above: bool = False
    """No cell of its own: the grid's cell above spans down over it."""
    open_below: bool = False
    """At the foot of the page's grid, drawn with no rule under it: it carries on over the page break."""
    open_above: bool = False
    """At the top of the page's grid, drawn with no rule over it: after a page break, the cell over it
    on the page before carries on into it; where the table starts, it says nothing."""


@dataclass(frozen=True, slots=True)
class TableLayout:
    rows: tuple[tuple[CellLayout, ...], ...]
    row_boxes: tuple[BBox, ...]
    bbox: BBox
    page: int


@dataclass(frozen=True, slots=True)
class ImageLayout:
    bbox: BBox
    page: int


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line in PDF points: horizontal when `top == bottom`, vertical when `x0 == x1`
    (how pdfplumber tells a line's orientation)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def edge(self) -> dict[str, Any]:
        """The rule as a pdfplumber edge, the form the table finder takes a vector line in."""
        return {
            "x0": self.x0,
            "x1": self.x1,
            "top": self.top,
            "bottom": self.bottom,
            "width": self.x1 - self.x0,
            "height": self.bottom - self.top,
            "orientation": "h" if self.top == self.bottom else "v",
            "object_type": "line",
        }


@dataclass(frozen=True, slots=True)
class OcrPage:
    """What OCR read on a page with no text layer."""

    words: tuple[Word, ...]
    confidence: float
    """The engine's mean word confidence, 0 to 100."""
    rules: tuple[Rule, ...] = ()
    """Ruling lines found in the page image: a scan has no vector lines for the table finder."""


@dataclass(frozen=True, slots=True)
class PageLayout:
    number: int
    width: float
    height: float
    lines: tuple[Line, ...]
    tables: tuple[TableLayout, ...]
    images: tuple[ImageLayout, ...]
    chars: int
    gutter: float | None = None
    """The x of the white space between two text columns, on a two-column page."""
    ocr_confidence: float | None = None
    """For a page with no text layer read by OCR: the engine's mean word confidence (0-100)."""
    bands: tuple[Band, ...] = ()
    """Stretches of a one-column page holding boxes side by side (tables, shaded panels): read box by box."""


_DINGBAT_FONT = re.compile(r"dingbat|wingding|webding", re.IGNORECASE)


def _word(raw: dict[str, Any]) -> Word:
    font = str(raw.get("fontname", ""))
    bold = bool(re.search(r"bold|black|heavy|semibold", font, re.IGNORECASE))
    return Word(
        text=raw["text"],
        x0=float(raw["x0"]),
        x1=float(raw["x1"]),
        top=float(raw["top"]),
        bottom=float(raw["bottom"]),
        size=round(float(raw.get("size", 0.0)), 1),
        bold=bold,
        tag=str(raw.get("tag") or ""),
        dingbat=bool(_DINGBAT_FONT.search(font)),
    )


def words_of(page: Any) -> list[Word]:
    raw = page.extract_words(extra_attrs=["size", "fontname", "tag"], keep_blank_chars=False, x_tolerance=1.5)
    return [_word(item) for item in raw]


def group_lines(words: Iterable[Word], page: int) -> list[Line]:
    """Words into lines: same baseline band, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top, 0), w.x0)):
        target = next(
            (ln for ln in reversed(lines[-3:]) if abs(ln[0].top - word.top) <= max(2.0, 0.35 * word.size)),
            None,
        )
        if target is None:
            lines.append([word])
        else:
            target.append(word)
    ordered = [_bulleted(tuple(sorted(ln, key=lambda w: w.x0))) for ln in lines]
    return [Line(ws, page) for ws in sorted(ordered, key=lambda ws: (min(w.top for w in ws), ws[0].x0))]


_UNMAPPED_GLYPH = re.compile(r"^\(cid:\d+\)$")


def _bulleted(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """A line that starts with one glyph its font maps to no character ("(cid:127)"), or with one
    letter of a symbol font (ZapfDingbats draws its bullets as "l", "n", "4"), set apart from text,
    starts with a bullet: read as they are, they make every list item a row of a two-column table."""
    first = words[0] if words else None
    symbol = first is not None and first.dingbat and len(first.text) == 1
    if len(words) > 1 and (symbol or _UNMAPPED_GLYPH.match(words[0].text)):
        return (replace(words[0], text="•"), *words[1:])
    return words


def _inside(word: Word, box: tuple[float, float, float, float]) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    x0, top, x1, bottom = box
    return x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1


def _table_layout(table: Any, words: Sequence[Word], page: int, closing: Sequence[Rule] = ()) -> TableLayout | None:
    """`closing`: the rules put in where the grid was drawn open at its top or foot (`open_ends`)."""
    rows: list[tuple[CellLayout, ...]] = []
    boxes: list[BBox] = []
    columns = _column_spans(table.rows)
    last = len(table.rows) - 1
    for number, row in enumerate(table.rows):
        cells = []
        for i, cell in enumerate(row.cells):
            if cell is None:
                cells.append(CellLayout((), None, _covered_from_above(row.cells, i, columns)))
                continue
            inside = [w for w in words if _inside(w, cell)]
            x0, top, x1, bottom = (float(v) for v in cell)
            open_above = number == 0 and _on_a_rule(closing, x0, x1, top)
            open_below = number == last and _on_a_rule(closing, x0, x1, bottom)
            cells.append(CellLayout(tuple(group_lines(inside, page)), BBox(*cell), False, open_below, open_above))
        rows.append(tuple(cells))
        boxes.append(BBox(*row.bbox))
    if len(rows) < 2 and max((len(r) for r in rows), default=0) < 2:
        return None
    layout = TableLayout(tuple(rows), tuple(boxes), BBox(*table.bbox), page)
    return None if _grid_is_incomplete(layout) else layout


def _column_spans(rows: Sequence[Any]) -> dict[int, tuple[float, float]]:
    """Each grid column's x range, from a row where that column has a cell of its own."""
    spans: dict[int, tuple[float, float]] = {}
    for row in rows:
        for i, cell in enumerate(row.cells):
            if cell is not None and i not in spans:
                spans[i] = (float(cell[0]), float(cell[2]))
    return spans


def _covered_from_above(cells: Sequence[Any], index: int, columns: dict[int, tuple[float, float]]) -> bool:
    """A grid position with no cell is covered from the left (a cell spanning columns) or from above
    (a cell spanning rows): only the second is a cell "merged across rows"."""
    left = next((c for c in reversed(cells[:index]) if c is not None), None)
    span = columns.get(index)
    covered_from_left = left is not None and span is not None and float(left[2]) >= span[1] - 1
    return not covered_from_left


def _grid_is_incomplete(table: TableLayout) -> bool:
    """Rules that frame only part of a table (a header band, a box, rules between rows only)
    leave several columns of text in one "cell": such a grid is not the table, and the text
    alignment reader takes it."""
    from policylens.readers.pdf.stream import segments

    cells = [cell for row in table.rows for cell in row if cell.lines]
    crowded = 0
    for cell in cells:
        spread = [ln for ln in cell.lines if len(segments(ln)) >= 3]
        if len(cell.lines) >= 3 and len(spread) >= 0.5 * len(cell.lines):
            return True
        wide = [ln for ln in cell.lines if len(segments(ln)) >= 2]
        crowded += len(wide) >= 0.5 * len(cell.lines)
    return bool(cells) and crowded >= 0.5 * len(cells)


_CellBox = tuple[float, float, float, float]


def split_side_by_side(grid: Any, words: Sequence[Word]) -> list[Any]:
    """A grid the table finder took for one table that is tables side by side, as those tables.

    Tables set next to each other touch (or share a rule) and their rules join into one grid: cut
    it where no cell straddles a column edge and both sides are tables of their own (two columns
    and two rows at least) that repeat one header, do not share their outline (one ends higher
    or lower), or stand each under a heading of its own (`_headed_apart`). Cells merged across
    rows on both sides do not tell: a table has them."""
    cells: list[_CellBox] = [(float(x0), float(top), float(x1), float(bottom)) for x0, top, x1, bottom in grid.cells]
    top = _top(cells)
    first_row = min(c[3] for c in cells if abs(c[1] - top) <= 1)
    heading = [w for w in words if top - 1 <= (w.top + w.bottom) / 2 <= first_row + 1]  # the header's words
    above = _lines_just_above(words, top, min(c[0] for c in cells), max(c[2] for c in cells))
    for x in sorted({c[0] for c in cells})[1:]:
        left = [c for c in cells if c[2] <= x + 1]
        right = [c for c in cells if c[0] >= x - 1]
        whole = len(left) + len(right) == len(cells)
        if whole and _a_table(left) and _a_table(right) and _apart(left, right, heading, above):
            parts = (type(grid)(grid.page, left), type(grid)(grid.page, right))
            return [table for part in parts for table in split_side_by_side(part, words)]
    return [grid]


HEADING_ABOVE_EM = 2.5
"""A line at most this many ems (of its own type) above a grid heads it (as a band's boxes are headed)."""
HEADING_STEP = 2.0
"""A heading in regular weight is set this many points larger than the text under it, at least."""


def _lines_just_above(words: Sequence[Word], top: float, x0: float, x1: float) -> list[Line]:
    """The lines over the grid's width that stand just above it, each within `HEADING_ABOVE_EM` of the next
    one down (the lowest, of the grid's top), lowest first."""
    near = [w for w in words if w.bottom <= top + 1 and w.x1 > x0 and w.x0 < x1 and top - w.bottom < 10 * w.size]
    kept: list[Line] = []
    floor = top
    for line in sorted(group_lines(near, 0), key=lambda ln: -ln.bottom):
        if floor - line.bottom > HEADING_ABOVE_EM * line.size:
            break
        kept.append(line)
        floor = line.top
    return kept


def _headed_apart(
    left: Sequence[_CellBox], right: Sequence[_CellBox], above: Sequence[Line], header: Sequence[Word]
) -> bool:
    """Each side stands under a heading of its own: going up from the grid, before any line across both
    (set over the cut at word spacing, or a word straddling it), the nearest line on each side of the cut
    is one run of words (a heading, not column labels set over the grid) starting at that side's left
    edge, both in one style, bold or larger than the grid's header (`header`: its words) by a heading's
    step (not running text or a note set over the grid)."""
    from policylens.readers.pdf.stream import segments

    cut, edge = _left_edge(right), _left_edge(left)
    nearest: list[list[Word]] = [[], []]
    for line in above:
        mine = [w for w in line.words if w.x1 <= cut + 1]
        theirs = [w for w in line.words if w.x0 >= cut - 1]
        straddles = len(mine) + len(theirs) < len(line.words)
        if straddles or (mine and theirs and theirs[0].x0 - mine[-1].x1 < 1.5 * max(mine[-1].size, theirs[0].size)):
            return False  # a line across both (a title over the whole grid) before a heading on each side
        for i, part in enumerate((mine, theirs)):
            if part and not nearest[i]:
                nearest[i] = part
        if all(nearest):
            break
    if not all(nearest):
        return False
    styles = {(round(w.size * 2), w.bold) for side in nearest for w in side}
    if len(styles) != 1:
        return False
    ((half_points, bold),) = styles
    if not bold and half_points / 2 < max((w.size for w in header), default=0.0) + HEADING_STEP:
        return False
    return all(
        len(segments(Line(tuple(side), 0))) == 1 and abs(side[0].x0 - x) <= 1.5 * side[0].size
        for side, x in zip(nearest, (edge, cut), strict=True)
    )


def _left_edge(cells: Sequence[_CellBox]) -> float:
    return min(c[0] for c in cells)


def _a_table(cells: Sequence[_CellBox]) -> bool:
    return len({round(c[0]) for c in cells}) >= 2 and len({round(c[1]) for c in cells}) >= 2


def _apart(left: Sequence[_CellBox], right: Sequence[_CellBox], words: Sequence[Word], above: Sequence[Line]) -> bool:
    outline = abs(_top(left) - _top(right)) > 2 or abs(_bottom(left) - _bottom(right)) > 2
    return outline or _same_header(left, right, words) or _headed_apart(left, right, above, words)


def _top(cells: Sequence[_CellBox]) -> float:
    return min(c[1] for c in cells)


def _bottom(cells: Sequence[_CellBox]) -> float:
    return max(c[3] for c in cells)


def _same_header(left: Sequence[_CellBox], right: Sequence[_CellBox], words: Sequence[Word]) -> bool:
    """Both sides open with the same labels, in the same order ("Action | Lead | Action | Lead")."""

    def labels(side: Sequence[_CellBox]) -> list[str]:
        top = _top(side)
        row = sorted((c for c in side if abs(c[1] - top) <= 1), key=lambda c: c[0])
        return [" ".join(w.text for w in words if _inside(w, c)).casefold() for c in row]

    mine = labels(left)
    return len(mine) >= 2 and all(mine) and mine == labels(right)


def open_ends(edges: Sequence[dict[str, Any]]) -> list[Rule]:
    """Rules closing a grid at its top or foot where its rule stops short of some of its columns.

    A cell merged down across a page break is drawn open: no rule under it at the foot of the first
    page, none over it at the top of the next. The grid's vertical rules still end together there;
    without a rule between them the table finder finds no corner, and drops the cell with its text.
    A space between two verticals is closed only where the grid rules it across elsewhere (it is one
    of its columns, not the gap between two tables) and rules its other columns at that height."""
    verticals = [e for e in edges if e["orientation"] == "v"]
    across = _Across(edges)
    closing = []
    for y, ending in _ends_together(verticals):
        pairs = list(itertools.pairwise(_distinct(sorted(v["x0"] for v in ending))))
        ruled_here = [across.spans(a, b, y - 2, y + 2) for a, b in pairs]
        if len(pairs) < 2 or not any(ruled_here):
            continue
        top, bottom = min(v["top"] for v in ending) + 2, max(v["bottom"] for v in ending) - 2
        for (a, b), ruled in zip(pairs, ruled_here, strict=True):
            if not ruled and across.spans(a, b, top, bottom):
                closing.append(Rule(a, y, b, y))
    return closing


def _ends_together(verticals: Sequence[dict[str, Any]]) -> list[tuple[float, list[dict[str, Any]]]]:
    """Vertical rules whose tops (or feet) lie within 2 points of each other, three at least, by that height."""
    groups: list[tuple[float, list[dict[str, Any]]]] = []
    for end in ("top", "bottom"):
        run: list[dict[str, Any]] = []
        for rule in [*sorted(verticals, key=lambda v: v[end]), None]:
            if run and (rule is None or rule[end] - run[0][end] > 2):
                groups.append((float(run[0][end]), run))
                run = []
            if rule is not None:
                run.append(rule)
    return [(y, rules) for y, rules in groups if len(rules) >= 3]


def _distinct(xs: Sequence[float]) -> list[float]:
    kept: list[float] = []
    for x in xs:
        if not kept or x - kept[-1] > 2:
            kept.append(x)
    return kept


class _Across:
    """A page's horizontal rules, by height."""

    def __init__(self, edges: Sequence[dict[str, Any]]) -> None:
        self.rules = sorted((e for e in edges if e["orientation"] == "h"), key=lambda e: float(e["top"]))
        self.heights = [float(r["top"]) for r in self.rules]

    def spans(self, a: float, b: float, top: float, bottom: float) -> bool:
        """A rule runs from `a` to `b` somewhere between `top` and `bottom`."""
        first, last = bisect.bisect_left(self.heights, top), bisect.bisect_right(self.heights, bottom)
        return any(r["x0"] <= a + 2 and r["x1"] >= b - 2 for r in self.rules[first:last])


def _on_a_rule(rules: Sequence[Rule], x0: float, x1: float, y: float) -> bool:
    return any(abs(r.top - y) <= 2 and r.x0 <= x0 + 2 and r.x1 >= x1 - 2 for r in rules)


FRAME_STACK_GAP = 60.0
"""Rules further apart than this (points) belong to different tables."""


def _missing_frame(edges: Sequence[dict[str, Any]], words: Sequence[Word]) -> list[dict[str, Any]]:
    """Vertical edges at the open ends of a stack of horizontal rules that share their extent.

    Many tables rule every row across the full width but draw vertical rules only
    between some columns (or none at the sides): the rules' ends are the frame. Two such
    tables one under the other are two stacks (`_one_under_another`): no frame across the space between.
    """
    rules = [e for e in edges if e["orientation"] == "h" and e["x1"] - e["x0"] > 50]
    verticals = [e for e in edges if e["orientation"] == "v"]
    by_height = _WordsByHeight(words)
    by_extent: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for rule in rules:
        by_extent.setdefault((round(rule["x0"] / 3), round(rule["x1"] / 3)), []).append(rule)
    frame = []
    for same_extent in by_extent.values():
        for stack in _stacks(sorted(same_extent, key=lambda r: r["top"]), verticals, by_height):
            top, bottom = stack[0]["top"], stack[-1]["bottom"]
            for x in (min(r["x0"] for r in stack), max(r["x1"] for r in stack)):
                covered = sum(
                    max(0.0, min(v["bottom"], bottom) - max(v["top"], top)) for v in verticals if abs(v["x0"] - x) <= 3
                )
                closed = covered >= 0.5 * (bottom - top)
                if not closed:
                    frame.append(
                        {
                            "x0": x,
                            "x1": x,
                            "top": top,
                            "bottom": bottom,
                            "height": bottom - top,
                            "width": 0.0,
                            "object_type": "line",
                        }
                    )
    return frame


class _WordsByHeight:
    """A page's words by the height of their middles, to find those between two rules at once."""

    def __init__(self, words: Sequence[Word]) -> None:
        self.words = sorted(words, key=lambda w: (w.top + w.bottom) / 2)
        self.middles = [(w.top + w.bottom) / 2 for w in self.words]

    def between(self, top: float, bottom: float) -> list[Word]:
        first, last = bisect.bisect_left(self.middles, top), bisect.bisect_right(self.middles, bottom)
        return self.words[first:last]


def _stacks(
    rules: list[dict[str, Any]], verticals: Sequence[dict[str, Any]], words: _WordsByHeight
) -> list[list[dict[str, Any]]]:
    stacks: list[list[dict[str, Any]]] = []
    rows: list[tuple[float, float]] = []  # the white space and type size of the last stack's rows of text
    for rule in rules:
        above = stacks[-1][-1] if stacks else None
        near = above is not None and rule["top"] - above["bottom"] <= FRAME_STACK_GAP
        if near and above is not None and not _one_under_another(above, rule, verticals, words, rows):
            stacks[-1].append(rule)
            row = _text_between(above, rule, words)
            rows += [row] if row else []
        else:
            stacks.append([rule])
            rows = []
    return [s for s in stacks if len(s) >= 3]


BETWEEN_TABLES_WHITE_EM = 2.0
"""White space (in ems of the text there) above and below the text between two rules with no vertical
rule across, more than this: space between two tables (a heading in it), not a row spanning the table."""
HEADING_WHITE_SHARE = 1.5
"""Text in a larger type than the rows above (by a point at least, as a heading is larger than body text),
with this many times the white space of the most spacious of them around it: a heading between two tables,
not a row."""


def _one_under_another(
    above: dict[str, Any],
    below: dict[str, Any],
    verticals: Sequence[dict[str, Any]],
    words: _WordsByHeight,
    rows: Sequence[tuple[float, float]] = (),
) -> bool:
    """Two rules of one extent, one under the other, are the foot of a table and the top of the next:
    no vertical rule between their ends runs across the space between them, and that space holds text
    with more white space around it than a row's padding (a heading over the second table), or is empty
    and as tall (a double rule is not two tables). `rows`: the white space and type size of the text in
    the rows of the stack above: text in a larger type than theirs with more white space around it than
    any of them has (`HEADING_WHITE_SHARE`) is a heading too."""
    top, bottom = float(above["bottom"]), float(below["top"])
    if bottom - top < 3:
        return False
    x0, x1 = min(above["x0"], below["x0"]) - 3, max(above["x1"], below["x1"]) + 3
    covered: dict[int, float] = {}
    for v in verticals:
        if x0 <= v["x0"] <= x1:
            key = round(float(v["x0"]) / 3)
            covered[key] = covered.get(key, 0.0) + max(0.0, min(float(v["bottom"]), bottom) - max(float(v["top"]), top))
    if any(length >= 0.5 * (bottom - top) for length in covered.values()):
        return False
    text = _text_between(above, below, words)
    if text:
        white, size = text
        if white > BETWEEN_TABLES_WHITE_EM * size:
            return True
        return (
            bool(rows)
            and size >= max(s for _, s in rows) + 1.0
            and white > HEADING_WHITE_SHARE * max(w for w, _ in rows)
        )
    size = median(w.size for w in words.words) if words.words else 10.0  # empty: wider than a row of the page's text
    return bottom - top > BETWEEN_TABLES_WHITE_EM * size


def _text_between(above: dict[str, Any], below: dict[str, Any], words: _WordsByHeight) -> tuple[float, float] | None:
    """The white space around the text between two rules (the space less the text's height) and its largest
    type size; None when nothing is written there."""
    top, bottom = float(above["bottom"]), float(below["top"])
    x0, x1 = min(above["x0"], below["x0"]) - 3, max(above["x1"], below["x1"]) + 3
    inside = [w for w in words.between(top, bottom) if x0 <= (w.x0 + w.x1) / 2 <= x1]
    if not inside:
        return None
    white = (bottom - top) - (max(w.bottom for w in inside) - min(w.top for w in inside))
    return white, max(w.size for w in inside)


def page_layout(
    page: Any,
    number: int,
    glyphs: frozenset[str] = frozenset(),
    *,
    find_borderless: bool = True,
    join_wrapped: bool = True,
    ocr: OcrPage | None = None,
) -> PageLayout:
    """Everything on one page, tables taken out of the running text.

    `ocr`: what OCR read on a page with no text layer (words, confidence, the rules in its
    image). The page's pictures are then left out: the largest is the scan itself.
    """
    words = list(ocr.words) if ocr else words_of(page)
    found = [r.edge() for r in ocr.rules] if ocr else []
    panels = [] if ocr else shaded_panels(page)
    ruled = _without(page, panels)
    edges = [*ruled.edges, *found]
    tables: list[TableLayout] = []
    if edges:  # ruled tables need rules: pages without any skip the grid search
        closing = open_ends(edges)
        finder = _grid(edges, found, closing, words)
        grids = [part for grid in ruled.find_tables(finder) for part in split_side_by_side(grid, words)]
        tables = [t for t in (_table_layout(grid, words, number, closing) for grid in grids) if t]
    boxes = [(t.bbox.x0, t.bbox.top, t.bbox.x1, t.bbox.bottom) for t in tables]
    loose = [w for w in words if not any(_inside(w, b) for b in boxes)]
    gutter = find_gutter(loose, float(page.width), glyphs=glyphs) or band_gutter(loose, float(page.width), glyphs)
    lines = _column_lines(loose, number, gutter)
    boxes_of_text = [p for p in panels if any(_inside(w, (p.x0, p.top, p.x1, p.bottom)) for w in loose)]
    bands = _bands_of(tables, boxes_of_text, lines) if gutter is None else []
    lines = _cut_at_bands(lines, bands)
    if find_borderless:
        from policylens.readers.pdf.stream import borderless_tables

        # a shaded row's edges part rows as a rule does: all the page's edges here
        every_edge = [*page.edges, *found]
        rules = sorted(e["top"] for e in every_edge if e["orientation"] == "h" and e["x1"] - e["x0"] > 20)
        row_rules = rules if join_wrapped else None
        for column in text_columns(lines, gutter):
            for table, taken in borderless_tables(column, number, glyphs, row_rules):
                tables.append(table)
                lines = [ln for ln in lines if ln not in taken]
    area = float(page.width) * float(page.height)
    images = (
        ()
        if ocr
        else tuple(
            ImageLayout(BBox(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"])), number)
            for i in page.images
            if (float(i["x1"]) - float(i["x0"])) * (float(i["bottom"]) - float(i["top"])) > 0.01 * area
        )
        + _drawings(page, tables, boxes_of_text, number, area)
    )
    return PageLayout(
        number,
        float(page.width),
        float(page.height),
        tuple(lines),
        tuple(sorted(tables, key=lambda t: t.bbox.top)),
        images,
        sum(len(w.text) for w in words) if ocr else len(page.chars),
        gutter,
        ocr.confidence if ocr else None,
        tuple(bands),
    )


def _bands_of(tables: Sequence[TableLayout], boxes_of_text: Sequence[BBox], lines: Sequence[Line]) -> list[Band]:
    from policylens.readers.pdf.bands import side_by_side_bands

    return side_by_side_bands([*(t.bbox for t in tables), *boxes_of_text], lines)


def _cut_at_bands(lines: Sequence[Line], bands: Sequence[Band]) -> list[Line]:
    from policylens.readers.pdf.bands import cut_lines

    return cut_lines(lines, bands)


def _without(page: Any, panels: Sequence[BBox]) -> Any:
    """The page as the table finder must see it: without its shaded panels, whose sides are no rules."""
    if not panels:
        return page
    shaded = frozenset(panels)
    return page.filter(lambda obj: obj.get("object_type") != "rect" or rect_box(obj) not in shaded)


def _grid(
    edges: Sequence[dict[str, Any]],
    found: Sequence[dict[str, Any]],
    closing: Sequence[Rule],
    words: Sequence[Word],
) -> dict[str, Any]:
    """The table finder's settings: the page's own lines, plus rules found in a scan's image
    handed over as explicit lines (the finder reads only vector lines from the page), and the
    frame's missing pieces (open ends of rule stacks, grids drawn open at a page break)."""
    vertical = [e for e in found if e["orientation"] == "v"]
    horizontal = [e for e in found if e["orientation"] == "h"]
    return {
        **_TABLE_SETTINGS,
        "explicit_vertical_lines": [*_missing_frame(edges, words), *vertical],
        "explicit_horizontal_lines": [*horizontal, *(r.edge() for r in closing)],
    }


GUTTER_MIN_WIDTH = 8.0
GUTTER_MAX_CROSSING = 0.01
GUTTER_MIN_WORDS = 120
"""Fewer words than this (a page of ruled tables and a few headings) are not read as columns."""


def find_gutter(
    words: Sequence[Word], width: float, min_words: int = GUTTER_MIN_WORDS, glyphs: frozenset[str] = frozenset()
) -> float | None:
    """The white space that splits a page into two columns of text, if there is one.

    It runs down most of the text's height near the middle of the page, few words cross
    it, and at least a quarter of the words lie on each side.
    """
    if len(words) < min_words:
        return None
    crossing = [0] * int(width + 1)
    for word in words:
        for x in range(max(0, int(word.x0)), min(int(width), int(word.x1) + 1)):
            crossing[x] += 1
    limit = max(2.0, GUTTER_MAX_CROSSING * len(words))
    runs: list[tuple[int, int]] = []
    start: int | None = None
    for x in range(int(0.3 * width), int(0.7 * width) + 2):
        open_ = x <= int(0.7 * width) and crossing[x] <= limit
        if open_ and start is None:
            start = x
        elif not open_ and start is not None:
            runs.append((start, x))
            start = None
    wide = [r for r in runs if r[1] - r[0] >= GUTTER_MIN_WIDTH]
    if not wide:
        return None
    best = max(wide, key=lambda r: r[1] - r[0])
    middle = (best[0] + best[1]) / 2
    left = [w for w in words if w.x1 <= middle]
    right = [w for w in words if w.x0 >= middle]
    if min(len(left), len(right)) < 0.1 * len(words):
        return None
    height = max(w.bottom for w in words) - min(w.top for w in words)
    spans = sorted(max(w.bottom for w in side) - min(w.top for w in side) for side in (left, right))
    if spans[1] < 0.6 * height or spans[0] < 0.15 * height:
        return None
    shares = sorted((_prose_share(left, glyphs), _prose_share(right, glyphs)))
    if shares[0] >= 0.35 and shares[1] >= 0.6:
        return middle
    # running text beside a column of something else (a table, a sidebar): two columns only
    # when the two sides do not share their baselines, as a table's labels and values do
    return middle if shares[1] >= 0.6 and _shared_baselines(left, right) < 0.5 else None


BAND_MIN_WORDS = 40


def band_gutter(words: Sequence[Word], width: float, glyphs: frozenset[str] = frozenset()) -> float | None:
    """The gutter of a band of two columns under (or over) text set across the page: a title and an
    introduction over two boxes of commitments side by side. Lines across the middle at word spacing
    cut the page into bands; the band with the most words must have a gutter."""
    lines = sorted(group_lines(words, 0), key=lambda ln: ln.top)
    bands: list[list[Line]] = [[]]
    for line in lines:
        if _runs_across_middle(line, width):
            bands.append([])
        else:
            bands[-1].append(line)
    if len(bands) == 1:
        return None  # nothing runs across: the page's own gutter search has spoken
    band = max(bands, key=lambda b: sum(len(ln.words) for ln in b))
    rest = [w for ln in band for w in ln.words]
    return find_gutter(rest, width, min_words=BAND_MIN_WORDS, glyphs=glyphs)


def _runs_across_middle(line: Line, width: float) -> bool:
    """A line over the middle of the page with no wider space between its words than a word's."""
    if not (line.x0 < 0.45 * width and line.x1 > 0.55 * width):
        return False
    gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(line.words)]
    return all(gap < 1.5 * line.size for gap in gaps)


def _shared_baselines(left: Sequence[Word], right: Sequence[Word]) -> float:
    tops = {round(w.bottom) for w in left}
    lines = group_lines(right, 0)
    return sum(1 for ln in lines if round(ln.bottom) in tops) / max(1, len(lines))


def _prose_share(words: Sequence[Word], glyphs: frozenset[str] = frozenset()) -> float:
    """How much of the text is running text, not table columns: lines that are one run of words
    (a list item's bullet and its text are one run)."""
    from policylens.readers.pdf.stream import segments

    lines = group_lines(words, 0)
    flowing = [ln for ln in lines if len(segments(ln, glyphs)) == 1 and len(ln.words) >= 4]
    return len(flowing) / max(1, len(lines))


def _column_lines(words: Sequence[Word], page: int, gutter: float | None) -> list[Line]:
    """Lines of a page, within their column on a two-column page; a line that runs across the
    gutter (a title over both columns) stays whole."""
    if gutter is None:
        return group_lines(words, page)
    full = [ln for ln in group_lines(words, page) if _across(ln, gutter)]
    taken = {id(w) for ln in full for w in ln.words}
    rest = [w for w in words if id(w) not in taken]
    left = [w for w in rest if w.x1 <= gutter]
    right = [w for w in rest if w.x0 >= gutter]
    spanning = [w for w in rest if w.x1 > gutter > w.x0]
    lines = full + group_lines(left, page) + group_lines(right, page) + group_lines(spanning, page)
    return sorted(lines, key=lambda ln: (ln.top, ln.x0))


def _across(line: Line, gutter: float) -> bool:
    """Words on both sides of the gutter, with one of them crossing it or no wider a space between
    them than between words: one line over both columns, not two columns' lines side by side."""
    left = [w for w in line.words if w.x1 <= gutter]
    right = [w for w in line.words if w.x0 >= gutter]
    if len(left) + len(right) == len(line.words) and left and right:
        gap = right[0].x0 - left[-1].x1
        return gap < min(0.6 * max(left[-1].size, right[0].size), GUTTER_MIN_WIDTH)
    return bool(left and right)  # a word crosses the gutter between words on both sides


def text_columns(lines: Sequence[Line], gutter: float | None) -> list[list[Line]]:
    """The page's lines by text column (left, right, then those across the gutter): tables are
    looked for within one column, and line spacing is measured within one."""
    if gutter is None:
        return [list(lines)]
    left = [ln for ln in lines if ln.x1 <= gutter]
    right = [ln for ln in lines if ln.x0 >= gutter]
    return [left, right, [ln for ln in lines if ln.x0 < gutter < ln.x1]]


MIN_DRAWING_SHAPES = 8
MIN_DRAWING_SHARE = 0.03


def _drawings(
    page: Any, tables: Sequence[TableLayout], boxes_of_text: Sequence[BBox], number: int, area: float
) -> tuple[ImageLayout, ...]:
    """A chart or diagram drawn with vector shapes (curves and filled shapes outside tables) is a figure;
    shaded panels holding text are boxes of text, not shapes of a chart."""
    boxes = [t.bbox for t in tables]

    def outside(o: dict[str, Any]) -> bool:
        return not any(
            b.x0 - 2 <= o["x0"] and o["x1"] <= b.x1 + 2 and b.top - 2 <= o["top"] and o["bottom"] <= b.bottom + 2
            for b in boxes
        )

    filled = [r for r in page.rects if r.get("fill") and rect_box(r) not in boxes_of_text]
    shapes = [o for o in [*page.curves, *filled] if outside(o)]
    if len(shapes) < MIN_DRAWING_SHAPES:
        return ()
    box = BBox(
        min(s["x0"] for s in shapes),
        min(s["top"] for s in shapes),
        max(s["x1"] for s in shapes),
        max(s["bottom"] for s in shapes),
    )
    if (box.x1 - box.x0) * (box.bottom - box.top) < MIN_DRAWING_SHARE * area:
        return ()
    return (ImageLayout(box, number),)


def _furniture_key(line: Line, page: PageLayout) -> tuple[str, int] | None:
    in_band = line.bottom < page.height * _FURNITURE_BAND or line.top > page.height * (1 - _FURNITURE_BAND)
    if not in_band:
        return None
    return re.sub(r"\d+", "#", line.text.casefold()), round(line.top / 6)


def furniture_keys(pages: Sequence[PageLayout]) -> set[tuple[str, int]]:
    """Lines repeated at the same place on most pages: running headers, footers, page numbers.
    Two pages say too little for that (a table's header repeated at the top of the second page may
    stand where the first page's began): there, a line at the top is furniture only when its number
    changes from one page to the next ("… | Page 1", "… | Page 2"); at the bottom, a repeated line is."""
    if len(pages) == 2:
        return _numbered_furniture(pages)
    if len(pages) < 3:
        return set()
    counts: Counter[tuple[str, int]] = Counter()
    for page in pages:
        counts.update({k for line in page.lines if (k := _furniture_key(line, page))})
    return {k for k, n in counts.items() if n >= max(2, 0.4 * len(pages))}


def _numbered_furniture(pages: Sequence[PageLayout]) -> set[tuple[str, int]]:
    texts: list[dict[tuple[str, int], str]] = [
        {k: line.text for line in page.lines if (k := _furniture_key(line, page))} for page in pages
    ]
    first, second = texts
    bottom = round(pages[0].height * (1 - _FURNITURE_BAND) / 6)
    return {k for k in first.keys() & second.keys() if k[1] >= bottom or ("#" in k[0] and first[k] != second[k])}


def is_furniture(line: Line, page: PageLayout, keys: set[tuple[str, int]]) -> bool:
    return line.tag == "Artifact" or _furniture_key(line, page) in keys
