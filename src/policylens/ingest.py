"""Ingest: corpora and loose files into `Document`s, one failure never stopping the rest."""

from __future__ import annotations

import multiprocessing
import re
import traceback
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from policylens.corpus import MANIFEST_NAME, load_corpus, sha256_of
from policylens.errors import InternalError, PolicylensError, SourceMissing, TooSlow, UnsupportedFormat
from policylens.model import Document, DocumentMeta, Failure, IngestResult, SourceFile, SourceFormat
from policylens.readers import SUFFIXES, format_of, reader_for
from policylens.settings import IngestSettings

ProgressHook = Callable[[int, int, str], None]
"""Called after each document with (done, total, document id)."""


@dataclass(frozen=True, slots=True)
class ReadJob:
    """One document to read: which file, where it lives, and what we know of it."""

    meta: DocumentMeta
    source: SourceFile
    path: Path


def plan(inputs: Sequence[Path], settings: IngestSettings) -> tuple[list[ReadJob], list[Failure]]:
    """Resolve inputs (corpus folders, manifests, files, folders of files) into read jobs."""
    jobs: list[ReadJob] = []
    failures: list[Failure] = []
    for location in inputs:
        try:
            found, problems = _jobs_for(location, settings)
        except PolicylensError as exc:
            failures.append(Failure(exc.target, "plan", exc.code, str(exc)))
            continue
        jobs.extend(found)
        failures.extend(problems)
    return unique_ids(jobs), failures


def _jobs_for(location: Path, settings: IngestSettings) -> tuple[list[ReadJob], list[Failure]]:
    if not location.exists():
        raise SourceMissing(str(location), "no such file or folder", fix="Check the path.")
    if (location.is_dir() and (location / MANIFEST_NAME).is_file()) or location.name == MANIFEST_NAME:
        return _corpus_jobs(location, settings)
    if location.is_dir():
        files = sorted(p for p in location.iterdir() if p.suffix.casefold() in SUFFIXES and p.is_file())
        if not files:
            raise UnsupportedFormat(str(location), "the folder has no manifest and no readable files")
        return [file_job(p) for p in files], []
    return [file_job(location)], []


def _corpus_jobs(location: Path, settings: IngestSettings) -> tuple[list[ReadJob], list[Failure]]:
    corpus = load_corpus(location)
    root = Path(corpus.root)
    jobs = []
    notes: list[Failure] = []
    for entry in corpus.entries:
        preferred = next((s for fmt in settings.formats if (s := entry.source(fmt)) is not None), None)
        source = preferred or entry.sources[0]
        if preferred is None:  # read all the same, but never silently from a format not asked for
            wanted = ", ".join(f.value for f in settings.formats)
            message = (
                f"{entry.meta.doc_id!r} has no edition in {wanted}; it is read from {source.path}. "
                "Give --prefer a format the manifest lists for it to choose another."
            )
            notes.append(Failure(entry.meta.doc_id, "plan", "PL104", message, severity="warning"))
        jobs.append(ReadJob(entry.meta, source, root / source.path))
    return jobs, [*corpus.failures, *notes]


def file_job(path: Path) -> ReadJob:
    """A document given as a loose file: its id is its file name, made a slug."""
    fmt = format_of(path)
    doc_id = re.sub(r"[^a-z0-9._-]+", "-", path.stem.casefold()).strip("-") or "document"
    source = SourceFile(path=str(path), format=fmt, sha256=sha256_of(path))
    return ReadJob(DocumentMeta(doc_id=doc_id, title=""), source, path)


def unique_ids(jobs: Iterable[ReadJob]) -> list[ReadJob]:
    """Loose files with the same name get -2, -3... so every document id is unique."""
    seen: dict[str, int] = {}
    unique = []
    for job in jobs:
        n = seen.get(job.meta.doc_id, 0) + 1
        seen[job.meta.doc_id] = n
        unique.append(job if n == 1 else replace(job, meta=replace(job.meta, doc_id=f"{job.meta.doc_id}-{n}")))
    return unique


def read_job(job: ReadJob, settings: IngestSettings) -> Document:
    """Read one document. Raises `PolicylensError` for anything wrong with the file."""
    reader = reader_for(job.source.format, job.source.path)
    try:
        return reader(job.path, job.meta, job.source, settings.reader)
    except FileNotFoundError:
        raise SourceMissing(job.source.path, "file not found") from None


def ingest(inputs: Sequence[Path], settings: IngestSettings, progress: ProgressHook | None = None) -> IngestResult:
    """Read every document the inputs name. A document that fails is recorded, never raised."""
    jobs, failures = plan(inputs, settings)
    documents: list[Document] = []
    for done, job in enumerate(jobs, start=1):
        outcome = read_safely(job, settings)
        if isinstance(outcome, Failure):
            failures.append(outcome)
        else:
            documents.append(outcome)
        if progress is not None:
            progress(done, len(jobs), job.meta.doc_id)
    return IngestResult(tuple(documents), tuple(failures))


def read_safely(job: ReadJob, settings: IngestSettings) -> Document | Failure:
    """The per-document boundary: every error becomes a `Failure` naming the file.

    PDFs are read in a child process stopped at the time limit, so that a pathological
    file cannot hang the run (the reader's own check between pages cannot interrupt a
    page that never finishes).
    """
    if job.source.format is SourceFormat.PDF:
        return _read_in_child(job, settings)
    return _read_here(job, settings)


def _read_here(job: ReadJob, settings: IngestSettings) -> Document | Failure:
    try:
        return read_job(job, settings)
    except PolicylensError as exc:
        return Failure(job.source.path, "read", exc.code, str(exc))
    except Exception as exc:  # noqa: BLE001 - the one broad catch, recorded with its origin
        return internal_failure(job.source.path, "read", exc)


def internal_failure(target: str, stage: str, exc: BaseException) -> Failure:
    """An unexpected error (a bug) as a `Failure` that says where in our code it happened."""
    where = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    origin = f" (at {Path(where.filename).name}:{where.lineno})" if where else ""
    error = InternalError(target, f"{type(exc).__name__}: {exc}{origin}")
    return Failure(target, stage, error.code, str(error))


def _child(job: ReadJob, settings: IngestSettings, sender: Connection) -> None:
    sender.send(_read_here(job, settings))
    sender.close()


def _read_in_child(job: ReadJob, settings: IngestSettings) -> Document | Failure:
    limit = settings.reader.time_limit_s
    receiver, sender = multiprocessing.get_context("fork").Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=_child, args=(job, settings, sender), daemon=True)
    process.start()
    sender.close()
    outcome: Document | Failure | None = receiver.recv() if receiver.poll(limit + 2) else None
    process.join(1)
    if process.is_alive():
        process.kill()
        process.join()
    if outcome is None:
        error = TooSlow(job.source.path, f"reading was stopped after {limit:g} s")
        return Failure(job.source.path, "read", error.code, str(error))
    return outcome
