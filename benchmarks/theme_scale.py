#!/usr/bin/env python3
"""Themes of a national corpus spread over many documents: the corpus's commitments copied into N
documents each (sections repeat per document, as councils' strategies have their own), timed.

    .venv/bin/python benchmarks/theme_scale.py [--copies 200]

The copies' texts repeat, so their lemmas come from the memo after the first copy: this measures what
grows with the number of documents and sections (each section's theme, each row read in the light of its
section), not lemmatising; `matching_scale.py` measures 50,000 distinct reworded texts.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from policylens import IngestSettings, ingest
from policylens.pipeline import actions_of
from policylens.themes import classify

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=200, help="documents per corpus document")
    args = parser.parse_args()
    actions = actions_of(tuple(ingest([ROOT / "corpus"], IngestSettings()).documents))
    many = [replace(a, doc_id=f"{a.doc_id}-{k}") for k in range(args.copies) for a in actions]
    documents = len({a.doc_id for a in many})
    sections = len({(a.doc_id, a.section) for a in many})
    started = time.perf_counter()
    classify(many)
    took = time.perf_counter() - started
    print(f"{len(many)} commitments in {documents} documents, {sections} sections: themes {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
