"""Writing records to `extracted/`: deterministic bytes, written atomically.

Two runs on the same input write byte-identical files: rows in document then
block order, fixed column order, no timestamps, "\\n" line ends.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from policylens.model import (
    SCHEMA_VERSION,
    Action,
    BBox,
    Block,
    BlockKind,
    Document,
    Failure,
    Figure,
    Heading,
    Link,
    ListItem,
    Metric,
    Paragraph,
    Provenance,
    Relation,
    ReviewPair,
    RowKind,
    Table,
    TableRow,
    ThemeAssignment,
)

DOCUMENT_COLUMNS = (
    "doc_id",
    "council",
    "title",
    "period_start",
    "period_end",
    "source",
    "format",
    "sha256",
    "schema_version",
    "n_blocks",
    *(f"n_{kind.value}" for kind in BlockKind),
    "n_warnings",
)
FAILURE_COLUMNS = ("target", "stage", "code", "message", "severity")

COLUMN_TYPES: dict[str, str] = {
    **dict.fromkeys(
        ("period_start", "period_end", "n_blocks", *(f"n_{kind.value}" for kind in BlockKind), "n_warnings"), "INTEGER"
    ),
    **dict.fromkeys(("seq", "a_seq", "b_seq", "n_sub_actions", "page", "table", "block", "row", "column"), "INTEGER"),
    **dict.fromkeys(("line_start", "line_end"), "INTEGER"),
    **dict.fromkeys(("value", "value_from", "score"), "DOUBLE"),
    **dict.fromkeys(("due_date", "from_due", "to_due"), "DATE"),
    "aim_inherited": "BOOLEAN",
}
"""The SQL type of every column of the CSV tables that is not text (by name: a name means the same in
every table). Parquet, DuckDB and Excel take their types from here, not from what one run's values look
like, so a column keeps its type whatever the documents (a text-only corpus has no page numbers)."""
ACTION_COLUMNS = (
    "action_id",
    "doc_id",
    "seq",
    "section",
    "ref",
    "source_ref",
    "aim",
    "aim_inherited",
    "action",
    "outcome",
    "timescale",
    "timescale_kind",
    "due_date",
    "timescale_dates",
    "timescale_targets",
    "lead",
    "leads",
    "inherited",
    "origin",
    "n_sub_actions",
    "sub_actions",
    "source",
    "page",
    "table",
    "block",
    "rows",
    "line_start",
    "line_end",
    "cells",
)
LIST_SEPARATOR = " | "


def action_row(action: Action) -> dict[str, Any]:
    """An action as one flat row: lists joined with " | ", nested parts as JSON."""
    source = action.source
    timescale = action.timescale
    return {
        "action_id": action.action_id,
        "doc_id": action.doc_id,
        "seq": action.seq,
        "section": action.section,
        "ref": action.ref,
        "source_ref": action.source_ref,
        "aim": action.aim,
        "aim_inherited": action.aim_inherited,
        "action": action.action,
        "outcome": action.outcome,
        "timescale": timescale.raw,
        "timescale_kind": timescale.kind.value,
        "due_date": timescale.due_date.isoformat() if timescale.due_date else "",
        "timescale_dates": LIST_SEPARATOR.join(d.isoformat() for d in timescale.dates),
        "timescale_targets": LIST_SEPARATOR.join(timescale.targets),
        "lead": action.lead,
        "leads": LIST_SEPARATOR.join(action.leads),
        "inherited": LIST_SEPARATOR.join(action.inherited),
        "origin": action.origin.value,
        "n_sub_actions": len(action.sub_actions),
        "sub_actions": json.dumps([dataclasses.asdict(s) for s in action.sub_actions], ensure_ascii=False)
        if action.sub_actions
        else "",
        "source": source.source,
        "page": source.page,
        "table": source.table,
        "block": source.block,
        "rows": LIST_SEPARATOR.join(str(r) for r in source.rows),
        "line_start": source.line_start,
        "line_end": source.line_end,
        "cells": json.dumps([list(c) for c in source.cells], ensure_ascii=False),
    }


def write_actions(actions: Sequence[Action], out: Path) -> Path:
    path = out / "actions.csv"
    write_atomic(path, csv_text(ACTION_COLUMNS, (action_row(a) for a in actions)))
    return path


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        # mkstemp makes the file private (0600); an output is as readable as any file the user writes
        Path(temp).chmod(_default_mode())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _default_mode() -> int:
    """0666 less the process's umask: the mode `open()` would give a new file."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def document_row(doc: Document) -> dict[str, Any]:
    counts = Counter(block.kind for block in doc.blocks)
    return {
        "doc_id": doc.meta.doc_id,
        "council": doc.meta.council,
        "title": doc.meta.title,
        "period_start": doc.meta.period_start,
        "period_end": doc.meta.period_end,
        "source": doc.source.path,
        "format": doc.source.format.value,
        "sha256": doc.source.sha256,
        "schema_version": SCHEMA_VERSION,
        "n_blocks": len(doc.blocks),
        **{f"n_{kind.value}": counts.get(kind, 0) for kind in BlockKind},
        "n_warnings": len(doc.warnings),
    }


