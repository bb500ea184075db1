"""The main job, its stages written down once, in order.

    corpus (manifest, hashes) -> readers (Document) -> actions -> metrics -> themes
    -> links between documents -> audits of each series -> store (extracted/)
    -> the story: figures and report.html, drawn from the written tables

Each stage is a function of typed records; this module only wires them. The stages up to
metrics are per document (`batch.process_document`: cached, and run on `settings.jobs`
workers); themes and links need every document and are cached as one result.

The stages built on spaCy and scikit-learn (metrics, themes, matching) are imported where
they are used: importing them takes longer (about 1.5 s) than a whole build whose results
all come from the cache.
"""

from __future__ import annotations

import hashlib
import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from policylens.actions import ActionSettings, action_settings, extract_actions
from policylens.batch import process_documents
from policylens.cache import ResultCache, code_fingerprint
from policylens.corpus import series_key
from policylens.errors import BadDecisions, NothingToCompare, NotRead, SourceMissing, UnsupportedFormat
from policylens.export import write_database, write_parquet
from policylens.ingest import ProgressHook, ReadJob, ingest, read_safely, unique_ids
from policylens.ingest import plan as ingest_plan
from policylens.model import (
    Action,
    Document,
    Failure,
    IngestResult,
    Link,
    LinkDecision,
    Metric,
    ReviewPair,
    SourceFormat,
    Table,
    ThemeAssignment,
    ThemeLevel,
)
from policylens.readers import format_of
from policylens.readers.pdf import pdf_tables
from policylens.settings import IngestSettings, ReaderSettings
from policylens.store import (
    AUDIT_COLUMNS,
    LINK_COLUMNS,
    REVIEW_COLUMNS,
    THEME_COLUMNS,
    audit_row,
    link_row,
    review_row,
    theme_row,
    write_actions,
    write_documents,
    write_metrics,
    write_table,
)

COMPARED = "compared"
"""The cache kind of `Compared` results."""

if TYPE_CHECKING:
    from policylens.matching import CommitmentMatcher


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build read and wrote; `cached`: the documents whose results came from the cache."""

    ingest: IngestResult
    written: tuple[Path, ...]
    actions: tuple[Action, ...] = ()
    metrics: tuple[Metric, ...] = ()
    themes: tuple[ThemeAssignment, ...] = ()
    links: tuple[Link, ...] = ()
    cached: tuple[str, ...] = ()
    compared_cached: bool = False
    followed: tuple[LinkDecision, ...] = ()
    """The reviewer's calls (`decisions`) that linking could follow (the others are warnings)."""

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
    *,
    cache: bool = True,
    story: bool = True,
    decisions: Path | None = None,
) -> BuildResult:
    """Run every stage on the inputs and write the results under `out`.

    Stages: read documents -> actions -> metrics -> themes -> links between documents
    (each series in order, and every two councils) -> audits of each series -> store
    -> (with `story`) the figures (`figures/*.png`) and the HTML report (`report.html`).
    With `cache`, results of unchanged documents (and of comparing an unchanged set of
    documents, and the story drawn from unchanged tables) are taken from `out/.cache/`;
    the files written are the same either way. `decisions`: a reviewer's calls on pairs of commitments
    (`matching.load_decisions`), which linking follows; a bad file fails here, before any work.
    """
    reviewed = _decisions(decisions)
    settings = settings or IngestSettings()
    store = ResultCache.under(out) if cache else None
    jobs, failures = ingest_plan(inputs, settings)
    batch = process_documents(jobs, settings, store, progress)
    documents = tuple(r.document for r in batch.results)
    actions = [a for r in batch.results for a in r.actions]
    compared_pairs = _document_pairs(documents)
    unused = _unused(reviewed, actions, compared_pairs)
    read = IngestResult(documents, (*failures, *batch.failures, *unused))
    metrics = [m for r in batch.results for m in r.metrics]
    key = hashlib.sha256(f"{batch.key}\0{reviewed!r}".encode()).hexdigest() if reviewed else batch.key
    compared, compared_cached = _compared_cached(actions, documents, key, store, decisions=reviewed, metrics=metrics)
    themes, links = compared.themes, compared.links
    written = [*write_documents(read.documents, read.failures, out)]
    written += [write_actions(actions, out), write_metrics(metrics, out)]
    written.append(write_table(out / "themes.csv", THEME_COLUMNS, (theme_row(t) for t in themes)))
    written.append(write_table(out / "links.csv", LINK_COLUMNS, (link_row(k) for k in links)))
    sheet, kept = _review_target(out, reviewed)
    if kept is not None:
        read = IngestResult(read.documents, (*read.failures, kept))
    written.append(write_table(sheet, REVIEW_COLUMNS, (review_row(r) for r in compared.review)))
    by_id = {a.action_id: a for a in actions}
    doc_ids = [d.meta.doc_id for d in _oldest_first(documents)]
    for series, members in _series(doc_ids).items():
        in_series = _series_links(links, members)
        chains = series_lineages(in_series)
        rows = (audit_row(series, k, by_id, chains[(k.a_id, k.b_id)]) for k in in_series)
        written.append(write_table(out / f"audit-{series}.csv", AUDIT_COLUMNS, rows))
    written += [*write_parquet(out), write_database(out)]
    if story:
        try:
            written += _story(out, written, cache)
        except Exception as error:  # noqa: BLE001 - the tables are written: a figure must not lose them
            message = f"figures and report not drawn ({type(error).__name__}: {error}); the tables are written"
            read = IngestResult(read.documents, (*read.failures, Failure(str(out), "report", "PL900", message)))
    made = (tuple(actions), tuple(metrics), themes, links)
    return BuildResult(read, tuple(written), *made, batch.cached, compared_cached, _followed(reviewed, unused))


