#!/usr/bin/env python3
"""Speed of the PDF reader on the corpus PDFs, side by side with the plain approach.

    .venv/bin/python benchmarks/pdf_speed.py [--repeat 3]

Plain approach: pdfplumber `extract_text()` and `extract_tables()` on every page.
policylens: `read_document` (layout, furniture, headings, lists, ruled and borderless
tables joined across pages). Prints pages per second for each, best of --repeat runs.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import pdfplumber

from policylens import read_document

CORPUS_PDFS = sorted((Path(__file__).resolve().parents[1] / "corpus" / "pdf").glob("*.pdf"))


def plain(path: Path) -> int:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
            page.extract_tables()
        return len(pdf.pages)


def policylens_reader(path: Path) -> int:
    doc = read_document(path)
    return max(b.prov.page or 0 for b in doc.blocks)


def best_time(run: Callable[[Path], int], path: Path, repeat: int) -> tuple[int, float]:
    best = float("inf")
    pages = 0
    for _ in range(repeat):
        started = time.perf_counter()
        pages = run(path)
        best = min(best, time.perf_counter() - started)
    return pages, best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    totals = {"plain": [0, 0.0], "policylens": [0, 0.0]}
    print(f"{'document':24} {'pages':>5} {'plain p/s':>10} {'policylens p/s':>15}")
    for path in CORPUS_PDFS:
        pages, plain_s = best_time(plain, path, args.repeat)
        _, ours_s = best_time(policylens_reader, path, args.repeat)
        totals["plain"][0] += pages
        totals["plain"][1] += plain_s
        totals["policylens"][0] += pages
        totals["policylens"][1] += ours_s
        print(f"{path.stem:24} {pages:5d} {pages / plain_s:10.1f} {pages / ours_s:15.1f}")
    plain_pages, plain_s = totals["plain"]
    ours_pages, ours_s = totals["policylens"]
    print(f"{'all':24} {plain_pages:5d} {plain_pages / plain_s:10.1f} {ours_pages / ours_s:15.1f}")


if __name__ == "__main__":
    main()