def block_record(doc_id: str, index: int, block: Block) -> dict[str, Any]:
    """A block as a JSON-ready dict: its fields, provenance included, in model order."""
    fields = dataclasses.asdict(block)
    kind = fields.pop("kind")
    return {"doc_id": doc_id, "index": index, "kind": kind, **fields}


def _prov_from(raw: Mapping[str, Any]) -> Provenance:
    bbox = raw.get("bbox")
    return Provenance(
        source=raw["source"],
        page=raw.get("page"),
        line_start=raw.get("line_start"),
        line_end=raw.get("line_end"),
        bbox=BBox(**bbox) if bbox else None,
        ocr_confidence=raw.get("ocr_confidence"),
    )


def _row_from(raw: Mapping[str, Any]) -> TableRow:
    fields = {
        **raw,
        "cells": tuple(raw["cells"]),
        "prov": _prov_from(raw["prov"]),
        "kind": RowKind(raw["kind"]),
        "merged": tuple(raw.get("merged", ())),
    }
    return TableRow(**fields)


def block_from_record(record: Mapping[str, Any]) -> Block:
    """The inverse of `block_record`: a block read back from blocks.jsonl."""
    kind = BlockKind(record["kind"])
    prov = _prov_from(record["prov"])
    if kind is BlockKind.HEADING:
        return Heading(record["text"], record["level"], prov)
    if kind is BlockKind.PARAGRAPH:
        return Paragraph(record["text"], prov)
    if kind is BlockKind.LIST_ITEM:
        return ListItem(record["text"], record["marker"], record["level"], prov)
    if kind is BlockKind.FIGURE:
        return Figure(record["description"], prov)
    header = tuple(tuple(row) for row in record["header"])
    return Table(header=header, rows=tuple(_row_from(r) for r in record["rows"]), prov=prov)


def read_blocks(path: Path) -> dict[str, tuple[Block, ...]]:
    """Blocks of every document in a blocks.jsonl file, by document id, in order."""
    blocks: dict[str, list[Block]] = {}
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            blocks.setdefault(record["doc_id"], []).append(block_from_record(record))
    return {doc_id: tuple(found) for doc_id, found in blocks.items()}


def blocks_jsonl(documents: Iterable[Document]) -> str:
    lines = [
        json.dumps(block_record(doc.meta.doc_id, i, block), ensure_ascii=False)
        for doc in documents
        for i, block in enumerate(doc.blocks)
    ]
    return "".join(f"{line}\n" for line in lines)


