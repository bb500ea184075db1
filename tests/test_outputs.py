"""Outputs are deterministic, round-trip, and the committed extracted/ is reproducible."""

from __future__ import annotations

from pathlib import Path

from policylens import build
from policylens.store import read_blocks

from .conftest import CORPUS, ROOT

COMMITTED = ROOT / "extracted"
TEXT_OUTPUTS = (
    "documents.csv",
    "blocks.jsonl",
    "failures.csv",
    "actions.csv",
    "metrics.csv",
    "themes.csv",
    "links.csv",
    "review.csv",
    "audit-halton.csv",
)


def test_two_runs_write_byte_identical_outputs(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    build([CORPUS], first)
    build([CORPUS], second)
    for name in TEXT_OUTPUTS:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_committed_outputs_are_reproducible_from_the_code(tmp_path: Path) -> None:
    build([CORPUS], tmp_path)
    for name in TEXT_OUTPUTS:
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), (
            f"extracted/{name} is stale: run `python3 tasks.py run` and commit extracted/"
        )


def test_blocks_round_trip_through_jsonl(tmp_path: Path, corpus_docs) -> None:
    build([CORPUS], tmp_path)
    read_back = read_blocks(tmp_path / "blocks.jsonl")
    for doc_id, doc in corpus_docs.items():
        assert read_back[doc_id] == doc.blocks


def test_the_database_parquet_and_workbook_hold_the_csv_rows(tmp_path: Path) -> None:
    import csv

    import duckdb
    from openpyxl import load_workbook
    from typer.testing import CliRunner

    from policylens.cli import app

    build([CORPUS], tmp_path)
    assert (tmp_path / "report.html").is_file()  # the story, drawn from the tables just written
    assert len(list((tmp_path / "figures").glob("*.png"))) == 9
    with (tmp_path / "actions.csv").open(encoding="utf-8") as handle:
        n_actions = sum(1 for _ in csv.DictReader(handle))
    db = duckdb.connect(str(tmp_path / "policylens.duckdb"), read_only=True)
    tables = {row[0] for row in db.execute("select table_name from information_schema.tables").fetchall()}
    assert {
        "documents",
        "blocks",
        "actions",
        "metrics",
        "themes",
        "links",
        "review",
        "failures",
        "audit_halton",
    } <= tables
    assert db.execute("select count(*) from actions").fetchone() == (n_actions,)
    # the review sheet goes with the links: an analyst filters it by question and score in SQL
    questions = dict(db.execute("select question, count(*) from review group by question").fetchall())
    assert questions == {"link?": 768, "keep?": 50}
    assert db.execute("select typeof(score) from review limit 1").fetchone() == ("DOUBLE",)
    eet = db.execute(
        "select value, unit, line_start from metrics where doc_id = 'halton-2017' "
        "and indicator = 'care_leavers_eet' and kind = 'baseline'"
    ).fetchall()
    assert eet == [(73.0, "percent", 234)]
    parquet = str(tmp_path / "actions.parquet")
    assert duckdb.connect().execute(f"select count(*) from '{parquet}'").fetchone() == (n_actions,)

    result = CliRunner().invoke(app, ["export", "--format", "xlsx", "--from", str(tmp_path)])
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "policylens.xlsx", read_only=False)
    assert {"documents", "actions", "metrics", "review", "audit_halton", "blocks"} <= set(book.sheetnames)
    sheet = book["actions"]
    assert sheet.freeze_panes == "A2" and sheet.max_row == n_actions + 1
    assert [c.value for c in sheet[1]][:2] == ["action_id", "doc_id"]

    result = CliRunner().invoke(app, ["export", "--format", "csv", "--from", str(tmp_path)])
    assert (
        result.exit_code == 0 and "The main job wrote these already" in result.output and "Wrote" not in result.output
    )

    result = CliRunner().invoke(app, ["export", "--from", str(tmp_path / "nowhere")])
    assert result.exit_code == 1 and "run `policylens build` first" in result.output


