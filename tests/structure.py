"""The structure of a Document in the shape of tests/expected/structure/*.json."""

from __future__ import annotations

from typing import Any

from policylens.model import Document, Figure, Table, TableRow
from policylens.readers.inline import collapse


def _cells(row: TableRow) -> list[str]:
    cells = [collapse(c) for c in row.cells]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def table_structure(table: Table) -> dict[str, Any]:
    body = table.body_rows
    return {
        "first_line": table.prov.line_start,
        "last_line": table.prov.line_end,
        "header": [collapse(c) for c in table.header[0] if c.strip()] if table.header else [],
        "page_chunks": table.page_chunks,
        "body_rows": len(body),
        "section_rows": [r.label for r in table.section_rows],
        "continuation_rows": sum(1 for r in body if not r.cells[0].strip()),
        "first_body_row": _cells(body[0]) if body else [],
        "last_body_row": _cells(body[-1]) if body else [],
    }


def document_structure(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.meta.doc_id,
        "headings": [h.text for h in doc.headings],
        "figures": [b.description for b in doc.blocks if isinstance(b, Figure)],
        "tables": [table_structure(t) for t in doc.tables],
    }
