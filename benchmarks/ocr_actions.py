#!/usr/bin/env python3
"""Action rows read by OCR from a scan of a corpus page, against the page's text layer.

    .venv/bin/python benchmarks/ocr_actions.py [--repeat 2]

Builds the image-only PDF of halton-2017's page 13 (rendered at 200 dpi) and the same page
with its text layer, as tests/test_pdf_ocr.py does; reads both and extracts their actions;
prints the rows matched, word recall and precision per field (word multisets, rows paired
in order), fields right word for word, and the time to read the scanned page (best of
--repeat runs: rendering, ruling lines, Tesseract and the layout steps) and how much of it
finding the ruling lines took. Needs Tesseract on PATH.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pdfplumber

from policylens import read_document
from policylens.actions import extract_actions
from policylens.readers.pdf.ocr import RESOLUTION
from policylens.readers.pdf.rulings import find_rules

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))  # the page builders and the scoring are the tests' own
    from tests.ocr_scoring import field_scores, fields_right, scanned_page, text_page

    with tempfile.TemporaryDirectory() as folder:
        scan, _ = scanned_page(Path(folder))
        expected = extract_actions(read_document(text_page(Path(folder))))
        seconds = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            doc = read_document(scan)
            seconds.append(time.perf_counter() - started)
        with pdfplumber.open(scan) as pdf:
            gray = np.asarray(pdf.pages[0].to_image(resolution=RESOLUTION).original.convert("L"))
        started = time.perf_counter()
        rules = find_rules(gray, RESOLUTION / 72)
        rule_seconds = time.perf_counter() - started
    got = extract_actions(doc)
    print(f"rows: {len(got)} read, {len(expected)} on the text layer")
    for name, score in field_scores(expected, got).items():
        counts = f"{score.matched}/{score.expected} expected, {score.got} read"
        print(f"{name:<10} recall {score.recall:.3f}  precision {score.precision:.3f}  ({counts})")
    same, total = fields_right(expected, got)
    print(f"fields right word for word: {same}/{total}")
    print(f"{len(rules)} ruling lines found in {rule_seconds:.2f} s; scanned page read in {min(seconds):.1f} s")
    print(*doc.warnings, sep="\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