def test_the_workbook_keeps_text_that_looks_like_a_formula_as_text(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from policylens.export import EXCEL_CELL_LIMIT, _cell, write_workbook

    plan = tmp_path / "plan.txt"
    plan.write_text('# Plan\n\nWhat we will do:\n\n- =HYPERLINK("http://example.org","Apply") for every carer\n')
    build([plan], tmp_path / "out", story=False)
    book = load_workbook(write_workbook(tmp_path / "out"))
    (cell,) = [c for row in book["actions"].iter_rows() for c in row if str(c.value).startswith("=HYPERLINK")]
    assert cell.data_type == "s"  # a document's text, never a formula to run
    assert _cell(["a", 1]) == '["a", 1]'  # JSON, not Python's repr
    long = _cell("x" * (EXCEL_CELL_LIMIT + 10))
    assert isinstance(long, str) and len(long) == EXCEL_CELL_LIMIT and "the CSV holds it all" in long


def test_the_audit_says_where_to_find_each_side() -> None:
    import csv

    with (ROOT / "extracted" / "audit-halton.csv").open(encoding="utf-8") as handle:
        rows = {(r["from_id"], r["to_id"]): r for r in csv.DictReader(handle)}
    row = rows[("halton-2008#11", "halton-2017#32")]
    assert row["from_where"] == "text/halton-2008.txt line 215, table 1 row 14"
    assert (
        row["to_where"]
        == "text/halton-2017.txt lines 367-370, table 9 row 5-6 (its lead is the row above's: merged cells)"
    )
    line = (ROOT / "corpus" / "text" / "halton-2017.txt").read_text("utf-8").splitlines()[366]
    assert "We will continue to offer you Review Health Assessments" in line
    with (ROOT / "extracted" / "links.csv").open(encoding="utf-8") as handle:
        links = {(r["a_id"], r["b_id"]): r for r in csv.DictReader(handle)}
    link = links[("halton-2008#11", "halton-2017#32")]
    assert (link["a_where"], link["b_where"]) == (row["from_where"], row["to_where"])
    dropped = next(r for r in links.values() if r["relation"] == "dropped")
    assert dropped["a_where"].startswith("text/") and dropped["b_where"] == ""
    # between two councils "dropped" only says which side a commitment is on, and the evidence says so
    with (ROOT / "extracted" / "links.csv").open(encoding="utf-8") as handle:
        every = list(csv.DictReader(handle))  # a dropped commitment has a row for each document it is compared with
    (apart,) = [r for r in every if r["a_id"] == "cheshire-east-2015#1" and r["b_doc"] == "halton-2017"]
    assert apart["relation"] == "dropped"
    assert apart["evidence"].startswith("no counterpart in halton-2017, of another series; nearest: ")


def test_exported_columns_have_the_same_types_whatever_the_documents(tmp_path: Path) -> None:
    import duckdb

    from policylens.export import write_database, write_parquet

    plan = tmp_path / "plan.txt"
    plan.write_text("# Plan\n\nWhat we will do:\n\n- Recruit 10 more foster carers by March 2026\n", encoding="utf-8")
    build([plan], tmp_path / "out", story=False)
    database = write_database(tmp_path / "out")
    with duckdb.connect(str(database), read_only=True) as db:
        actions = dict(db.execute("select column_name, column_type from (describe actions)").fetchall())
        failures = dict(db.execute("select column_name, column_type from (describe failures)").fetchall())
    # a text file has no pages and no row of a table: the columns are still numbers, not text inferred from blanks
    assert (actions["page"], actions["table"], actions["seq"]) == ("INTEGER", "INTEGER", "INTEGER")
    assert (actions["due_date"], actions["aim_inherited"], actions["ref"]) == ("DATE", "BOOLEAN", "VARCHAR")
    assert set(failures.values()) == {"VARCHAR"}  # an empty table keeps its text columns
    parquet = next(p for p in write_parquet(tmp_path / "out") if p.stem == "actions")
    described = dict(
        duckdb.connect().execute(f"select column_name, column_type from (describe '{parquet}')").fetchall()
    )
    assert described["page"] == "INTEGER" and described["due_date"] == "DATE"


def test_the_audit_names_changed_targets_as_the_metrics_read_them() -> None:
    """2008's "Increase the number of foster carers by 10%" became 2017's "Additional 10 households per year":
    a change of 10% to a change of 10, read by the metrics stage (counts count; signs say a change)."""
    import csv

    with (ROOT / "extracted" / "audit-halton.csv").open(encoding="utf-8") as handle:
        rows = {(r["from_id"], r["to_id"]): r for r in csv.DictReader(handle)}
    carers = rows[("halton-2008#21", "halton-2017#1")]
    assert carers["relation"] == "revised" and carers["changes"].startswith("target: +10% -> +10 | deadline: 2009")
    # what the two targets measure is not known: the change says so, not a cut from 100% to 32
    assessments = rows[("halton-2008#12", "halton-2017#30")]
    assert assessments["changes"].startswith("target: 100% -> 32 (not known to measure the same) | ")
    council = rows[("halton-2008#65", "halton-2017#39")]
    assert council["changes"].startswith("target: +5% (satisfaction) -> +50% (participation) | ")
