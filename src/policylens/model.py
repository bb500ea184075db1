"""The policylens data model: every record any stage reads or writes.

All records are frozen dataclasses. Every stage is a function from records to
new records; nothing is edited in place. Every block carries a `Provenance` so
that anything extracted later can be traced back to the file, page, lines or
bounding box it came from.

This module imports nothing from the rest of the package (an import contract
checked by the test suite), so readers, extractors and stores can all share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Literal

SCHEMA_VERSION = "1.0"
"""Version of the record layout written to `extracted/`; bump on any change."""


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE = "table"
    FIGURE = "figure"


class RowKind(StrEnum):
    BODY = "body"
    SECTION = "section"
    """A group title spanning the table (e.g. a bold single-cell row)."""


class SourceFormat(StrEnum):
    TEXT = "text"
    PDF = "pdf"
    HTML = "html"
    DOCX = "docx"


@dataclass(frozen=True, slots=True)
class BBox:
    """A rectangle on a page in PDF points, origin at the top left."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a block (or row) came from.

    `source` is the file path as recorded for the document (relative to the
    corpus root for corpus documents). Text sources give a 1-based inclusive
    line span; paged sources give a page number and a bounding box. `ocr_confidence`
    is set when the text was read by OCR from an image of the page (the engine's mean
    word confidence on that page, 0-100), so a reader knows to check it against the page.
    """

    source: str
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    bbox: BBox | None = None
    ocr_confidence: float | None = None


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int
    prov: Provenance
    kind: Literal[BlockKind.HEADING] = field(default=BlockKind.HEADING, init=False)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    prov: Provenance
    kind: Literal[BlockKind.PARAGRAPH] = field(default=BlockKind.PARAGRAPH, init=False)


@dataclass(frozen=True, slots=True)
class ListItem:
    """One item of a bulleted or numbered list.

    `marker` is the bullet glyph or number as written ("-", "✓", "3.", "o");
    an empty marker means the glyph was lost in extraction but the layout
    shows an item. `level` is the nesting depth, 0 for top-level items.
    """

    text: str
    marker: str
    level: int
    prov: Provenance
    kind: Literal[BlockKind.LIST_ITEM] = field(default=BlockKind.LIST_ITEM, init=False)


@dataclass(frozen=True, slots=True)
class TableRow:
    """One row of a logical table, its cells aligned to the table's columns.

    Inside a cell, "\\n" separates paragraphs or list entries of the original
    cell; wrapped lines are already joined with spaces.

    `continues_above`: the row's first cell is empty, so it carries on the row
    above (a cell merged across rows, or a row split by a page break).
    `after_break`: the first row of a new page chunk of the same table.
    `label`: for section rows, the group title as a reader would write it.
    """

    cells: tuple[str, ...]
    prov: Provenance
    kind: RowKind = RowKind.BODY
    label: str = ""
    bold: bool = False
    continues_above: bool = False
    after_break: bool = False
    merged: tuple[bool, ...] = ()
    """Which cells a cell above covers (merged across rows in the original), when the reader can
    tell (a PDF's ruled grid, Word, HTML); () when it cannot (text extractions, tables found by
    alignment, and the first row after a page break unless the grid is drawn open over the break),
    and an empty cell may be merged or empty."""


@dataclass(frozen=True, slots=True)
class Table:
    """A logical table: chunks of one table split over pages are joined.

    `header` holds the header row(s); repeated header rows at page breaks are
    dropped from `rows` (the break is kept as `TableRow.after_break`).
    """

    header: tuple[tuple[str, ...], ...]
    rows: tuple[TableRow, ...]
    prov: Provenance
    kind: Literal[BlockKind.TABLE] = field(default=BlockKind.TABLE, init=False)

    @property
    def n_cols(self) -> int:
        widths = [len(r) for r in self.header] + [len(r.cells) for r in self.rows]
        return max(widths, default=0)

    @property
    def column_labels(self) -> tuple[str, ...]:
        """Each column's own label: the lowest header row's that names it, so under a group label
        ("Delivery" over "By when" and "Who") each column is named by its sub-label."""
        return tuple(
            next((row[i] for row in reversed(self.header) if i < len(row) and row[i].strip()), "")
            for i in range(max((len(r) for r in self.header), default=0))
        )

    @property
    def page_chunks(self) -> int:
        return 1 + sum(1 for r in self.rows if r.after_break)

    @property
    def body_rows(self) -> tuple[TableRow, ...]:
        return tuple(r for r in self.rows if r.kind is RowKind.BODY)

    @property
    def section_rows(self) -> tuple[TableRow, ...]:
        return tuple(r for r in self.rows if r.kind is RowKind.SECTION)


@dataclass(frozen=True, slots=True)
class Figure:
    """A picture: its description or caption, never body text."""

    description: str
    prov: Provenance
    kind: Literal[BlockKind.FIGURE] = field(default=BlockKind.FIGURE, init=False)


Block = Heading | Paragraph | ListItem | Table | Figure


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One file of a document, with the content hash that identifies it."""

    path: str
    format: SourceFormat
    sha256: str


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    doc_id: str
    title: str
    council: str = ""
    period_start: int | None = None
    period_end: int | None = None


