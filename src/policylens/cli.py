"""The command line: a thin layer, one library call per command.

Only this module prints. Library errors arrive as `Failure` records or
`PolicylensError`s and are turned into messages here.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from policylens import __version__
from policylens.errors import PolicylensError
from policylens.export import export_tables
from policylens.model import Failure, LinkDecision, Question, Relation, ReviewPair
from policylens.pipeline import (
    BuildResult,
    actions_for,
    audit,
    build,
    compare,
    ingest_to,
    metrics_for,
    table_record,
    tables_of_file,
)
from policylens.readers import supported_formats
from policylens.settings import IngestSettings, ReaderSettings, parse_formats
from policylens.store import (
    ACTION_COLUMNS,
    AUDIT_COLUMNS,
    LINK_COLUMNS,
    METRIC_COLUMNS,
    REVIEW_COLUMNS,
    action_row,
    csv_text,
    link_row,
    metric_row,
    review_row,
    typed_row,
    write_table,
)

app = typer.Typer(
    help="Read councils' strategy documents: structure, action plans, targets, and how they changed.",
    no_args_is_help=True,
    add_completion=False,
)
err = Console(stderr=True, soft_wrap=True)
out = Console(soft_wrap=True)

DEFAULT_CORPUS = Path("corpus")
DEFAULT_OUT = Path("extracted")

Inputs = Annotated[
    list[Path] | None,
    typer.Argument(help="Corpus folders (with manifest.csv), manifests, document files or folders of files."),
]
OutDir = Annotated[Path, typer.Option("--out", "-o", help="Folder to write outputs to.")]
Prefer = Annotated[
    str, typer.Option("--prefer", help="For documents published in several formats, which to read, in order.")
]
Encoding = Annotated[str, typer.Option("--encoding", help="Encoding of text files.")]
Password = Annotated[str | None, typer.Option("--password", help="Password of encrypted PDFs.")]
TimeLimit = Annotated[float, typer.Option("--time-limit", help="Seconds one document may take to read.")]
Vocabulary = Annotated[
    Path | None,
    typer.Option(
        "--vocabulary",
        help="A TOML file of action-plan header synonyms replacing the packaged data/action_plans.toml.",
    ),
]
Jobs = Annotated[int, typer.Option("--jobs", "-j", help="Documents processed at once, each in a worker process.")]
Decisions = Annotated[
    Path | None,
    typer.Option(
        "--decisions",
        help="A CSV of reviewed pairs (a_id, b_id, decision: link or not, note) that linking follows.",
    ),
]
ReviewSheet = Annotated[
    Path | None,
    typer.Option(
        "--review",
        help="Also write a review sheet here: near misses and narrow links, a decisions file to fill in.",
    ),
]
NoCache = Annotated[
    bool, typer.Option("--no-cache", help="Process every document again, ignoring (and not updating) OUT/.cache.")
]


def _settings(
    prefer: str,
    encoding: str,
    password: str | None = None,
    time_limit: float = 300.0,
    jobs: int = 1,
    vocabulary: Path | None = None,
) -> IngestSettings:
    try:
        formats = parse_formats(prefer)
    except ValueError as exc:
        err.print(f"[red]error:[/red] --prefer: {exc}")
        raise typer.Exit(2) from None
    try:
        reader = ReaderSettings(encoding=encoding, password=password, time_limit_s=time_limit, vocabulary=vocabulary)
        return IngestSettings(formats=formats, reader=reader, jobs=jobs)
    except ValueError as exc:
        message = str(exc)
        for setting, option in _OPTION_OF.items():  # the user typed an option, not a settings field
            message = message.replace(f"The {setting!r} setting", f"The {option} option")
        err.print(f"[red]error:[/red] {message}")
        raise typer.Exit(2) from None


_OPTION_OF = {"time_limit_s": "--time-limit", "encoding": "--encoding", "vocabulary": "--vocabulary", "jobs": "--jobs"}


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int, str], None]]:
    with Progress(
        TextColumn(f"{label} [bold]{{task.fields[doc]}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None, doc="")

        def update(done: int, total: int, doc_id: str) -> None:
            bar.update(task, completed=done, total=total, doc=doc_id)

        yield update


def _report_failures(failures: tuple[Failure, ...]) -> None:
    warnings = [f for f in failures if not f.is_error]
    errors = [f for f in failures if f.is_error]
    for failure in warnings:
        err.print(f"[yellow]warning {failure.code}[/yellow] {escape(failure.message)}")
    if errors:
        err.print(f"[red]{len(errors)} failed:[/red]")
        for failure in errors:
            err.print(f"  [red]{failure.code}[/red] {escape(failure.message)}")
        raise typer.Exit(1)


def _report(result: BuildResult) -> None:
    docs = result.ingest.documents
    blocks = sum(len(d.blocks) for d in docs)
    err.print(f"Read {len(docs)} document(s), {blocks} blocks. Wrote: {', '.join(str(p) for p in result.written)}")
    if result.actions:
        err.print(f"Extracted {len(result.actions)} actions.")
    for doc in docs:
        for warning in doc.warnings:
            err.print(f"[yellow]note[/yellow] {escape(doc.source.path)}: {escape(warning)}")
    _report_failures(result.ingest.failures)


@app.command()
def ingest(
    inputs: Inputs = None,
    out_dir: OutDir = DEFAULT_OUT,
    prefer: Prefer = "text,pdf",
    encoding: Encoding = "utf-8",
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    vocabulary: Vocabulary = None,
) -> None:
    """Read documents into blocks: writes documents.csv, blocks.jsonl and failures.csv."""
    settings = _settings(prefer, encoding, password, time_limit, vocabulary=vocabulary)
    with _progress("Reading") as progress:
        result = ingest_to(inputs or [DEFAULT_CORPUS], out_dir, settings, progress)
    _report(result)


@app.command("build")
def build_command(
    inputs: Inputs = None,
    out_dir: OutDir = DEFAULT_OUT,
    prefer: Prefer = "text,pdf",
    encoding: Encoding = "utf-8",
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    jobs: Jobs = 1,
    no_cache: NoCache = False,
    vocabulary: Vocabulary = None,
    decisions: Decisions = None,
) -> None:
    """The main job: run every stage on a corpus and write everything to extracted/."""
    settings = _settings(prefer, encoding, password, time_limit, jobs, vocabulary)
    try:
        with _progress("Building") as progress:
            result = build(
                inputs or [DEFAULT_CORPUS], out_dir, settings, progress, cache=not no_cache, decisions=decisions
            )
    except PolicylensError as exc:
        err.print(f"[red]error {exc.code}:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if result.cached:
        err.print(f"{len(result.cached)} document(s) unchanged since the last build: taken from the cache.")
    _report_followed(decisions, result.followed)
    _report(result)


class OutputFormat(StrEnum):
    TABLE = "table"
    CSV = "csv"
    JSON = "json"


Targets = Annotated[
    list[str] | None, typer.Argument(help="Document ids of the corpus, or files anywhere (default: the corpus).")
]
CorpusDir = Annotated[Path, typer.Option("--corpus", help="Corpus folder for document ids.")]
Output = Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command()
def actions(
    targets: Targets = None,
    corpus: CorpusDir = DEFAULT_CORPUS,
    output: Output = OutputFormat.TABLE,
    prefer: Prefer = "text,pdf",
    encoding: Encoding = "utf-8",
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    vocabulary: Vocabulary = None,
) -> None:
    """Print the action records of documents: every action-plan row and commitment-list item."""
    settings = _settings(prefer, encoding, password, time_limit, vocabulary=vocabulary)
    result = actions_for(targets or [], corpus, settings)
    rows = [action_row(a) for a in result.actions]
    shown = ("action_id", "section", "action", "timescale", "due_date", "leads", *_positions(rows))
    if rows or not any(f.is_error for f in result.failures):  # nothing read: the error alone, no empty table
        # what it is, where to check it, and the strategy writer's deadline and lead before its section
        first = ("action_id", *_positions(rows), "action", "due_date", "leads", "timescale")
        _print_rows(rows, ACTION_COLUMNS, shown, output, first)
    _report_failures(result.failures)


def _positions(rows: list[dict[str, object]]) -> tuple[str, ...]:
    """The columns that say where each row was read: a PDF's page, a file's line, or both when mixed."""
    paged = any(row.get("page") not in (None, "") for row in rows)
    lined = any(row.get("line_start") not in (None, "") for row in rows)
    return ("page",) * paged + ("line_start",) * (lined or not paged)


def _print_rows(
    rows: list[dict[str, object]],
    columns: tuple[str, ...],
    shown: tuple[str, ...],
    output: OutputFormat,
    first: tuple[str, ...] = (),
) -> None:
    """Rows as CSV, JSON (every column) or a table of the `shown` columns, as many as the terminal's width
    allows (`first`: the ones to keep longest)."""
    if output is OutputFormat.CSV:
        out.file.write(csv_text(columns, rows))
    elif output is OutputFormat.JSON:
        out.file.write(json.dumps([typed_row(row) for row in rows], ensure_ascii=False, indent=2) + "\n")
    elif not rows:
        err.print("no rows")  # an empty table would look like a broken one
    else:
        fitted = _fit(rows, shown, out.width, first)
        table = Table(show_lines=True)
        for name in fitted:
            # ids are looked up and copied whole: never folded, however narrow the terminal
            whole = name.endswith("_id") and rows
            width = max(len(str(row[name] or "")) for row in rows) if whole else _text_width(rows, name)
            table.add_column(name, overflow="fold", min_width=width, no_wrap=bool(whole))
        for row in rows:
            table.add_row(*(escape("" if row[name] is None else str(row[name])) for name in fitted))
        out.print(table)
        if left := [name for name in shown if name not in fitted]:
            err.print(
                f"{', '.join(left)} left out to fit {out.width} columns: -f csv or -f json gives every column, "
                "or widen the terminal"
            )


_NARROWEST = 10
"""The fewest characters a text column is given: below it, a table folds every word into a column of letters."""
_WIDEST_WORD = 32
"""A column that says where a record was read is given room for its longest word up to this
("text/halton-2008.txt"), so that an auditor reads a file name whole; a longer one may be split."""


def _text_width(rows: list[dict[str, object]], column: str) -> int:
    """How narrow a text column may be: a citation wide enough for its longest word (a file name), any other
    `_NARROWEST` (at 80 columns both actions of a link matter more than whole words)."""
    if not column.endswith(("_where", "source", "sources")):
        return _NARROWEST
    words = (len(word) for row in rows for word in str(row[column] or "").split())
    return max(_NARROWEST, min(_WIDEST_WORD, max(words, default=0)))


_SHORT = 16
"""A column whose values are all this short (ids, dates, a relation, a score) is shown whole, never folded."""


def _fit(
    rows: list[dict[str, object]], shown: tuple[str, ...], width: int, first: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """The columns a table can show in `width` characters, in their order: short columns whole, each text
    column at least `_NARROWEST` wide. Columns are left out, least wanted first (`first` names the most
    wanted, then the rest in their order), until the table fits; one always stays."""
    longest = {c: max((len(str(row[c] or "")) for row in rows), default=0) for c in shown}

    def whole(column: str) -> bool:  # ids are never folded (`_print_rows`), however long
        return column.endswith("_id") or longest[column] <= _SHORT

    def need(columns: Sequence[str]) -> int:
        short = sum(max(longest[c], len(c)) for c in columns if whole(c))
        texts = sum(_text_width(rows, c) for c in columns if not whole(c))
        return short + texts + 3 * len(columns) + 1  # a border and padding around each column

    wanted = [*(c for c in first if c in shown), *(c for c in shown if c not in first)]
    while need(wanted) > width and len(wanted) > 1:
        wanted.pop()
    return tuple(c for c in shown if c in wanted)


@app.command()
def metrics(
    targets: Targets = None,
    corpus: CorpusDir = DEFAULT_CORPUS,
    output: Output = OutputFormat.TABLE,
    prefer: Prefer = "text,pdf",
    encoding: Encoding = "utf-8",
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    vocabulary: Vocabulary = None,
) -> None:
    """Print every baseline, target and change of documents, with its indicator and its source."""
    settings = _settings(prefer, encoding, password, time_limit, vocabulary=vocabulary)
    result = metrics_for(targets or [], corpus, settings)
    rows = [metric_row(m) for m in result.metrics]
    shown = ("metric_id", "indicator", "kind", "value", "unit", "period", "quote", *_positions(rows))
    if rows or not any(f.is_error for f in result.failures):
        first = ("metric_id", *_positions(rows), "indicator", "kind", "value", "unit", "period")
        _print_rows(rows, METRIC_COLUMNS, shown, output, first)
    _report_failures(result.failures)


INDICATOR_COLUMNS = ("indicator", "label", "doc_id", "baseline_summary", "target_summary", "parts", "sources")


@app.command()
def indicators(
    targets: Targets = None,
    corpus: CorpusDir = DEFAULT_CORPUS,
    indicator: Annotated[list[str] | None, typer.Option("--indicator", "-i", help="Only these indicator ids.")] = None,
    output: Output = OutputFormat.TABLE,
    prefer: Prefer = "text,pdf",
    encoding: Encoding = "utf-8",
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    vocabulary: Vocabulary = None,
) -> None:
    """The researcher's table: each indicator across documents, baselines and targets with their periods."""
    from policylens.metrics import indicator_table  # spaCy: imported by the commands that need it
    from policylens.metrics.vocab import load_catalogue

    known = [i.id for i in load_catalogue()]
    unknown = [i for i in indicator or [] if i not in known]
    if unknown:
        err.print(f"[red]error:[/red] unknown indicator {', '.join(unknown)}: one of {', '.join(known)}")
        raise typer.Exit(2)
    settings = _settings(prefer, encoding, password, time_limit, vocabulary=vocabulary)
    result = metrics_for(targets or [], corpus, settings)
    rows = [r for r in indicator_table(result.metrics) if not indicator or r["indicator"] in indicator]
    flat: list[dict[str, object]] = [{name: r[name] for name in INDICATOR_COLUMNS} for r in rows]
    # the figures and where they were read before the label, which `-i` repeats on every row
    first = ("indicator", "doc_id", "baseline_summary", "target_summary", "sources", "parts")
    _print_rows(rows if output is OutputFormat.JSON else flat, INDICATOR_COLUMNS, INDICATOR_COLUMNS, output, first)
    _report_failures(result.failures)


