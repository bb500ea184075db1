#!/usr/bin/env python3
"""How often the theme of each commitment agrees with two readers'.

    .venv/bin/python benchmarks/theme_quality.py [--show]

tests/expected/themes/readings/ holds two readings, made blind to the program and to each other
(GUIDE.md): each reader gave every commitment of the corpus a primary theme and any secondary themes.
tests/expected/themes/actions.csv is their agreement: the primary both gave (both, "a|b", where they
split: either counts as right), and the secondary themes both gave.

Reports, for the primary theme: the share of commitments whose theme is the readers' (per document,
and with the section's weight set to 0, the commitment's own text alone), and how often the two readers
agree with each other; for secondary themes, how many the program gives that both readers gave too.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from policylens import IngestSettings, ingest
from policylens.model import Action, ThemeAssignment, ThemeLevel
from policylens.pipeline import actions_of
from policylens.themes import ThemeSettings, classify

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "expected" / "themes"


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return {row["action_id"]: row for row in csv.DictReader(handle)}


def _split(cell: str) -> set[str]:
    return {part for part in cell.split("|") if part}


def agreement(themes: Sequence[ThemeAssignment], labels: dict[str, dict[str, str]]) -> tuple[int, int]:
    """(commitments whose primary theme is a labelled one, commitments labelled)."""
    got = {t.target: t.primary for t in themes if t.level is ThemeLevel.ACTION}
    return sum(got[i] in _split(row["primary"]) for i, row in labels.items()), len(labels)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="print every commitment whose theme the readers' differs")
    args = parser.parse_args()
    actions: Sequence[Action] = actions_of(tuple(ingest([ROOT / "corpus"], IngestSettings()).documents))
    labels = _rows(LABELS / "actions.csv")
    first, second = _rows(LABELS / "readings" / "first.csv"), _rows(LABELS / "readings" / "second.csv")
    same = sum(first[i]["primary"] == second[i]["primary"] for i in labels)
    print(f"readers: the two agree on the primary theme of {same} of {len(labels)} commitments")
    themes = classify(actions)
    right, n = agreement(themes, labels)
    alone, _ = agreement(classify(actions, ThemeSettings(section_weight=0)), labels)
    print(
        f"primary theme as the readers': {right} of {n} ({right / n:.0%});"
        f" by its own text alone: {alone} ({alone / n:.0%})"
    )
    by_doc: Counter[str] = Counter()
    right_by_doc: Counter[str] = Counter()
    assigned = {t.target: t for t in themes if t.level is ThemeLevel.ACTION}
    for action_id, row in labels.items():
        doc = action_id.split("#")[0]
        by_doc[doc] += 1
        right_by_doc[doc] += assigned[action_id].primary in _split(row["primary"])
    for doc in by_doc:
        print(f"- {doc}: {right_by_doc[doc]} of {by_doc[doc]}")
    given = sum(len(assigned[i].secondary) for i in labels)
    both = sum(len(set(assigned[i].secondary) & _split(row["secondary"])) for i, row in labels.items())
    wanted = sum(len(_split(row["secondary"])) for row in labels.values())
    print(f"secondary themes: {given} given, {both} of them the readers' too; the readers agree on {wanted}")
    if args.show:
        for action_id, row in labels.items():
            t = assigned[action_id]
            if t.primary not in _split(row["primary"]):
                print(f"\n{action_id}: {t.primary} (readers: {row['primary']}, {row['why']})\n    {t.evidence[:200]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
