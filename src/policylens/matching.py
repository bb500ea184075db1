"""Matching commitments between two documents: carried forward, revised, new or dropped.

1. Candidates: for every commitment of document A, its nearest commitments of document B by
   TF-IDF cosine over lemmatised words and word pairs plus character n-grams (sparse vectors,
   scikit-learn `NearestNeighbors`; no pair-by-pair comparison of the whole corpus).
2. Rescoring, on the whole row (aim, action, outcome): how much of A's distinctive vocabulary
   B covers (IDF-weighted, so "young people" or "foster carers" alone weigh little), the same
   the other way, and rapidfuzz token-set similarity of the action texts.
3. Decision: pairs about different themes never link; each commitment of A links to its best
   match in B when the score clears `threshold`, enough distinctive terms are shared, and A is
   among that B's best `rank` matches (a later strategy folds several earlier actions into one
   broader commitment). Unlinked commitments are dropped (A) or new (B).
4. Relation: `carried_forward` when the commitment is essentially the same, `revised` when the
   aim is shared but the target, deadline, scope or lead changed; `changes` says which, and
   `evidence` names the shared phrases.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from policylens.corpus import series_key
from policylens.lemmas import content_lemmas
from policylens.model import Action, Link, Relation, ThemeAssignment
from policylens.themes import action_text, load_taxonomy


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@dataclass(frozen=True, slots=True)
class Scored:
    a: int
    b: int
    score: float
    covered: float
    shared: tuple[str, ...]


class CommitmentMatcher(BaseEstimator):  # type: ignore[misc]
    """Links commitments of two documents (scikit-learn estimator contract).

    neighbours: candidates kept per commitment from the sparse nearest-neighbour search.
    threshold: the score a pair needs to link.
    rank: a commitment of A links to a commitment of B only if it is among B's `rank` best matches.
    same_threshold: the score above which a linked pair is the same commitment (carried forward)
        unless its target or lead changed.
    min_shared_idf: the IDF weight of shared distinctive terms a link needs at least.
    """

    def __init__(
        self,
        neighbours: int = 8,
        threshold: float = 0.2,
        same_threshold: float = 0.45,
        min_shared_idf: float = 5.0,
        rank: int = 2,
    ) -> None:
        self.neighbours = neighbours
        self.threshold = threshold
        self.same_threshold = same_threshold
        self.min_shared_idf = min_shared_idf
        self.rank = rank

    def fit(self, texts: Sequence[str]) -> CommitmentMatcher:
        """Learn the vocabulary and how distinctive each term is from a body of commitments."""
        if not 0 < self.threshold < 1:
            raise ValueError(f"The 'threshold' parameter must be in (0, 1). Got {self.threshold!r}.")
        generic = load_taxonomy().generic_terms
        self.generic_ = generic
        tokens = self.tokens(texts)
        self.words_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit(tokens)
        self.chars_ = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=1).fit(texts)
        frequency = Counter(term for doc in tokens for term in set(doc))
        n = max(1, len(tokens))
        self.idf_ = {term: math.log((1 + n) / (1 + df)) + 1 for term, df in frequency.items()}
        self.default_idf_ = math.log(1 + n) + 1
        return self

    def tokens(self, texts: Sequence[str]) -> list[list[str]]:
        docs = [[w for w in words if w not in self.generic_] for words in content_lemmas(texts)]
        return [words + [f"{a} {b}" for a, b in itertools.pairwise(words)] for words in docs]

    def _vectors(self, texts: Sequence[str]) -> Any:
        words = normalize(self.words_.transform(self.tokens(texts)))
        chars = normalize(self.chars_.transform(texts))
        return normalize(sparse.hstack([words, 0.5 * chars]).tocsr())

    def candidates(self, a_texts: Sequence[str], b_texts: Sequence[str]) -> list[tuple[int, int]]:
        """Pairs worth scoring: each A's nearest B's and each B's nearest A's."""
        a_vectors, b_vectors = self._vectors(a_texts), self._vectors(b_texts)
        pairs: set[tuple[int, int]] = set()
        for source, target, flip in ((a_vectors, b_vectors, False), (b_vectors, a_vectors, True)):
            k = min(self.neighbours, target.shape[0])
            if k == 0 or source.shape[0] == 0:
                continue
            index = NearestNeighbors(n_neighbors=k, metric="cosine", algorithm="brute").fit(target)
            _, nearest = index.kneighbors(source)
            for i, row in enumerate(nearest):
                pairs.update((int(j), i) if flip else (i, int(j)) for j in row)
        return sorted(pairs)

    def _weight(self, term: str) -> float:
        return self.idf_.get(term, self.default_idf_) * (1.6 if " " in term else 1.0)

    def score(self, a_tokens: list[str], b_tokens: list[str], a_action: str, b_action: str) -> Scored:
        a_set, b_set = set(a_tokens), set(b_tokens)
        shared = a_set & b_set
        weight = sum(self._weight(t) for t in shared)
        covered_a = weight / max(1e-9, sum(self._weight(t) for t in a_set))
        covered_b = weight / max(1e-9, sum(self._weight(t) for t in b_set))
        fuzzy = fuzz.token_set_ratio(a_action.casefold(), b_action.casefold()) / 100
        score = 0.45 * max(covered_a, covered_b) + 0.25 * min(covered_a, covered_b) + 0.30 * fuzzy
        if weight < self.min_shared_idf:
            score = min(score, self.threshold - 0.01)
        top = sorted(shared, key=lambda t: (-self._weight(t), t))[:4]
        return Scored(-1, -1, round(score, 3), round(max(covered_a, covered_b), 3), tuple(top))


def _compatible(a: Action, b: Action, themes: Mapping[str, ThemeAssignment]) -> bool:
    """Two commitments can be the same only if they are about the same thing: one's primary
    theme is the other's primary or secondary theme (no themes known: any pair can be)."""
    ta, tb = themes.get(a.action_id), themes.get(b.action_id)
    if ta is None or tb is None:
        return True
    return ta.primary == tb.primary or ta.primary in tb.secondary or tb.primary in ta.secondary


