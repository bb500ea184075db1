"""The per-document step, and running it over many documents: cached, in parallel.

Documents are independent until they are compared, so everything one document yields
(its blocks, actions and metrics) is made by one plain function:

    process_document(job: ReadJob, settings: IngestSettings) -> DocumentResult | Failure

It is top level, takes and returns picklable frozen records and never raises, so any
executor can map it over read jobs: a loop here (`jobs=1`), a process pool (`jobs>1`),
or later Dask (`client.map(process_document, jobs, settings=...)`) or Ray. Results come
back in the order of the jobs, whatever order the workers finish in, so the outputs are
the same bytes for any number of workers.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from policylens.actions import action_settings, extract_actions
from policylens.cache import ResultCache, combined_key, document_key
from policylens.errors import InternalError
from policylens.ingest import ProgressHook, ReadJob, internal_failure, read_safely
from policylens.model import Action, Document, Failure, Metric
from policylens.settings import IngestSettings

DOCUMENTS = "documents"
"""The cache kind of `DocumentResult`s."""


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """What one document yields on its own, before documents are compared."""

    document: Document
    actions: tuple[Action, ...]
    metrics: tuple[Metric, ...]


def process_document(job: ReadJob, settings: IngestSettings) -> DocumentResult | Failure:
    """Read one document and extract its actions and metrics; every error is a `Failure`.

    Reading keeps its own boundary and time limit (`ingest.read_safely`: PDFs in a child
    process stopped at `settings.reader.time_limit_s`); extraction gets the same treatment
    of unexpected errors, so one bad document never stops the others.
    """
    from policylens.metrics import extract_metrics  # spaCy: only when a document is processed

    read = read_safely(job, settings)
    if isinstance(read, Failure):
        return read
    try:
        actions = extract_actions(read, action_settings(settings))
        metrics = extract_metrics(read, actions)
    except Exception as exc:  # noqa: BLE001 - the per-document boundary of the extraction stages
        return internal_failure(job.source.path, "extract", exc)
    return DocumentResult(read, actions, metrics)


@dataclass(frozen=True, slots=True)
class BatchResult:
    """Every document's result in the order of the jobs, and which came from the cache."""

    results: tuple[DocumentResult, ...]
    failures: tuple[Failure, ...]
    cached: tuple[str, ...] = ()
    key: str = ""
    """Identifies all results together (`cache.combined_key`), for caching later stages."""


def process_documents(
    jobs: Sequence[ReadJob],
    settings: IngestSettings,
    cache: ResultCache | None = None,
    progress: ProgressHook | None = None,
) -> BatchResult:
    """`process_document` over every job: cached results first, the rest on `settings.jobs` workers."""
    keys = [document_key(job, settings.reader) for job in jobs]
    outcomes: list[DocumentResult | Failure | None] = [None] * len(jobs)
    if cache is not None:
        for i, key in enumerate(keys):
            outcomes[i] = cache.load(DOCUMENTS, key, DocumentResult)
    cached = tuple(jobs[i].meta.doc_id for i, o in enumerate(outcomes) if o is not None)
    todo = [i for i, o in enumerate(outcomes) if o is None]
    done = len(cached)
    if progress is not None and done:
        progress(done, len(jobs), cached[-1])
    for i, outcome in _run(jobs, todo, settings):
        outcomes[i] = outcome
        if cache is not None and isinstance(outcome, DocumentResult):
            cache.store(DOCUMENTS, keys[i], outcome)
        done += 1
        if progress is not None:
            progress(done, len(jobs), jobs[i].meta.doc_id)
    results = [(k, o) for k, o in zip(keys, outcomes, strict=True) if isinstance(o, DocumentResult)]
    if cache is not None:
        cache.keep_only(DOCUMENTS, [k for k, _ in results])
    return BatchResult(
        results=tuple(o for _, o in results),
        failures=tuple(o for o in outcomes if isinstance(o, Failure)),
        cached=cached,
        key=combined_key(k for k, _ in results),
    )


def _run(
    jobs: Sequence[ReadJob], todo: Sequence[int], settings: IngestSettings
) -> list[tuple[int, DocumentResult | Failure]]:
    """(job index, outcome) as they finish; in this process, or in a pool of workers."""
    if settings.jobs == 1 or len(todo) <= 1:
        return [(i, process_document(jobs[i], settings)) for i in todo]
    import policylens.metrics  # noqa: F401 - imported once here, not again in every worker

    finished: list[tuple[int, DocumentResult | Failure]] = []
    # fork: workers start at once with the modules already imported (spawn would import
    # spaCy and scikit-learn again in each); the readers already fork for PDFs.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=min(settings.jobs, len(todo)), mp_context=context) as pool:
        futures = {pool.submit(process_document, jobs[i], settings): i for i in todo}
        for future in as_completed(futures):
            i = futures[future]
            finished.append((i, _outcome(future, jobs[i], settings)))
    return finished


def _outcome(
    future: Future[DocumentResult | Failure], job: ReadJob, settings: IngestSettings
) -> DocumentResult | Failure:
    try:
        return future.result()
    except BrokenProcessPool:
        # A worker died (killed, out of memory) and took the pool down: every document still
        # in it is processed again, each alone, so only the one that kills its worker fails.
        return _alone(job, settings)


def _alone(job: ReadJob, settings: IngestSettings) -> DocumentResult | Failure:
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        try:
            return pool.submit(process_document, job, settings).result()
        except BrokenProcessPool:
            error = InternalError(
                job.source.path,
                "the worker process reading it stopped (killed, or out of memory)",
                fix="Build again with fewer --jobs; if it stops again, please report it with the file.",
            )
            return Failure(job.source.path, "read", error.code, str(error))