@dataclass(frozen=True, slots=True)
class Compared:
    """The stages that need every document: themes, links between documents, and the review sheet of the
    pairs where a reviewer's call matters most (`policylens.review`)."""

    themes: tuple[ThemeAssignment, ...]
    links: tuple[Link, ...]
    review: tuple[ReviewPair, ...] = ()


def _compared_cached(
    actions: Sequence[Action],
    documents: Sequence[Document],
    key: str,
    store: ResultCache | None,
    *,
    decisions: Sequence[LinkDecision] = (),
    metrics: Sequence[Metric] = (),
) -> tuple[Compared, bool]:
    """Themes and links from the cache when the same documents were compared before (with the same
    decisions: `key` covers them)."""
    if store is not None and (hit := store.load(COMPARED, key, Compared)) is not None:
        return hit, True
    compared = compare_documents(actions, documents, decisions, metrics)
    if store is not None:
        store.store(COMPARED, key, compared)
        store.keep_only(COMPARED, [key])
    return compared, False


def compare_documents(
    actions: Sequence[Action],
    documents: Sequence[Document],
    decisions: Sequence[LinkDecision] = (),
    metrics: Sequence[Metric] = (),
) -> Compared:
    """Themes of every action and section, then links: each series in order, every two councils; a
    changed target is judged on the target figures the metrics stage read in each commitment's row."""
    from policylens.matching import target_levels
    from policylens.review import links_and_sheet
    from policylens.themes import classify

    themes = classify(actions)
    pairs = _document_pairs(documents)
    levels = target_levels(metrics)
    links, sheet = links_and_sheet(actions, pairs, action_themes(themes), decisions=decisions, levels=levels)
    return Compared(themes, links, sheet)


def _levels(documents: Sequence[Document], actions: Sequence[Action]) -> dict[str, frozenset[tuple[str, str]]]:
    """The target figures of each commitment of `documents`, read as the main job reads them (each
    document's metrics, with its actions), so that `compare` and `audit` judge changes as `links.csv` does."""
    from policylens.matching import target_levels
    from policylens.metrics import extract_metrics

    by_doc: dict[str, list[Action]] = {}
    for action in actions:
        by_doc.setdefault(action.doc_id, []).append(action)
    metrics = [m for d in documents for m in extract_metrics(d, tuple(by_doc.get(d.meta.doc_id, ())))]
    return target_levels(metrics)