@dataclass(frozen=True, slots=True)
class CorpusEntry:
    """A manifest row: one document and the files it is published as."""

    meta: DocumentMeta
    sources: tuple[SourceFile, ...]
    manifest_row: int | None = None

    def source(self, fmt: SourceFormat) -> SourceFile | None:
        return next((s for s in self.sources if s.format is fmt), None)


@dataclass(frozen=True, slots=True)
class Document:
    """What every reader returns: metadata and blocks in reading order."""

    meta: DocumentMeta
    source: SourceFile
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...] = ()

    def of_kind(self, kind: BlockKind) -> tuple[Block, ...]:
        return tuple(b for b in self.blocks if b.kind is kind)

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Heading))


class Origin(StrEnum):
    TABLE_ROW = "table_row"
    LIST_ITEM = "list_item"


class TimescaleKind(StrEnum):
    DATE = "date"
    ONGOING = "ongoing"
    RECURRING = "recurring"
    COMPLETE = "complete"
    RELATIVE = "relative"
    UNKNOWN = "unknown"
    """There is text, but it names no date or kind policylens knows."""
    NONE = "none"
    """No timescale is given."""


@dataclass(frozen=True, slots=True)
class Timescale:
    """A timescale cell read: its kind, its due date, and any targets written into it."""

    raw: str
    kind: TimescaleKind
    due_date: date | None = None
    dates: tuple[date, ...] = ()
    """Every date named, in order (a cell may give one per sub-action)."""
    targets: tuple[str, ...] = ()
    """Target text written into the cell ("2009 100%" -> "100%"), kept for the metrics stage."""


@dataclass(frozen=True, slots=True)
class SubAction:
    """One of several actions written in one cell, with its own outcome, timescale and lead."""

    action: str
    outcome: str = ""
    timescale: str = ""
    lead: str = ""


def position_name(source: str) -> str:
    """What the line numbers of a source count: Word files have no lines, so the Word reader numbers its
    blocks by their place among the body's paragraphs and tables; every other reader counts lines."""
    return "paragraph" if source.casefold().endswith(".docx") else "line"


@dataclass(frozen=True, slots=True)
class ActionSource:
    """Where an action came from, for an auditor to check by eye.

    `block` is the index of the table or list item in `Document.blocks`;
    `table` the table's number among the document's tables (None for list
    items); `rows` the table row indices that make up the record; `cells`
    those rows' cells as read.
    """

    source: str
    block: int
    table: int | None
    rows: tuple[int, ...]
    cells: tuple[tuple[str, ...], ...]
    line_start: int | None = None
    line_end: int | None = None
    page: int | None = None

    @property
    def where(self) -> str:
        """Where to look by eye: the file, then page or lines, then table and row ("text/halton-2017.txt
        line 301, table 2 row 2"; "text/halton-2017.txt lines 367-370, table 9 row 5-6"; "pdf/halton-2017.pdf
        page 7, table 2 row 2-3")."""
        return _where_in(
            self.source,
            page=self.page,
            line_start=self.line_start,
            line_end=self.line_end,
            table=self.table,
            rows=self.rows,
        )


def _where_in(
    source: str,
    *,
    page: int | None,
    line_start: int | None,
    line_end: int | None,
    table: int | None,
    rows: tuple[int, ...],
) -> str:
    """A record's place for a person, after its file: the page, or every line it runs over (its text is not all
    on the first), then its table and rows, counted from 1 ("text/halton-2017.txt lines 367-370, table 9 row
    5-6"). One rule for every record, so actions and metrics are cited alike."""
    name = position_name(source)
    if page is not None:
        at = f" page {page}"
    elif line_start and line_end and line_end > line_start:
        at = f" {name}s {line_start}-{line_end}"
    elif line_start:
        at = f" {name} {line_start}"
    else:
        at = ""
    span = "-".join(str(r + 1) for r in rows[:1] + rows[1:][-1:])
    in_table = f", table {table + 1} row {span}" if table is not None and span else ""
    in_table = in_table or (f", table {table + 1}" if table is not None else "")
    return f"{source}{at}{in_table}"


