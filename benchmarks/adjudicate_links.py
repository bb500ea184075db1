#!/usr/bin/env python3
"""The hand labels of links, from the readings of three readers (majority vote).

    .venv/bin/python benchmarks/adjudicate_links.py

tests/expected/links/readings/ holds every reading, as it was written:
- first-links.csv, first-ambiguous.csv: the first reader's links and undecided pairs. Only for Halton
  2017 -> 2023 did the first reader read every commitment against every other; elsewhere its silence is
  no judgement.
- second-<A>__<B>.csv: a second reader, blind to the first, read every commitment of
  second-<A>__<B>-focus.txt (all the commitments the first reader named) against every commitment of the
  other document (GUIDE-second.md) and named all its counterparts (`link`) and undecided pairs
  (`ambiguous`); a pair it does not name is not a link.
- third.csv: a third reader, blind to both, judged every pair the first two did not agree on, shuffled
  and unattributed (GUIDE-third.md): `link`, `ambiguous` or `not`.

A pair is a true link when more than half of the readers who judged it call it a link; a pair some reader
calls a link or ambiguous that is not a true link is ambiguous (neither right nor wrong when the matcher is
measured). Hard negatives (hard_negatives.csv, the first reader's) stay negatives: no reader calls one a link.
Writes true_links.csv and ambiguous.csv beside the readings' folder.
"""

from __future__ import annotations

import csv
from pathlib import Path

from policylens import IngestSettings, ingest
from policylens.matching import restatements
from policylens.pipeline import actions_of

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "expected" / "links"
READINGS = LABELS / "readings"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    actions = actions_of(ingest([ROOT / "corpus"], IngestSettings()).documents)
    true_rows, unsure_rows, negatives = adjudicated(restatements(actions))
    _write(LABELS / "true_links.csv", TRUE_HEADER, true_rows)
    _write(LABELS / "ambiguous.csv", AMBIGUOUS_HEADER, unsure_rows)
    print(f"true links {len(true_rows)}, ambiguous {len(unsure_rows)}, hard negatives {negatives}")
    return 0


TRUE_HEADER = ["a_id", "b_id", "pair", "relation", "why", "readers"]
AMBIGUOUS_HEADER = ["a_id", "b_id", "pair", "why", "readers"]


def adjudicated(same: dict[str, str]) -> tuple[list[list[str]], list[list[str]], int]:
    """The true links' rows, the ambiguous pairs' rows, and the number of hard negatives; `same` maps a
    restated commitment to its first statement, so readers naming either copy name the same pair."""

    def key(a: str, b: str) -> frozenset[str]:
        return frozenset((same.get(a, a), same.get(b, b)))

    first = {key(r["a_id"], r["b_id"]): r for r in _rows(READINGS / "first-links.csv")}
    first_unsure = {key(r["a_id"], r["b_id"]): r for r in _rows(READINGS / "first-ambiguous.csv")}
    negatives = {key(r["a_id"], r["b_id"]) for r in _rows(LABELS / "hard_negatives.csv")}
    pair_names = {tuple(r["pair"].replace(">", "~").split("~")): r["pair"] for r in first.values()}
    second: dict[frozenset[str], dict[str, str]] = {}
    where: dict[frozenset[str], tuple[str, str, str]] = {}  # the pair of documents, and the ids as first named
    for path in sorted(READINGS.glob("second-*__*.csv")):
        a_doc, b_doc = path.stem.removeprefix("second-").split("__")
        for row in _rows(path):
            if row["other_id"] and row["judgement"] in ("link", "ambiguous"):
                k = key(row["focus_id"], row["other_id"])
                second[k] = row
                a_id, b_id = sorted((row["focus_id"], row["other_id"]), key=lambda i: i.split("#")[0] != a_doc)
                where.setdefault(k, (pair_names[(a_doc, b_doc)], a_id, b_id))
    for k, row in [*first.items(), *first_unsure.items()]:
        where[k] = (row["pair"], row["a_id"], row["b_id"])
    third = {key(r["a_id"], r["b_id"]): r for r in _rows(READINGS / "third.csv")}

    true_rows, unsure_rows = [], []
    for k in sorted(where, key=lambda k: (where[k][0], where[k][1], where[k][2])):
        votes = []
        if k in first or k in first_unsure:
            votes.append(("first", "link" if k in first else "ambiguous"))
        votes.append(("second", second[k]["judgement"] if k in second else "not"))
        if k in third:
            votes.append(("third", third[k]["judgement"]))
        links = sum(1 for _, v in votes if v == "link")
        pair, a_id, b_id = where[k]
        said = "; ".join(f"{who}: {v}" for who, v in votes)
        why = (first.get(k) or first_unsure.get(k) or second.get(k) or {}).get("why", "")
        if k in second and second[k].get("why") and k not in first:
            why = second[k]["why"]
        if k in third:
            why = f"{why} | third reader: {third[k]['why']}" if why else third[k]["why"]
        if 2 * links > len(votes):
            relation = first[k]["relation"] if k in first else ""
            true_rows.append([a_id, b_id, pair, relation, why, said])
        elif k not in negatives:
            unsure_rows.append([a_id, b_id, pair, why, said])
    return true_rows, unsure_rows, len(negatives)


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


if __name__ == "__main__":
    raise SystemExit(main())
