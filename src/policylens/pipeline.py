"""The main job, its stages written down once, in order.

    corpus (manifest, hashes) -> readers (Document) -> [actions, metrics -> themes,
    matching: later stages] -> store (extracted/)

Each stage is a function of typed records; this module only wires them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policylens.ingest import ProgressHook, ingest
from policylens.model import IngestResult
from policylens.settings import IngestSettings
from policylens.store import write_documents


@dataclass(frozen=True, slots=True)
class BuildResult:
    ingest: IngestResult
    written: tuple[Path, ...]

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

    Today the stages are reading and storing; extraction stages join here.
    """
    return ingest_to(inputs, out, settings, progress)
