"""Reader for text extractions of documents (markdown-ish `.txt` / `.md`).

Three steps, each a plain function:

1. `scan_units`: lines into units: markdown headings, list items (with their
   wrapped continuation lines), groups of plain text lines, and page chunks of
   table rows (tab-separated or markdown pipe rows).
2. Table chunks that follow each other are joined into logical tables
   (`policylens.readers.tables`).
3. `classify`: each unit becomes a block. Plain text groups become figures
   (picture descriptions), headings (bold-only, ALL-CAPS, labelled, numbered
   or short title lines) or paragraphs; context decides the doubtful cases.
4. Label/value lines ("Timeline: March 2026") become tables
   (`policylens.readers.pairs`, shared by every reader).

No rule names a document: the same cues (from `data/text_layout.toml`) serve
every file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from policylens.errors import EmptyDocument, SourceUndecodable
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
from policylens.readers.inline import clean_cell, clean_inline, collapse, squash, wholly_bold
from policylens.readers.layout import LIST_NUMBER, LayoutRules, load_layout_rules
from policylens.readers.pairs import is_label_line, label_tables
from policylens.readers.tables import Chunk, RawRow, logical_tables, repeated_headers
from policylens.settings import ReaderSettings
from policylens.vocabulary import ActionVocabulary, load_vocabulary

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_PIPE_SEPARATOR = re.compile(r"^\s*\|(\s*:?-+:?\s*\|)+\s*$")
_NUMBERED = re.compile(rf"^(\s*)({LIST_NUMBER})\s+(\S.*)$")
_QUOTES = "\"'“”‘’«»"
_SENTENCE_END = (".", "!", "?", ":", ";")


# --- units -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Span:
    start: int
    end: int
    blank_before: bool
    blank_after: bool


@dataclass(frozen=True, slots=True)
class _MdHeading:
    span: _Span
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class _Item:
    span: _Span
    marker: str
    level: int
    text: str
    dashed: bool
    """Written with an outer "- " before the marker ("- 1. To respect...")."""


@dataclass(frozen=True, slots=True)
class _TextGroup:
    span: _Span
    lines: tuple[str, ...]
    indented: bool


@dataclass(frozen=True, slots=True)
class _TableChunk:
    span: _Span
    chunk: Chunk


_Unit = _MdHeading | _Item | _TextGroup | _TableChunk


@dataclass(frozen=True, slots=True)
class _Lines:
    """The decoded lines of one file (1-based access) and how to read them."""

    source: str
    text: tuple[str, ...]
    rules: LayoutRules
    vocabulary: ActionVocabulary
    bullet: re.Pattern[str] = field(init=False)

    def __post_init__(self) -> None:
        glyphs = sorted(self.rules.bullet_glyphs, key=len, reverse=True)
        pattern = r"^(\s*)(" + "|".join(re.escape(g) for g in glyphs) + r")\s+(\S.*)$"
        object.__setattr__(self, "bullet", re.compile(pattern))

    def __len__(self) -> int:
        return len(self.text)

    def at(self, no: int) -> str:
        return self.text[no - 1]

    def blank(self, no: int) -> bool:
        return not (1 <= no <= len(self.text)) or not self.text[no - 1].strip() or self.empty_item(no)

    def empty_item(self, no: int) -> bool:
        return self.text[no - 1].strip() in self.rules.bullet_glyphs

    def kind(self, no: int) -> str:
        line = self.text[no - 1]
        if self.blank(no):
            return "blank"
        if "\t" in line:
            return "tab"
        if _PIPE_ROW.match(line):
            return "pipe"
        if _MD_HEADING.match(line):
            return "md_heading"
        if self.bullet.match(line) or _NUMBERED.match(line):
            return "item"
        return "text"

    def span(self, start: int, end: int) -> _Span:
        return _Span(start, end, self.blank(start - 1), self.blank(end + 1))


def decode_lines(path: Path, encoding: str) -> tuple[str, ...]:
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SourceUndecodable(str(path), f"line {line} is not valid {encoding} (byte {exc.start})") from None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return tuple(text.split("\n"))


def scan_units(lines: _Lines) -> Iterator[_Unit]:
    no = 1
    previous: _Unit | None = None
    while no <= len(lines):
        kind = lines.kind(no)
        if kind == "blank":
            no += 1
            continue
        unit, no = _SCANNERS[kind](lines, no, previous)
        previous = unit
        yield unit


def _run(lines: _Lines, no: int, kind: str) -> int:
    """The last line number of the run of lines of `kind` starting at `no`."""
    end = no
    while end + 1 <= len(lines) and lines.kind(end + 1) == kind:
        end += 1
    return end


def _scan_md_heading(lines: _Lines, no: int, previous: _Unit | None) -> tuple[_Unit, int]:
    match = _MD_HEADING.match(lines.at(no))
    assert match is not None
    return _MdHeading(lines.span(no, no), len(match.group(1)), match.group(2)), no + 1


def _scan_text(lines: _Lines, no: int, previous: _Unit | None) -> tuple[_Unit, int]:
    end = _run(lines, no, "text")
    group = tuple(lines.at(n) for n in range(no, end + 1))
    return _TextGroup(lines.span(no, end), group, group[0][:1].isspace()), end + 1


def _scan_item(lines: _Lines, no: int, previous: _Unit | None) -> tuple[_Unit, int]:
    marker, level, text, dashed = _parse_item(lines, lines.at(no))
    end = no
    while end + 1 <= len(lines) and lines.kind(end + 1) == "text" and _continues_item(text, lines.at(end + 1)):
        end += 1
        text = f"{text} {lines.at(end).strip()}"
    return _Item(lines.span(no, end), marker, level, text, dashed), end + 1


def _parse_item(lines: _Lines, line: str) -> tuple[str, int, str, bool]:
    """Marker, nesting level, text, and whether an outer "- " wrapped the marker."""
    match = lines.bullet.match(line) or _NUMBERED.match(line)
    assert match is not None
    indent, marker, rest = match.groups()
    dashed = False
    inner = lines.bullet.match(rest) or _NUMBERED.match(rest)
    if marker in ("-", "*") and inner is not None:
        marker, rest, dashed = inner.group(2), inner.group(3), True
    width = len(indent.expandtabs(4))
    level = 0 if width == 0 else 1 + (width - 1) // 4
    return marker, level, rest, dashed


def _continues_item(text: str, next_line: str) -> bool:
    """A wrapped line carries the item on; a new sentence after a full stop
    on an indented line is an item whose bullet glyph was lost."""
    starts_new = next_line.strip()[:1].isupper() or next_line.strip()[:1].isdigit()
    ended = text.rstrip().endswith(_SENTENCE_END)
    return not (ended and starts_new)


def _scan_chunk(lines: _Lines, no: int, previous: _Unit | None) -> tuple[_Unit, int]:
    kind = lines.kind(no)
    end = _run(lines, no, kind)
    rows = tuple(_raw_row(lines, n, kind) for n in range(no, end + 1) if not _PIPE_SEPARATOR.match(lines.at(n)))
    header: tuple[RawRow, ...] | None = None
    if kind == "pipe":
        separators = [n for n in range(no, end + 1) if _PIPE_SEPARATOR.match(lines.at(n))]
        if separators:
            n_header = separators[0] - no
            header, rows = rows[:n_header], rows[n_header:]
    follows = (
        isinstance(previous, _TableChunk)
        and previous.span.end < no
        and _only_blank_between(lines, previous.span.end, no)
    )
    return _TableChunk(lines.span(no, end), Chunk(rows, header, follows)), end + 1


def _only_blank_between(lines: _Lines, after: int, before: int) -> bool:
    return all(lines.blank(n) for n in range(after + 1, before))


def _raw_row(lines: _Lines, no: int, kind: str) -> RawRow:
    line = lines.at(no)
    parts = line.strip().removeprefix("|").removesuffix("|").split("|") if kind == "pipe" else line.split("\t")
    cells = [clean_cell(p) for p in parts]
    prov = Provenance(source=lines.source, line_start=no, line_end=no)
    return RawRow(tuple(c.text for c in cells), tuple(c.bold for c in cells), prov)


_SCANNERS = {
    "md_heading": _scan_md_heading,
    "text": _scan_text,
    "item": _scan_item,
    "tab": _scan_chunk,
    "pipe": _scan_chunk,
}


# --- blocks ----------------------------------------------------------------

_HEADING_STYLES = ("allcaps", "bold", "labelled", "plain", "numbered")
_WEB = re.compile(r"@|https?://|www\.", re.IGNORECASE)
_NUMBER_MARKER = re.compile(rf"^(?:{LIST_NUMBER})$")


@dataclass(frozen=True, slots=True)
class _HeadingCandidate:
    text: str
    style: str
    prov: Provenance


_Proto = Block | _HeadingCandidate


def read_text(path: Path, meta: DocumentMeta, source: SourceFile, settings: ReaderSettings) -> Document:
    """Read a text extraction into a `Document`."""
    rules = load_layout_rules(settings.layout_rules)
    vocabulary = load_vocabulary(settings.vocabulary)
    lines = _Lines(source.path, decode_lines(path, settings.encoding), rules, vocabulary)
    units = list(scan_units(lines))
    protos, warnings = _to_protos(units, meta, lines)
    blocks = label_tables(_assign_heading_levels(_join_page_splits(protos)), vocabulary)
    if not blocks:
        raise EmptyDocument(source.path, "no text found")
    if not meta.title:
        first = next((b.text for b in blocks if isinstance(b, Heading)), Path(source.path).stem)
        meta = DocumentMeta(meta.doc_id, first, meta.council, meta.period_start, meta.period_end)
    return Document(meta=meta, source=source, blocks=tuple(blocks), warnings=tuple(warnings))


def _to_protos(units: Sequence[_Unit], meta: DocumentMeta, lines: _Lines) -> tuple[list[_Proto], list[str]]:
    protos: list[_Proto] = []
    warnings: list[str] = []
    repeated = repeated_headers([u.chunk for u in units if isinstance(u, _TableChunk)])
    titles = _title_forms(meta, units)
    pending: list[Chunk] = []
    attribution = False
    for i, unit in enumerate(units):
        if isinstance(unit, _TableChunk):
            pending.append(unit.chunk)
            continue
        if pending:
            protos.extend(logical_tables(pending, lines.rules, repeated))
            pending = []
        before = units[i - 1] if i else None
        after = units[i + 1] if i + 1 < len(units) else None
        if isinstance(unit, _TextGroup) and i and _furniture(unit, titles):
            warnings.append(f"line {unit.span.start}: running title {unit.lines[0].strip()!r} dropped")
            continue
        context = _Context(before, after, _last_heading(protos), attribution)
        proto = _unit_to_proto(unit, context, lines)
        attribution = _is_attribution_context(proto, unit, attribution)
        protos.append(proto)
    if pending:
        protos.extend(logical_tables(pending, lines.rules, repeated))
    return protos, warnings


def _last_heading(protos: Sequence[_Proto]) -> str:
    for proto in reversed(protos):
        if isinstance(proto, Heading | _HeadingCandidate):
            return proto.text
    return ""


def _title_forms(meta: DocumentMeta, units: Sequence[_Unit]) -> set[str]:
    forms = {squash(meta.title)} if meta.title else set()
    first = units[0] if units else None
    if isinstance(first, _TextGroup) and len(first.lines) == 1:
        forms.add(squash(first.lines[0]))
    return forms - {""}


def _furniture(unit: _TextGroup, titles: set[str]) -> bool:
    return len(unit.lines) == 1 and squash(unit.lines[0]) in titles


def _prov(lines: _Lines, unit: _Unit) -> Provenance:
    return Provenance(source=lines.source, line_start=unit.span.start, line_end=unit.span.end)


@dataclass(frozen=True, slots=True)
class _Context:
    """What a unit's neighbours say about it."""

    before: _Unit | None
    after: _Unit | None
    last_heading: str
    attribution: bool
    """The unit follows a signature picture, a quotation or a name under one."""


