"""Action plans into `Action` records, whatever their layout.

Tables are recognised by what their headers mean (`data/action_plans.toml`), never by
document. Their rows are turned into logical action rows in five steps, in order:

1. a row before a page break with no action text is the top of the row after the break;
2. a row after a page break with nothing in its leading cells but action text only (or no
   action text), or whose every cell finishes a cell above cut short mid-sentence ("… through
   the" / "Virtual School so that …"), carries on the row above;
3. a cell that starts in lower case (or follows a cell ending in "&", "and", ",", "-")
   finishes the sentence of the cell above: its first sentence moves up;
4. a row left with no action and no aim of its own is added to the record above;
5. empty aim, lead and timescale cells were merged across rows in the original and are
   inherited from the record above in the same section (outcome too when the aim was);
   where the reader can tell a merged cell from an empty one (a PDF's ruled grid, Word,
   HTML), an empty timescale or lead cell of its own stays empty.

Bulleted lists under a commitment heading ("What we will do:", "Objective 1: ...") are
actions too, with `origin = list_item`.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from policylens.leads import split_leads
from policylens.model import (
    Action,
    ActionSource,
    Document,
    Heading,
    ListItem,
    Origin,
    Paragraph,
    RowKind,
    SubAction,
    Table,
)
from policylens.readers.inline import cut_short
from policylens.settings import IngestSettings
from policylens.timescales import parse_timescale, stated_deadline
from policylens.vocabulary import FIELDS, ActionVocabulary, column_roles, is_action_table, load_vocabulary
from policylens.vocabulary import norm as _norm

__all__ = [
    "FIELDS",
    "ActionSettings",
    "ActionVocabulary",
    "action_settings",
    "column_roles",
    "extract_actions",
    "is_action_table",
    "load_vocabulary",
    "logical_rows",
    "sub_actions",
]

_LEADING = ("source_ref", "ref", "aim")
_STITCHED = ("aim", "action", "outcome", "timescale", "lead")
_SENTENCE_END = re.compile(r"[.!?]['\")\]]?$")
_FIRST_SENTENCE = re.compile(r"^(.*?[.!?])(?:\s+|$)(.*)$", re.DOTALL)
_JOINERS = ("&", " and", ",", "-", "–")


# --- settings ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActionSettings:
    """vocabulary: a TOML file replacing the packaged header synonyms (None: packaged)."""

    vocabulary: Path | None = None

    def __post_init__(self) -> None:
        if self.vocabulary is not None and not Path(self.vocabulary).is_file():
            raise ValueError(f"The 'vocabulary' setting must be an existing TOML file. Got {self.vocabulary!r}.")


def action_settings(settings: IngestSettings | None) -> ActionSettings:
    """The action stage reads tables with the header synonyms the readers used to make them."""
    return ActionSettings(vocabulary=settings.reader.vocabulary if settings else None)


# --- table rows --------------------------------------------------------------


@dataclass
class _Row:
    """A logical action row while it is being assembled (local to one table)."""

    cells: dict[str, str]
    rows: list[int]
    raw: list[tuple[str, ...]]
    section: str
    after_break: bool
    line_start: int | None
    line_end: int | None
    page: int | None
    inherited: list[str] = field(default_factory=list)
    merged: dict[str, bool] | None = None
    """Which cells a cell above covers, when the reader could tell (None: it could not)."""

    def has(self, name: str) -> bool:
        return bool(self.cells.get(name, "").strip())

    def empty(self) -> bool:
        return not any(self.has(n) for n in FIELDS)

    def cite(self, other: _Row) -> None:
        """Record that part of another row's text now lives in this one."""
        for index, cells in zip(other.rows, other.raw, strict=True):
            if index not in self.rows:
                self.rows.append(index)
                self.raw.append(cells)
        self.line_end = max(self.line_end or 0, other.line_end or 0) or None

    def absorb(self, other: _Row, *, before: bool = False) -> None:
        """Take another row's cells, rows and lines into this one."""
        for name in FIELDS:
            mine, theirs = self.cells.get(name, ""), other.cells.get(name, "")
            self.cells[name] = _join(theirs, mine) if before else _join(mine, theirs)
        first, second = (other, self) if before else (self, other)
        self.rows = first.rows + second.rows
        self.raw = first.raw + second.raw
        self.line_start = first.line_start
        self.line_end = second.line_end
        self.page = first.page


