"""Page layouts into the document model's blocks.

Font size and weight relative to the body text make headings; a bullet glyph or
a number at the start of a line makes a list item; a wider gap between lines
than the font's own line pitch ends a paragraph (in running text and inside
table cells alike). Tables go through the same page-chunk joining as every
other reader (`policylens.readers.tables`).
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from policylens.model import BBox, Block, Figure, Heading, ListItem, Paragraph, Provenance
from policylens.readers.inline import collapse
from policylens.readers.layout import LIST_NUMBER, LayoutRules
from policylens.readers.pdf.layout import CellLayout, ImageLayout, Line, PageLayout, TableLayout, text_columns
from policylens.readers.tables import Chunk, RawRow
from policylens.readers.text import is_figure_description

_NUMBER_MARKER = re.compile(rf"^(?:{LIST_NUMBER}|[a-z][.)])$")
_HEADING_TAGS = re.compile(r"^(H[1-6]?|Title)$")


@dataclass(frozen=True, slots=True)
class Typography:
    """The document's body text size and the normal line pitch of each font size."""

    body_size: float
    pitch: dict[float, float]

    def breaks(self, previous: Line, line: Line) -> bool:
        """A paragraph break between two lines: more space than the font's line pitch."""
        normal = self.pitch.get(line.size, line.size * 1.2)
        return line.top - previous.top > normal * 1.12 + 0.5

    def heading_size(self, line: Line) -> bool:
        return line.size >= self.body_size + 1.0

    def heading_style(self, line: Line) -> bool:
        """Set as a heading (tagged, or larger than body text): its number is not a list marker."""
        return bool(_HEADING_TAGS.match(line.tag)) or line.size >= self.body_size + 0.5


