"""The HTML reader: web pages (one or several, in order) into the same `Document`.

Steps: parse with the standard library's `html.parser` into a small element tree
that keeps each element's source lines -> pick the content root (`<main>`, else
`<article>`, else `<body>`) -> drop page furniture (navigation, banners, footers,
cookie notices, breadcrumbs, scripts, forms) -> walk the tree into blocks.

Tables go through the shared `logical_tables`, so web tables are labelled like
every other reader's. Spanned cells are resolved into a rectangular grid with the
text at the span's top-left and the covered positions empty: the same shape text
and PDF extractions give merged cells, so the action stage's merged-cell rules
(blank cells take the row above's value) serve HTML unchanged; each row also says which
of its cells a rowspan covers, so an empty cell of its own is not taken for a merged one.

Label/value pairs set apart by markup ("<strong>Responsible officer:</strong> ...",
`<dl>`, two-column tables of row labels) go, with the page's other blocks, through
the step every reader ends with (`readers/pairs.py`): runs of pairs become one table
whose header is the labels, so the action stage finds pledge blocks by header meaning.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from policylens.corpus import html_pages
from policylens.errors import EmptyDocument, SourceMissing
from policylens.model import (
    Block,
    Document,
    DocumentMeta,
    Figure,
    Heading,
    ListItem,
    Paragraph,
    Provenance,
    SourceFile,
)
from policylens.readers.inline import collapse
from policylens.readers.layout import LayoutRules, load_layout_rules
from policylens.readers.pairs import LABEL_MAX_WORDS, Pair, is_pair_label, label_tables
from policylens.readers.tables import Chunk, RawRow, logical_tables
from policylens.readers.text import decode_lines
from policylens.settings import ReaderSettings
from policylens.vocabulary import load_vocabulary

_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)
_DROPPED = frozenset({"script", "style", "noscript", "form", "svg", "template", "iframe", "nav", "aside", "button"})
_LANDMARK_ROLES = frozenset({"navigation", "banner", "contentinfo", "search"})
_FURNITURE_WORDS = ("cookie", "consent", "breadcrumb", "skip-link")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "body", "html", "ul", "ol", "li", "dl", "dt", "dd", "table",
        "blockquote", "figure", "pre", "header", "footer", "address", "details", "summary", "hr", *_HEADINGS,
    }
)  # fmt: skip
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "dt", "dd", *_HEADINGS})
# A start tag of the key closes any open element of the listed tags, up to (not past) a boundary.
_IMPLIED_ENDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "li": (frozenset({"li", "p"}), frozenset({"ul", "ol"})),
    "dt": (frozenset({"dt", "dd", "p"}), frozenset({"dl"})),
    "dd": (frozenset({"dt", "dd", "p"}), frozenset({"dl"})),
    "tr": (frozenset({"tr", "td", "th", "p"}), frozenset({"table", "thead", "tbody", "tfoot"})),
    "td": (frozenset({"td", "th", "p"}), frozenset({"tr", "table"})),
    "th": (frozenset({"td", "th", "p"}), frozenset({"tr", "table"})),
    "thead": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tbody": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
    "tfoot": (frozenset({"thead", "tbody", "tfoot", "tr", "td", "th"}), frozenset({"table"})),
}


# --- the element tree ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    line: int


@dataclass
class _Element:
    """An element while the tree is built and walked; never leaves this module."""

    tag: str
    attrs: dict[str, str]
    line: int
    end_line: int
    children: list[_Element | _Text] = field(default_factory=list)

    def elements(self) -> Iterator[_Element]:
        return (c for c in self.children if isinstance(c, _Element))

    def find(self, tag: str, role: str = "") -> _Element | None:
        """The first descendant with this tag (or, given `role`, this ARIA role), in document order."""
        for child in self.elements():
            if child.tag == tag or (role and child.attrs.get("role", "").casefold() == role):
                return child
            found = child.find(tag, role)
            if found is not None:
                return found
        return None


class _TreeBuilder(HTMLParser):
    """Builds `_Element`s, closing the elements HTML lets authors leave open (li, td, p...)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("#root", {}, 1, 1)
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self._close_implied(tag)
        element = _Element(tag, {k: v or "" for k, v in attrs}, line, line)
        self.stack[-1].children.append(element)
        if tag not in _VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        self.stack[-1].children.append(_Element(tag, {k: v or "" for k, v in attrs}, line, line))

    def handle_endtag(self, tag: str) -> None:
        line = self.getpos()[0]
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                for element in self.stack[depth:]:
                    element.end_line = max(element.end_line, line)
                del self.stack[depth:]
                return
        # a stray end tag closes nothing, as browsers treat it

    def handle_data(self, data: str) -> None:
        line = self.getpos()[0]
        self.stack[-1].children.append(_Text(data, line))
        last = line + data.count("\n")
        for element in self.stack:
            element.end_line = max(element.end_line, last)

    def _close_implied(self, tag: str) -> None:
        if tag in _IMPLIED_ENDS:
            closes, boundary = _IMPLIED_ENDS[tag]
        elif tag in _BLOCK_TAGS:
            closes, boundary = frozenset({"p"}), frozenset({"div", "td", "th", "li", "dd", "blockquote", "section"})
        else:
            return
        outermost = None
        for depth in range(len(self.stack) - 1, 0, -1):
            current = self.stack[depth].tag
            if current in boundary:
                break
            if current in closes:
                outermost = depth
        if outermost is not None:
            del self.stack[outermost:]