def write_documents(documents: Sequence[Document], failures: Sequence[Failure], out: Path) -> list[Path]:
    """Write documents.csv, blocks.jsonl and failures.csv; return the paths written."""
    outputs = {
        out / "documents.csv": csv_text(DOCUMENT_COLUMNS, (document_row(d) for d in documents)),
        out / "blocks.jsonl": blocks_jsonl(documents),
        out / "failures.csv": csv_text(FAILURE_COLUMNS, (dataclasses.asdict(f) for f in failures)),
    }
    for path, text in outputs.items():
        write_atomic(path, text)
    return list(outputs)


METRIC_COLUMNS = (
    "metric_id",
    "doc_id",
    "seq",
    "indicator",
    "kind",
    "value",
    "value_from",
    "unit",
    "value_is",
    "direction",
    "period",
    "period_norm",
    "compared_with",
    "subject",
    "group",
    "comparator",
    "quote",
    "action_id",
    "restates",
    "part_of",
    "source",
    "page",
    "block",
    "table",
    "row",
    "column",
    "line_start",
    "line_end",
)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:g}" if abs(value) < 1e15 else str(value)


def metric_row(metric: Metric) -> dict[str, Any]:
    source = metric.source
    return {
        "metric_id": metric.metric_id,
        "doc_id": metric.doc_id,
        "seq": metric.seq,
        "indicator": metric.indicator,
        "kind": metric.kind.value,
        "value": _number(metric.value),
        "value_from": _number(metric.value_from),
        "unit": metric.unit.value,
        "value_is": metric.value_is.value,
        "direction": metric.direction.value if metric.direction else "",
        "period": metric.period,
        "period_norm": metric.period_norm,
        "compared_with": metric.compared_with,
        "subject": metric.subject,
        "group": metric.group,
        "comparator": metric.comparator,
        "quote": metric.quote,
        "action_id": metric.action_id,
        "restates": metric.restates,
        "part_of": metric.part_of,
        "source": source.source,
        "page": source.page,
        "block": source.block,
        "table": source.table,
        "row": source.row,
        "column": source.column,
        "line_start": source.line_start,
        "line_end": source.line_end,
    }


def write_metrics(metrics: Sequence[Metric], out: Path) -> Path:
    path = out / "metrics.csv"
    write_atomic(path, csv_text(METRIC_COLUMNS, (metric_row(m) for m in metrics)))
    return path


THEME_COLUMNS = ("doc_id", "level", "target", "section", "primary_theme", "secondary_themes", "score", "evidence")
LINK_COLUMNS = (
    "a_doc",
    "a_seq",
    "a_id",
    "a_action",
    "a_where",
    "b_doc",
    "b_seq",
    "b_id",
    "b_action",
    "b_where",
    "relation",
    "score",
    "changes",
    "restates",
    "evidence",
)
REVIEW_COLUMNS = (
    "a_id",
    "b_id",
    "decision",
    "note",
    "question",
    "score",
    "why",
    "a_action",
    "b_action",
    "a_where",
    "b_where",
    "a_context",
    "b_context",
)
"""A review sheet: the first four columns are those of a decisions file (`matching.load_decisions`)."""
AUDIT_COLUMNS = (
    "series",
    "from_doc",
    "from_id",
    "from_action",
    "from_timescale",
    "from_due",
    "from_lead",
    "from_where",
    "to_doc",
    "to_id",
    "to_action",
    "to_timescale",
    "to_due",
    "to_lead",
    "to_where",
    "relation",
    "score",
    "changes",
    "restates",
    "lineage",
    "evidence",
)


def theme_row(assignment: ThemeAssignment) -> dict[str, Any]:
    return {
        "doc_id": assignment.doc_id,
        "level": assignment.level.value,
        "target": assignment.target,
        "section": assignment.section,
        "primary_theme": assignment.primary,
        "secondary_themes": LIST_SEPARATOR.join(assignment.secondary),
        "score": f"{assignment.score:.3f}",
        "evidence": assignment.evidence,
    }


