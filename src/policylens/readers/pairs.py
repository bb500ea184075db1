"""Label/value blocks into tables: one step every reader ends with.

Councils often write a commitment as labelled fields instead of a table row:

    Recruit more foster carers
    Responsible officer: Head of Fostering
    Timeline: March 2026
    Expected outcome: Twenty more carers approved

A run of such pairs becomes one `Table` whose header is the labels, one row per
record (a repeated label or a new title starts the next record), so the action
stage reads it by header meaning like any action table, whatever the format.

Pairs come with one of two kinds of evidence:

- markup: the reader saw the label set apart (HTML `<strong>Label:</strong>`, `<dt>`,
  a row header; a bold run in Word). Any short label counts, and any run of two or
  more such pairs is a table (one alone is a paragraph, "Note: ...").
- words: a line of a paragraph or heading that starts with a field label of
  `data/action_plans.toml` ("Timeline:", "Responsible officer:") and a colon; in text
  flattened onto one line (PDF paragraphs) later labels are found by their capital
  letter. Such a run becomes a table only when a record reads as an action (an action
  label or a title, and an outcome, timescale or lead, two labels at least), so
  "Date: ..." or "Source: ..." lines stay as they were read.

A record with no action label takes as its action its title: the text before its
first label in the same paragraph, else the heading or one-line paragraph just above
the run (consumed: it titled the record, not a section). Inside a paragraph a line of
plain text carries the value above on (a wrapped line), unless a label the record
already has follows it: then it titles the next record (records written with no
blank line between them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from policylens.model import Block, Heading, Paragraph, Provenance, Table, TableRow
from policylens.vocabulary import RECORD_FIELDS, ActionVocabulary, load_vocabulary

LABEL_MAX_WORDS = 6
_WORD = re.compile(r"\S+")


@dataclass(frozen=True, slots=True)
class Pair:
    """One label and its value. `marked`: the source's markup set the label apart."""

    label: str
    value: str
    prov: Provenance
    marked: bool = False


def is_pair_label(label: str) -> bool:
    """A label set apart by markup: a few words ending ":"."""
    return label.endswith(":") and 0 < len(label.rstrip(":").split()) <= LABEL_MAX_WORDS


# --- reading pairs out of text ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Label:
    start: int
    end: int
    """Just after the colon."""
    text: str


def _labels_in(line: str, vocabulary: ActionVocabulary) -> list[_Label]:
    """Known field labels followed by a colon; each opens the line or starts with a capital
    after a space, and names a field exactly (the longest such run of words before the colon)."""
    found: list[_Label] = []
    for colon in re.finditer(r":(?=\s|$)", line):
        start_of_segment = found[-1].end if found else 0
        words = list(_WORD.finditer(line, start_of_segment, colon.start()))
        for n in range(min(LABEL_MAX_WORDS, len(words)), 0, -1):
            label = line[words[-n].start() : colon.start()]
            if label[:1].isupper() and vocabulary.label_role(label) is not None:
                found.append(_Label(words[-n].start(), colon.end(), label))
                break
    return found


def split_line(line: str, vocabulary: ActionVocabulary) -> tuple[str, list[tuple[str, str]]]:
    """The text before the first known label, then each label with its value (an empty value
    drops its label: "What we will do:" introduces a list, it labels nothing)."""
    labels = _labels_in(line, vocabulary)
    while True:
        ends = [*(lb.start for lb in labels[1:]), len(line)]
        pairs = [(lb.text, line[lb.end : end].strip()) for lb, end in zip(labels, ends, strict=False)]
        empty = next((i for i, (_, value) in enumerate(pairs) if not value), None)
        if empty is None:
            break
        del labels[empty]
    before = line[: labels[0].start].strip() if labels else line.strip()
    return before, pairs


def is_label_line(line: str, vocabulary: ActionVocabulary | None = None) -> bool:
    """A line that is nothing but labelled fields ("Timeline: March 2026"): never a title."""
    before, pairs = split_line(line, vocabulary or load_vocabulary())
    return bool(pairs) and not before