def parse_html(text: str) -> _Element:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


# --- furniture and content root ------------------------------------------------


def is_furniture(element: _Element, inside_content: bool) -> bool:
    """Navigation, banners, footers, cookie notices, breadcrumbs, scripts and forms."""
    if element.tag in _DROPPED or "hidden" in element.attrs or element.attrs.get("aria-hidden") == "true":
        return True
    # a <header> inside <main>/<article>/<section> holds that content's own title; at page level it is the banner
    if element.tag == "footer" or (element.tag == "header" and not inside_content):
        return True
    if element.attrs.get("role", "").casefold() in _LANDMARK_ROLES:
        return True
    names = f"{element.attrs.get('class', '')} {element.attrs.get('id', '')}".casefold()
    return any(word in names for word in _FURNITURE_WORDS)


def content_root(root: _Element) -> _Element:
    """`<main>` (or `role="main"`) when present, else `<article>`, else `<body>`, else the whole page."""
    for tag, role in (("main", "main"), ("article", ""), ("body", "")):
        found = root.find(tag, role)
        if found is not None:
            return found
    return root


# --- text of elements ----------------------------------------------------------


def _pieces(element: _Element, bold: bool, inside_content: bool) -> Iterator[tuple[str, bool]]:
    for child in element.children:
        if isinstance(child, _Text):
            yield child.text, bold
        elif not is_furniture(child, inside_content) and child.tag not in ("ul", "ol"):
            inner_bold = bold or child.tag in ("b", "strong", "th")
            if child.tag in _BREAKS:
                yield "\n", False
            yield from _pieces(child, inner_bold, inside_content)
            if child.tag in _BREAKS and child.tag != "br":
                yield "\n", False


def flat_text(element: _Element) -> str:
    """The element's text on one line (nested lists left out: they are blocks of their own)."""
    return collapse("".join(p for p, _ in _pieces(element, False, True)))


def cell_text(element: _Element) -> tuple[str, bool]:
    """A cell's text, paragraphs parted by "\\n", and whether all of it is bold."""
    parts = list(_pieces(element, element.tag == "th", True))
    lines = [collapse(line) for line in "".join(p for p, _ in parts).split("\n")]
    visible = [b for p, b in parts if p.strip()]
    return "\n".join(line for line in lines if line), bool(visible) and all(visible)


# --- blocks --------------------------------------------------------------------


@dataclass
class _Walk:
    """What the walk has produced so far; local to one file."""

    source: str
    rules: LayoutRules
    blocks: list[Block | Pair] = field(default_factory=list)

    def prov(self, element: _Element) -> Provenance:
        return Provenance(self.source, None, element.line, element.end_line)


