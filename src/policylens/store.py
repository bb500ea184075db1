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

from policylens.model import SCHEMA_VERSION, Block, BlockKind, Document, Failure

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
FAILURE_COLUMNS = ("target", "stage", "code", "message")


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


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