def _line_provs(text: str, prov: Provenance) -> list[Provenance]:
    """Each line's own provenance when the block's lines are the source's lines, else the block's."""
    lines = text.split("\n")
    start, end = prov.line_start, prov.line_end
    if start is None or end is None or end - start != len(lines) - 1 or len(lines) == 1:
        return [prov] * len(lines)
    return [replace(prov, line_start=start + i, line_end=start + i, bbox=None) for i in range(len(lines))]


@dataclass(frozen=True, slots=True)
class _Title:
    """Text before a record's first label: its title."""

    text: str
    prov: Provenance


@dataclass(frozen=True, slots=True)
class _Piece:
    """A block read as titles and pairs, in order."""

    block: Block | None
    items: tuple[_Title | Pair, ...]

    @property
    def pairs(self) -> list[Pair]:
        return [item for item in self.items if isinstance(item, Pair)]


def _starts_record(labelled: Sequence[tuple[str, str]], record: Sequence[str]) -> bool:
    """The line's first label is one the current record already has: a new record begins."""
    return bool(labelled) and labelled[0][0].casefold() in record


def _text_piece(block: Paragraph | Heading, vocabulary: ActionVocabulary) -> _Piece | None:
    lines = [(*split_line(line, vocabulary), prov) for line, prov in zip(*_lines(block), strict=True)]
    if not any(labelled for _, labelled, _ in lines):
        return None  # most blocks: no labelled field at all
    items: list[_Title | Pair] = []
    record: list[str] = []  # the labels of the record being read
    for (before, labelled, prov), following in zip(lines, _next_labelled(lines), strict=True):
        last = items[-1] if items else None
        titles_next = not labelled and _starts_record(following, record)
        if before and isinstance(last, Pair) and not titles_next:
            items[-1] = Pair(last.label, f"{last.value} {before}", _span(last.prov, prov))  # a wrapped value
        elif before and isinstance(last, _Title):
            items[-1] = _Title(f"{last.text} {before}", _span(last.prov, prov))
        elif before:
            items.append(_Title(before, prov))
            record = []
        for label, value in labelled:
            if label.casefold() in record:
                record = []
            record.append(label.casefold())
            items.append(Pair(label, value, prov))
    if not any(isinstance(i, Pair) for i in items) or (isinstance(block, Heading) and isinstance(items[0], _Title)):
        return None
    return _Piece(block, tuple(items))


def _next_labelled(lines: Sequence[tuple[str, list[tuple[str, str]], Provenance]]) -> list[list[tuple[str, str]]]:
    """For each line, the labels of the next line that has any (read backwards: one pass)."""
    following: list[list[tuple[str, str]]] = []
    upcoming: list[tuple[str, str]] = []
    for _, labelled, _ in reversed(lines):
        following.append(upcoming)
        upcoming = labelled or upcoming
    return following[::-1]


def _lines(block: Paragraph | Heading) -> tuple[list[str], list[Provenance]]:
    return block.text.split("\n"), _line_provs(block.text, block.prov)


def _piece(block: Block | Pair, vocabulary: ActionVocabulary) -> _Piece | Block:
    if isinstance(block, Pair):
        return _Piece(None, (block,))
    if isinstance(block, Paragraph | Heading):
        return _text_piece(block, vocabulary) or block
    return block


def _span(first: Provenance, last: Provenance) -> Provenance:
    """From the start of `first` to the end of `last` (a box only when both share it)."""
    bbox = first.bbox if first.bbox == last.bbox else None
    return replace(first, line_end=last.line_end or first.line_end, bbox=bbox)


# --- records -------------------------------------------------------------------


@dataclass
class _Record:
    title: str = ""
    title_prov: Provenance | None = None
    pairs: list[Pair] = field(default_factory=list)

    def roles(self, vocabulary: ActionVocabulary) -> list[str]:
        return [role for p in self.pairs if (role := vocabulary.label_role(p.label)) is not None]

    def labelled_action(self, vocabulary: ActionVocabulary) -> bool:
        return "action" in self.roles(vocabulary)

    def has_field(self, vocabulary: ActionVocabulary) -> bool:
        return any(r in RECORD_FIELDS for r in self.roles(vocabulary))

    def is_action(self, vocabulary: ActionVocabulary) -> bool:
        """An action (label or title) and an outcome, timescale or lead; by words alone, two labels."""
        titled = bool(self.title) and not self.labelled_action(vocabulary)
        marked = any(p.marked for p in self.pairs)
        enough = marked or len(self.pairs) >= 2
        return (titled or self.labelled_action(vocabulary)) and self.has_field(vocabulary) and enough