def _join(above: str, below: str) -> str:
    """Join text from two rows: a lower-case start or a dangling joiner carries the sentence on."""
    if not above.strip():
        return below
    if not below.strip():
        return above
    carries_on = below[:1].islower() or above.rstrip().endswith(_JOINERS) or cut_short(above)
    return f"{above} {below}" if carries_on else f"{above}\n{below}"


def _table_rows(table: Table, roles: dict[str, int], default_section: str) -> list[_Row]:
    rows: list[_Row] = []
    section = default_section
    for index, row in enumerate(table.rows):
        if row.kind is RowKind.SECTION:
            section = row.label
            continue
        cells = {name: row.cells[col] if col < len(row.cells) else "" for name, col in roles.items()}
        prov = row.prov
        # after a page break the reader says only what the grid shows (a cell drawn open over the break)
        merged = None
        if row.merged:
            merged = {name: col < len(row.merged) and row.merged[col] for name, col in roles.items()}
        rows.append(
            _Row(
                cells,
                [index],
                [row.cells],
                section,
                row.after_break,
                prov.line_start,
                prov.line_end,
                prov.page,
                merged=merged,
            )
        )
    return rows


def _top_of_next(rows: list[_Row]) -> list[_Row]:
    """Step 1: a fragment row just before a page break belongs to the row after it."""
    kept: list[_Row] = []
    pending: _Row | None = None
    for i, row in enumerate(rows):
        if pending is not None:
            row.absorb(pending, before=True)
            pending = None
        following = rows[i + 1] if i + 1 < len(rows) else None
        fragment = not row.has("action") and not any(row.has(n) for n in _LEADING)
        if fragment and following is not None and following.after_break and following.section == row.section:
            pending = row
            continue
        kept.append(row)
    return kept


def _tails_after_breaks(rows: list[_Row]) -> list[_Row]:
    """Step 2: a row after a break with no leading cells and only action text (or none) goes up."""
    kept: list[_Row] = []
    for row in rows:
        previous = kept[-1] if kept else None
        only_action = all(not row.has(n) for n in FIELDS if n != "action")
        # every cell it fills finishes a cell above that stopped mid-sentence at the page break
        finishes = previous is not None and all(cut_short(previous.cells.get(n, "")) for n in FIELDS if row.has(n))
        tail = (
            row.after_break
            and not any(row.has(n) for n in _LEADING)
            and (only_action or not row.has("action") or finishes)
        )
        if tail and previous is not None and previous.section == row.section:
            previous.absorb(row)
            continue
        kept.append(row)
    return kept


def _split_first_sentence(text: str) -> tuple[str, str]:
    match = _FIRST_SENTENCE.match(text)
    if match is None:
        return text, ""
    return match.group(1), match.group(2)


def _stitch_cells(rows: list[_Row]) -> list[_Row]:
    """Step 3: a cell that finishes the sentence of the cell above gives it its first sentence."""
    for above, row in itertools.pairwise(rows):
        if above.section != row.section:
            continue
        for name in _STITCHED:
            text, upper = row.cells.get(name, ""), above.cells.get(name, "")
            if not text or not upper or _SENTENCE_END.search(upper.rstrip()):
                continue
            if text[:1].islower() or upper.rstrip().endswith(_JOINERS):
                fragment, rest = _split_first_sentence(text)
                above.cells[name] = f"{upper} {fragment}"
                row.cells[name] = rest.strip()
                above.cite(row)
                if row.merged is not None and not row.cells[name]:
                    # text running on from the cell above across the row's edge: one cell drawn as two
                    row.merged[name] = True
    return [row for row in rows if not row.empty()]


def _fold_actionless(rows: list[_Row]) -> list[_Row]:
    """Step 4: a row with no action and no aim of its own adds to the record above."""
    kept: list[_Row] = []
    for row in rows:
        previous = kept[-1] if kept else None
        orphan = not row.has("action") and not any(row.has(n) for n in _LEADING)
        if orphan and previous is not None and previous.section == row.section:
            previous.absorb(row)
            continue
        kept.append(row)
    return kept