def _unit_to_proto(unit: _Unit, context: _Context, lines: _Lines) -> _Proto:
    before, after = context.before, context.after
    prov = _prov(lines, unit)
    if isinstance(unit, _MdHeading):
        return Heading(collapse(clean_inline(unit.text)), unit.level, prov)
    if isinstance(unit, _Item):
        if _is_numbered_heading(unit, before, after):
            return _HeadingCandidate(collapse(clean_inline(f"{unit.marker} {unit.text}")), "numbered", prov)
        return ListItem(clean_inline(unit.text), unit.marker, unit.level, prov)
    assert isinstance(unit, _TextGroup)
    if unit.indented and (isinstance(before, _Item) or isinstance(after, _Item)):
        return ListItem(clean_inline(collapse(" ".join(unit.lines))), "", 0, prov)
    proto = _text_group_to_proto(unit, after, context.attribution, lines, prov)
    if isinstance(proto, _HeadingCandidate) and _repeats(proto.text, context.last_heading):
        # a title that only repeats the heading above is a caption or label, not a new section
        return Paragraph(proto.text, prov)
    return proto


def _repeats(text: str, heading: str) -> bool:
    a, b = squash(text), squash(heading)
    return bool(a and b) and (a in b or b in a)


def _depth(item: _Item) -> int:
    """How deep a number goes: "2." 1, "1.2" 2: a section's number after its last subsection's is
    a heading again, not the next item of a list."""
    return len([p for p in re.split(r"[.)]", item.marker) if p])