def _walk(element: _Element, walk: _Walk, inside_content: bool) -> None:
    inline: list[_Element | _Text] = []
    for child in element.children:
        if isinstance(child, _Element) and is_furniture(child, inside_content):
            continue
        if isinstance(child, _Element) and (child.tag in _BLOCK_TAGS or child.tag in ("table", "img", "hr")):
            _loose_text(inline, element, walk)
            inline = []
            _block(child, walk, inside_content or child.tag in ("main", "article", "section"))
        else:
            inline.append(child)
    _loose_text(inline, element, walk)


def _loose_text(inline: Sequence[_Element | _Text], parent: _Element, walk: _Walk) -> None:
    """Text written straight into a <div> or <section>, outside any <p>, is a paragraph too."""
    holder = _Element(parent.tag, {}, parent.line, parent.end_line, list(inline))
    text = flat_text(holder)
    if text:
        lines = [c.line for c in inline if isinstance(c, _Text) and c.text.strip()] or [parent.line]
        walk.blocks.append(Paragraph(text, Provenance(walk.source, None, min(lines), max(lines))))


def _block(element: _Element, walk: _Walk, inside_content: bool) -> None:
    tag = element.tag
    if tag in _HEADINGS:
        text = flat_text(element)
        if text:
            walk.blocks.append(Heading(text, _HEADINGS[tag], walk.prov(element)))
    elif tag in ("p", "pre", "dt", "summary", "address"):
        _paragraph(element, walk)
    elif tag in ("ul", "ol"):
        _list(element, walk, 0)
    elif tag == "dl":
        _definitions(element, walk)
    elif tag == "table":
        _table(element, walk)
    elif tag in ("figure", "img"):
        _figure(element, walk)
    elif tag != "hr":
        _walk(element, walk, inside_content)


def _paragraph(element: _Element, walk: _Walk) -> None:
    pair = _strong_label(element, walk)
    if pair is not None:
        walk.blocks.append(pair)
        return
    text = flat_text(element)
    if text:
        walk.blocks.append(Paragraph(text, walk.prov(element)))


def _strong_label(element: _Element, walk: _Walk) -> Pair | None:
    """ "<p><strong>Timeline:</strong> March 2026</p>" as a label/value pair."""
    first = next((c for c in element.children if not (isinstance(c, _Text) and not c.text.strip())), None)
    if not isinstance(first, _Element) or first.tag not in ("strong", "b"):
        return None
    label = flat_text(first)
    text = flat_text(element)
    rest = text[len(label) :].strip() if text.startswith(label) else ""
    if not label.endswith(":") and rest.startswith(":"):
        label, rest = label + ":", rest[1:].strip()
    if not is_pair_label(label) or not rest:
        return None
    return Pair(label.rstrip(":").strip(), rest, walk.prov(element), marked=True)


def _list(element: _Element, walk: _Walk, level: int) -> None:
    ordered = element.tag == "ol"
    number = _int(element.attrs.get("start"), 1)
    for item in element.elements():
        if item.tag != "li":
            if item.tag in ("ul", "ol"):  # a list nested straight in a list, as some editors write
                _list(item, walk, level + 1)
            continue
        number = _int(item.attrs.get("value"), number)
        marker = _ordinal(number, element.attrs.get("type", "1")) if ordered else "-"
        text = flat_text(item)
        if text:
            walk.blocks.append(ListItem(text, marker, level, walk.prov(_own_lines(item))))
        for nested in item.elements():
            if nested.tag in ("ul", "ol"):
                _list(nested, walk, level + 1)
        number += 1


def _own_lines(item: _Element) -> _Element:
    """The item without its nested lists, so its lines end where its own text does."""
    nested = [c for c in item.elements() if c.tag in ("ul", "ol")]
    if not nested:
        return item
    return _Element(item.tag, item.attrs, item.line, max(item.line, nested[0].line))


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value else default
    except ValueError:
        return default


