"""Page chunks of table rows into logical tables.

Any reader that sees a table page by page hands its chunks here. A chunk is a
run of rows from one page; chunks that follow each other with nothing but page
breaks between them are one logical table when the later chunk repeats the
header (possibly with a column missing, mapped by header name) or has no header
and no more columns. Repeated headers are dropped; the break is kept on the
first row after it. Rows are then labelled: section rows (group titles across
the table) and rows whose first cell is empty (they continue the row above).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

from policylens.model import BBox, Provenance, RowKind, Table, TableRow
from policylens.readers.inline import collapse, cut_short
from policylens.readers.layout import LayoutRules


@dataclass(frozen=True, slots=True)
class RawRow:
    cells: tuple[str, ...]
    bold: tuple[bool, ...]
    prov: Provenance
    merged: tuple[bool, ...] = ()
    """Which cells a cell above covers (merged across rows), when the reader can tell; () when not."""
    open_below: tuple[bool, ...] = ()
    """Which cells carry on over the page break below the row (drawn with no rule under them at the
    page foot), when the reader can tell; () when not."""
    open_above: tuple[bool, ...] = ()
    """Which cells are drawn with no rule over them at the top of the page's grid, when the reader can
    tell; () when not. Only after a page break does it say a cell above carries on into them."""

    @property
    def filled(self) -> tuple[int, ...]:
        return tuple(i for i, c in enumerate(self.cells) if c.strip())


@dataclass(frozen=True, slots=True)
class Chunk:
    """Rows from one page. `header` is None when the reader must infer it."""

    rows: tuple[RawRow, ...]
    header: tuple[RawRow, ...] | None = None
    follows_previous: bool = False
    """Only page furniture or blank lines lie between this chunk and the one before."""


def header_key(row: RawRow) -> tuple[str, ...]:
    return tuple(collapse(c).casefold() for c in row.cells if c.strip())


_FIGURE = re.compile(r"[\d.,%£$/-]+")


def _is_label(cell: str, rules: LayoutRules) -> bool:
    text = collapse(cell)
    return (
        len(text.split()) <= rules.header_cell_max_words
        and len(text) <= rules.header_cell_max_chars
        and not text.endswith((".", ";", ","))
        and not _FIGURE.fullmatch(text)
    )


def _names_figure_columns(first: RawRow, body: Sequence[RawRow]) -> bool:
    """A row of labels over a column that holds only figures ("Target 2025" over "60%", "10%") names
    its columns, however short the figures are."""
    for col in first.filled:
        cells = [collapse(r.cells[col]) for r in body if col < len(r.cells) and r.cells[col].strip()]
        if cells and all(_FIGURE.fullmatch(c) for c in cells):
            return True
    return False


def _looks_like_header(rows: Sequence[RawRow], repeated: set[tuple[str, ...]], rules: LayoutRules) -> bool:
    first = rows[0]
    labels = [first.cells[i] for i in first.filled]
    if len(labels) < 2 or not all(_is_label(c, rules) for c in labels):
        return False
    if header_key(first) in repeated or all(first.bold[i] for i in first.filled):
        return True
    if _names_figure_columns(first, rows[1:4]):
        return True
    body = [collapse(r.cells[i]) for r in rows[1:4] for i in r.filled]
    if not body:
        return False
    mean_label = sum(len(c) for c in labels) / len(labels)
    mean_body = sum(len(c) for c in body) / len(body)
    return mean_body > 2 * mean_label


def repeated_headers(chunks: Sequence[Chunk]) -> set[tuple[str, ...]]:
    """First rows that open several chunks of a document: headers repeated at page breaks."""
    counts = Counter(header_key(c.rows[0]) for c in chunks if c.header is None and c.rows)
    keys = {k for k, n in counts.items() if n > 1 and len(k) > 1}
    # a header repeated with a column missing still names the same columns
    return keys | {k for k in counts if any(_offset_in(k, big) is not None for big in keys)}


def _offset_in(part: tuple[str, ...], whole: tuple[str, ...]) -> int | None:
    """Where `part` sits as a contiguous run of `whole`, if it does."""
    for start in range(len(whole) - len(part) + 1):
        if whole[start : start + len(part)] == part:
            return start
    return None


@dataclass(frozen=True, slots=True)
class _Split:
    header: tuple[RawRow, ...]
    body: tuple[RawRow, ...]


def _split_header(chunk: Chunk, repeated: set[tuple[str, ...]], rules: LayoutRules) -> _Split:
    if chunk.header is not None:
        real = tuple(r for r in chunk.header if r.filled)
        return _Split(real, chunk.rows)
    if chunk.rows and _looks_like_header(chunk.rows, repeated, rules):
        depth = 2 if _second_header_row(chunk.rows, rules) else 1
        return _Split(chunk.rows[:depth], chunk.rows[depth:])
    return _Split((), chunk.rows)


def _second_header_row(rows: Sequence[RawRow], rules: LayoutRules) -> bool:
    """A header two rows deep: the first row leaves cells empty (a group label spans columns, or
    labels span both rows), and the second holds labels only, under some of those empty cells
    ("Delivery" over "By when | Who"), with body rows after it."""
    if len(rows) < 3:
        return False
    first, second = rows[0], rows[1]
    empty_above = {i for i, c in enumerate(first.cells) if not c.strip()}
    labels = [second.cells[i] for i in second.filled]
    return (
        bool(empty_above & set(second.filled))
        and len(labels) >= 2
        and all(_is_label(c, rules) for c in labels)
        and (all(second.bold[i] for i in second.filled) or not _is_label_row(rows[2], rules))
    )


def _is_label_row(row: RawRow, rules: LayoutRules) -> bool:
    return bool(row.filled) and all(_is_label(row.cells[i], rules) for i in row.filled)


def _column_offset(table_header: RawRow, chunk_header: RawRow) -> int | None:
    """How far the chunk's columns sit from the table's, matched by header name."""
    names = [collapse(c).casefold() for c in table_header.cells]
    pairs = [(j, collapse(c).casefold()) for j, c in enumerate(chunk_header.cells) if c.strip()]
    offsets = set()
    for j, name in pairs:
        if name not in names:
            return None
        offsets.add(names.index(name) - j)
    return offsets.pop() if len(offsets) == 1 else None


def _width(rows: Sequence[RawRow]) -> int:
    return max((max(r.filled, default=-1) + 1 for r in rows), default=0)


@dataclass
class _Building:
    """A logical table while its chunks are being joined; never leaves `logical_tables`."""

    header: tuple[RawRow, ...]
    width: int
    rows: list[tuple[RawRow, bool]]
    first: Provenance
    """Where the table starts, an empty header row included."""


def _shift(row: RawRow, offset: int, width: int) -> RawRow:
    cells = ("",) * offset + row.cells
    bold = (False,) * offset + row.bold
    if len(cells) < width:
        cells, bold = cells + ("",) * (width - len(cells)), bold + (False,) * (width - len(cells))
    elif len(cells) > width:
        extra = [c for c in cells[width:] if c.strip()]
        cells = (*cells[: width - 1], "\n".join([cells[width - 1], *extra]).strip("\n"))
        bold = bold[:width]
    flags = (_flags(f, offset, width) for f in (row.merged, row.open_below, row.open_above))
    return RawRow(cells, bold, row.prov, *flags)


def _flags(flags: tuple[bool, ...], offset: int, width: int) -> tuple[bool, ...]:
    """Per-cell flags moved with their cells (() stays (): unknown)."""
    if not flags:
        return ()
    moved = (False,) * offset + flags
    return (moved + (False,) * (width - len(moved)))[:width]


def logical_tables(
    chunks: Sequence[Chunk],
    rules: LayoutRules,
    repeated: set[tuple[str, ...]] | None = None,
    *,
    stitch_split_rows: bool = False,
) -> list[Table]:
    """Join page chunks into logical tables and label their rows.

    `repeated`: first rows known to repeat across the whole document (see
    `repeated_headers`); computed from `chunks` when not given.
    `stitch_split_rows`: a row the page break cut in two (its second part
    carries on in lower case) is joined back into one row. Readers that see
    real page geometry (PDF) ask for it; text extractions keep the rows apart
    and leave them to the action stage.
    """
    if repeated is None:
        repeated = repeated_headers(chunks)
    built: list[_Building] = []
    for chunk in chunks:
        split = _split_header(chunk, repeated, rules)
        current = built[-1] if built and chunk.follows_previous else None
        offset = _continuation_offset(current, split) if current else None
        if current is None or offset is None:
            width = len(split.header[0].cells) if split.header else _width(split.body)
            width = max(width, _width(split.body))
            current = _Building(split.header, width, [], _first_prov(chunk))
            built.append(current)
            offset, first_break = 0, False
        else:
            first_break = True
        body = list(split.body)
        if first_break and stitch_split_rows and body and current.rows and _cut_by_break(current.rows[-1][0], body[0]):
            previous, was_break = current.rows[-1]
            current.rows[-1] = (_stitch(previous, _shift(body.pop(0), offset, current.width)), was_break)
        for i, row in enumerate(body):
            shifted = _shift(row, offset, current.width)
            if first_break and i == 0:
                below = _shift(body[1], offset, current.width) if len(body) > 1 else None
                shifted = (
                    _across_the_break(current.rows[-1][0], shifted, below)
                    if current.rows
                    else replace(shifted, merged=())
                )
            current.rows.append((shifted, first_break and i == 0))
    return [_to_table(b) for b in built if b.rows or b.header]


def _across_the_break(above: RawRow, row: RawRow, below: RawRow | None = None) -> RawRow:
    """The first row after a page break: which of its cells a cell merged down over the break covers.

    A grid drawn open at the break (no rule under a cell at the foot of the page, or over it at the
    top of the next) says so. Some writers draw a merged cell again, closed and empty, on the next page:
    there an empty cell that spans down over the row below (`below` covered from above) is the merged
    cell carried on, and the row's other cells are its own. Where nothing is drawn open and no empty cell
    spans down, a merged cell and an empty one cannot be told apart (the cell carried on may cover one row
    only): unknown. A row found without a grid (merged ()) has no cells to be covered: unknown too."""
    if not row.merged:
        return row
    spans = (
        tuple(not text.strip() and covered for text, covered in zip(row.cells, below.merged, strict=False))
        if below
        else ()
    )
    flags = (row.merged, row.open_above, above.open_below, spans)
    carried = tuple(any(f) for f in itertools.zip_longest(*flags, fillvalue=False))
    if not any(carried):
        return replace(row, merged=())
    return replace(row, merged=carried[: len(row.cells)])


def _first_prov(chunk: Chunk) -> Provenance:
    rows = (chunk.header or ()) + chunk.rows
    return rows[0].prov


_ENDS_SENTENCE = re.compile(r"[.!?:;]['\")\]]?$")


def _cut_by_break(above: RawRow, row: RawRow) -> bool:
    """The first row on a page is the rest of the last row on the page before."""
    pairs = [(a.strip(), b.strip()) for a, b in zip(above.cells, row.cells, strict=False) if b.strip()]
    if not pairs:
        return False
    first_filled = pairs[0][1]
    if first_filled[:1].islower() and row.filled[0] == 0:
        return True
    lower = [b[:1].islower() for _, b in pairs]
    unfinished = [bool(a) and not _ENDS_SENTENCE.search(a) for a, _ in pairs]
    return any(lower) and all(lw or un for lw, un in zip(lower, unfinished, strict=True))


def _stitch(above: RawRow, rest: RawRow) -> RawRow:
    cells = []
    for a, b in zip(above.cells, rest.cells, strict=False):
        if not b.strip() or not a.strip():
            cells.append(a or b)
        else:
            carries_on = b[:1].islower() or a.rstrip().endswith(("&", " and", ",", "-")) or cut_short(a)
            cells.append(f"{a} {b}" if carries_on else f"{a}\n{b}")
    prov = above.prov
    if above.prov.bbox and rest.prov.page == above.prov.page:
        prov = above.prov
    return RawRow(tuple(cells), above.bold, prov, above.merged, rest.open_below, above.open_above)


def _continuation_offset(table: _Building, split: _Split) -> int | None:
    if split.header:
        if not table.header:
            return None
        return _column_offset(table.header[0], split.header[0])
    return 0 if _width(split.body) <= table.width else None


def _to_table(b: _Building) -> Table:
    rows = tuple(_label_row(row, after_break, b.width, index) for index, (row, after_break) in enumerate(b.rows))
    first = b.first
    last = b.rows[-1][0].prov if b.rows else b.header[-1].prov
    prov = Provenance(
        source=first.source,
        page=first.page,
        line_start=first.line_start,
        line_end=last.line_end,
        bbox=_first_page_box([*(h.prov for h in b.header), *(r.prov for r, _ in b.rows)], first),
    )
    header = tuple(_shift(h, 0, b.width).cells for h in b.header)
    return Table(header=header, rows=rows, prov=prov)


def _first_page_box(provs: Sequence[Provenance], first: Provenance) -> BBox | None:
    """The table's extent on the page where it starts."""
    boxes = [p.bbox for p in provs if p.bbox is not None and p.page == first.page]
    if not boxes:
        return first.bbox
    return BBox(
        min(b.x0 for b in boxes), min(b.top for b in boxes), max(b.x1 for b in boxes), max(b.bottom for b in boxes)
    )


