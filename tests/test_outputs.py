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
