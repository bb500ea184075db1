"""The PDF reader: pdfplumber pages into the same `Document` as every other reader.

Steps: open (with clear errors) -> lay out each page (words, lines, ruled tables,
images) -> mark running headers and footers -> order each page's lines (two
columns when the page has them) -> lines into headings, list items and
paragraphs; table chunks joined across pages -> text cut by a page break joined.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from policylens.errors import ScannedPages, TooSlow
from policylens.model import (
    BBox,
    Block,
    Document,
    DocumentMeta,
    Heading,
    ListItem,
    Paragraph,
    Provenance,
    SourceFile,
    Table,
)
from policylens.readers.inline import cut_short, squash
from policylens.readers.layout import LayoutRules, load_layout_rules
from policylens.readers.pairs import label_tables
from policylens.readers.pdf.bands import Band, starts_within
from policylens.readers.pdf.blocks import (
    CellReading,
    Typography,
    _Run,
    heading_levels,
    image_block,
    is_heading,
    run_block,
    runs,
    table_chunk,
    typography,
)
from policylens.readers.pdf.layout import (
    ImageLayout,
    Line,
    OcrPage,
    PageLayout,
    TableLayout,
    furniture_keys,
    is_furniture,
    page_layout,
)
from policylens.readers.pdf.ocr import ocr_page, tesseract
from policylens.readers.pdf.opening import needs_turning, open_pdf, turned_page
from policylens.readers.tables import Chunk, repeated_headers
from policylens.readers.tables import logical_tables as join_chunks
from policylens.settings import ReaderSettings
from policylens.vocabulary import load_vocabulary

_SENTENCE_END = (".", "!", "?", ":", ";")


def read_pages(path: Path, settings: ReaderSettings, only: frozenset[int] | None = None) -> list[PageLayout]:
    """Lay out every page (or only the page numbers given), within the time limit."""
    glyphs = load_layout_rules(settings.layout_rules).bullet_glyphs
    deadline = time.monotonic() + settings.time_limit_s
    with open_pdf(path, settings.password) as pdf:
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            if only is not None and number not in only:
                continue
            if time.monotonic() > deadline:
                raise TooSlow(str(path), f"reading stopped at page {number} after {settings.time_limit_s:g} s")
            join = settings.join_wrapped_rows
            scanned = _ocr(page, settings, deadline) if not page.chars else None
            if scanned is not None:
                pages.append(page_layout(page, number, glyphs, join_wrapped=join, ocr=scanned))
            elif needs_turning(page):
                with turned_page(path, number, settings.password) as turned:
                    pages.append(page_layout(turned, number, glyphs, join_wrapped=join))
            else:
                pages.append(page_layout(page, number, glyphs, join_wrapped=join))
            page.flush_cache()
    return pages


def _ocr(page: Any, settings: ReaderSettings, deadline: float) -> OcrPage | None:
    """OCR'd words (and ruling lines) of a page with no text layer, when OCR is on and Tesseract is installed."""
    if not settings.ocr:
        return None
    misreads = load_layout_rules(settings.layout_rules).ocr_bullet_misreads
    return ocr_page(page, deadline - time.monotonic(), misreads)


def _without_furniture(pages: Sequence[PageLayout]) -> list[PageLayout]:
    keys = furniture_keys(pages)
    return [replace(p, lines=tuple(ln for ln in p.lines if not is_furniture(ln, p, keys))) for p in pages]


@dataclass(frozen=True, slots=True)
class _Element:
    """One thing on a page in reading order: a run of lines, a table chunk or an image."""

    page: int
    run: _Run | None = None
    chunk: Chunk | None = None
    image: ImageLayout | None = None
    label: str = ""
    """Text drawn inside a picture (a chart's labels): the figure's description."""


def _page_elements(
    page: PageLayout, type_: Typography, glyphs: frozenset[str], source: str, follows: bool
) -> list[_Element]:
    """The page's runs of lines, tables and images in reading order, column by column."""
    elements: list[_Element] = []
    for column in _columns(page):
        after_table = elements[-1].chunk is not None if elements else follows
        after_table = after_table and not column.box
        elements += _column_elements(column, page, type_, CellReading(source, type_, glyphs), after_table)
    return elements


@dataclass(frozen=True, slots=True)
class _Column:
    lines: tuple[Line, ...]
    obstacles: tuple[TableLayout | ImageLayout, ...]
    box: bool = False
    """One of boxes side by side: a table in it is a table of its own, never the one before carried on."""


def _columns(page: PageLayout) -> list[_Column]:
    """One column, or on a two-column page the left (with anything spanning both) then the right;
    on a page with boxes side by side, each box in turn between what is above and below them."""
    obstacles: list[TableLayout | ImageLayout] = [*page.tables, *page.images]
    if page.gutter is None and page.bands:
        return _band_columns(page.lines, obstacles, page.bands)
    if page.gutter is None:
        return [_Column(page.lines, tuple(obstacles))]
    gutter = page.gutter

    def right(x0: float) -> bool:
        return x0 >= gutter - 2

    return [
        _Column(
            tuple(ln for ln in page.lines if not right(ln.x0)), tuple(o for o in obstacles if not right(o.bbox.x0))
        ),
        _Column(tuple(ln for ln in page.lines if right(ln.x0)), tuple(o for o in obstacles if right(o.bbox.x0))),
    ]