def _document_pairs(documents: Sequence[Document]) -> list[tuple[str, str]]:
    from policylens.matching import document_pairs

    return document_pairs([d.meta.doc_id for d in _oldest_first(documents)])


def _decisions(path: Path | None) -> tuple[LinkDecision, ...]:
    from policylens.matching import load_decisions

    return load_decisions(path) if path is not None else ()


ORDER_NOTE = "PL114"
"""The code of the warning that two documents named newest first were compared oldest first."""


def _unused(
    decisions: Sequence[LinkDecision], actions: Sequence[Action], pairs: Sequence[tuple[str, str]] | None = None
) -> list[Failure]:
    """A reviewer's call that linking cannot follow is reported, never silently left out; with `pairs`, the
    documents compared two by two, a call on two of their documents that no pair joins too."""
    from policylens.matching import unused_decisions

    return [
        Failure(d.where, "match", BadDecisions.code, f"{d.where}: not used: {why}", severity="warning")
        for d, why in unused_decisions(decisions, actions, pairs)
    ]


REVIEW_KEPT = "PL116"
"""The code of the warning that a review sheet holding calls not given was kept, the new one written beside it."""


def _review_target(out: Path, decisions: Sequence[LinkDecision]) -> tuple[Path, Failure | None]:
    """Where the review sheet goes: `out/review.csv`, unless the one there holds calls that were not given with
    `--decisions` (a reviewer filled it in and ran the build without them): a reviewer's work is never
    overwritten, so the new sheet goes beside it and a warning says how to follow the calls."""
    from policylens.matching import load_decisions

    path = out / "review.csv"
    if not path.is_file():
        return path, None
    given = {frozenset((d.a_id, d.b_id)) for d in decisions}
    try:
        missing = sum(1 for d in load_decisions(path) if frozenset((d.a_id, d.b_id)) not in given)
        said = f"holds {missing} calls not given with --decisions"
    except BadDecisions as error:  # a call mistyped is still a reviewer's work: kept, and said what to fix
        missing, said = 1, f"holds calls that cannot be read ({error.problem})"
    if not missing:
        return path, None
    beside = out / "review-new.csv"
    message = (
        f"{path} {said}: it was left as it is, and the new sheet written to {beside}. To follow the calls, "
        f"run again with --decisions {path}."
    )
    return beside, Failure(str(path), "review", REVIEW_KEPT, message, severity="warning")


def _followed(
    decisions: Sequence[LinkDecision], unused: Sequence[Failure], compared: Sequence[str] | None = None
) -> tuple[LinkDecision, ...]:
    """The calls linking follows: every one given but those reported as not used, and with `compared` (the
    documents a command compared) only those on two of them: a sheet of the whole corpus given to `compare`
    has calls on pairs it never looks at."""
    not_used = {f.target for f in unused}
    docs = set(compared) if compared is not None else None
    return tuple(
        d
        for d in decisions
        if d.where not in not_used and (docs is None or {d.a_id.rsplit("#", 1)[0], d.b_id.rsplit("#", 1)[0]} <= docs)
    )


def _story(out: Path, tables: Sequence[Path], cache: bool) -> list[Path]:
    """The figures and the report, drawn again only when the tables they are drawn from changed
    (matplotlib takes longer than a whole build from the cache)."""
    digest = hashlib.sha256(code_fingerprint().encode())  # a change to the figures' code redraws them
    for path in sorted(p for p in tables if p.suffix in {".csv", ".jsonl"}):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    stamp = out / ".cache" / "story.sha256"
    drawn = [*sorted((out / "figures").glob("*.png")), out / "report.html"]
    if cache and stamp.is_file() and stamp.read_text("utf-8") == digest.hexdigest() and all(p.is_file() for p in drawn):
        return drawn
    from policylens.report import write_story  # pandas and matplotlib: only when the story is drawn

    written = write_story(out)
    if cache:
        stamp.parent.mkdir(parents=True, exist_ok=True)
        stamp.write_text(digest.hexdigest(), "utf-8")
    return written


