"""Loading a corpus from its manifest, and what a bad manifest row does."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from policylens import load_corpus
from policylens.errors import BadManifest
from policylens.model import SourceFormat

from .conftest import CORPUS, DOC_IDS

HEADER = "id,council,title,period_start,period_end,text,pdf\n"


def test_bundled_corpus_manifest() -> None:
    corpus = load_corpus(CORPUS)
    assert corpus.failures == ()
    assert [e.meta.doc_id for e in corpus.entries] == list(DOC_IDS)
    h2017 = corpus.entries[2]
    assert h2017.meta.council == "Halton Borough Council"
    assert h2017.meta.title == "Halton Children in Care and Care Leavers Strategy 2017-19"
    assert (h2017.meta.period_start, h2017.meta.period_end) == (2017, 2019)
    assert [(s.format, s.path) for s in h2017.sources] == [
        (SourceFormat.TEXT, "text/halton-2017.txt"),
        (SourceFormat.PDF, "pdf/halton-2017.pdf"),
    ]
    for entry in corpus.entries:
        for source in entry.sources:
            assert source.sha256 == hashlib.sha256((CORPUS / source.path).read_bytes()).hexdigest()


def make_corpus(tmp_path: Path, rows: str, files: dict[str, str] | None = None) -> Path:
    for name, text in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(HEADER + rows, encoding="utf-8")
    return tmp_path


def test_bad_rows_fail_alone_and_name_the_row(tmp_path: Path) -> None:
    root = make_corpus(
        tmp_path,
        "good,C,T,2020,2022,a.txt,\n"
        "Bad Id,C,T,2020,2022,a.txt,\n"
        "good,C,T,2020,2022,a.txt,\n"
        "years,C,T,twenty,2022,a.txt,\n"
        "backwards,C,T,2022,2020,a.txt,\n"
        "nofiles,C,T,2020,2022,,\n"
        "gone,C,T,2020,2022,missing.txt,\n",
        {"a.txt": "TITLE\n\nText.\n"},
    )
    corpus = load_corpus(root)
    assert [e.meta.doc_id for e in corpus.entries] == ["good"]
    messages = [f.message for f in corpus.failures]
    assert len(messages) == 6
    assert "manifest.csv:3" in messages[0] and "'Bad Id' is not a lowercase slug" in messages[0]
    assert "manifest.csv:4" in messages[1] and "appears more than once" in messages[1]
    assert "period_start 'twenty' is not a four-digit year" in messages[2]
    assert "period_end 2020 is before period_start 2022" in messages[3]
    assert "names no source file" in messages[4]
    assert "manifest.csv:8" in messages[5] and "missing.txt" in messages[5] and "file not found" in messages[5]
    assert [f.code for f in corpus.failures] == ["PL202"] * 6


def test_a_missing_edition_is_a_warning_and_the_other_is_read(tmp_path: Path) -> None:
    root = make_corpus(tmp_path, "doc,C,T,2020,2022,a.txt,gone.pdf\n", {"a.txt": "TITLE\n\nText.\n"})
    corpus = load_corpus(root)
    assert [s.format for s in corpus.entries[0].sources] == [SourceFormat.TEXT]
    (failure,) = corpus.failures
    assert (
        "(gone.pdf): file not found; 'doc' is read from another of its files (a.txt). Check the path" in failure.message
    )
    # nothing is lost, so the run is not failed for it
    assert failure.severity == "warning" and not failure.is_error


def test_a_build_whose_documents_are_all_read_succeeds_with_a_missing_edition(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from policylens.cli import app

    root = make_corpus(
        tmp_path, "doc,C,T,2020,2022,a.txt,gone.pdf\n", {"a.txt": "TITLE\n\nWe will:\n\n- Recruit carers\n"}
    )
    result = CliRunner().invoke(app, ["build", str(root), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning PL101" in result.output and "failed" not in result.output
    text = (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "target,stage,code,message,severity" and text.rstrip().endswith(",warning")


def test_a_manifest_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    (tmp_path / "manifest.csv").write_text("name,file\nx,y.txt\n", encoding="utf-8")
    with pytest.raises(BadManifest, match="missing columns id, council, title, period_start, period_end"):
        load_corpus(tmp_path)


def test_a_folder_named_as_a_file_is_unreadable(tmp_path: Path) -> None:
    root = make_corpus(tmp_path, "doc,C,T,2020,2022,a.txt,folder.pdf\n", {"a.txt": "TITLE\n\nText.\n"})
    (root / "folder.pdf").mkdir()
    corpus = load_corpus(root)
    (failure,) = corpus.failures
    assert failure.code == "PL102" and "folder.pdf" in failure.message and "cannot read the file" in failure.message