def _deeper(item: _Item, than: _Item) -> bool:
    """A numbered item one level down ("1.1" under "1."): what follows a section's number."""
    return _NUMBER_MARKER.match(item.marker) is not None and _depth(item) > _depth(than)


def _is_numbered_heading(unit: _Item, before: _Unit | None, after: _Unit | None) -> bool:
    return (
        _NUMBER_MARKER.match(unit.marker) is not None
        and not unit.dashed
        and unit.level == 0
        and unit.span.blank_before
        and unit.span.blank_after
        and not (isinstance(before, _Item) and _NUMBER_MARKER.match(before.marker) and _depth(before) == _depth(unit))
        and not (isinstance(after, _Item) and not _deeper(after, unit))
        and after is not None
    )


def _text_group_to_proto(
    unit: _TextGroup, after: _Unit | None, attribution: bool, lines: _Lines, prov: Provenance
) -> _Proto:
    rules = lines.rules
    raw = "\n".join(line.strip() for line in unit.lines)
    flat = clean_inline(collapse(raw))
    if is_figure_description(flat, rules):
        return Figure(flat, prov)
    if after is not None:
        bold = wholly_bold(raw)
        if bold is not None and not _opens_with_quote(bold):
            return _HeadingCandidate(collapse(clean_inline(bold)), "bold", prov)
        # "Timeline: March 2026" on a line of its own is a field of a record, not a title
        if len(unit.lines) == 1 and "**" not in raw and not is_label_line(flat, lines.vocabulary):
            style = title_style(flat, rules)
            if style == "allcaps" or (style and not (attribution and _name_like(flat))):
                return _HeadingCandidate(flat, style, prov)
    return Paragraph(clean_inline(raw), prov)