@dataclass(frozen=True, slots=True)
class Action:
    """One commitment: a logical action-plan row or a commitment-list item."""

    doc_id: str
    seq: int
    section: str
    action: str
    origin: Origin
    source: ActionSource
    ref: str = ""
    aim: str = ""
    outcome: str = ""
    timescale: Timescale = field(default_factory=lambda: Timescale("", TimescaleKind.NONE))
    lead: str = ""
    leads: tuple[str, ...] = ()
    source_ref: str = ""
    aim_inherited: bool = False
    inherited: tuple[str, ...] = ()
    sub_actions: tuple[SubAction, ...] = ()

    @property
    def action_id(self) -> str:
        return f"{self.doc_id}#{self.seq}"

    @property
    def where(self) -> str:
        """Where to check it by eye (`ActionSource.where`); when merged cells gave it its action, outcome,
        timescale or lead from the row above, says which: their text is found there, not in its own row (an
        aim heads several rows as a rule, and is not said)."""
        above = [c for c in ("action", "outcome", "timescale", "lead") if c in self.inherited]
        if not above:
            return self.source.where
        cells = " and ".join(above)
        verb = "is" if len(above) == 1 else "are"
        return f"{self.source.where} (its {cells} {verb} the row above's: merged cells)"


class MetricKind(StrEnum):
    BASELINE = "baseline"
    """A reported value."""
    TARGET = "target"
    """A level the council commits to reach or keep."""
    CHANGE = "change"
    """A reported change, from `value_from` to `value`."""


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"
    REACH = "reach"


class ValueIs(StrEnum):
    """What a metric's value states: a level, or how far a target moves today's level."""

    LEVEL = "level"
    """The level reported or aimed for ("62% are in EET", "to 75%", "at least 70%", "below 10%")."""
    CHANGE = "change"
    """The size of a change to today's level ("increase by 5%", "a 5% increase", "5 additional carers", a
    reported "41 fewer than in 2021"); `direction` says which way."""
    FACTOR = "factor"
    """A multiple of today's level, in unit `other` ("halve" 0.5, "double" 2, "four times" 4)."""


class Unit(StrEnum):
    PERCENT = "percent"
    PERCENTAGE_POINTS = "percentage_points"
    """The difference between two percentages ("up 5 percentage points"): always the size of a change
    (`ValueIs.CHANGE`), of what a percentage measures."""
    COUNT = "count"
    GBP = "gbp"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"
    HOURS = "hours"
    RATE_PER_10000 = "rate_per_10000"
    SCORE = "score"
    """A point on a scale, often an average ("the average SDQ score was 14.2")."""
    OTHER = "other"
    """Anything else; a factor ("four times", "halve" 0.5, "double" 2)."""


@dataclass(frozen=True, slots=True)
class MetricSource:
    """Where a metric was read: the block (and table cell) and its place in the file."""

    source: str
    block: int
    page: int | None = None
    line_start: int | None = None
    line_end: int | None = None
    table: int | None = None
    row: int | None = None
    column: int | None = None

    @property
    def place(self) -> str:
        """Where in its file, for a person: "line 234", "lines 120-121", "page 7, table 2 row 3"."""
        rows = () if self.row is None else (self.row,)
        where = _where_in(
            self.source, page=self.page, line_start=self.line_start, line_end=self.line_end, table=self.table, rows=rows
        )
        return where[len(self.source) :].lstrip(" ,")  # the file is said once for all of a row's figures


@dataclass(frozen=True, slots=True)
class Metric:
    """One quantitative statement: a baseline, a target or a change.

    `period` is as written ("2013-14", "by 2009"); `period_norm` is the year or
    ISO date it names ("2014", "2022-03-31"), "" when it names none.
    `action_id` links a target read inside an action row to that action. `value_is` says whether
    `value` is a level, the size of a change or a factor (a target "to 70%" is a level, "by 5%" a change).
    `restates` is the id of the first metric of the same figure stated again in the same action (the
    action's words and its timescale cell): count a figure once by leaving out metrics that restate one.
    `part_of` is the id of the total a figure breaks down, of the same indicator ("131 male" of "253 Children
    in Care", "278 (84%) children in care recorded as White British" of "330 children in care"): the totals
    are the metrics with no `part_of`. `compared_with` is the date a change is measured from, as written
    ("2021" of "41 fewer children in care than in 2021", "2022" of "an increase of 5% on 2022").
    """

    doc_id: str
    seq: int
    value: float
    unit: Unit
    kind: MetricKind
    quote: str
    source: MetricSource
    value_from: float | None = None
    direction: Direction | None = None
    period: str = ""
    period_norm: str = ""
    subject: str = ""
    indicator: str = "other"
    group: str = ""
    comparator: str = ""
    action_id: str = ""
    value_is: ValueIs = ValueIs.LEVEL
    restates: str = ""
    part_of: str = ""
    compared_with: str = ""

    @property
    def metric_id(self) -> str:
        return f"{self.doc_id}~{self.seq}"