_TARGET = re.compile(r"\d+(?:\.\d+)?%|£\d[\d,]*")


def _targets(action: Action) -> set[str]:
    """The levels a commitment sets: percentages and money in its cells, and targets written
    into its timescale (ages, years and counts of things in passing are not targets)."""
    levels = set(_TARGET.findall(f"{action.action} {action.outcome}"))
    for target in action.timescale.targets:
        found = _TARGET.findall(target)
        # "5 additional carers" is a level; a whole sentence repeated in the cell is not
        levels |= set(found) if found else ({" ".join(target.split())} if len(target.split()) <= 4 else set())
    return levels


def _changes(a: Action, b: Action) -> tuple[str, ...]:
    changes = []
    a_targets, b_targets = _targets(a), _targets(b)
    if a_targets != b_targets and (a_targets or b_targets):
        changes.append(f"target: {', '.join(sorted(a_targets)) or 'none'} -> {', '.join(sorted(b_targets)) or 'none'}")
    if a.timescale.raw and b.timescale.raw and a.timescale.raw != b.timescale.raw:
        changes.append(f"deadline: {' '.join(a.timescale.raw.split())} -> {' '.join(b.timescale.raw.split())}")
    if a.leads and b.leads and set(a.leads) != set(b.leads):
        changes.append(f"lead: {' | '.join(a.leads)} -> {' | '.join(b.leads)}")
    return tuple(changes)