def _is_attribution_context(proto: _Proto, unit: _Unit, attribution: bool) -> bool:
    """Names and job titles follow a signature picture or a quotation, one per line."""
    if isinstance(proto, Figure):
        return True
    if isinstance(proto, Paragraph) and isinstance(unit, _TextGroup):
        text = unit.lines[0].strip()
        italic = text.startswith("*") and not text.startswith("**") and unit.lines[-1].rstrip().endswith("*")
        signed = attribution and len(unit.lines) == 1 and _name_like(proto.text)
        return italic or _opens_with_quote(text) or signed
    return False


def _opens_with_quote(text: str) -> bool:
    return text.lstrip("*_ ")[:1] in _QUOTES


def _name_like(text: str) -> bool:
    """A name, job title or source line rather than a heading."""
    words = [w for w in text.split() if len(w) > 3]
    capitalised = all(w[:1].isupper() for w in words)
    return capitalised or text.endswith(")") or bool(re.search(r"\d", text))


def is_figure_description(text: str, rules: LayoutRules) -> bool:
    """ "A vibrant, circular illustration of...", "A handwritten signature in...\""""
    words = [w.strip(",.;:()'\"").casefold() for w in text.split()]
    if len(words) < 3 or words[0] not in rules.figure_openers:
        return False
    return any(w in rules.figure_nouns for w in words[1 : rules.figure_noun_within_words + 1])