def _band_columns(
    lines: Sequence[Line], obstacles: Sequence[TableLayout | ImageLayout], bands: Sequence[Band]
) -> list[_Column]:
    """The page between its bands as columns of their own, and each band as one column per box.
    The stretches follow each other down the page without overlapping (a band starting above the foot
    of the one before starts at that foot): every line and obstacle is in one column, once."""
    columns: list[_Column] = []
    above = float("-inf")
    for band in sorted(bands, key=lambda b: b.top):
        top = max(band.top, above)
        bottom = max(band.bottom, top)
        columns.append(_stretch(lines, obstacles, above, top))
        in_band = _stretch(lines, obstacles, top, bottom)
        for part in range(len(band.cuts) + 1):
            columns.append(
                _Column(
                    tuple(ln for ln in in_band.lines if band.part(ln.x0) == part),
                    tuple(o for o in in_band.obstacles if band.part(o.bbox.x0) == part),
                    box=True,
                )
            )
        above = bottom
    columns.append(_stretch(lines, obstacles, above, float("inf")))
    return columns


def _stretch(
    lines: Sequence[Line], obstacles: Sequence[TableLayout | ImageLayout], top: float, bottom: float
) -> _Column:
    """What starts between `top` and `bottom` on the page."""
    return _Column(
        tuple(ln for ln in lines if starts_within(ln.top, top, bottom)),
        tuple(o for o in obstacles if starts_within(o.bbox.top, top, bottom)),
    )


def _column_elements(
    column: _Column, page: PageLayout, type_: Typography, reading: CellReading, follows: bool
) -> list[_Element]:
    elements: list[_Element] = []
    remaining = list(column.lines)
    for obstacle in [*sorted(column.obstacles, key=lambda o: o.bbox.top), None]:
        if isinstance(obstacle, ImageLayout):
            inside = [ln for ln in remaining if _within(ln, obstacle.bbox)]
            remaining = [ln for ln in remaining if ln not in inside]
        band = [ln for ln in remaining if obstacle is None or _before(ln, obstacle.bbox)]
        band.sort(key=lambda ln: (ln.top, ln.x0))
        elements += [_Element(page.number, run=r) for r in runs(band, type_, reading.glyphs)]
        remaining = [ln for ln in remaining if ln not in band]
        if isinstance(obstacle, TableLayout):
            chunk = table_chunk(obstacle, follows and not elements, reading)
            elements.append(_Element(page.number, chunk=chunk))
        elif isinstance(obstacle, ImageLayout):
            label = " ".join(ln.text for ln in sorted(inside, key=lambda ln: (ln.top, ln.x0)))
            elements.append(_Element(page.number, image=obstacle, label=label))
    return elements


def _before(line: Line, box: BBox) -> bool:
    """Read before a table or picture: text above it, or beside it (text wrapped around a picture)."""
    beside = line.x1 <= box.x0 or line.x0 >= box.x1
    return line.top < box.top or (beside and line.top < box.bottom)


FIGURE_LABEL_MARGIN = 20.0
"""Axis labels and captions sit just outside a chart's shapes: this close (points) they are its text."""


def _within(line: Line, box: BBox) -> bool:
    margin = FIGURE_LABEL_MARGIN
    horizontal = box.x0 - 4 <= line.x0 and line.x1 <= box.x1 + 4
    return horizontal and box.top - margin <= line.top and line.bottom <= box.bottom + margin


def _elements(pages: Sequence[PageLayout], type_: Typography, glyphs: frozenset[str], source: str) -> list[_Element]:
    elements: list[_Element] = []
    for page in pages:
        follows = bool(elements) and elements[-1].chunk is not None
        elements += _page_elements(page, type_, glyphs, source, follows)
    return elements


def _blocks(elements: Sequence[_Element], type_: Typography, rules: LayoutRules, source: str) -> list[Block]:
    chunks = [e.chunk for e in elements if e.chunk is not None]
    repeated = repeated_headers(chunks)

    def logical_tables(pending: Sequence[Chunk], rules: LayoutRules, repeated: set[tuple[str, ...]]) -> list[Table]:
        return join_chunks(pending, rules, repeated, stitch_split_rows=True)

    candidates = [e.run.lines[0] for e in elements if e.run and is_heading(e.run, type_, rules)]
    levels = heading_levels(candidates)
    blocks: list[Block] = []
    pending: list[Chunk] = []
    for element in elements:
        if element.chunk is not None:
            if pending and not element.chunk.follows_previous:
                blocks += logical_tables(pending, rules, repeated)
                pending = []
            pending.append(element.chunk)
            continue
        if pending:
            blocks += logical_tables(pending, rules, repeated)
            pending = []
        if element.run is not None:
            blocks.append(run_block(element.run, type_, rules, source, levels))
        elif element.image is not None:
            blocks.append(image_block(element.image, source, element.label))
    if pending:
        blocks += logical_tables(pending, rules, repeated)
    return _join_across_pages(blocks)