def link(
    a_actions: Sequence[Action],
    b_actions: Sequence[Action],
    themes: Mapping[str, ThemeAssignment] | None = None,
    matcher: CommitmentMatcher | None = None,
) -> tuple[Link, ...]:
    """Links between two documents' commitments, then the dropped (A only) and new (B only) ones.

    `themes` maps action ids to their theme assignments: pairs about different things never link.
    """
    themes = themes or {}
    a_texts = [action_text(a) for a in a_actions]
    b_texts = [action_text(b) for b in b_actions]
    fitted = matcher is not None and hasattr(matcher, "idf_")
    model = matcher if fitted and matcher is not None else (matcher or CommitmentMatcher()).fit([*a_texts, *b_texts])
    a_tokens, b_tokens = model.tokens(a_texts), model.tokens(b_texts)
    scored = []
    for i, j in model.candidates(a_texts, b_texts):
        if not _compatible(a_actions[i], b_actions[j], themes):
            continue
        s = model.score(a_tokens[i], b_tokens[j], a_actions[i].action, b_actions[j].action)
        scored.append(Scored(i, j, s.score, s.covered, s.shared))
    kept = _decide(scored, model.threshold, model.rank)
    links = [_link(a_actions[s.a], b_actions[s.b], s, model.same_threshold) for s in kept]
    linked_a = {s.a for s in kept}
    linked_b = {s.b for s in kept}
    b_doc = b_actions[0].doc_id if b_actions else ""
    a_doc = a_actions[0].doc_id if a_actions else ""
    links += [_alone(a, Relation.DROPPED, b_doc) for i, a in enumerate(a_actions) if i not in linked_a]
    links += [_alone(b, Relation.NEW, a_doc) for j, b in enumerate(b_actions) if j not in linked_b]
    return tuple(links)


def _decide(scored: Sequence[Scored], threshold: float, rank: int) -> list[Scored]:
    """Each commitment of A links to its best match in B when that clears the threshold and A
    is among the `rank` best matches of that B (so a broad later commitment can absorb several
    earlier ones, but a weak match to something better matched elsewhere is not a link)."""
    by_a: dict[int, Scored] = {}
    by_b: dict[int, list[float]] = {}
    for s in scored:
        if s.a not in by_a or s.score > by_a[s.a].score:
            by_a[s.a] = s
        by_b.setdefault(s.b, []).append(s.score)
    kept = []
    for s in by_a.values():
        better = sum(1 for other in by_b[s.b] if other > s.score)
        if s.score >= threshold and better < rank:
            kept.append(s)
    return sorted(kept, key=lambda s: (s.a, s.b))


def _link(a: Action, b: Action, s: Scored, same_threshold: float) -> Link:
    changes = _changes(a, b)
    substantive = [c for c in changes if not c.startswith("deadline")]
    same = s.score >= same_threshold and not substantive
    relation = Relation.CARRIED_FORWARD if same else Relation.REVISED
    evidence = f"shared: {', '.join(s.shared)}; covers {s.covered:.0%} of the distinctive terms"
    return Link(a.doc_id, a.action_id, a.action, b.doc_id, b.action_id, b.action, relation, s.score, evidence, changes)


def _alone(action: Action, relation: Relation, other_doc: str) -> Link:
    """A commitment with no counterpart in `other_doc` (the document it was compared with)."""
    evidence = f"no counterpart in {other_doc}"
    if relation is Relation.DROPPED:
        return Link(action.doc_id, action.action_id, action.action, other_doc, "", "", relation, 0.0, evidence)
    return Link(other_doc, "", "", action.doc_id, action.action_id, action.action, relation, 0.0, evidence)


def document_pairs(doc_ids: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs to compare: consecutive documents of each series, and every two documents of
    different series (councils). Documents are taken in the order given (oldest first)."""
    pairs: list[tuple[str, str]] = []
    by_series: dict[str, list[str]] = {}
    for doc_id in doc_ids:
        by_series.setdefault(series_key(doc_id), []).append(doc_id)
    for members in by_series.values():
        pairs += list(itertools.pairwise(members))
    for i, a in enumerate(doc_ids):
        pairs += [(a, b) for b in doc_ids[i + 1 :] if series_key(a) != series_key(b)]
    return pairs


def link_documents(
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, str]],
    themes: Mapping[str, ThemeAssignment] | None = None,
) -> tuple[Link, ...]:
    """Links for each pair of documents, the matcher fitted once on every commitment given."""
    matcher = CommitmentMatcher().fit([action_text(a) for a in actions])
    by_doc: dict[str, list[Action]] = {}
    for action in actions:
        by_doc.setdefault(action.doc_id, []).append(action)
    links: list[Link] = []
    for a_doc, b_doc in pairs:
        links += link(by_doc.get(a_doc, []), by_doc.get(b_doc, []), themes, matcher)
    return tuple(links)
