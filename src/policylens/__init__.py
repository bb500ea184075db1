"""policylens: read public strategy documents the way an analyst would.

The public API, stage by stage (see the README for the pipeline):

    load_corpus(path) -> Corpus
    read_document(path) -> Document
    ingest([paths], IngestSettings()) -> IngestResult
    build([paths], out) -> BuildResult
"""

from __future__ import annotations

from pathlib import Path

from policylens.corpus import load_corpus
from policylens.ingest import file_job, ingest, read_job
from policylens.model import SCHEMA_VERSION, Document
from policylens.pipeline import build
from policylens.settings import IngestSettings, ReaderSettings

__version__ = "0.1.0"


def read_document(path: str | Path, settings: IngestSettings | None = None) -> Document:
    """Read one file (any supported format) into a `Document`."""
    return read_job(file_job(Path(path)), settings or IngestSettings())


__all__ = [
    "SCHEMA_VERSION",
    "Document",
    "IngestSettings",
    "ReaderSettings",
    "__version__",
    "build",
    "ingest",
    "load_corpus",
    "read_document",
]
