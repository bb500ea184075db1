from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from policylens import IngestSettings, ingest
from policylens.model import Document, IngestResult

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


def debian_tool(binary: str, packages: list[str]) -> tuple[str | None, str]:
    """A system program the suite needs, installed from Debian's packages when missing (the README
    and CI need nothing but Python 3.11): its path, or None and why it could not be installed."""
    found = shutil.which(binary)
    if found is None:
        for command in (["apt-get", "update"], ["apt-get", "install", "-y", *packages]):
            try:
                done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=900)
            except (OSError, subprocess.TimeoutExpired) as error:
                return None, f"{' '.join(command)}: {error}"
            if done.returncode != 0:
                return None, f"{' '.join(command)}: {done.stderr[-2000:]}"
        found = shutil.which(binary)
    return found, "" if found else f"{binary} is not on PATH after installing {', '.join(packages)}"