def _page_numbers(spec: str | None) -> frozenset[int] | None:
    """ "1,3-5" -> {1, 3, 4, 5}."""
    if not spec:
        return None
    numbers: set[int] = set()
    try:
        for part in spec.split(","):
            first, _, last = part.strip().partition("-")
            numbers.update(range(int(first), int(last or first) + 1))
    except ValueError:
        err.print(f"[red]error:[/red] --pages takes page numbers and ranges such as 1,3-5; got {spec!r}")
        raise typer.Exit(2) from None
    return frozenset(numbers)


class TableFormat(StrEnum):
    CSV = "csv"
    JSON = "json"


@app.command()
def tables(
    file: Annotated[Path, typer.Argument(help="A PDF file.")],
    pages: Annotated[str | None, typer.Option("--pages", help="Pages to read, e.g. 1,3-5 (default: all).")] = None,
    output: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.JSON,
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    join_wrapped: Annotated[
        bool,
        typer.Option("--join-wrapped", help="In tables without borders, one row per table row, not per text line."),
    ] = False,
) -> None:
    """Print every logical table of a PDF: JSON (a list of tables) or CSV (one block per table)."""
    reader = ReaderSettings(password=password, time_limit_s=time_limit, join_wrapped_rows=join_wrapped)
    try:
        found = [table_record(t) for t in tables_of_file(file, _page_numbers(pages), reader)]
    except PolicylensError as exc:
        err.print(f"[red]error {exc.code}:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    if output is TableFormat.JSON:
        out.file.write(json.dumps(found, ensure_ascii=False) + "\n")
        return
    blocks = []
    for number, table in enumerate(found, start=1):
        rows = [*table["header"], *table["rows"]]  # type: ignore[misc]
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        blocks.append(f"# table {number}, pages {table['page_start']}-{table['page_end']}\n{buffer.getvalue()}")
    out.file.write("\n".join(blocks))


Relations = Annotated[
    list[Relation] | None,
    typer.Option("--relation", "-r", help="Only rows of these relations (repeat the option for several)."),
]
Embeddings = Annotated[
    bool,
    typer.Option(
        "--embeddings",
        help="Blend sentence embeddings into the match scores (pip install 'policylens\\[embeddings]'; offline).",
    ),
]


@app.command("compare")
def compare_command(
    doc_a: Annotated[str, typer.Argument(help="The earlier (or first) document: an id of the corpus or a file.")],
    doc_b: Annotated[str, typer.Argument(help="The later (or second) document.")],
    corpus: CorpusDir = DEFAULT_CORPUS,
    output: Output = OutputFormat.TABLE,
    embeddings: Embeddings = False,
    prefer: Prefer = "text,pdf",
    encoding: Encoding = "utf-8",
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    vocabulary: Vocabulary = None,
    decisions: Decisions = None,
    review: ReviewSheet = None,
    relation: Relations = None,
) -> None:
    """Link the commitments of two documents: carried forward, revised, new, dropped, with evidence."""
    settings = _settings(prefer, encoding, password, time_limit, vocabulary=vocabulary)
    try:
        result = compare(
            doc_a, doc_b, corpus, settings, embeddings=embeddings, decisions=decisions, review=review is not None
        )
    except PolicylensError as exc:
        err.print(f"[red]error {exc.code}:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    shown = ("a_id", "a_action", "b_id", "b_action", "relation", "score", "changes", "a_where", "b_where")
    first = ("a_id", "b_id", "relation", "a_action", "b_action", "a_where", "b_where")
    rows = _of_relations([link_row(k) for k in result.links], relation)
    _print_rows(rows, LINK_COLUMNS, shown, output, first)
    _report_followed(decisions, result.followed)
    _write_review(review, result.review)
    _report_failures(result.failures)


@app.command("audit")
def audit_command(
    series: Annotated[str, typer.Option("--series", help="The series: document ids without their year (halton).")],
    corpus: CorpusDir = DEFAULT_CORPUS,
    output: Output = OutputFormat.TABLE,
    embeddings: Embeddings = False,
    prefer: Prefer = "text,pdf",
    encoding: Encoding = "utf-8",
    password: Password = None,
    time_limit: TimeLimit = 300.0,
    vocabulary: Vocabulary = None,
    decisions: Decisions = None,
    review: ReviewSheet = None,
    relation: Relations = None,
) -> None:
    """Each commitment of a series through the years: carried forward, revised, new or dropped."""
    settings = _settings(prefer, encoding, password, time_limit, vocabulary=vocabulary)
    try:
        result = audit(series, corpus, settings, embeddings=embeddings, decisions=decisions, review=review is not None)
    except PolicylensError as exc:
        err.print(f"[red]error {exc.code}:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    shown = (
        "from_id", "from_action", "from_due", "from_lead", "to_id", "to_action", "to_due", "to_lead",
        "relation", "changes", "from_where", "to_where",
    )  # fmt: skip
    first = ("from_id", "to_id", "relation", "from_action", "to_action", "changes", "from_where", "to_where")
    _print_rows(_of_relations(list(result.rows), relation), AUDIT_COLUMNS, shown, output, first)
    _report_followed(decisions, result.followed)
    _write_review(review, result.review)
    _report_failures(result.failures)


def _of_relations(rows: list[dict[str, object]], relations: Sequence[Relation] | None) -> list[dict[str, object]]:
    """The rows of the relations asked for (all when none is named): an auditor reads the revised ones alone."""
    if not relations:
        return rows
    wanted = {r.value for r in relations}
    return [row for row in rows if row["relation"] in wanted]


def _write_review(path: Path | None, sheet: Sequence[ReviewPair]) -> None:
    """The review sheet, when asked for; said on stderr so that the links on stdout stay one table."""
    if path is not None:
        write_table(path, REVIEW_COLUMNS, (review_row(r) for r in sheet))
        asked = sum(1 for r in sheet if r.question is not Question.DECIDED)
        err.print(
            f"wrote {asked} pairs to review to {escape(str(path))} (and {len(sheet) - asked} already called): fill in "
            "'decision' with link or not, then give the file back with --decisions"
        )


def _report_followed(decisions: Path | None, followed: Sequence[LinkDecision]) -> None:
    """How many of a reviewer's calls the links follow, so that a file given back is seen to be used."""
    if decisions is None:
        return
    linked = sum(1 for d in followed if d.linked)
    refused = len(followed) - linked
    err.print(f"followed {len(followed)} of the calls in {escape(str(decisions))}: {linked} link, {refused} not")


class ExportFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    DUCKDB = "duckdb"
    XLSX = "xlsx"


@app.command()
def export(
    output: Annotated[ExportFormat, typer.Option("--format", "-f", help="Output format.")] = ExportFormat.XLSX,
    folder: Annotated[Path, typer.Option("--from", help="The main job's output folder.")] = DEFAULT_OUT,
) -> None:
    """Export the main job's tables: Parquet files, a DuckDB database, or one Excel workbook (a sheet per table)."""
    try:
        written = export_tables(folder, output.value)
    except FileNotFoundError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(1) from error
    # the CSV files are the main job's own: nothing new is written, and saying "Wrote" would mislead
    done = "The main job wrote these already: " if output is ExportFormat.CSV else "Wrote: "
    err.print(done + ", ".join(str(p) for p in written))


@app.command()
def report(
    out_file: Annotated[
        Path | None, typer.Option("--out", "-o", help="The HTML file (default: FOLDER/report.html).")
    ] = None,
    folder: Annotated[Path, typer.Option("--from", help="The main job's output folder.")] = DEFAULT_OUT,
) -> None:
    """Write one self-contained HTML report: the story's figures and searchable tables with their sources."""
    from policylens.report import write_report  # pandas and matplotlib: only for this command

    try:
        written = write_report(folder, out_file)
    except FileNotFoundError as error:
        err.print(f"[red]error:[/red] {escape(str(error))}")
        raise typer.Exit(1) from error
    err.print(f"Wrote: {written}")


@app.command()
def formats() -> None:
    """List the file formats policylens can read."""
    for fmt in supported_formats():
        out.print(fmt.value)


@app.command()
def version() -> None:
    """Print the version."""
    out.print(__version__)


def main() -> None:
    try:
        app()
    except PolicylensError as exc:
        err.print(f"[red]error {exc.code}:[/red] {exc}")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
