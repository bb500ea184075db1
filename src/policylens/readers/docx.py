"""The Word reader: a `.docx` body into the same `Document` as every other reader.

The body's paragraphs and tables are read in document order. Styles say what a
paragraph is: "Title" and "Heading 1".."Heading 6" (or a style based on one) are
headings; a paragraph with list numbering (its own or its style's, as "List
Bullet" and "List Number" have) is a list item nested by its numbering level;
anything else with text is a paragraph, or a label/value pair when it opens with a
bold label ("**Timeline:** March 2026"). Like every reader it ends with the shared
label/value step (`readers/pairs.py`): runs of pairs become tables.

Word files have no lines or pages (pages are laid out only when printed), so
provenance gives `page=None` and `line_start = line_end =` the block's position
among the body's paragraphs and tables (1-based, empty paragraphs counted), which
is where to find it again in the file.

Tables go through the same chunk-joining as the other readers (one chunk per
table, its first row the header). A merged cell keeps its text in its first grid
cell; the cells it covers are left empty, as the text and PDF readers show merged
cells, so rows under a vertically merged first cell are marked `continues_above`; each row
also says which of its cells a vertical merge covers (an empty cell of its own is not merged).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.table import Table as WordTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run
from lxml.etree import XMLSyntaxError

from policylens.errors import CorruptDocx, EmptyDocument
from policylens.model import Block, Document, DocumentMeta, Heading, ListItem, Paragraph, Provenance, SourceFile
from policylens.readers.inline import collapse
from policylens.readers.layout import load_layout_rules
from policylens.readers.pairs import Pair, is_pair_label, label_tables
from policylens.readers.tables import Chunk, RawRow, logical_tables
from policylens.settings import ReaderSettings
from policylens.vocabulary import load_vocabulary

_HEADING_STYLE = re.compile(r"^heading ([1-6])$")
_LIST_STYLE_LEVEL = re.compile(r"^list (?:bullet|number|continue)(?: ([2-9]))?$")
_BULLET = "•"


def open_docx(path: Path) -> WordDocument:
    """Open a Word file, or raise `CorruptDocx` saying what is wrong."""
    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile) as exc:
        raise CorruptDocx(str(path), f"the file is not a readable Word .docx package ({exc})") from None
    except (KeyError, XMLSyntaxError, ValueError) as exc:
        raise CorruptDocx(str(path), f"the Word file is damaged ({type(exc).__name__}: {exc})") from None


def read_docx(path: Path, meta: DocumentMeta, source: SourceFile, settings: ReaderSettings) -> Document:
    """Read a Word `.docx` file into a `Document`."""
    word = open_docx(path)
    rules = load_layout_rules(settings.layout_rules)
    numbering = _Numbering.of(word)
    blocks: list[Block | Pair] = []
    for index, item in enumerate(word.iter_inner_content(), start=1):
        prov = Provenance(source=source.path, line_start=index, line_end=index)
        if isinstance(item, WordTable):
            chunk = _table_chunk(item, prov)
            if chunk is not None:
                blocks.extend(logical_tables([chunk], rules, set()))
        else:
            block = _paragraph_block(item, prov, numbering)
            if block is not None:
                blocks.append(block)
    if not blocks:
        raise EmptyDocument(source.path, "the Word file has no text")
    read = label_tables(blocks, load_vocabulary(settings.vocabulary))
    if not meta.title:
        first = next((b.text for b in read if isinstance(b, Heading)), Path(source.path).stem)
        meta = DocumentMeta(meta.doc_id, first, meta.council, meta.period_start, meta.period_end)
    return Document(meta=meta, source=source, blocks=tuple(read))


# --- paragraphs ----------------------------------------------------------------


def _style_names(paragraph: WordParagraph) -> Iterator[str]:
    """The paragraph's style name, then the names of the styles it is based on."""
    style = paragraph.style
    while style is not None:
        if style.name:
            yield style.name.casefold()
        style = style.base_style


def _heading_level(paragraph: WordParagraph) -> int | None:
    for name in _style_names(paragraph):
        if name == "title":
            return 1
        match = _HEADING_STYLE.match(name)
        if match:
            return int(match.group(1))
    return None


def _paragraph_block(paragraph: WordParagraph, prov: Provenance, numbering: _Numbering) -> Block | Pair | None:
    text = collapse(paragraph.text)
    if not text:
        return None
    level = _heading_level(paragraph)
    if level is not None:
        return Heading(text, level, prov)
    item = numbering.item(paragraph)
    if item is not None:
        marker, depth = item
        return ListItem(text, marker, depth, prov)
    return _bold_label(paragraph, prov) or Paragraph(text, prov)


def _bold(run: Run) -> bool:
    return bool(run.bold or (run.style is not None and run.style.font.bold))