class ThemeLevel(StrEnum):
    SECTION = "section"
    ACTION = "action"


@dataclass(frozen=True, slots=True)
class ThemeAssignment:
    """The theme of a section or an action, with what decided it.

    `target` is the action id, or the section's title; `evidence` names the terms that
    weighed most and the nearest example of the theme.
    """

    doc_id: str
    level: ThemeLevel
    target: str
    section: str
    primary: str
    secondary: tuple[str, ...]
    score: float
    evidence: str


class Relation(StrEnum):
    CARRIED_FORWARD = "carried_forward"
    """Essentially the same commitment."""
    REVISED = "revised"
    """The same aim with a changed target, deadline, scope or lead (`changes` says which)."""
    NEW = "new"
    """Only in the later (or second) document."""
    DROPPED = "dropped"
    """Only in the earlier (or first) document."""


class Question(StrEnum):
    """What a review sheet asks of a pair of commitments (`ReviewPair`)."""

    LINK = "link?"
    """Not linked: one of them is dropped or new, and the other is among its nearest candidates."""
    KEEP = "keep?"
    """Linked, with a score that only just cleared the bar."""
    DECIDED = "decided"
    """Called by a reviewer already (a row of the decisions file given), carried into the next sheet."""


@dataclass(frozen=True, slots=True)
class ReviewPair:
    """A pair of commitments worth a person's look, written as a row of a decisions file whose `decision` the
    reviewer fills in (link or not; `matching.load_decisions` skips rows left blank), or a pair already called,
    carried over so that a sheet filled in and given back loses nothing. Side a is the earlier (or first)
    document, as in `Link`."""

    a_id: str
    b_id: str
    question: Question
    score: float | None
    """The pair's score (None for a pair a reviewer called that the matcher did not score)."""
    why: str
    """Why the pair is asked about, the reason the matcher gave, and the terms the two share."""
    a_action: str
    b_action: str
    a_where: str = ""
    b_where: str = ""
    decision: str = ""
    """`link` or `not` for a pair already called (`Question.DECIDED`), else blank for the reviewer."""
    note: str = ""
    a_context: str = ""
    """The rest of side a's row (its aim and outcome), where shared terms may come from."""
    b_context: str = ""


@dataclass(frozen=True, slots=True)
class LinkDecision:
    """A person's call on a pair of commitments, which the matcher follows: `linked` True makes the two a link
    whatever their score, False keeps them apart. `file` is the decisions file it came from, which a link made
    or refused by review names (a review sheet given back is written again and its rows move); `row` its row as
    a spreadsheet numbers it, for messages about the file as it is read (`where`: "decisions.csv:4")."""

    a_id: str
    b_id: str
    linked: bool
    note: str = ""
    file: str = ""
    row: int | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.row}" if self.row is not None else self.file


@dataclass(frozen=True, slots=True)
class Link:
    """Two commitments that are the same or revised, or one that has no counterpart.

    Side a is the earlier (or first) document, side b the later (or second); a `new`
    commitment has no commitment on side a (only the document it was compared with), a
    `dropped` one none on side b.
    """

    a_doc: str
    a_id: str
    a_action: str
    b_doc: str
    b_id: str
    b_action: str
    relation: Relation
    score: float
    evidence: str
    changes: tuple[str, ...] = ()
    restates: str = ""
    """On a row that repeats a link for a commitment its document states twice: the id of the first
    statement (the link is made once, on it); empty on the link itself."""
    a_where: str = ""
    """Where to find side a by eye (`ActionSource.where`); b_where the same for side b."""
    b_where: str = ""

    @property
    def a_seq(self) -> int | None:
        return int(self.a_id.rsplit("#", 1)[1]) if self.a_id else None

    @property
    def b_seq(self) -> int | None:
        return int(self.b_id.rsplit("#", 1)[1]) if self.b_id else None


@dataclass(frozen=True, slots=True)
class Failure:
    """A document (or manifest row) that could not be processed, and why.

    severity: "error" when something was not read; "warning" when the run lost nothing by it (a
    document's text edition is missing but its PDF was read instead), so it is reported, not failed.
    """

    target: str
    stage: str
    code: str
    message: str
    severity: str = "error"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


@dataclass(frozen=True, slots=True)
class Corpus:
    root: str
    entries: tuple[CorpusEntry, ...]
    failures: tuple[Failure, ...] = ()


@dataclass(frozen=True, slots=True)
class IngestResult:
    documents: tuple[Document, ...]
    failures: tuple[Failure, ...]

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.failures)
