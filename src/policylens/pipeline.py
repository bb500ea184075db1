"""The main job, its stages written down once, in order.

    corpus (manifest, hashes) -> readers (Document) -> [actions, metrics -> themes,
    matching: later stages] -> store (extracted/)

Each stage is a function of typed records; this module only wires them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policylens.actions import ActionSettings, extract_actions
from policylens.errors import SourceMissing, UnsupportedFormat
from policylens.ingest import ProgressHook, ReadJob, ingest, read_safely
from policylens.ingest import plan as ingest_plan
from policylens.metrics import extract_metrics
from policylens.model import Action, Document, Failure, IngestResult, Metric, SourceFormat, Table
from policylens.readers import format_of
from policylens.readers.pdf import pdf_tables
from policylens.settings import IngestSettings, ReaderSettings
from policylens.store import write_actions, write_documents, write_metrics


@dataclass(frozen=True, slots=True)
class BuildResult:
    ingest: IngestResult
    written: tuple[Path, ...]
    actions: tuple[Action, ...] = ()
    metrics: tuple[Metric, ...] = ()

    @property
    def ok(self) -> bool:
        return self.ingest.ok


def ingest_to(
    inputs: list[Path],
    out: Path,
    settings: IngestSettings | None = None,
    progress: ProgressHook | None = None,
) -> BuildResult:
    """Read documents and write documents.csv, blocks.jsonl and failures.csv."""
    result = ingest(inputs, settings or IngestSettings(), progress)
    written = write_documents(result.documents, result.failures, out)
    return BuildResult(result, tuple(written))


def build(
    inputs: list[Path],
    out: Path,
    settings: IngestSettings | None = None,
    progress: ProgressHook | None = None,
) -> BuildResult:
    """Run every stage on the inputs and write the results under `out`.

    Stages: read documents -> extract actions -> metrics -> store. Themes and
    matching join here as they are built.
    """
    read = ingest_to(inputs, out, settings, progress)
    actions: list[Action] = []
    metrics: list[Metric] = []
    for doc in read.ingest.documents:
        doc_actions = extract_actions(doc)
        actions += doc_actions
        metrics += extract_metrics(doc, doc_actions)
    written = (*read.written, write_actions(actions, out), write_metrics(metrics, out))
    return BuildResult(read.ingest, written, tuple(actions), tuple(metrics))


def actions_of(documents: tuple[Document, ...], settings: ActionSettings | None = None) -> tuple[Action, ...]:
    """The action records of every document, in document order."""
    return tuple(a for doc in documents for a in extract_actions(doc, settings))


@dataclass(frozen=True, slots=True)
class ActionsResult:
    actions: tuple[Action, ...]
    failures: tuple[Failure, ...]


def select_jobs(targets: list[str], corpus: Path, settings: IngestSettings) -> tuple[list[ReadJob], list[Failure]]:
    """Read jobs for document ids of a corpus and for files anywhere on disk.

    A target that is an existing path is read as a file (or corpus folder);
    anything else is looked up as a document id in the corpus. No targets:
    every document of the corpus.
    """
    jobs: list[ReadJob] = []
    failures: list[Failure] = []
    by_id: dict[str, ReadJob] | None = None
    for target in targets or [str(corpus)]:
        if Path(target).exists():
            found, problems = ingest_plan([Path(target)], settings)
            jobs.extend(found)
            failures.extend(problems)
            continue
        if by_id is None:
            corpus_jobs, problems = ingest_plan([corpus], settings)
            failures.extend(problems)
            by_id = {job.meta.doc_id: job for job in corpus_jobs}
        if target in by_id:
            jobs.append(by_id[target])
        else:
            known = ", ".join(sorted(by_id)) or "none"
            error = SourceMissing(target, f"no such file, and no document with that id in {corpus} (ids: {known})")
            failures.append(Failure(error.target, "plan", error.code, str(error)))
    return jobs, failures


def documents_for(targets: list[str], corpus: Path, settings: IngestSettings | None = None) -> IngestResult:
    """The named documents (ids in `corpus`, or files anywhere), read; failures recorded."""
    settings = settings or IngestSettings()
    jobs, failures = select_jobs(targets, corpus, settings)
    documents: list[Document] = []
    for job in jobs:
        outcome = read_safely(job, settings)
        if isinstance(outcome, Failure):
            failures.append(outcome)
        else:
            documents.append(outcome)
    return IngestResult(tuple(documents), tuple(failures))


def actions_for(targets: list[str], corpus: Path, settings: IngestSettings | None = None) -> ActionsResult:
    """The actions of the named documents (ids in `corpus`, or files anywhere)."""
    read = documents_for(targets, corpus, settings)
    return ActionsResult(actions_of(read.documents), read.failures)


@dataclass(frozen=True, slots=True)
class MetricsResult:
    metrics: tuple[Metric, ...]
    failures: tuple[Failure, ...]


def metrics_for(targets: list[str], corpus: Path, settings: IngestSettings | None = None) -> MetricsResult:
    """The metrics (baselines, targets, changes) of the named documents."""
    read = documents_for(targets, corpus, settings)
    return MetricsResult(tuple(m for doc in read.documents for m in extract_metrics(doc)), read.failures)


def table_record(table: Table) -> dict[str, object]:
    """A table as users of Camelot or tabula expect it: pages, box, header rows, body rows."""
    pages = [r.prov.page for r in table.rows if r.prov.page is not None]
    box = table.prov.bbox
    return {
        "page_start": table.prov.page,
        "page_end": max(pages, default=table.prov.page),
        "bbox": [box.x0, box.top, box.x1, box.bottom] if box else None,
        "header": [list(row) for row in table.header],
        "rows": [list(row.cells) for row in table.rows],
    }


def tables_of_file(
    path: Path, pages: frozenset[int] | None = None, settings: ReaderSettings | None = None
) -> list[Table]:
    """Every logical table of a PDF file, or of the pages given (1-based).

    By default, rows of tables without cell borders are text lines, as Camelot and tabula
    report them; pass settings with `join_wrapped_rows=True` for logical rows.
    """
    if format_of(path) is not SourceFormat.PDF:
        raise UnsupportedFormat(str(path), "tables are read from PDF files")
    return pdf_tables(path, settings or ReaderSettings(join_wrapped_rows=False), pages)
