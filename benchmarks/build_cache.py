#!/usr/bin/env python3
"""Wall time of `policylens build` on the corpus: first and second run (the cache), and workers.

    .venv/bin/python benchmarks/build_cache.py [--prefer text,pdf] [--jobs 2]

Runs the command as a user does (a new process each time, imports included), into a fresh
temporary output folder: a first build (empty cache), a second build (every document from the
cache), then builds with `--no-cache` on 1 and on --jobs workers. Checks that all of them wrote
the same bytes. `--prefer pdf,text` reads the PDF editions, where workers pay off most.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLICYLENS = Path(sys.executable).parent / "policylens"
COMPARED = ("documents.csv", "blocks.jsonl", "failures.csv", "actions.csv", "metrics.csv", "themes.csv", "links.csv")


def timed_build(out: Path, *options: str) -> float:
    start = time.perf_counter()
    command = [str(POLICYLENS), "build", str(ROOT / "corpus"), "--out", str(out), *options]
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def outputs(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in COMPARED}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prefer", default="text,pdf", help="which edition to read (text,pdf or pdf,text)")
    parser.add_argument("--jobs", type=int, default=2, help="workers for the parallel build")
    args = parser.parse_args()
    prefer = ("--prefer", args.prefer)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        runs = {
            "first build (empty cache)": (root / "cached", prefer),
            "second build (from the cache)": (root / "cached", prefer),
            "--no-cache --jobs 1": (root / "one", (*prefer, "--no-cache", "--jobs", "1")),
            f"--no-cache --jobs {args.jobs}": (root / "many", (*prefer, "--no-cache", "--jobs", str(args.jobs))),
        }
        for label, (out, options) in runs.items():
            print(f"{label:<32} {timed_build(out, *options):6.2f} s", flush=True)
        same = outputs(root / "cached") == outputs(root / "one") == outputs(root / "many")
        print(f"outputs byte-identical: {same}")


if __name__ == "__main__":
    main()