def _oldest_first(documents: Sequence[Document]) -> list[Document]:
    return sorted(documents, key=lambda d: (d.meta.period_start or 0, d.meta.doc_id))


def action_themes(themes: Sequence[ThemeAssignment]) -> dict[str, ThemeAssignment]:
    return {t.target: t for t in themes if t.level is ThemeLevel.ACTION}


def _series(doc_ids: Sequence[str]) -> dict[str, list[str]]:
    """Series with two or more documents, oldest first."""
    groups: dict[str, list[str]] = {}
    for doc_id in doc_ids:
        groups.setdefault(series_key(doc_id), []).append(doc_id)
    return {key: members for key, members in groups.items() if len(members) > 1}


def series_lineages(links: Sequence[Link]) -> dict[tuple[str, str], tuple[str, ...]]:
    """`matching.lineages`, imported when needed (matching loads scikit-learn and spaCy)."""
    from policylens.matching import lineages

    return lineages(links)


def _series_links(links: Sequence[Link], members: Sequence[str]) -> list[Link]:
    steps = set(itertools.pairwise(members))
    return [k for k in links if (k.a_doc, k.b_doc) in steps]


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
    corpus_problems: list[Failure] = []
    for target in targets or [str(corpus)]:
        if Path(target).exists():
            found, problems = ingest_plan([Path(target)], settings)
            jobs.extend(found)
            failures.extend(problems)
            continue
        if by_id is None:
            corpus_jobs, corpus_problems = ingest_plan([corpus], settings)
            by_id = {job.meta.doc_id: job for job in corpus_jobs}
        if target in by_id:
            jobs.append(by_id[target])
            continue
        if not Path(corpus).is_dir():
            error = SourceMissing(
                target,
                f"no such file, and the corpus folder {corpus} does not exist",
                fix="Give a file that exists, or name the corpus folder with --corpus.",
            )
        else:
            known = ", ".join(sorted(by_id)) or "none"
            error = SourceMissing(
                target,
                f"no such file, and no document with that id in {corpus} (ids: {known})",
                fix="Give a file that exists, or one of those ids (--corpus names another corpus folder).",
            )
        failures.append(Failure(error.target, "plan", error.code, str(error)))
    # the corpus's own problems only where they concern a document asked for (its manifest row names it)
    asked = [t for t in targets if not Path(t).exists()]
    failures += [f for f in corpus_problems if any(repr(t) in f.message for t in asked)]
    return unique_ids(jobs), failures  # two files named plan.txt in two folders are plan and plan-2


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
    return ActionsResult(actions_of(read.documents, action_settings(settings)), read.failures)


@dataclass(frozen=True, slots=True)
class MetricsResult:
    metrics: tuple[Metric, ...]
    failures: tuple[Failure, ...]


def metrics_for(targets: list[str], corpus: Path, settings: IngestSettings | None = None) -> MetricsResult:
    """The metrics (baselines, targets, changes) of the named documents."""
    from policylens.metrics import extract_metrics

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


def _matcher(embeddings: bool) -> CommitmentMatcher:
    """The default (lexical) matcher, or one that blends in sentence embeddings (the optional extra)."""
    from policylens.embeddings import wordllama_embedder
    from policylens.matching import default_matcher

    return default_matcher(wordllama_embedder() if embeddings else None)


