"""The build cache (OUT/.cache) and documents processed in parallel (`jobs`)."""

from __future__ import annotations

import csv
import importlib
import os
import shutil
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policylens import IngestSettings, ReaderSettings, build
from policylens import batch as batch_module
from policylens import cache as cache_module
from policylens.actions import ActionSettings, extract_actions
from policylens.cache import CACHE_FOLDER
from policylens.cli import app
from policylens.ingest import ReadJob
from policylens.model import Document

from .conftest import CORPUS
from .test_outputs import COMMITTED, TEXT_OUTPUTS

ingest_module = importlib.import_module("policylens.ingest")  # the module, not the function it exports

SMALL = ("cheshire-east-2015", "halton-2017", "halton-2023")
"""Three text documents, two of one series (so an audit is written): quick to build."""


def _small_corpus(folder: Path) -> Path:
    """A copy of three corpus documents (text editions) that a test may edit."""
    shutil.copytree(CORPUS / "text", folder / "text")
    lines = (CORPUS / "manifest.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [lines[0]] + [line for line in lines[1:] if line.split(",", 1)[0] in SMALL]
    (folder / "manifest.csv").write_text("".join(kept).replace(",pdf/", ",text/").replace(".pdf", ".txt"))
    return folder


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in {".csv", ".jsonl"}}


def _entries(out: Path, kind: str = "documents") -> list[Path]:
    return sorted((out / CACHE_FOLDER / kind).glob("*.pickle"))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    return _small_corpus(tmp_path / "corpus")


def test_a_second_build_of_the_corpus_takes_everything_from_the_cache(tmp_path: Path) -> None:
    first = build([CORPUS], tmp_path)
    assert first.cached == () and not first.compared_cached
    seen: list[tuple[int, int]] = []
    second = build([CORPUS], tmp_path, progress=lambda done, total, _: seen.append((done, total)))
    assert len(second.cached) == 5 and second.compared_cached
    assert seen[-1] == (5, 5)
    assert (second.actions, second.metrics, second.themes, second.links) == (
        first.actions,
        first.metrics,
        first.themes,
        first.links,
    )
    for name in TEXT_OUTPUTS:  # the committed outputs, from the cache alone
        assert (tmp_path / name).read_bytes() == (COMMITTED / name).read_bytes(), name


def test_without_the_cache_nothing_is_read_from_or_written_to_it(corpus: Path, tmp_path: Path) -> None:
    cached, uncached = tmp_path / "cached", tmp_path / "uncached"
    build([corpus], cached)
    assert len(build([corpus], cached).cached) == 3
    result = build([corpus], uncached, cache=False)
    assert result.cached == () and not (uncached / CACHE_FOLDER).exists()
    assert _outputs(cached) == _outputs(uncached)


def test_an_edited_document_is_read_again_and_the_others_come_from_the_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    text = corpus / "text" / "halton-2023.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("Halton", "Halton Borough", 1), encoding="utf-8")
    result = build([corpus], out)
    assert result.cached == ("cheshire-east-2015", "halton-2017")
    assert not result.compared_cached  # one document changed, so the comparison is made again
    assert len(_entries(out)) == 3  # the stale entry of the old halton-2023 is gone
    fresh = tmp_path / "fresh"
    build([corpus], fresh, cache=False)
    assert _outputs(out) == _outputs(fresh)