def _ordinal(number: int, style: str) -> str:
    if style in ("a", "A") and 1 <= number <= 26:
        letter = chr(ord("a") + number - 1)
        return f"{letter.upper() if style == 'A' else letter}."
    return f"{number}."


def _definitions(element: _Element, walk: _Walk) -> None:
    label: _Element | None = None
    for child in element.elements():
        if child.tag == "div":  # HTML allows <div> groups of dt/dd inside <dl>
            _definitions(child, walk)
        elif child.tag == "dt":
            label = child
        elif child.tag == "dd" and label is not None:
            prov = Provenance(walk.source, None, label.line, child.end_line)
            walk.blocks.append(Pair(flat_text(label).rstrip(":").strip(), flat_text(child), prov, marked=True))


def _figure(element: _Element, walk: _Walk) -> None:
    caption = element.find("figcaption")
    image = element if element.tag == "img" else element.find("img")
    text = flat_text(caption) if caption is not None else ""
    text = text or (collapse(image.attrs.get("alt", "")) if image is not None else "")
    if text:
        walk.blocks.append(Figure(text, walk.prov(element)))


# --- tables --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Cell:
    text: str
    bold: bool
    header: bool
    rows: int
    cols: int


def _rows(table: _Element) -> Iterator[tuple[_Element, bool]]:
    """The table's own rows (not those of nested tables), each with whether it sits in <thead>."""
    for child in table.elements():
        if child.tag == "tr":
            yield child, False
        elif child.tag in ("thead", "tbody", "tfoot"):
            yield from ((row, child.tag == "thead") for row in child.elements() if row.tag == "tr")


def _cells(row: _Element) -> list[_Cell]:
    cells = []
    for cell in row.elements():
        if cell.tag in ("td", "th"):
            text, bold = cell_text(cell)
            rows = max(1, _int(cell.attrs.get("rowspan"), 1))
            cols = max(1, _int(cell.attrs.get("colspan"), 1))
            cells.append(_Cell(text, bold, cell.tag == "th", rows, cols))
    return cells


def grid(rows: Sequence[Sequence[_Cell]]) -> list[list[_Cell | None]]:
    """Spans resolved: each cell at its top-left position, the positions it covers None."""
    return _spanned(rows)[0]


def _spanned(rows: Sequence[Sequence[_Cell]]) -> tuple[list[list[_Cell | None]], set[tuple[int, int]]]:
    """The grid (see `grid`), and the positions a cell from a row above covers (rowspan)."""
    placed: dict[tuple[int, int], _Cell | None] = {}
    below: set[tuple[int, int]] = set()
    for r, cells in enumerate(rows):
        c = 0
        for cell in cells:
            while (r, c) in placed:
                c += 1
            for dr in range(min(cell.rows, len(rows) - r)):
                for dc in range(cell.cols):
                    placed[(r + dr, c + dc)] = cell if dr == dc == 0 else None
                    if dr:
                        below.add((r + dr, c + dc))
            c += cell.cols
    width = max((c + 1 for _, c in placed), default=0)
    return [[placed.get((r, c)) for c in range(width)] for r in range(len(rows))], below


def _table(element: _Element, walk: _Walk) -> None:
    caption = element.find("caption")
    if caption is not None and flat_text(caption):  # a caption titles the table: kept as the line above it
        walk.blocks.append(Paragraph(flat_text(caption), walk.prov(caption)))
    rows = list(_rows(element))
    cells, below = _spanned([_cells(row) for row, _ in rows])
    if not cells or not cells[0]:
        return
    if _is_label_table(cells, [in_head for _, in_head in rows]):
        for (row, _), (label, value) in zip(rows, cells, strict=True):
            assert label is not None and value is not None
            walk.blocks.append(Pair(label.text.rstrip(":").strip(), collapse(value.text), walk.prov(row), marked=True))
        return
    raw = [
        _raw_row(line, walk.prov(row), tuple((r, c) in below for c in range(len(line))))
        for r, ((row, _), line) in enumerate(zip(rows, cells, strict=True))
    ]
    head = 0
    while head < len(rows) and (rows[head][1] or all(c is None or c.header for c in cells[head])):
        head += 1
    # no <th> or <thead>: leave the header to the shared rules that read every other reader's tables
    chunk = Chunk(tuple(raw[head:]), tuple(raw[:head]) if head else None)
    # one chunk makes one table; it spans the element's lines, caption and closing tags included
    walk.blocks.extend(replace(t, prov=walk.prov(element)) for t in logical_tables([chunk], walk.rules))