def compare(
    doc_a: str,
    doc_b: str,
    corpus: Path,
    settings: IngestSettings | None = None,
    *,
    embeddings: bool = False,
    decisions: Path | None = None,
    review: bool = False,
) -> LinksResult:
    """Links between two documents (ids in `corpus`, or files): carried forward, revised, new, dropped.
    `embeddings` blends sentence embeddings into the scores (needs the `embeddings` extra); `decisions`
    is a reviewer's calls on pairs (`matching.load_decisions`): one naming a commitment of no document
    of the corpus is a warning in the result's failures. With `review`, the result also has the pair's
    review sheet (`policylens.review`)."""
    reviewed = _decisions(decisions)
    from policylens.themes import classify

    read = documents_for([doc_a, doc_b], corpus, settings)
    if len(read.documents) == 2 and read.documents[0].source.sha256 == read.documents[1].source.sha256:
        # the same text twice: every commitment would be "carried forward" to itself
        raise NothingToCompare(f"{doc_a} {doc_b}", "both name the same document")
    if len(read.documents) < 2:  # a bad manifest row of another document does not matter here
        errors = [f for f in read.failures if f.is_error]
        named = [f for f in errors if any(t in f.target or t in f.message for t in (doc_a, doc_b))]
        failure = (named or errors or list(read.failures))[0]
        raise NotRead(failure.target, failure.message, code=failure.code)
    actions = actions_of(_with_corpus(read.documents, corpus, settings), action_settings(settings))
    themes = action_themes(classify(actions))
    levels = _levels(read.documents, actions)
    # oldest first, whatever the order given, as the main job compares them: which side a commitment is on
    # changes what it may link to, so `compare B A` must give the links `compare A B` and links.csv give
    given = [d.meta.doc_id for d in read.documents]
    undated = [d.meta.doc_id for d in read.documents if d.meta.period_start is None]
    ordered = [d.meta.doc_id for d in _oldest_first(read.documents)]
    pair = [(ordered[0], ordered[-1])]
    links, sheet = _links(actions, pair, themes, _matcher(embeddings), decisions=reviewed, levels=levels, review=review)
    warnings = [f for f in read.failures if not f.is_error]  # a missing edition of one of the two, read from another
    stems = {Path(d.source.path).stem for d in read.documents}
    if len(stems) == 1:  # text/halton-2017.txt and pdf/halton-2017.pdf: most likely one document twice
        said = f"both files are named {stems.pop()}: if they are two editions of one document, each commitment"
        warnings.append(
            Failure(
                " ".join(given),
                "match",
                NothingToCompare.code,
                f"{said} links to itself; compare two different documents",
                severity="warning",
            )
        )
    if given != ordered and undated:
        said = f"no year known for {' or '.join(undated)}: compared {ordered[0]} -> {ordered[-1]}, by id"
        why = "as the main job orders documents it has no year for; a manifest row's period gives the year"
        warnings.append(Failure(" ".join(given), "match", ORDER_NOTE, f"{said}, {why}", severity="warning"))
    elif given != ordered:
        years = {d.meta.doc_id: d.meta.period_start for d in read.documents}
        newer = "is the newer document" if years[given[0]] != years[given[-1]] else "comes second by id (same year)"
        said = f"{given[0]} was named first but {newer}: compared {ordered[0]} -> {ordered[-1]}"
        why = "oldest first, as the main job compares them (links.csv), so that the order named changes no link"
        warnings.append(Failure(" ".join(given), "match", ORDER_NOTE, f"{said}, {why}", severity="warning"))
    unused = _unused(reviewed, actions)
    return LinksResult(links, (*warnings, *unused), sheet, _followed(reviewed, unused, pair[0]))


def _links(
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, str]],
    themes: Mapping[str, ThemeAssignment],
    matcher: CommitmentMatcher,
    *,
    decisions: Sequence[LinkDecision],
    levels: Mapping[str, frozenset[tuple[str, str]]],
    review: bool,
) -> tuple[tuple[Link, ...], tuple[ReviewPair, ...]]:
    """The links of `pairs`, and with `review` their review sheet, from one matching."""
    from policylens.matching import link_documents
    from policylens.review import links_and_sheet

    if review:
        return links_and_sheet(actions, pairs, themes, matcher, decisions=decisions, levels=levels)
    return link_documents(actions, pairs, themes, matcher, decisions=decisions, levels=levels), ()