def typography(pages: Sequence[PageLayout]) -> Typography:
    """The body size is the commonest size of the running text set in regular weight: a plan that is
    mostly table, in a smaller type than its one introductory sentence, must not make that sentence a
    heading. Bold lines are headings or labels: where all the running text is bold (a title and one
    heading over a frameless plan), the body is its smallest size, never the title's. Table text counts
    only when there is no running text."""
    sizes: Counter[float] = Counter()
    bold_sizes: Counter[float] = Counter()
    table_sizes: Counter[float] = Counter()
    pitches: dict[float, list[float]] = {}
    for page in pages:
        for line in page.lines:
            (bold_sizes if line.bold else sizes)[line.size] += len(line.text)
        cells = [c.lines for t in page.tables for row in t.rows for c in row]
        for line in (ln for lines in cells for ln in lines):
            table_sizes[line.size] += len(line.text)
        for group in [*text_columns(page.lines, page.gutter), *cells]:
            for a, b in itertools.pairwise(group):
                gap = b.top - a.top
                if a.size == b.size and 0 < gap < 2 * a.size:
                    pitches.setdefault(a.size, []).append(gap)
    if sizes or not bold_sizes:
        found = sizes or table_sizes
        body = found.most_common(1)[0][0] if found else 11.0
    else:
        body = min(bold_sizes)
    normal = {size: sorted(gaps)[len(gaps) // 4] for size, gaps in pitches.items() if gaps}
    return Typography(body, normal)


def join_lines(lines: Sequence[Line]) -> str:
    """Wrapped lines into one string; a line ending in a hyphen joins the next without a space."""
    text = ""
    for line in lines:
        piece = line.text.strip()
        if not text:
            text = piece
        elif text.endswith("-") and not text.endswith(" -"):
            text += piece
        else:
            text += " " + piece
    return text


def cell_text(cell: CellLayout, type_: Typography, glyphs: frozenset[str]) -> str:
    """A table cell: its paragraphs (by line spacing or bullet glyphs) separated by "\\n"."""
    paragraphs: list[list[Line]] = []
    for line in cell.lines:
        starts_item = line.words[0].text in glyphs
        if not paragraphs or starts_item or type_.breaks(paragraphs[-1][-1], line):
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return "\n".join(_unbulleted(join_lines(p), glyphs) for p in paragraphs)


def _unbulleted(text: str, glyphs: frozenset[str]) -> str:
    """A list entry inside a cell: the "\n" before it marks it; its glyph is layout."""
    head, _, rest = text.partition(" ")
    return rest if head in glyphs and rest else text


@dataclass(frozen=True, slots=True)
class CellReading:
    """What reading a table cell needs: where it is from and how the document is set."""

    source: str
    typography: Typography
    glyphs: frozenset[str]


def _row(cells: Sequence[CellLayout], box: BBox, page: int, how: CellReading) -> RawRow:
    texts = tuple(cell_text(c, how.typography, how.glyphs) for c in cells)
    bold = tuple(bool(c.lines) and all(ln.bold for ln in c.lines) for c in cells)
    # a ruled grid tells a merged cell from an empty one; a table found by alignment cannot
    ruled = any(c.bbox is not None for c in cells)
    merged = tuple(c.merged_from_above for c in cells) if ruled else ()
    open_below = tuple(c.open_below for c in cells) if ruled else ()
    open_above = tuple(c.open_above for c in cells) if ruled else ()
    prov = Provenance(source=how.source, page=page, bbox=box)
    return RawRow(texts, bold, prov, merged, open_below, open_above)


def table_chunk(table: TableLayout, follows: bool, how: CellReading) -> Chunk:
    rows = tuple(_row(cells, box, table.page, how) for cells, box in zip(table.rows, table.row_boxes, strict=True))
    return Chunk(rows, None, follows)


# --- running text -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Run:
    """Consecutive lines that form one block."""

    lines: tuple[Line, ...]
    marker: str = ""
    level: int = 0


def _marker(line: Line, glyphs: frozenset[str]) -> str:
    first = line.words[0].text
    if first in glyphs or _NUMBER_MARKER.match(first):
        return first
    if first[:1] in glyphs and len(first) > 1 and not first[1].isalnum():
        return first[:1]
    return ""


def _same_style(a: Line, b: Line) -> bool:
    return abs(a.size - b.size) < 0.6 and a.bold == b.bold


def runs(lines: Sequence[Line], type_: Typography, glyphs: frozenset[str]) -> Iterator[_Run]:
    """Group a column of lines into blocks."""
    current: list[Line] = []
    marker, level, indent = "", 0, 0.0
    for line in lines:
        line_marker = "" if type_.heading_style(line) else _marker(line, glyphs)
        new_block = (
            not current
            or bool(line_marker)
            or not _same_style(current[-1], line)
            or type_.breaks(current[-1], line)
            or (marker and line.x0 < indent - 2)
        )
        if new_block and current:
            yield _Run(tuple(current), marker, level)
            current = []
        if new_block:
            marker = line_marker
            indent = line.words[1].x0 if marker and len(line.words) > 1 else line.x0
            level = 0
        current.append(line)
    if current:
        yield _Run(tuple(current), marker, level)


def _text_without_marker(run: _Run) -> str:
    """The item's text: the marker word dropped, or the glyph cut off a word it is glued to ("•Text")."""
    first = run.lines[0]
    if first.words[0].text == run.marker:
        rest = first.words[1:]
        return join_lines([Line(rest, first.page), *run.lines[1:]]) if rest else join_lines(run.lines[1:])
    return join_lines(run.lines)[len(run.marker) :].lstrip()


def _box(lines: Sequence[Line]) -> BBox:
    return BBox(
        min(ln.x0 for ln in lines),
        min(ln.top for ln in lines),
        max(ln.x1 for ln in lines),
        max(ln.bottom for ln in lines),
    )


def is_heading(run: _Run, type_: Typography, rules: LayoutRules) -> bool:
    text = collapse(join_lines(run.lines))
    words = text.split()
    if run.marker or not words or len(run.lines) > 4 or len(words) > 3 * rules.heading_max_words:
        return False
    first = run.lines[0]
    if _HEADING_TAGS.match(first.tag) or type_.heading_size(first):
        return True
    if len(run.lines) > 2:
        return False
    short = len(words) <= rules.heading_max_words and not text.endswith((".", ",", ";"))
    return first.bold and all(ln.bold for ln in run.lines) and short and first.size >= type_.body_size - 0.5


def run_block(
    run: _Run, type_: Typography, rules: LayoutRules, source: str, levels: dict[tuple[float, bool], int]
) -> Block:
    page = run.lines[0].page
    prov = Provenance(source=source, page=page, bbox=_box(run.lines))
    if run.marker:
        return ListItem(collapse(_text_without_marker(run)), run.marker, run.level, prov)
    text = collapse(join_lines(run.lines))
    if is_heading(run, type_, rules):
        first = run.lines[0]
        return Heading(text, levels.get((first.size, first.bold), 6), prov)
    if is_figure_description(text, rules):
        return Figure(text, prov)
    return Paragraph(text, prov)


def heading_levels(candidates: Sequence[Line]) -> dict[tuple[float, bool], int]:
    """Heading styles ranked: larger first, bold before regular at the same size."""
    styles = sorted({(ln.size, ln.bold) for ln in candidates}, key=lambda s: (-s[0], not s[1]))
    return {style: min(6, i + 1) for i, style in enumerate(styles)}


def image_block(image: ImageLayout, source: str, label: str = "") -> Figure:
    return Figure(collapse(label), Provenance(source=source, page=image.page, bbox=image.bbox))