def _inherit(rows: list[_Row]) -> list[_Row]:
    """Step 5: cells merged across rows in the original come from the record above."""
    previous: _Row | None = None
    for row in rows:
        if previous is not None and previous.section == row.section:
            aim_inherited = _take(row, previous, "aim")
            for name in ("action", "lead", "timescale"):
                _take(row, previous, name)
            if aim_inherited:
                _take(row, previous, "outcome")
        previous = row
    return rows


# an aim (and the outcome with it) heads a group of rows even when its cell is not merged;
# a timescale or lead cell of its own left empty gives none
_ONLY_WHEN_MERGED = frozenset({"timescale", "lead"})


def _take(row: _Row, previous: _Row, name: str) -> bool:
    if name not in row.cells or row.has(name) or not previous.has(name):
        return False
    if name in _ONLY_WHEN_MERGED and row.merged is not None and not row.merged.get(name, False):
        return False
    row.cells[name] = previous.cells[name]
    row.inherited.append(name)
    return True


def logical_rows(table: Table, roles: dict[str, int], default_section: str) -> list[_Row]:
    rows = _table_rows(table, roles, default_section)
    for step in (_top_of_next, _tails_after_breaks, _stitch_cells, _fold_actionless, _inherit):
        rows = step(rows)
    return rows


# --- records -----------------------------------------------------------------


def sub_actions(action: str, outcome: str, timescale: str, lead: str) -> tuple[SubAction, ...]:
    """Pair each of several actions in one cell with its own outcome, timescale and lead."""
    actions = [a for a in action.split("\n") if a.strip()]
    if len(actions) < 2:
        return ()

    def paired(cell: str) -> list[str]:
        parts = [p for p in cell.split("\n") if p.strip()]
        if len(parts) == len(actions):
            return parts
        return [parts[0] if len(parts) == 1 else ""] * len(actions)

    columns = zip(actions, paired(outcome), paired(timescale), paired(lead), strict=True)
    return tuple(SubAction(a, o, t, ld) for a, o, t, ld in columns)


def _flat(text: str) -> str:
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def _row_action(doc: Document, seq: int, row: _Row, block: int, table_no: int) -> Action:
    c = {name: _flat(row.cells.get(name, "")) for name in FIELDS}
    source = ActionSource(
        source=doc.source.path,
        block=block,
        table=table_no,
        rows=tuple(row.rows),
        cells=tuple(row.raw),
        line_start=row.line_start,
        line_end=row.line_end,
        page=row.page,
    )
    return Action(
        doc_id=doc.meta.doc_id,
        seq=seq,
        section=row.section,
        action=c["action"],
        origin=Origin.TABLE_ROW,
        source=source,
        ref=c["ref"],
        aim=c["aim"],
        outcome=c["outcome"],
        timescale=parse_timescale(c["timescale"] or stated_deadline(c["action"])),
        lead=c["lead"],
        leads=split_leads(c["lead"]),
        source_ref=c["source_ref"],
        aim_inherited="aim" in row.inherited,
        inherited=tuple(row.inherited),
        sub_actions=sub_actions(c["action"], c["outcome"], c["timescale"], c["lead"]),
    )


def _list_action(doc: Document, seq: int, item: ListItem, block: int, section: str) -> Action:
    prov = item.prov
    source = ActionSource(doc.source.path, block, None, (), ((item.text,),), prov.line_start, prov.line_end, prov.page)
    timescale = parse_timescale(stated_deadline(item.text))
    return Action(doc.meta.doc_id, seq, section, item.text, Origin.LIST_ITEM, source, timescale=timescale)


@dataclass(frozen=True, slots=True)
class _Outline:
    """The headings above the current block, outermost first."""

    headings: tuple[Heading, ...] = ()

    def enter(self, heading: Heading) -> _Outline:
        kept = tuple(h for h in self.headings if h.level < heading.level)
        return _Outline((*kept, heading))

    @property
    def current(self) -> str:
        return self.headings[-1].text if self.headings else ""