def _join_across_pages(blocks: Sequence[Block]) -> list[Block]:
    """A paragraph or list item cut by a page or column break carries on at the top of the next page
    or column: in lower case, or after a word no sentence ends with ("… or whose" / "carers ask")."""
    joined: list[Block] = []
    for block in blocks:
        previous = joined[-1] if joined else None
        if (
            isinstance(block, Paragraph | ListItem)
            and isinstance(previous, Paragraph | ListItem)
            and (isinstance(block, Paragraph) or isinstance(previous, ListItem))
            and (block.text[:1].islower() or (isinstance(block, Paragraph) and cut_short(previous.text)))
            and not previous.text.rstrip().endswith(_SENTENCE_END)
            and _broken(previous.prov, block.prov)
        ):
            text = f"{previous.text} {block.text}"
            joined[-1] = replace(previous, text=text)
            continue
        joined.append(block)
    return joined


def _broken(before: Provenance, after: Provenance) -> bool:
    """A page break, or a column break: the next block starts higher up the page, to the right."""
    if before.page != after.page:
        return True
    if before.bbox is None or after.bbox is None:
        return False
    return after.bbox.top < before.bbox.top and after.bbox.x0 >= before.bbox.x1 - 1


def _drop_running_titles(blocks: Sequence[Block], title: str) -> tuple[list[Block], list[str]]:
    """The document's title repeated after its first block is page furniture, not a heading."""
    if not title:
        return list(blocks), []
    kept: list[Block] = []
    dropped: list[str] = []
    for index, block in enumerate(blocks):
        text = getattr(block, "text", "")
        if index and isinstance(block, Heading | Paragraph) and squash(text) == squash(title):
            dropped.append(f"page {block.prov.page}: running title {text!r} dropped")
            continue
        kept.append(block)
    return kept, dropped


def _not_read(settings: ReaderSettings) -> str:
    if settings.ocr and tesseract() is not None:
        return "OCR found no text on them"
    return "OCR is not performed"


def pdf_tables(path: Path, settings: ReaderSettings, only: frozenset[int] | None = None) -> list[Table]:
    """Every logical table of a PDF (or of the pages given), joined across pages."""
    rules = load_layout_rules(settings.layout_rules)
    pages = _without_furniture(read_pages(path, settings, only))
    type_ = typography(pages)
    elements = _elements(pages, type_, rules.bullet_glyphs, str(path))
    return [b for b in _blocks(elements, type_, rules, str(path)) if isinstance(b, Table)]


def _marked_as_ocr(blocks: Sequence[Block], confidence: dict[int, float]) -> list[Block]:
    """Blocks (and table rows) of OCR'd pages with the engine's confidence in their provenance."""

    def marked(prov: Provenance) -> Provenance:
        found = confidence.get(prov.page) if prov.page is not None else None
        return prov if found is None else replace(prov, ocr_confidence=found)

    if not confidence:
        return list(blocks)
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table):
            rows = tuple(replace(r, prov=marked(r.prov)) for r in block.rows)
            out.append(replace(block, rows=rows, prov=marked(block.prov)))
        else:
            out.append(replace(block, prov=marked(block.prov)))
    return out


def read_pdf(path: Path, meta: DocumentMeta, source: SourceFile, settings: ReaderSettings) -> Document:
    """Read a PDF into a `Document`."""
    rules = load_layout_rules(settings.layout_rules)
    pages = _without_furniture(read_pages(path, settings))
    textless = [p.number for p in pages if p.chars == 0]
    if len(textless) == len(pages):
        raise ScannedPages(source.path, f"no page has a text layer ({len(pages)} pages)")
    warnings = []
    if textless:
        listed = ", ".join(str(n) for n in textless)
        warnings.append(f"pages {listed} have no text layer (scanned?): {_not_read(settings)}, their text is missing")
    warnings += [
        f"page {p.number} has no text layer: its text was read by OCR (Tesseract, mean word confidence "
        f"{p.ocr_confidence:g}%); check it against the page"
        for p in pages
        if p.ocr_confidence is not None
    ]
    type_ = typography(pages)
    elements = _elements(pages, type_, rules.bullet_glyphs, source.path)
    blocks = _blocks(elements, type_, rules, source.path)
    blocks, dropped = _drop_running_titles(blocks, meta.title)
    blocks = label_tables(blocks, load_vocabulary(settings.vocabulary))
    blocks = _marked_as_ocr(blocks, {p.number: p.ocr_confidence for p in pages if p.ocr_confidence is not None})
    warnings += dropped
    if not meta.title:
        first = next((b.text for b in blocks if isinstance(b, Heading)), path.stem)
        meta = replace(meta, title=first)
    return Document(meta=meta, source=source, blocks=tuple(blocks), warnings=tuple(warnings))


__all__ = ["Provenance", "pdf_tables", "read_pdf"]