def title_style(text: str, rules: LayoutRules) -> str | None:
    """The heading style of a single plain line, or None for running text."""
    words = text.split()
    if not words or len(words) > rules.heading_max_words or not text[0].isupper():
        return None
    if _WEB.search(text) or text.endswith((".", ",", ";", "…")):
        return None
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters):
        return "allcaps"
    if _labelled(words, rules):
        return "labelled"
    lowered = [w.strip(",.:;?!()").casefold() for w in words]
    if text.endswith(":"):
        short = len(words) <= rules.colon_heading_max_words
        return "plain" if short or lowered[0] in rules.question_words else None
    if text.endswith("?") and lowered[0] in rules.question_words:
        return "plain"
    if len(words) <= rules.plain_heading_max_words:
        return "plain"
    no_verb = not any(w in rules.statement_verbs for w in lowered)
    return "plain" if no_verb and len(words) <= rules.plain_heading_max_words_no_verb else None


def _labelled(words: Sequence[str], rules: LayoutRules) -> bool:
    """ "Priority one: Live in settled families", "Outcome 2 - Provide me with..."."""
    if len(words) < 3 or words[0].casefold() not in rules.section_label_words:
        return False
    return words[1].endswith((":", ".")) or words[2] in ("-", "–", "—", ":")


def _join_page_splits(protos: Sequence[_Proto]) -> list[_Proto]:
    """Text that a page break cut in two carries on in lower case after a blank line:
    it is joined back to the paragraph or list item it belongs to."""
    joined: list[_Proto] = []
    for proto in protos:
        previous = joined[-1] if joined else None
        if isinstance(previous, _HeadingCandidate) and previous.style == "plain":
            # a title line never carries on in lower case: it was a paragraph cut by the break
            previous = Paragraph(previous.text, previous.prov)
        # a new list may open in lower case after a lead-in paragraph, so items join items only
        continues = isinstance(proto, Paragraph) or isinstance(previous, ListItem)
        if (
            continues
            and isinstance(proto, Paragraph | ListItem)
            and isinstance(previous, Paragraph | ListItem)
            and _cut_by_page_break(previous, proto)
        ):
            prov = replace(previous.prov, line_end=proto.prov.line_end)
            text = f"{previous.text} {proto.text}"
            joined[-1] = (
                Paragraph(text, prov)
                if isinstance(previous, Paragraph)
                else ListItem(text, previous.marker, previous.level, prov)
            )
            continue
        joined.append(proto)
    return joined


def _cut_by_page_break(previous: Paragraph | ListItem, proto: Paragraph | ListItem) -> bool:
    return (
        proto.text[:1].islower()
        and not previous.text.rstrip().endswith(_SENTENCE_END)
        and (proto.prov.line_start or 0) > (previous.prov.line_end or 0) + 1
    )


def _assign_heading_levels(protos: Sequence[_Proto]) -> list[Block]:
    """Markdown headings keep their level; other styles rank below them, in a fixed order."""
    md_levels = [p.level for p in protos if isinstance(p, Heading)]
    base = max(md_levels, default=0)
    present = [s for s in _HEADING_STYLES if any(isinstance(p, _HeadingCandidate) and p.style == s for p in protos)]
    rank = {style: min(6, base + 1 + i) for i, style in enumerate(present)}
    return [Heading(p.text, rank[p.style], p.prov) if isinstance(p, _HeadingCandidate) else p for p in protos]