def _raw_row(line: Sequence[_Cell | None], prov: Provenance, merged: tuple[bool, ...]) -> RawRow:
    return RawRow(tuple(c.text if c else "" for c in line), tuple(bool(c and c.bold) for c in line), prov, merged)


def _is_label_table(cells: Sequence[Sequence[_Cell | None]], in_head: Sequence[bool]) -> bool:
    """Two columns, each row a label (a row header, or text ending ":") and its value."""
    if len(cells[0]) != 2 or any(in_head) or len(cells) < 2:
        return False
    labels = [row[0] for row in cells]
    values = [row[1] for row in cells]
    if any(c is None for c in labels) or any(c is None or c.header for c in values):
        return False  # a span or a header in the value column: a real table
    if all(c is not None and c.header for c in labels):
        return all(c is not None and len(c.text.split()) <= LABEL_MAX_WORDS for c in labels)
    return all(c is not None and is_pair_label(c.text) for c in labels)


# --- documents -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Page:
    blocks: tuple[Block, ...]
    title: str


def read_page(path: Path, source: str, settings: ReaderSettings) -> _Page:
    """One HTML file into blocks; `source` is the path recorded in their provenance."""
    root = parse_html("\n".join(decode_lines(path, settings.encoding)))
    walk = _Walk(source, load_layout_rules(settings.layout_rules))
    content = content_root(root)
    _walk(content, walk, content.tag in ("main", "article") or content.attrs.get("role") == "main")
    title_element = root.find("title")
    blocks = label_tables(walk.blocks, load_vocabulary(settings.vocabulary))
    return _Page(tuple(blocks), flat_text(title_element) if title_element else "")


def read_html(path: Path, meta: DocumentMeta, source: SourceFile, settings: ReaderSettings) -> Document:
    """Read one web page, or a folder of pages in name order, into a `Document`."""
    if path.is_dir():
        pages = html_pages(path)
        if not pages:
            raise SourceMissing(source.path, "the folder holds no .html or .htm pages")
        recorded = [f"{source.path.rstrip('/')}/{page.name}" for page in pages]
        return _document([read_page(p, r, settings) for p, r in zip(pages, recorded, strict=True)], meta, source)
    return _document([read_page(path, source.path, settings)], meta, source)


def read_html_pages(
    paths: Sequence[Path], meta: DocumentMeta, source: SourceFile, settings: ReaderSettings
) -> Document:
    """Read a strategy published as several web pages, in the order given, as one `Document`.

    Each block's provenance names the file it came from (the path as given).
    """
    if not paths:
        raise SourceMissing(source.path, "no pages were given")
    return _document([read_page(p, p.as_posix(), settings) for p in paths], meta, source)


def _document(pages: Sequence[_Page], meta: DocumentMeta, source: SourceFile) -> Document:
    blocks = tuple(b for page in pages for b in page.blocks)
    if not blocks:
        raise EmptyDocument(source.path, "no text found in the page's content (after navigation and banners)")
    if not meta.title:
        meta = replace(meta, title=_title(blocks, pages, source))
    return Document(meta=meta, source=source, blocks=blocks)


def _title(blocks: Sequence[Block], pages: Sequence[_Page], source: SourceFile) -> str:
    """The first <h1> names the document itself; <title> often adds the site's name, so it comes second."""
    h1 = next((b.text for b in blocks if isinstance(b, Heading) and b.level == 1), "")
    return h1 or pages[0].title or Path(source.path).stem
