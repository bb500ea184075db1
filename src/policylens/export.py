"""Outputs for analysts: Parquet files, one DuckDB database and an Excel workbook.

The CSV and JSONL files the main job writes are the source; these formats are derived
from them, so every format holds the same rows. Every column of the CSV tables is text unless
`store.COLUMN_TYPES` names it a number, date or flag, so each has the same schema whatever the documents
(the blocks table takes its types from blocks.jsonl: a text-only build has no page numbers or boxes in it).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import duckdb

from policylens.store import COLUMN_TYPES

DATABASE_NAME = "policylens.duckdb"
WORKBOOK_NAME = "policylens.xlsx"
CSV_TABLES = ("documents", "actions", "metrics", "themes", "links", "review", "failures")
MAX_COLUMN_WIDTH = 60


EXPORT_FORMATS = ("csv", "parquet", "duckdb", "xlsx")


def export_tables(folder: Path, fmt: str) -> list[Path]:
    """The main job's tables in one format; CSV is what the main job already wrote."""
    if not (folder / "documents.csv").is_file():
        raise FileNotFoundError(f"{folder} has no documents.csv: run `policylens build` first")
    if fmt == "xlsx":
        return [write_workbook(folder)]
    if fmt == "parquet":
        return write_parquet(folder)
    if fmt == "duckdb":
        return [write_database(folder)]
    if fmt == "csv":
        return sorted(folder.glob("*.csv"))
    raise ValueError(f"unknown export format {fmt!r}: use one of {', '.join(EXPORT_FORMATS)}")


def table_files(folder: Path) -> dict[str, Path]:
    """The tables of an output folder, by table name: the fixed ones, then every audit."""
    files = {name: folder / f"{name}.csv" for name in CSV_TABLES if (folder / f"{name}.csv").is_file()}
    for audit in sorted(folder.glob("audit-*.csv")):
        files[audit.stem.replace("-", "_")] = audit
    if (folder / "blocks.jsonl").is_file():
        files["blocks"] = folder / "blocks.jsonl"
    return files


def _source(path: Path) -> str:
    quoted = str(path).replace("'", "''")
    if path.suffix == ".jsonl":
        return f"read_json_auto('{quoted}', format='newline_delimited')"
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle), [])
    # text unless the column is known to be a number, date or flag: the same schema for every run
    types = ", ".join(f"'{name}': '{COLUMN_TYPES[name]}'" for name in header if name in COLUMN_TYPES)
    return f"read_csv('{quoted}', header=true, all_varchar=true, types={{{types}}})"


def write_database(folder: Path) -> Path:
    """All tables of the folder in one DuckDB database, replaced whole."""
    target = folder / DATABASE_NAME
    temporary = folder / f".{DATABASE_NAME}.tmp"
    temporary.unlink(missing_ok=True)
    with duckdb.connect(str(temporary)) as db:
        for name, path in table_files(folder).items():
            db.execute(f"CREATE TABLE {name} AS SELECT * FROM {_source(path)}")
    temporary.replace(target)
    return target


def write_parquet(folder: Path) -> list[Path]:
    """One Parquet file per table, beside its CSV."""
    written = []
    with duckdb.connect() as db:
        for path in table_files(folder).values():
            target = folder / f"{path.stem}.parquet"
            quoted = str(target).replace("'", "''")
            db.execute(f"COPY (SELECT * FROM {_source(path)}) TO '{quoted}' (FORMAT PARQUET)")
            written.append(target)
    return written


def write_workbook(folder: Path, target: Path | None = None) -> Path:
    """One sheet per table, readable column widths, the header row frozen (auditors live in Excel)."""
    from openpyxl import Workbook  # only the Excel export needs it
    from openpyxl.styles import Font

    target = target or folder / WORKBOOK_NAME
    book = Workbook()
    book.remove(book.active)
    with duckdb.connect() as db:
        for name, path in table_files(folder).items():
            relation = db.execute(f"SELECT * FROM {_source(path)}")
            columns = [d[0] for d in relation.description]
            rows = relation.fetchall()
            sheet = book.create_sheet(name[:31])
            sheet.append(columns)
            for row in rows:
                sheet.append([_cell(v) for v in row])
                for cell in sheet[sheet.max_row]:
                    # a quoted "=HYPERLINK(...)" is text from a document, never a formula to run
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"
            for cell in sheet[1]:
                cell.font = Font(bold=True)
            sheet.freeze_panes = "A2"
            _widths(sheet, columns, rows)
    book.save(target)
    return target


EXCEL_CELL_LIMIT = 32_767
"""The most characters an Excel cell holds."""


def _cell(value: object) -> object:
    if isinstance(value, list | dict):
        value = json.dumps(value, ensure_ascii=False, default=str)
    if isinstance(value, str) and len(value) > EXCEL_CELL_LIMIT:
        note = f" … [cut at Excel's {EXCEL_CELL_LIMIT:,} characters of {len(value):,}: the CSV holds it all]"
        return value[: EXCEL_CELL_LIMIT - len(note)] + note
    return value


def _widths(sheet: object, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(columns, start=1):
        longest = max([len(str(column)), *(len(str(r[index - 1] or "")) for r in rows[:200])])
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_COLUMN_WIDTH, longest + 2)  # type: ignore[attr-defined]