def _label_row(row: RawRow, after_break: bool, width: int, index: int) -> TableRow:
    label = section_label(row, width)
    bold = bool(row.filled) and all(row.bold[i] for i in row.filled)
    if label is not None:
        return TableRow(row.cells, row.prov, RowKind.SECTION, label, bold, False, after_break)
    continues = index > 0 and not row.cells[0].strip()
    return TableRow(row.cells, row.prov, RowKind.BODY, "", bold, continues, after_break, row.merged)


def section_label(row: RawRow, width: int) -> str | None:
    """The group title if the row is a section row spanning the table."""
    filled = row.filled
    if len(filled) == 1:
        only = filled[0]
        if row.bold[only] or (only == 0 and width >= 3):
            return collapse(row.cells[only])
        return None
    if filled == (0, 1) and width >= 4:
        head, tail = collapse(row.cells[0]), collapse(row.cells[1])
        if tail.startswith(head):
            return tail
        if tail[:1].islower() and len((head + tail).split()) <= 10:
            return join_split_word(head, tail)
    return None


def join_split_word(head: str, tail: str) -> str:
    """Join a title split across two cells mid-word ("Successful Adu" + "lt Lives").

    Extraction often repeats the glyph at the split ("Get the best fro" +
    "om school"), so one repeated letter at the seam is dropped.
    """
    if head and tail and head[-1] == tail[0] and head[-1].isalpha():
        return head + tail[1:]
    return head + tail
