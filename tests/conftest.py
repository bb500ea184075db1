from __future__ import annotations

from pathlib import Path

import pytest
from tasks import debian_tool  # one way to install system programs: the set-up's (Tesseract) and the tests'

from policylens import IngestSettings, ingest
from policylens.model import Document, IngestResult

__all__ = ["debian_tool"]

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
EXPECTED = Path(__file__).resolve().parent / "expected"
DOC_IDS = ("halton-2008", "cheshire-east-2015", "halton-2017", "warrington-2022", "halton-2023")


@pytest.fixture(scope="session")
def corpus_result() -> IngestResult:
    return ingest([CORPUS], IngestSettings())


@pytest.fixture(scope="session")
def corpus_docs(corpus_result: IngestResult) -> dict[str, Document]:
    return {doc.meta.doc_id: doc for doc in corpus_result.documents}