def _with_corpus(
    documents: tuple[Document, ...], corpus: Path, settings: IngestSettings | None
) -> tuple[Document, ...]:
    """The documents, then the rest of the corpus's. How distinctive a word is, and what the themes'
    words weigh, are learned from all the commitments at hand: `compare` and `audit` learn them from
    the whole corpus, as the main job does, so that they give the links `links.csv` gives. A corpus
    document that cannot be read only leaves the body smaller."""
    if not corpus.is_dir():
        return documents
    settings = settings or IngestSettings()
    named = {d.meta.doc_id for d in documents}
    jobs, _ = select_jobs([], corpus, settings)  # the documents already read are not read again
    read = (read_safely(job, settings) for job in jobs if job.meta.doc_id not in named)
    rest = [d for d in read if isinstance(d, Document)]
    return (*documents, *_oldest_first(rest))


def audit(
    series: str,
    corpus: Path,
    settings: IngestSettings | None = None,
    *,
    embeddings: bool = False,
    decisions: Path | None = None,
    review: bool = False,
) -> AuditResult:
    """Each commitment of a series (e.g. "halton": 2008 -> 2017 -> 2023) with its lineage, as rows of
    `audit-<series>.csv`. `embeddings` blends sentence embeddings into the scores (needs the `embeddings`
    extra); `decisions` is a reviewer's calls on pairs (`matching.load_decisions`): one naming a
    commitment of no document of the corpus is a warning in the result's failures. With `review`, the result
    also has the series' review sheet (`policylens.review`)."""
    reviewed = _decisions(decisions)
    from policylens.themes import classify

    if not Path(corpus).exists():
        raise SourceMissing(
            str(corpus), "the corpus folder does not exist", fix="Name the corpus folder with --corpus."
        )
    loaded = documents_for([], corpus, settings)
    documents = [d for d in _oldest_first(loaded.documents) if series_key(d.meta.doc_id) == series]
    if len(documents) < 2:
        sizes = Counter(series_key(d.meta.doc_id) for d in loaded.documents)
        known = ", ".join(f"{name} ({n} documents)" for name, n in sorted(sizes.items()) if n > 1) or "none"
        what = f"has only {documents[0].meta.doc_id}" if documents else "has no document"
        raise NothingToCompare(
            series,
            f"the series {what} in {corpus}; a series needs two or more documents (series that have: {known})",
            fix="Give one of those series (document ids without their year), or compare two documents with `compare`.",
        )
    # the whole corpus, as in the main job (see `_with_corpus`); only the series' steps are linked
    actions = actions_of(tuple(_oldest_first(loaded.documents)), action_settings(settings))
    members = [d.meta.doc_id for d in documents]
    steps = list(itertools.pairwise(members))
    themes = action_themes(classify(actions))
    levels = _levels(documents, actions)
    matcher = _matcher(embeddings)
    links, sheet = _links(actions, steps, themes, matcher, decisions=reviewed, levels=levels, review=review)
    by_id = {a.action_id: a for a in actions}
    chains = series_lineages(links)
    rows = tuple(audit_row(series, k, by_id, chains[(k.a_id, k.b_id)]) for k in links)
    unused = _unused(reviewed, actions, steps)
    return AuditResult(rows, tuple(unused), sheet, _followed(reviewed, unused, members))


@dataclass(frozen=True, slots=True)
class LinksResult:
    links: tuple[Link, ...]
    failures: tuple[Failure, ...] = ()
    review: tuple[ReviewPair, ...] = ()
    followed: tuple[LinkDecision, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditResult:
    rows: tuple[dict[str, object], ...]
    failures: tuple[Failure, ...] = ()
    review: tuple[ReviewPair, ...] = ()
    followed: tuple[LinkDecision, ...] = ()