def _link_score(link: Link) -> str:
    """A link's score; blank for a commitment with no counterpart (its evidence gives its nearest candidate's
    score: a 0 here would sort and filter as though it had been scored)."""
    return "" if link.relation in (Relation.NEW, Relation.DROPPED) else f"{link.score:.3f}"


def link_row(link: Link) -> dict[str, Any]:
    return {
        "a_doc": link.a_doc,
        "a_seq": link.a_seq,
        "a_id": link.a_id,
        "a_action": link.a_action,
        "a_where": link.a_where,
        "b_doc": link.b_doc,
        "b_seq": link.b_seq,
        "b_id": link.b_id,
        "b_action": link.b_action,
        "b_where": link.b_where,
        "relation": link.relation.value,
        "score": _link_score(link),
        "changes": LIST_SEPARATOR.join(link.changes),
        "restates": link.restates,
        "evidence": link.evidence,
    }


def review_row(pair: ReviewPair) -> dict[str, Any]:
    """A pair to review, its decision and note blank for the reviewer (or as called, for a pair decided). Each
    cell is one line ("/" where a cell had line breaks), so a row's number is the same in a spreadsheet and
    in a message about the file ("review.csv:219")."""
    row = {
        "a_id": pair.a_id,
        "b_id": pair.b_id,
        "decision": pair.decision,
        "note": pair.note,
        "question": pair.question.value,
        "score": "" if pair.score is None else f"{pair.score:.3f}",
        "why": pair.why,
        "a_action": pair.a_action,
        "b_action": pair.b_action,
        "a_where": pair.a_where,
        "b_where": pair.b_where,
        "a_context": pair.a_context,
        "b_context": pair.b_context,
    }
    return {name: " / ".join(value.split("\n")) if isinstance(value, str) else value for name, value in row.items()}


def audit_row(series: str, link: Link, actions: Mapping[str, Action], lineage: Sequence[str] = ()) -> dict[str, Any]:
    """A link with both sides' deadlines and leads, and its chains through the series, for the auditor."""
    row: dict[str, Any] = {"series": series}
    for side, doc, action_id, text in (
        ("from", link.a_doc, link.a_id, link.a_action),
        ("to", link.b_doc, link.b_id, link.b_action),
    ):
        action = actions.get(action_id)
        row |= {
            f"{side}_doc": doc,
            f"{side}_id": action_id,
            f"{side}_action": text,
            f"{side}_timescale": action.timescale.raw if action else "",
            f"{side}_due": action.timescale.due_date.isoformat() if action and action.timescale.due_date else "",
            # each lead apart ("A | B"): the raw cell runs two roles together
            f"{side}_lead": (LIST_SEPARATOR.join(action.leads) or action.lead) if action else "",
            f"{side}_where": action.where if action else "",
        }
    row |= {
        "relation": link.relation.value,
        "score": _link_score(link),
        "changes": LIST_SEPARATOR.join(link.changes),
        "restates": link.restates,
        "lineage": LIST_SEPARATOR.join(lineage),
        "evidence": link.evidence,
    }
    return row


def typed_row(row: Mapping[str, object]) -> dict[str, object]:
    """A row for JSON: numbers and flags as JSON numbers and booleans (by `COLUMN_TYPES`, as Parquet and
    DuckDB type them), a blank one as null; text as written."""
    typed: dict[str, object] = {}
    for name, value in row.items():
        kind = COLUMN_TYPES.get(name)
        if kind is None or not isinstance(value, str):
            typed[name] = value
        elif value == "":
            typed[name] = None
        elif kind == "INTEGER":
            typed[name] = int(value)
        elif kind == "DOUBLE":
            typed[name] = float(value)
        elif kind == "BOOLEAN":
            typed[name] = value.casefold() == "true"
        else:
            typed[name] = value  # a date stays ISO text
    return typed


def write_table(path: Path, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> Path:
    write_atomic(path, csv_text(columns, rows))
    return path
