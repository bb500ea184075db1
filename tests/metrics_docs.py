"""Small documents built by hand for the metrics unit tests."""

from __future__ import annotations

from policylens.model import (
    Document,
    DocumentMeta,
    Heading,
    Paragraph,
    Provenance,
    SourceFile,
    SourceFormat,
    Table,
    TableRow,
)

SOURCE = "text/example.txt"


def line(number: int) -> Provenance:
    """Where a block or row of the example file is: one line."""
    return Provenance(SOURCE, line_start=number, line_end=number)


def _prov(line: int) -> Provenance:
    return Provenance(SOURCE, line_start=line, line_end=line)


def document(*blocks: Paragraph | Heading | Table, doc_id: str = "example") -> Document:
    return Document(DocumentMeta(doc_id, "Example strategy"), SourceFile(SOURCE, SourceFormat.TEXT, ""), blocks)


def prose(*texts: str, heading: str = "") -> Document:
    """One paragraph per text, one line each, under an optional heading."""
    blocks: list[Paragraph | Heading] = [Heading(heading, 1, _prov(1))] if heading else []
    blocks += [Paragraph(text, _prov(len(blocks) + 1)) for text in texts]
    return document(*blocks)


def plan(*rows: tuple[str, str, str, str, str]) -> Document:
    """An action plan: Aim | Action | Outcome | Timescale | Lead, one row per line from line 3."""
    header = (("Aim", "Action", "Outcome", "Timescale", "Lead"),)
    body = tuple(TableRow(cells, _prov(3 + k)) for k, cells in enumerate(rows))
    table = Table(header, body, Provenance(SOURCE, line_start=2, line_end=2 + len(rows)))
    return document(Heading("Action plan", 1, _prov(1)), table)
