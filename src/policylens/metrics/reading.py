"""A document as the texts the metrics stage reads, each with what surrounds it.

Paragraphs, list items and headings are read whole; a table is read cell by cell, and a cell
paragraph by paragraph ("\\n" separates a cell's own paragraphs). Each text carries its place
(`MetricSource`), the heading above it, and, inside an action plan, the `Action` it belongs to
with the action and timescale paragraphs that pair with it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from policylens.metrics.vocab import MetricCues
from policylens.model import Action, Document, Figure, Heading, Origin, RowKind, Table, TimescaleKind
from policylens.model import MetricSource as Source
from policylens.vocabulary import column_roles, is_action_table, load_vocabulary

_WHOLE_NUMBER = re.compile(r"^\d+$")
_WORD = re.compile(r"[A-Za-z]{2,}|\b[A-Za-z]\d{1,2}\b")
"""A word, or a measure's code ("A1"): what makes a cell part of its row's label."""


@dataclass(frozen=True, slots=True)
class TextUnit:
    """One text to read and its context."""

    text: str
    source: Source
    heading: str = ""
    action: Action | None = None
    role: str = ""
    """The column's meaning in an action table ("outcome", "timescale", ...), else ""."""
    row_label: str = ""
    """The row's other cells that hold words, for a cell that holds only a figure ("LA 2021-22 | 61%")."""
    column: str = ""
    """The header of the cell's column ("2021-22" over a column of figures)."""
    paired_action: str = ""
    """The action paragraph this text pairs with, for the direction of a bare target."""
    paired_timescale: str = ""
    """The timescale paragraph this text pairs with, for the period of a target."""
    earlier: str = ""
    """The paragraphs of the same cell before this one ("2009" above "100% of CiC ...")."""
    row_cells: tuple[tuple[str, str], ...] = ()
    """The row's other filled cells with their column headers (("Baseline 2023", "52%"), ...)."""
    timescale_column: bool = False
    """The cell's column is headed as one of dates or deadlines ("Timescale", "By when"; in a table of figures,
    also "Target 2025", which the metrics stage reads as a column of targets)."""

    @property
    def in_plan(self) -> bool:
        return self.action is not None

    @property
    def complete(self) -> bool:
        """The plan says this is done: its figures are what is in place, not targets."""
        return self.action is not None and self.action.timescale.kind is TimescaleKind.COMPLETE


def read_units(doc: Document, actions: Sequence[Action], cues: MetricCues) -> Iterator[TextUnit]:
    """Every text of the document in reading order, figures left out (never body text)."""
    heading = ""
    table_no = -1
    for index, block in enumerate(doc.blocks):
        if isinstance(block, Figure):
            continue
        if isinstance(block, Table):
            table_no += 1
            yield from _table_units(
                doc, block, index=index, table_no=table_no, heading=heading, actions=actions, cues=cues
            )
            continue
        source = Source(doc.source.path, index, block.prov.page, block.prov.line_start, block.prov.line_end)
        action = _list_action(actions, index, source)
        yield TextUnit(block.text, source, heading, action, "action" if action else "")
        if isinstance(block, Heading):
            heading = block.text


def _list_action(actions: Sequence[Action], index: int, source: Source) -> Action | None:
    """The commitment-list action a list item belongs to (nested items extend the one above)."""
    for action in actions:
        s = action.source
        if action.origin is not Origin.LIST_ITEM:
            continue
        inside = s.line_start is not None and source.line_start is not None and s.line_start <= source.line_start
        if s.block == index or (inside and source.line_end is not None and source.line_end <= (s.line_end or 0)):
            return action
    return None


def _table_units(
    doc: Document,
    table: Table,
    *,
    index: int,
    table_no: int,
    heading: str,
    actions: Sequence[Action],
    cues: MetricCues,
) -> Iterator[TextUnit]:
    roles = column_roles(table.column_labels, load_vocabulary()) if table.header else {}
    plan = is_action_table(roles)
    by_column = {col: role for role, col in roles.items()} if plan else {}
    skipped = _page_number_columns(table, cues.page_number_min)
    for r, row in enumerate(table.rows):
        if row.kind is RowKind.SECTION:
            continue
        action = next((a for a in actions if a.source.table == table_no and r in a.source.rows), None) if plan else None
        for col, cell in enumerate(row.cells):
            role = by_column.get(col, "")
            if not cell.strip() or col in skipped or role in cues.skip_roles:
                continue
            prov = row.prov
            source = Source(doc.source.path, index, prov.page, prov.line_start, prov.line_end, table_no, r, col)
            label = " ".join(c for k, c in enumerate(row.cells) if k != col and _names(c, cues))
            column = _column_name(table, col)
            others = tuple((_column_name(table, k), c) for k, c in enumerate(row.cells) if k != col and c.strip())
            parts = [p for p in cell.split("\n") if p.strip()]
            for k, part in enumerate(parts):
                paired = _paired(action, role, k, len(parts))
                earlier = "\n".join(parts[:k])
                yield TextUnit(
                    part,
                    source,
                    heading,
                    action,
                    role,
                    label,
                    column,
                    *paired,
                    earlier=earlier,
                    row_cells=others,
                    timescale_column=roles.get("timescale") == col,
                )


def _names(cell: str, cues: MetricCues) -> bool:
    """Whether a cell holds words that name something (a label), not only a figure and its unit ("450 days")."""
    units = {word for phrase in cues.numbers.units_after for word in phrase.split()}
    return any(word.casefold() not in units for word in _WORD.findall(cell))


def _column_name(table: Table, col: int) -> str:
    return " ".join(h[col] for h in table.header if col < len(h))


def _paired(action: Action | None, role: str, part: int, parts: int) -> tuple[str, str]:
    """The action and timescale paragraphs that go with paragraph `part` of a plan cell."""
    if action is None:
        return "", ""
    actions = [a for a in action.action.split("\n") if a.strip()] if role != "action" else []
    timescales = [t for t in action.timescale.raw.split("\n") if t.strip()] if role != "timescale" else []
    return _pick(actions, part, parts), _pick(timescales, part, parts)


def _pick(paragraphs: list[str], part: int, parts: int) -> str:
    """Paragraphs pair when a cell lists them in parallel; a single one goes with every part."""
    if len(paragraphs) == 1:
        return paragraphs[0]
    return paragraphs[part] if len(paragraphs) == parts and part < len(paragraphs) else ""


def _page_number_columns(table: Table, minimum: int) -> set[int]:
    """The first or last column of a table with no header, all bare whole numbers that never fall
    down the table: a contents page's page numbers (a table of data names its columns)."""
    columns: set[int] = set()
    if table.header:
        return columns
    for col in {0, table.n_cols - 1}:
        cells = [row.cells[col].strip() for row in table.rows if col < len(row.cells) and row.cells[col].strip()]
        numbers = [int(c) for c in cells if _WHOLE_NUMBER.match(c)]
        if len(numbers) >= minimum and len(numbers) == len(cells) and numbers == sorted(numbers):
            columns.add(col)
    return columns
