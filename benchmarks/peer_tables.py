#!/usr/bin/env python3
"""The peer-tables yardstick: policylens tables on the PDFs of Camelot's, tabula-java's and
pdfplumber's own test suites, scored by ../shared/benchmarks/peer-tables/score.py.

    .venv/bin/python benchmarks/peer_tables.py [--shared ../shared] [--out benchmarks/out/peer-tables]

Reads every case in one process with default settings and no per-file hints (what
`policylens tables FILE --pages P --format json` prints), writes one JSON file per case,
times the reading, then runs the scorer. `run.sh` in the shared folder does the same through
the command line, one process per case (that adds Python's start-up to every case).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

from policylens.pipeline import table_record, tables_of_file


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[1].parent / "shared")
    parser.add_argument("--out", type=Path, default=Path("benchmarks/out/peer-tables"))
    args = parser.parse_args()
    here = args.shared / "benchmarks" / "peer-tables"
    args.out.mkdir(parents=True, exist_ok=True)
    cases = [json.loads(line) for line in (here / "cases.jsonl").read_text("utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    for case in cases:
        tables = tables_of_file(here / case["pdf"], frozenset(case["pages"]))
        records = [table_record(t) for t in tables]
        (args.out / f"{case['id']}.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    elapsed = time.perf_counter() - started
    print(f"policylens (in one process): {len(cases)} cases read in {elapsed:.1f} s")
    score = [sys.executable, str(here / "score.py"), str(args.out), "--cases", str(here / "cases.jsonl")]
    return subprocess.run(score, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main())
