#!/usr/bin/env python3
"""Precision and recall of the commitment matcher on the hand-labelled links.

    .venv/bin/python benchmarks/matching_quality.py [--show] [--embeddings]

tests/expected/links/true_links.csv holds links labelled by reading the documents, and
hard_negatives.csv pairs that share many words but are different commitments. Recall is the
share of true links found. Precision is measured on the labelled commitments: of the links
predicted for a commitment that has labelled counterparts (in the same document pair), the
share that are labelled true; every counterpart of a labelled commitment was labelled, so a
predicted link outside the labels is a wrong one. Hard negatives linked are counted apart.
ambiguous.csv holds pairs a careful reader could call either way (from reading every Halton
2017 commitment against every 2023 objective): a link to one is neither right nor wrong.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from policylens import IngestSettings, ingest
from policylens.embeddings import wordllama_embedder
from policylens.matching import default_matcher, link_documents, restatements, score_links
from policylens.pipeline import action_themes, actions_of
from policylens.themes import classify

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "expected" / "links"


def _rows(name: str) -> list[dict[str, str]]:
    with (LABELS / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--show", action="store_true", help="print the misses and the wrong links")
    parser.add_argument(
        "--embeddings", action="store_true", help="blend in WordLlama embeddings (needs the embeddings extra)"
    )
    args = parser.parse_args()
    documents = ingest([ROOT / "corpus"], IngestSettings()).documents
    actions = actions_of(tuple(documents))
    by_id = {a.action_id: a for a in actions}
    true_links = [(r["a_id"], r["b_id"]) for r in _rows("true_links.csv")]
    negatives = [(r["a_id"], r["b_id"]) for r in _rows("hard_negatives.csv")]
    ambiguous = [(r["a_id"], r["b_id"]) for r in _rows("ambiguous.csv")]
    pairs = sorted({tuple(r["pair"].replace(">", "~").split("~")) for r in _rows("true_links.csv")})
    matcher = default_matcher(wordllama_embedder() if args.embeddings else None)
    links = link_documents(actions, pairs, action_themes(classify(actions)), matcher)  # type: ignore[arg-type]
    same = restatements(actions)
    scores = score_links(links, true_links, negatives, same, ambiguous)
    strict = score_links(links, true_links, negatives, same)
    print(
        f"labelled links {len(true_links)}, hard negatives {len(negatives)}, ambiguous {len(ambiguous)}: "
        f"precision {scores.precision:.2f}, recall {scores.recall:.2f}, F1 {scores.f1:.2f}, "
        f"hard negatives linked {len(scores.negatives_linked)} "
        f"(counting links to ambiguous pairs as wrong: precision {strict.precision:.2f})"
    )
    if args.show:
        for title, found in (
            ("missed", scores.missed),
            ("wrong", scores.wrong),
            ("negatives", scores.negatives_linked),
        ):
            print(f"\n## {title} ({len(found)})")
            for a_id, b_id in found:
                print(f"- {a_id} -> {b_id}\n    A: {by_id[a_id].action[:150]}\n    B: {by_id[b_id].action[:150]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