def test_damaged_or_foreign_cache_entries_are_rebuilt_never_an_error(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    expected = _outputs(out)
    garbage, truncated, foreign = _entries(out)
    foreign.write_bytes(garbage.read_bytes())  # a good entry, of another document
    garbage.write_bytes(b"not a pickle at all")
    truncated.write_bytes(truncated.read_bytes()[:100])
    (compared,) = _entries(out, "compared")
    compared.write_bytes(b"\x80\x05K\x01.")  # a valid pickle of the wrong thing (the number 1)
    result = build([corpus], out)
    assert result.cached == () and not result.compared_cached
    assert _outputs(out) == expected
    assert len(build([corpus], out).cached) == 3  # and the rebuilt entries are good again


def test_a_code_or_reading_settings_change_invalidates_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    build([corpus], out)
    slower = IngestSettings(reader=ReaderSettings(time_limit_s=600))
    assert len(build([corpus], out, slower).cached) == 3  # the time limit never changes what is read
    assert build([corpus], out, IngestSettings(reader=ReaderSettings(encoding="utf-8-sig"))).cached == ()
    monkeypatch.setattr(cache_module, "code_fingerprint", lambda: "another version of policylens")
    assert build([corpus], out).cached == ()


def test_the_fingerprint_changes_with_the_code_and_the_data_files(tmp_path: Path) -> None:
    package = tmp_path / "policylens"
    shutil.copytree(Path(cache_module.__file__).parent, package)
    before = cache_module.package_fingerprint(package)
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "junk.json").write_text("{}")
    assert cache_module.package_fingerprint(package) == before  # compiled files do not count
    themes = package / "data" / "themes.toml"
    themes.write_text(themes.read_text(encoding="utf-8") + "\n# a new seed\n", encoding="utf-8")
    after_data = cache_module.package_fingerprint(package)
    assert after_data != before
    actions = package / "actions.py"
    actions.write_text(actions.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cache_module.package_fingerprint(package) not in {before, after_data}


def test_two_workers_write_the_same_bytes_as_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    build([CORPUS], one, IngestSettings(jobs=1), cache=False)

    def first_document_last(doc: Document, settings: ActionSettings | None = None) -> object:
        if doc.meta.doc_id == "halton-2008":  # the first job finishes after the others
            time.sleep(1.5)
        return extract_actions(doc, settings)

    monkeypatch.setattr(batch_module, "extract_actions", first_document_last)
    result = build([CORPUS], two, IngestSettings(jobs=2), cache=False)
    assert result.ingest.documents[0].meta.doc_id == "halton-2008"
    assert _outputs(one) == _outputs(two)


def _undecodable(corpus: Path, doc_id: str) -> None:
    (corpus / "text" / f"{doc_id}.txt").write_bytes(b"Strategy\n\n\xff\xfe caf\xe9 \x81\n")


def test_with_two_workers_a_bad_document_fails_alone(corpus: Path, tmp_path: Path) -> None:
    _undecodable(corpus, "halton-2017")
    out = tmp_path / "out"
    result = build([corpus], out, IngestSettings(jobs=2))
    assert [d.meta.doc_id for d in result.ingest.documents] == ["cheshire-east-2015", "halton-2023"]
    (failure,) = _rows(out / "failures.csv")
    assert failure["code"] == "PL103" and "halton-2017.txt" in failure["target"]
    assert {row["doc_id"] for row in _rows(out / "actions.csv")} == {"cheshire-east-2015", "halton-2023"}
    assert len(_entries(out)) == 2  # failures are never cached: the file is read again next time
    assert build([corpus], out, IngestSettings(jobs=2)).cached == ("cheshire-east-2015", "halton-2023")


def test_an_error_while_extracting_fails_that_document_only(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken_on_halton_2017(doc: Document, settings: ActionSettings | None = None) -> object:
        if doc.meta.doc_id == "halton-2017":
            raise RuntimeError("a bug")
        return extract_actions(doc, settings)

    monkeypatch.setattr(batch_module, "extract_actions", broken_on_halton_2017)
    out = tmp_path / "out"
    result = build([corpus], out, IngestSettings(jobs=2))
    (failure,) = result.ingest.failures
    assert (failure.stage, failure.code) == ("extract", "PL900")
    assert "RuntimeError: a bug" in failure.message and "test_cache_jobs.py" in failure.message
    assert {row["doc_id"] for row in _rows(out / "documents.csv")} == {"cheshire-east-2015", "halton-2023"}


def test_a_worker_that_dies_takes_only_its_own_document_down(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def killed_on_halton_2017(doc: Document, settings: ActionSettings | None = None) -> object:
        if doc.meta.doc_id == "halton-2017":
            os._exit(9)  # as if killed for using too much memory
        return extract_actions(doc, settings)

    monkeypatch.setattr(batch_module, "extract_actions", killed_on_halton_2017)
    out = tmp_path / "out"
    result = build([corpus], out, IngestSettings(jobs=2), cache=False)
    (failure,) = result.ingest.failures
    assert failure.code == "PL900" and "worker process" in failure.message
    assert [d.meta.doc_id for d in result.ingest.documents] == ["cheshire-east-2015", "halton-2023"]


@pytest.mark.parametrize("jobs", [0, -1, True, 1.5])
def test_jobs_must_be_a_whole_number_of_workers(jobs: object) -> None:
    with pytest.raises(ValueError, match="'jobs' setting"):
        IngestSettings(jobs=jobs)  # type: ignore[arg-type]


def test_the_build_command_takes_jobs_and_no_cache(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(app, ["build", str(corpus), "--out", str(out), "--jobs", "2", "--no-cache"])
    assert first.exit_code == 0, first.output
    assert not (out / CACHE_FOLDER).exists()
    runner.invoke(app, ["build", str(corpus), "--out", str(out)])
    second = runner.invoke(app, ["build", str(corpus), "--out", str(out)])
    assert second.exit_code == 0 and "3 document(s) unchanged since the last build" in second.output
    bad = runner.invoke(app, ["build", str(corpus), "--out", str(out), "--jobs", "0"])
    assert bad.exit_code == 2 and "The --jobs option must be" in bad.output


def test_with_two_workers_a_document_over_the_time_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read = ingest_module.read_job

    def hang_on_pdfs(job: ReadJob, settings: IngestSettings) -> Document:
        if job.source.format.value == "pdf":
            time.sleep(60)
        return real_read(job, settings)

    monkeypatch.setattr(ingest_module, "read_job", hang_on_pdfs)
    stuck = tmp_path / "stuck.pdf"
    stuck.write_bytes(b"%PDF-1.4\n")  # never opened: reading it hangs before
    texts = [CORPUS / "text" / f"{doc_id}.txt" for doc_id in SMALL]
    settings = IngestSettings(reader=ReaderSettings(time_limit_s=0.5), jobs=2)
    result = build([stuck, *texts], tmp_path / "out", settings)
    assert [d.meta.doc_id for d in result.ingest.documents] == list(SMALL)
    (failure,) = result.ingest.failures
    assert failure.code == "PL110" and "stuck.pdf: reading was stopped after 0.5 s" in failure.message