def _bold_label(paragraph: WordParagraph, prov: Provenance) -> Pair | None:
    """A paragraph opening with a bold label ("**Timeline:** March 2026"), as Word authors
    write pledge blocks: the bold run sets the label apart, as `<strong>` does in HTML."""
    runs = [r for r in paragraph.runs if r.text]
    count = next((i for i, r in enumerate(runs) if not _bold(r)), len(runs))
    label = collapse("".join(r.text for r in runs[:count]))
    rest = collapse("".join(r.text for r in runs[count:]))
    if not label.endswith(":") and rest.startswith(":"):
        label, rest = f"{label}:", rest[1:].strip()
    if not is_pair_label(label) or not rest:
        return None
    return Pair(label.rstrip(":").strip(), rest, prov, marked=True)


def _num_pr(paragraph: WordParagraph) -> tuple[str | None, str | None]:
    """(numId, ilvl) from the paragraph's own numbering, else from its style chain's."""
    num_id: str | None = None
    ilvl: str | None = None
    holders = [paragraph._p.pPr]
    style = paragraph.style
    while style is not None:
        holders.append(style.element.pPr)
        style = style.base_style
    for ppr in holders:
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is None:
            continue
        num_id = num_id or _val(num_pr, "w:numId")
        ilvl = ilvl or _val(num_pr, "w:ilvl")
    return num_id, ilvl


def _val(parent: object, tag: str) -> str | None:
    child = parent.find(qn(tag)) if hasattr(parent, "find") else None
    return None if child is None else child.get(qn("w:val"))


@dataclass
class _Numbering:
    """The numbering definitions (bullet or number per list level) and running counters.

    Word stores no item numbers, only how to count: numbered items get their number
    from a counter per list, restarted below a shallower item, as Word draws them.
    """

    formats: dict[tuple[str, int], str]
    counters: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, word: WordDocument) -> _Numbering:
        try:
            root = word.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return cls({})
        abstract = {a.get(qn("w:abstractNumId")): a for a in root.findall(qn("w:abstractNum"))}
        formats: dict[tuple[str, int], str] = {}
        for num in root.findall(qn("w:num")):
            definition = abstract.get(_val(num, "w:abstractNumId"))
            for lvl in definition.findall(qn("w:lvl")) if definition is not None else ():
                formats[(num.get(qn("w:numId")), int(lvl.get(qn("w:ilvl"), "0")))] = _val(lvl, "w:numFmt") or ""
        return cls(formats)

    def item(self, paragraph: WordParagraph) -> tuple[str, int] | None:
        """(marker, level) when the paragraph is a list item."""
        num_id, ilvl = _num_pr(paragraph)
        style_level = next((m for m in map(_LIST_STYLE_LEVEL.match, _style_names(paragraph)) if m), None)
        if (num_id is None or num_id == "0") and style_level is None:
            return None
        if ilvl is not None:
            level = int(ilvl)
        else:
            level = int(style_level.group(1)) - 1 if style_level and style_level.group(1) else 0
        fmt = self.formats.get((num_id or "", level))
        if fmt is None:  # no definition: the style's name says which kind of list
            numbered = any(name.startswith("list number") for name in _style_names(paragraph))
            fmt = "decimal" if numbered else "bullet"
        if fmt in {"bullet", "none", ""}:
            return _BULLET, level
        return f"{self._count(num_id or '', level)}.", level

    def _count(self, num_id: str, level: int) -> int:
        counts = self.counters.setdefault(num_id, [0] * 9)
        counts[level] += 1
        counts[level + 1 :] = [0] * (len(counts) - level - 1)
        return counts[level]


# --- tables --------------------------------------------------------------------


def _cell_text(cell: _Cell) -> str:
    """Paragraphs of a cell, one per line, each folded to single spaces."""
    return "\n".join(t for t in (collapse(p.text) for p in cell.paragraphs) if t)


def _cell_bold(cell: _Cell) -> bool:
    runs = [r for p in cell.paragraphs for r in p.runs if r.text.strip()]
    return bool(runs) and all(r.bold or (r.style is not None and r.style.font.bold) for r in runs)


def _row_cells(tr: CT_Row, table: WordTable) -> tuple[tuple[str, ...], tuple[bool, ...], tuple[bool, ...]]:
    """One row on the table grid: a merged cell's text in its first grid cell, the rest empty;
    and which grid cells a vertically merged cell from above covers."""
    cells: list[str] = [""] * tr.grid_before
    bold: list[bool] = [False] * tr.grid_before
    merged: list[bool] = [False] * tr.grid_before
    for tc in tr.tc_lst:
        below = tc.vMerge == "continue"
        if below:
            text, is_bold = "", False
        else:
            cell = _Cell(tc, table)
            text, is_bold = _cell_text(cell), _cell_bold(cell)
        cells += [text] + [""] * (tc.grid_span - 1)
        bold += [is_bold] + [False] * (tc.grid_span - 1)
        merged += [below] * tc.grid_span
    return tuple(cells), tuple(bold), tuple(merged)


def _table_chunk(table: WordTable, prov: Provenance) -> Chunk | None:
    rows = []
    for tr in table._tbl.tr_lst:
        cells, bold, merged = _row_cells(tr, table)
        rows.append(RawRow(cells, bold, prov, merged))
    if not any(r.filled for r in rows):
        return None
    return Chunk(rows=tuple(rows[1:]), header=tuple(rows[:1]))