def _is_lead_in(text: str, vocabulary: ActionVocabulary) -> bool:
    """ "What we will do:", "We will", or a line ending in one before its list ("This year we will:")."""
    name = _norm(text)
    if any(name == w or name.startswith(f"{w} ") for w in vocabulary.list_lead_ins):
        return True
    return text.rstrip().endswith(":") and any(name.endswith(f" {w}") for w in vocabulary.list_lead_ins)


def _is_generic(text: str, vocabulary: ActionVocabulary) -> bool:
    name = _norm(text)
    return _is_lead_in(text, vocabulary) or any(
        name == w or name.startswith(f"{w} ") for w in vocabulary.generic_headings
    )


def _labelled(text: str, labels: Sequence[str]) -> bool:
    """ "Objective 1: ...", "Priority two: ...", "Outcome 3 – ..."."""
    return any(re.match(rf"{re.escape(w)}\s+\w+\s*[:.\-–]", text.casefold()) for w in labels)


def _section_above(seen: Sequence[Heading], vocabulary: ActionVocabulary) -> str:
    """The heading a commitment list belongs to, looking back past lead-ins ("What we will do:")
    and generic headings ("Why is it important?"): the nearest labelled section heading
    ("Priority two: Stay safe") within the current top-level part, else the nearest named heading.
    A lead-in heading no deeper than every heading before it ("Our promises" after "Introduction",
    both top level) is a section of its own, not part of the one before."""
    top = min((h.level for h in seen), default=1)
    if seen and _is_lead_in(seen[-1].text, vocabulary) and seen[-1].level <= top:
        return seen[-1].text
    fallback = ""
    for heading in reversed(seen):
        if _is_generic(heading.text, vocabulary):
            continue
        fallback = fallback or heading.text
        if _labelled(heading.text, vocabulary.section_labels) or heading.level == top:
            return heading.text if _labelled(heading.text, vocabulary.section_labels) else fallback
    return fallback


def _list_section(
    outline: _Outline, seen: Sequence[Heading], lead_in: bool, vocabulary: ActionVocabulary
) -> str | None:
    """The section of a commitment list under these headings, or None if it is not one.

    A list is a commitment list when its heading is a lead-in ("What we will do:") or a
    labelled objective ("Objective 1: ..."), or when a lead-in line introduces it.
    """
    if outline.headings and _labelled(outline.current, vocabulary.list_heading_labels):
        return outline.current
    if lead_in or (outline.headings and _is_lead_in(outline.current, vocabulary)):
        return _section_above(seen, vocabulary)
    return None


def extract_actions(doc: Document, settings: ActionSettings | None = None) -> tuple[Action, ...]:
    """Every action of a document, from action tables and commitment lists, in reading order."""
    vocabulary = load_vocabulary((settings or ActionSettings()).vocabulary)
    actions: list[Action] = []
    outline = _Outline()
    table_no = -1
    lead_in = False
    seen: list[Heading] = []
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, ListItem):
            lead_in = isinstance(block, Paragraph) and _is_lead_in(block.text, vocabulary)
        if isinstance(block, Heading):
            outline = outline.enter(block)
            seen.append(block)
        elif isinstance(block, Table):
            table_no += 1
            roles = column_roles(block.column_labels, vocabulary) if block.header else {}
            if is_action_table(roles):
                for row in logical_rows(block, roles, outline.current):
                    actions.append(_row_action(doc, len(actions) + 1, row, index, table_no))
        elif isinstance(block, ListItem):
            section = _list_section(outline, seen, lead_in, vocabulary)
            if section is None:
                continue
            if block.level > 0 and actions and actions[-1].origin is Origin.LIST_ITEM:
                actions[-1] = _extend(actions[-1], block)
            else:
                actions.append(_list_action(doc, len(actions) + 1, block, index, section))
    return tuple(actions)


def _extend(action: Action, item: ListItem) -> Action:
    """A nested bullet belongs to the commitment above it."""
    source = replace(action.source, line_end=item.prov.line_end, cells=(*action.source.cells, (item.text,)))
    return replace(action, action=f"{action.action}\n{item.text}", source=source)