def _records(run: Sequence[_Piece]) -> list[_Record]:
    """A title, or a label the record already has, starts the next record."""
    records: list[_Record] = []
    for item in (item for piece in run for item in piece.items):
        if isinstance(item, _Title):
            records.append(_Record(item.text, item.prov))
            continue
        current = records[-1] if records else None
        if current is None or any(p.label.casefold() == item.label.casefold() for p in current.pairs):
            current = _Record()
            records.append(current)
        current.pairs.append(item)
    return [r for r in records if r.pairs]


def _title_above(block: Block | None) -> Heading | Paragraph | None:
    """A heading, or a paragraph of one line that introduces nothing, may title the record below it."""
    if isinstance(block, Heading):
        return block
    if isinstance(block, Paragraph) and "\n" not in block.text and not block.text.rstrip().endswith(":"):
        return block
    return None


# --- tables --------------------------------------------------------------------


def _row(record: _Record, vocabulary: ActionVocabulary) -> tuple[tuple[str, ...], TableRow]:
    titled = bool(record.title) and not record.labelled_action(vocabulary)
    labels = tuple(p.label for p in record.pairs)
    values = tuple(p.value for p in record.pairs)
    first = record.title_prov if titled and record.title_prov else record.pairs[0].prov
    prov = _span(first, record.pairs[-1].prov)
    if titled:
        return (vocabulary.title_header, *labels), TableRow((record.title, *values), prov)
    return labels, TableRow(values, prov)


def _tables(records: Sequence[_Record], vocabulary: ActionVocabulary) -> list[Block]:
    """Records with the same labels, one after another, share one table."""
    out: list[Block] = []
    for record in records:
        if record.title and record.labelled_action(vocabulary):  # its own action: the title is text above it
            out.append(Paragraph(record.title, record.title_prov or record.pairs[0].prov))
        header, row = _row(record, vocabulary)
        last = out[-1] if out else None
        if isinstance(last, Table) and last.header == (header,):
            out[-1] = Table(last.header, (*last.rows, row), _span(last.prov, row.prov))
        else:
            out.append(Table((header,), (row,), row.prov))
    return out


def _run_blocks(run: Sequence[_Piece], above: Block | None, vocabulary: ActionVocabulary) -> tuple[list[Block], bool]:
    """The blocks a run of pieces becomes, and whether it took the block above as its title."""
    records = _records(run)
    first = records[0]
    title = _title_above(above)
    took = False
    if title is not None and not first.title and not first.labelled_action(vocabulary) and first.has_field(vocabulary):
        first.title, first.title_prov, took = title.text, title.prov, True
    if any(p.marked for piece in run for p in piece.pairs):
        pairs = [p for piece in run for p in piece.pairs]
        if len(pairs) == 1 and not took:  # one label alone ("Note: ...") is a paragraph, not a record
            return [Paragraph(f"{pairs[0].label}: {pairs[0].value}", pairs[0].prov)], False
        return _tables(records, vocabulary), took
    if not any(r.is_action(vocabulary) for r in records):
        return [p.block for p in run if p.block is not None], False
    return _tables(records, vocabulary), took


def label_tables(blocks: Sequence[Block | Pair], vocabulary: ActionVocabulary | None = None) -> list[Block]:
    """A reader's blocks with every run of label/value pairs read as tables (see the module)."""
    vocabulary = vocabulary or load_vocabulary()
    pieces = [_piece(b, vocabulary) for b in blocks]
    out: list[Block] = []
    i = 0
    while i < len(pieces):
        item = pieces[i]
        if not isinstance(item, _Piece):
            out.append(item)
            i += 1
            continue
        j = i
        while j < len(pieces) and isinstance(pieces[j], _Piece):
            j += 1
        run = [p for p in pieces[i:j] if isinstance(p, _Piece)]
        made, took = _run_blocks(run, out[-1] if out else None, vocabulary)
        if took:
            out.pop()
        out.extend(made)
        i = j
    return out
