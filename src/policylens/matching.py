"""Matching commitments between two documents: carried forward, revised, new or dropped.

1. Candidates: for every commitment of document A, its nearest commitments of document B (and
   the other way) by TF-IDF cosine over lemmatised words, word pairs and concepts, computed as
   chunked sparse products that only touch pairs sharing a term; terms in most commitments are
   left out of the search (never a comparison of every pair).
2. Rescoring, on the whole row (aim, action, outcome): how much of A's distinctive vocabulary
   B covers (IDF-weighted, so "young people" or "foster carers" alone weigh little), the same
   the other way, and rapidfuzz token-set similarity of the action texts.
3. Decision: a pair about different themes loses `theme_penalty` from its score (themes are
   classified from words too, so they are evidence, not a gate); each commitment of A links to its
   best match in B, and to any other within `split_margin` of it (one action split into two),
   when the score clears `threshold` (lower when B's document is the more condensed, see
   `fold_exponent`) and enough distinctive terms are shared, and A is among that
   B's best matches: `rank` of them, times how many more commitments A's document has than B's
   (a later strategy with fewer, broader commitments folds several earlier actions into each).
   Unlinked commitments are dropped (A) or new (B).
4. Relation: `carried_forward` when the commitment is essentially the same, `revised` when the
   aim is shared but the target, deadline, scope or lead changed; `changes` says which, and
   `evidence` names the shared phrases.
"""

from __future__ import annotations

import csv
import itertools
import math
import re
import tomllib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from policylens.corpus import series_key
from policylens.embeddings import Embedder
from policylens.errors import BadDecisions
from policylens.lemmas import content_lemmas
from policylens.model import Action, Link, LinkDecision, Metric, MetricKind, Relation, ThemeAssignment
from policylens.themes import action_text, load_taxonomy


def _identity(tokens: list[str]) -> list[str]:
    return tokens


@dataclass(frozen=True, slots=True)
class ConceptIndex:
    """The concepts' phrases, ready to find in a text.

    by_first: phrases matched on content lemmas, by their first lemma: (phrase lemmas, concept).
    literal: phrases whose meaning is in their small words ("staying put", "at risk", "further
        education", "seen alone"): without stop words they would shrink to one common word ("stay",
        "risk", "education") and mark every text that has it; they are found as written instead,
        each word optionally plural.
    """

    by_first: Mapping[str, tuple[tuple[tuple[str, ...], str], ...]]
    literal: tuple[tuple[re.Pattern[str], str, str], ...] = ()
    """(pattern, concept, the phrase's longest word: a text without it cannot match)."""
    means: frozenset[str] = frozenset()
    """The `@concept` terms that say how a council works (reporting, partners, staff), not what it commits
    to: two commitments that share only these and one word are not shown to be the same."""
    means_phrases: tuple[tuple[str, ...], ...] = ()
    """The lemmas of those concepts' phrases, longest first: a phrase shared whole ("social worker") is one
    thing in common, not a word pair and its two words."""


@lru_cache(maxsize=4)
def load_concepts(path: Path | None = None) -> ConceptIndex:
    """The packaged `data/concepts.toml` (or a user's file of the same shape), indexed by the
    first lemma of each phrase so a text is scanned once, whatever the number of phrases."""
    if path is None:
        text = resources.files("policylens.data").joinpath("concepts.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    data = tomllib.loads(text)
    raw: dict[str, list[str]] = data["concepts"]
    index: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    literal: list[tuple[re.Pattern[str], str, str]] = []
    for concept, phrases in sorted(raw.items()):
        texts = [str(p) for p in phrases]
        for phrase, words in sorted(zip(texts, content_lemmas(texts), strict=True)):
            if len(words) < min(2, len(phrase.split())):  # a stop word alone ("alone") too
                literal.append((_literal_pattern(phrase), concept, max(phrase.casefold().split(), key=len)))
            elif words:
                index.setdefault(words[0], []).append((tuple(words), concept))
    by_first = {first: tuple(sorted(set(entries))) for first, entries in index.items()}
    means: list[str] = data.get("means", [])
    means_phrases = {lemmas for entries in index.values() for lemmas, concept in entries if concept in means}
    longest_first = tuple(sorted(means_phrases, key=lambda lemmas: (-len(lemmas), lemmas)))
    return ConceptIndex(by_first, tuple(literal), frozenset(f"@{c}" for c in means), longest_first)


def _literal_pattern(phrase: str) -> re.Pattern[str]:
    words = [re.escape(w) + "s?" for w in phrase.casefold().split()]
    between = r"[\s-]+"
    return re.compile(r"(?<!\w)" + between.join(words) + r"(?!\w)")


def concepts_in(words: Sequence[str], concepts: ConceptIndex, text: str = "") -> list[str]:
    """The concepts a text mentions, as `@concept` terms, in name order: `words` are its content
    lemmas, `text` the text itself (for the phrases found as written)."""
    found = set()
    for i, word in enumerate(words):
        for phrase, concept in concepts.by_first.get(word, ()):
            if tuple(words[i : i + len(phrase)]) == phrase:
                found.add(concept)
    if concepts.literal:
        lowered = text.casefold()
        # a plain substring test first: at national scale most texts hold none of these words
        found |= {c for p, c, key in concepts.literal if key in lowered and p.search(lowered)}
    return [f"@{c}" for c in sorted(found)]


@dataclass(frozen=True, slots=True)
class Scored:
    a: int
    b: int
    score: float
    coverage: tuple[float, float]
    """The IDF-weighted share of A's distinctive terms that B has, and of B's that A has."""
    shared: tuple[str, ...]
    lacking: str = ""
    """Why the two cannot link whatever their score ("" when they can): too few distinctive terms in common
    (`min_shared_idf`, or nothing telling), or what tells is only in an aim heading a row."""
    uncapped: float | None = None
    """The score before `lacking` held it below the threshold (None: the same as `score`)."""

    @property
    def enough(self) -> bool:
        """Enough in common to link at all, whatever the score."""
        return not self.lacking

    @property
    def covered(self) -> float:
        """How much of the one's distinctive terms the other covers, the larger share."""
        return max(self.coverage)


class CommitmentMatcher(BaseEstimator):  # type: ignore[misc]
    """Links commitments of two documents (scikit-learn estimator contract).

    neighbours: candidates kept per commitment from the sparse nearest-neighbour search.
    threshold: the score a pair needs to link.
    rank: a commitment of A links to a commitment of B only if it is among B's best matches: `rank`
        of them, times the ratio of A's commitments to B's when A's document has more.
    split_margin: A also links to any other B scoring within this margin of its best match.
    theme_penalty: taken off the score of a pair whose themes do not agree.
    fold_exponent: when A's document has more commitments than B's (ratio r), the threshold is
        divided by r to this power: a broad commitment that absorbs several specific ones shares
        only a few words with each (0: the same threshold for every pair of documents).
    embedder: optional texts-to-vectors function (`policylens.embeddings.wordllama_embedder()`, the
        `embeddings` extra); when given, a pair's score is blended with the cosine of the two rows'
        vectors, `embedding_weight` of it (this can lift a pair that shares few words).
    same_threshold: the score above which a linked pair is the same commitment (carried forward)
        unless its target or lead changed.
    min_shared_idf: the IDF weight of shared distinctive terms a link needs at least.
    concepts: a concepts TOML file (None: the packaged `data/concepts.toml`).
    concept_weight: how much a shared concept weighs against a shared word of the same rarity.
    about_weight: the part of the score given to the overlap of the two commitments' concepts.
    search_max_df, search_max_share: a term in more commitments than both of these (a count, and a
        share of all commitments) is left out of the neighbour search (it still counts in the score).
    """

    def __init__(
        self,
        *,
        neighbours: int = 8,
        threshold: float = 0.22,
        same_threshold: float = 0.45,
        min_shared_idf: float = 5.0,
        rank: float = 1.5,
        split_margin: float = 0.0,
        theme_penalty: float = 0.08,
        fold_exponent: float = 0.3,
        embedder: Embedder | None = None,
        embedding_weight: float = 0.2,
        concepts: Path | None = None,
        concept_weight: float = 1.5,
        about_weight: float = 0.1,
        search_max_df: int = 100,
        search_max_share: float = 0.02,
    ) -> None:
        self.search_max_df = search_max_df
        self.search_max_share = search_max_share
        self.about_weight = about_weight
        self.concepts = concepts
        self.concept_weight = concept_weight
        self.neighbours = neighbours
        self.threshold = threshold
        self.same_threshold = same_threshold
        self.min_shared_idf = min_shared_idf
        self.rank = rank
        self.split_margin = split_margin
        self.theme_penalty = theme_penalty
        self.fold_exponent = fold_exponent
        self.embedder = embedder
        self.embedding_weight = embedding_weight

    def fit(self, texts: Sequence[str]) -> CommitmentMatcher:
        """Learn the vocabulary and how distinctive each term is from a body of commitments."""
        if not 0 < self.threshold < 1:
            raise ValueError(f"The 'threshold' parameter must be in (0, 1). Got {self.threshold!r}.")
        generic = load_taxonomy().generic_terms
        self.generic_ = generic
        self.concepts_ = load_concepts(self.concepts)
        tokens = self.tokens(texts)
        # no commitments, or none with a word of substance: nothing will link, but the fitted
        # matcher must still say so (every commitment new or dropped) rather than fail
        self.words_ = TfidfVectorizer(analyzer=_identity, sublinear_tf=True).fit(tokens if any(tokens) else [[""]])
        frequency = Counter(term for doc in tokens for term in set(doc))
        n = max(1, len(tokens))
        too_common = max(self.search_max_df, self.search_max_share * n)
        vocabulary = self.words_.vocabulary_
        self.searchable_ = sorted(i for term, i in vocabulary.items() if frequency[term] <= too_common)
        self.idf_ = {term: math.log((1 + n) / (1 + df)) + 1 for term, df in frequency.items()}
        self.default_idf_ = math.log(1 + n) + 1
        # every pair scored sums its terms' weights: looked up once per term, not worked out per pair
        self.weights_ = {term: self._weight_of(term) for term in self.idf_}
        return self

    def tokens(self, texts: Sequence[str]) -> list[list[str]]:
        """Content lemmas (generic words dropped), word pairs, and the concepts mentioned."""
        tokens = []
        for text, words in zip(texts, content_lemmas(texts), strict=True):
            kept = [w for w in words if w not in self.generic_]
            pairs = [f"{a} {b}" for a, b in itertools.pairwise(kept)]
            tokens.append(kept + pairs + concepts_in(words, self.concepts_, text))
        return tokens

    def _vectors(self, texts: Sequence[str]) -> Any:
        """Sparse TF-IDF vectors of the texts' terms for the neighbour search, without the terms so
        common in the body of commitments that they would make everything a neighbour of everything."""
        vectors = self.words_.transform(self.tokens(texts))
        return normalize(vectors[:, self.searchable_])

    def candidates(self, a_texts: Sequence[str], b_texts: Sequence[str]) -> list[tuple[int, int]]:
        """Pairs worth scoring: each A's nearest B's and each B's nearest A's (none when a side has no
        commitments: a document whose plan could not be read must not stop the comparison of the rest)."""
        if not a_texts or not b_texts:
            return []
        a_vectors, b_vectors = self._vectors(a_texts), self._vectors(b_texts)
        pairs: set[tuple[int, int]] = set()
        for i, row in enumerate(nearest(a_vectors, b_vectors, self.neighbours)):
            pairs.update((i, j) for j in row)
        for j, row in enumerate(nearest(b_vectors, a_vectors, self.neighbours)):
            pairs.update((i, j) for i in row)
        return sorted(pairs)

    def _telling(self, shared: set[str]) -> bool:
        """Whether what two commitments share can show they are the same: a concept of what they commit
        to, a word pair, or two things; not one thing and how the council works ("report" and
        @governance, "social worker" and @workforce: a phrase of such a concept is one thing, not a word
        pair and two words)."""
        things, explained = 0, set[str]()
        # only a shared concept of how councils work can have a shared phrase of it (most pairs have none)
        phrases = () if shared.isdisjoint(self.concepts_.means) else self.concepts_.means_phrases
        for phrase in phrases:
            if all(w in shared for w in phrase) and not explained.issuperset(phrase):
                things += 1
                explained.update(phrase, (f"{a} {b}" for a, b in itertools.pairwise(phrase)))
        rest = shared - explained
        things += sum(1 for t in rest if t[0] != "@" and " " not in t)
        return things >= 2 or any(" " in t or (t[0] == "@" and t not in self.concepts_.means) for t in rest)

    def total_weight(self, terms: Iterable[str]) -> float:
        """The weight of a commitment's distinctive terms in all: what the share it has in common is of."""
        return sum(self._weight(t) for t in set(terms))

    def _weight(self, term: str) -> float:
        weight = self.weights_.get(term)
        return self._weight_of(term) if weight is None else weight

    def _weight_of(self, term: str) -> float:
        boost = self.concept_weight if term.startswith("@") else 1.6 if " " in term else 1.0
        return self.idf_.get(term, self.default_idf_) * boost

    def score(
        self,
        a_tokens: list[str],
        b_tokens: list[str],
        a_action: str,
        b_action: str,
        *,
        a_own: frozenset[str] | None = None,
        b_own: frozenset[str] | None = None,
        totals: tuple[float, float] | None = None,
    ) -> Scored:
        """How alike two commitments are, from their rows' terms. `a_own`, `b_own`: the terms of each one's
        own cells (action, outcome; `own_terms`); when given, what shows the two are the same must be in
        both one's own cells: an aim heads the row, and a row under "physical, emotional and mental health
        needs" that invites a child to a health assessment is not a commitment to mental health services.
        `totals`: each one's terms' weight in all (`total_weight`), when worked out once for many pairs."""
        a_set, b_set = set(a_tokens), set(b_tokens)
        shared = a_set & b_set
        weight = sum(self._weight(t) for t in shared)
        a_total, b_total = totals or (self.total_weight(a_set), self.total_weight(b_set))
        covered_a = weight / max(1e-9, a_total)
        covered_b = weight / max(1e-9, b_total)
        fuzzy = fuzz.token_set_ratio(a_action.casefold(), b_action.casefold()) / 100
        a_concepts, b_concepts = {t for t in a_set if t[0] == "@"}, {t for t in b_set if t[0] == "@"}
        # what the two are about: shared concepts against all the concepts either mentions
        about = len(a_concepts & b_concepts) / len(a_concepts | b_concepts) if a_concepts | b_concepts else 0.0
        score = (
            0.45 * max(covered_a, covered_b)
            + 0.25 * min(covered_a, covered_b)
            + (0.30 - self.about_weight) * fuzzy
            + self.about_weight * about
        )
        lacking = ""
        if weight < self.min_shared_idf or not self._telling(shared):
            lacking = "too few distinctive terms in common"
        elif a_own is not None and b_own is not None and not self._telling(shared & a_own & b_own):
            lacking = "what they share is only in the aim heading a row"
        uncapped = None
        if lacking:
            uncapped, score = round(score, 3), min(score, self.threshold - 0.01)
        top = sorted(shared, key=lambda t: (-self._weight(t), t))[:4]
        coverage = (round(covered_a, 3), round(covered_b, 3))
        return Scored(-1, -1, round(score, 3), coverage, tuple(top), lacking, uncapped)

    def own_terms(self, actions: Sequence[Action], tokens: Sequence[list[str]]) -> list[frozenset[str]]:
        """Each commitment's terms from its own cells, without its aim's (`tokens`: of its whole row)."""
        with_aim = [a for a in actions if a.aim]
        own = iter(self.tokens([" ".join(part for part in (a.action, a.outcome) if part) for a in with_aim]))
        return [frozenset(next(own)) if a.aim else frozenset(t) for a, t in zip(actions, tokens, strict=True)]

    def semantic_similarity(
        self, a_texts: Sequence[str], b_texts: Sequence[str], pairs: Sequence[tuple[int, int]]
    ) -> list[float] | None:
        """The embeddings' cosine of each candidate pair (never every pair: two documents of
        25,000 commitments would need a 25,000 x 25,000 matrix), or None without an embedder."""
        if self.embedder is None:
            return None
        if not pairs:
            return []
        a_vectors, b_vectors = self.embedder(a_texts), self.embedder(b_texts)
        rows, columns = [i for i, _ in pairs], [j for _, j in pairs]
        return [float(c) for c in np.einsum("ij,ij->i", a_vectors[rows], b_vectors[columns])]

    def blend(self, lexical: float, cosine: float) -> float:
        """The lexical score with `embedding_weight` of the embeddings' cosine."""
        return (1 - self.embedding_weight) * lexical + self.embedding_weight * cosine


def default_matcher(embedder: Embedder | None = None) -> CommitmentMatcher:
    """The matcher as measured on the hand-labelled links (README, "Matching quality"), with or
    without embeddings. Blending in the embeddings' cosine lifts every pair's score, related or
    not, so a link then needs a higher score."""
    return CommitmentMatcher(embedder=embedder, threshold=0.24) if embedder else CommitmentMatcher()


def _compatible(a: Action, b: Action, themes: Mapping[str, ThemeAssignment]) -> bool:
    """Two commitments can be the same only if they are about the same thing: one's primary
    theme is the other's primary or secondary theme (no themes known: any pair can be)."""
    ta, tb = themes.get(a.action_id), themes.get(b.action_id)
    if ta is None or tb is None:
        return True
    return ta.primary == tb.primary or ta.primary in tb.secondary or tb.primary in ta.secondary


_TARGET = re.compile(r"\d+(?:\.\d+)?%|£\d[\d,]*")


TargetLevels = Mapping[str, frozenset[tuple[str, str]]]
"""The target figures each commitment sets, by action id: (figure, indicator) pairs (`target_levels`)."""


def target_levels(metrics: Sequence[Metric]) -> dict[str, frozenset[tuple[str, str]]]:
    """The target figures each commitment sets, by action id, as the metrics stage read them from its row
    ("75%", "+10" for "10 additional households", "×0.5"), each once and with what it measures (its
    indicator; blank for `other`): what a changed target is judged on."""
    from policylens.metrics.table import figure_text  # the metrics package loads spaCy: only when asked

    found: dict[str, set[tuple[str, str]]] = {}
    for m in metrics:
        if m.kind is MetricKind.TARGET and m.action_id and not m.restates:
            # "other" names no measure: said as the figure alone
            found.setdefault(m.action_id, set()).add((figure_text(m), "" if m.indicator == "other" else m.indicator))
    return {action_id: frozenset(figures) for action_id, figures in found.items()}


def _targets(action: Action) -> set[str]:
    """The levels a commitment sets: percentages and money in its cells, and targets written
    into its timescale (ages, years and counts of things in passing are not targets)."""
    levels = set(_TARGET.findall(f"{action.action} {action.outcome}"))
    for target in action.timescale.targets:
        found = _TARGET.findall(target)
        # "5 additional carers" is a level; a whole sentence repeated in the cell is not
        levels |= set(found) if found else ({" ".join(target.split())} if len(target.split()) <= 4 else set())
    return levels


def _when(action: Action) -> str:
    """The timescale without the targets written into the same cell ("2009 Increase ... by 10%" -> "2009"),
    each line once (a cell gives one per sub-action: "2008 / 2008" -> "2008"), and without a target's "by 2009"
    left behind when the cell already gave 2009 ("2009 Reduce ... to 15% by 2009" -> "2009")."""
    when = action.timescale.raw
    for target in action.timescale.targets:
        when = when.replace(target, "\n")
    lines = dict.fromkeys(" ".join(line.split()) for line in when.splitlines())
    when = " ".join(line for line in lines if line)

    def said_before(m: re.Match[str]) -> str:  # the year stood alone before: "2009 … by 2009"
        return "" if re.search(rf"(?<!by )\b{m.group(1)}\b", m.string[: m.start()]) else m.group(0)

    when = re.sub(r"\s+by\s+(\d{4})\b", said_before, when)
    return when or " ".join(action.timescale.raw.split())


@dataclass(frozen=True, slots=True)
class _Change:
    """One field that differs between two linked commitments, before and after ("" when not given)."""

    field: str
    before: str
    after: str
    substantive: bool = True
    """Whether it revises the commitment: a changed target, another deadline or another lead (see `_changes`)."""

    def __str__(self) -> str:
        return f"{self.field}: {self.before or 'none'} -> {self.after or 'none'}"


def _changes(a: Action, b: Action, a_targets: set[str], b_targets: set[str]) -> tuple[_Change, ...]:
    """What differs between two linked commitments, each change said whether or not it revises the commitment:
    a changed target does; a deadline does when both give one and the dates differ ("March 2018" and "31 March
    2018" are one deadline), not when one side gives none or no date ("Ongoing": an omission, as Halton 2023
    gives no timescale for any objective); a lead does when both name one and they differ."""
    changes = []
    if a_targets != b_targets and (a_targets or b_targets):
        changes.append(_Change("target", ", ".join(sorted(a_targets)), ", ".join(sorted(b_targets))))
    a_when, b_when = _when(a), _when(b)
    a_due, b_due = a.timescale.due_date, b.timescale.due_date
    if (a_when or b_when) and a_when != b_when and not (a_due and a_due == b_due):
        # a timescale cell with no date on either side ("Ongoing", "Corporate Parenting Forum") is no deadline
        field = "deadline" if a_due or b_due else "timescale"
        changes.append(_Change(field, a_when, b_when, substantive=bool(a_due and b_due)))
    if (a.leads or b.leads) and set(a.leads) != set(b.leads):
        changes.append(_Change("lead", " | ".join(a.leads), " | ".join(b.leads), substantive=bool(a.leads and b.leads)))
    return tuple(changes)


def restatements(actions: Sequence[Action], matcher: CommitmentMatcher | None = None) -> dict[str, str]:
    """Each commitment's first statement in its document (itself if it is stated once).

    Strategies often state a commitment twice, in a priorities section and again in the action
    plan, with a word changed ("Cared For Children" / "cared for C&YP"). Restatements are matched
    as one commitment, so one link is not counted twice, and the later copy is named in evidence.
    Only each commitment's nearest neighbours in its own document are compared (never all pairs).
    """
    model = matcher if matcher is not None and hasattr(matcher, "idf_") else None
    by_doc: dict[str, list[Action]] = {}
    for action in actions:
        by_doc.setdefault(action.doc_id, []).append(action)
    first: dict[str, str] = {}
    for members in by_doc.values():
        model = model or CommitmentMatcher().fit([action_text(a) for a in actions])
        first.update(_first_statements(members, model))
    return {a.action_id: first[a.action_id] for a in actions}


def _first_statements(members: Sequence[Action], model: CommitmentMatcher) -> dict[str, str]:
    first = list(range(len(members)))
    if len(members) > 1:
        vectors = model._vectors([a.action for a in members])
        texts = [" ".join(a.action.casefold().split()) for a in members]
        for i, row in enumerate(nearest(vectors, vectors, 5)):
            earlier = sorted(int(j) for j in row if j < i and first[j] == j)
            first[i] = next((j for j in earlier if _restates(texts[j], texts[i])), i)
    return {a.action_id: members[f].action_id for a, f in zip(members, first, strict=True)}


def nearest(source: Any, target: Any, k: int, chunk: int = 2048) -> list[list[int]]:
    """For each row of `source`, the rows of `target` with the k highest cosine similarities above 0
    (both L2-normalised sparse matrices), best first, ties by row. Sparse products in chunks of rows:
    memory grows with the pairs that share a term, never with every pair."""
    found: list[list[int]] = []
    target_t = target.T.tocsc()
    for start in range(0, source.shape[0], chunk):
        product = (source[start : start + chunk] @ target_t).tocsr()
        for r in range(product.shape[0]):
            begin, end = product.indptr[r], product.indptr[r + 1]
            columns, values = product.indices[begin:end], product.data[begin:end]
            order = np.lexsort((columns, -values))[:k]  # best first, ties by row: the same on every run
            found.append([int(columns[x]) for x in order if values[x] > 0])
    return found


def _restates(other: str, text: str) -> bool:
    # nearly the same words in nearly the same amount: a shorter commitment inside a longer one is not a copy
    return fuzz.token_set_ratio(other, text) >= 90 and fuzz.token_sort_ratio(other, text) >= 80


def _copies(actions: Sequence[Action], first: Mapping[str, str]) -> dict[str, list[str]]:
    copies: dict[str, list[str]] = {}
    for action in actions:
        if first.get(action.action_id, action.action_id) != action.action_id:
            copies.setdefault(first[action.action_id], []).append(action.action_id)
    return copies


@dataclass(frozen=True, slots=True)
class Linking:
    """How two documents' commitments were scored and which pairs link, before the links are written: the
    step `link` and a review sheet (`policylens.review`) share. Places (`Scored.a`, `.b`) index `a_actions`
    and `b_actions`, each document's first statements (a restated copy is matched by its first)."""

    a_actions: tuple[Action, ...]
    b_actions: tuple[Action, ...]
    scored: tuple[Scored, ...]
    """Every candidate pair the matcher decided on (a pair a reviewer called is not among them)."""
    kept: tuple[Scored, ...]
    """The pairs that link: the matcher's, and those a reviewer called a link (`forced`), by place."""
    forced: frozenset[tuple[int, int]]
    threshold: float
    """The score a link needs between these two documents (lower where the later one is condensed)."""
    rank: float = 1.0
    """How many of A's commitments each commitment of B may take (more where B is condensed)."""
    split_margin: float = 0.0
    """A commitment of A also links to any other B scoring within this of its best match."""

    def nearest_unlinked(self, k: int = 1) -> tuple[dict[int, list[Scored]], dict[int, list[Scored]]]:
        """The `k` best-scored candidates of each commitment left unlinked: of A's (by A), and of B's (by B);
        ties go to the first pair in document order."""
        linked_a, linked_b = {s.a for s in self.kept}, {s.b for s in self.kept}
        of_a: dict[int, list[Scored]] = {}
        of_b: dict[int, list[Scored]] = {}
        for s in self.scored:
            if s.a not in linked_a:
                of_a.setdefault(s.a, []).append(s)
            if s.b not in linked_b:
                of_b.setdefault(s.b, []).append(s)

        def best(found: dict[int, list[Scored]]) -> dict[int, list[Scored]]:
            return {i: sorted(c, key=lambda s: (-s.score, s.a, s.b))[:k] for i, c in sorted(found.items())}

        return best(of_a), best(of_b)


def decide_links(
    a_actions: Sequence[Action],
    b_actions: Sequence[Action],
    themes: Mapping[str, ThemeAssignment],
    model: CommitmentMatcher,
    first: Mapping[str, str],
    *,
    calls: Mapping[frozenset[str], LinkDecision] | None = None,
) -> Linking:
    """Score the candidate pairs of two documents' first statements and decide which link (`model` fitted;
    `first` from `restatements`; `calls` a reviewer's, by pair of first statements, from `calls_by_pair`)."""
    a_actions = [a for a in a_actions if first[a.action_id] == a.action_id]
    b_actions = [b for b in b_actions if first[b.action_id] == b.action_id]
    a_texts = [action_text(a) for a in a_actions]
    b_texts = [action_text(b) for b in b_actions]
    a_tokens, b_tokens = model.tokens(a_texts), model.tokens(b_texts)
    a_own, b_own = model.own_terms(a_actions, a_tokens), model.own_terms(b_actions, b_tokens)
    a_totals, b_totals = [model.total_weight(t) for t in a_tokens], [model.total_weight(t) for t in b_tokens]
    reviewed = _reviewed(calls or {}, a_actions, b_actions)
    # a pair a reviewer linked is scored as any candidate is, whether or not the search found it
    candidates = model.candidates(a_texts, b_texts)
    if reviewed:  # at national scale there are none: no second pass over every candidate
        candidates = sorted({*candidates, *(p for p, linked in reviewed.items() if linked)})
    similarity = model.semantic_similarity(a_texts, b_texts, candidates)
    scored = []
    for n, (i, j) in enumerate(candidates):
        a, b = a_actions[i], b_actions[j]
        own, totals = (a_own[i], b_own[j]), (a_totals[i], b_totals[j])
        s = model.score(a_tokens[i], b_tokens[j], a.action, b.action, a_own=own[0], b_own=own[1], totals=totals)
        penalty = 0.0 if _compatible(a, b, themes) else model.theme_penalty
        cosine = None if similarity is None else similarity[n]
        uncapped = None if s.uncapped is None else _final(model, s.uncapped, cosine, penalty)
        scored.append(Scored(i, j, _final(model, s.score, cosine, penalty), s.coverage, s.shared, s.lacking, uncapped))
    forced = [s for s in scored if reviewed.get((s.a, s.b))] if reviewed else []
    if reviewed:
        scored = [s for s in scored if (s.a, s.b) not in reviewed]  # the matcher decides only what no one has
    # a later strategy with fewer, broader commitments folds more earlier ones into each, and
    # a broad commitment shares only a few words with each specific one it absorbs
    condensed = max(1.0, len(a_actions) / max(1, len(b_actions)))
    rank = model.rank * condensed
    threshold = model.threshold * condensed**-model.fold_exponent
    kept = sorted([*_decide(scored, threshold, rank, model.split_margin), *forced], key=lambda s: (s.a, s.b))
    return Linking(
        tuple(a_actions),
        tuple(b_actions),
        tuple(scored),
        tuple(kept),
        frozenset((s.a, s.b) for s in forced),
        threshold,
        rank,
        model.split_margin,
    )


def _fitted(
    a_actions: Sequence[Action], b_actions: Sequence[Action], matcher: CommitmentMatcher | None
) -> CommitmentMatcher:
    """The matcher as given when it is fitted, else fitted on the two documents' commitments."""
    if matcher is not None and hasattr(matcher, "idf_"):
        return matcher
    return (matcher or CommitmentMatcher()).fit([action_text(a) for a in [*a_actions, *b_actions]])


def link(
    a_actions: Sequence[Action],
    b_actions: Sequence[Action],
    themes: Mapping[str, ThemeAssignment] | None = None,
    matcher: CommitmentMatcher | None = None,
    first: Mapping[str, str] | None = None,
    *,
    decisions: Sequence[LinkDecision] = (),
    levels: TargetLevels | None = None,
    observe: Callable[[Linking], object] | None = None,
) -> tuple[Link, ...]:
    """Links between two documents' commitments, then the dropped (A only) and new (B only) ones.

    `themes` maps action ids to their theme assignments: pairs about different things never link.
    A commitment stated twice in one document is matched once, by its first statement
    (`first`: from `restatements`, found here when not given). `decisions` are a reviewer's calls
    (`load_decisions`): a pair called a link is linked whatever its score, one called not is never linked.
    `levels`: the target figures each commitment sets, by action id (`target_levels` of the metrics stage);
    without them a changed target is read from the percentages and money in the cells. `observe` is given
    the scored and decided pairs (`Linking`) before the links are written (the review sheet is read from
    them, so the matching runs once for both).
    """
    model = _fitted(a_actions, b_actions, matcher)
    first = first or restatements([*a_actions, *b_actions], model)
    copies = _copies([*a_actions, *b_actions], first)
    by_id = {a.action_id: a for a in [*a_actions, *b_actions]}
    calls = calls_by_pair(decisions, first)
    decided = decide_links(a_actions, b_actions, themes or {}, model, first, calls=calls)
    if observe is not None:
        observe(decided)
    a_actions, b_actions = decided.a_actions, decided.b_actions
    judge = _Judge(model.same_threshold, levels)
    links = [
        _link(
            a_actions[s.a],
            b_actions[s.b],
            s,
            judge,
            copies,
            review=calls.get(_pair(first, a_actions[s.a].action_id, b_actions[s.b].action_id)),
        )
        for s in decided.kept
    ]
    linked_a = {s.a for s in decided.kept}
    linked_b = {s.b for s in decided.kept}
    b_doc = b_actions[0].doc_id if b_actions else ""
    a_doc = a_actions[0].doc_id if a_actions else ""
    nearest_b, nearest_a = decided.nearest_unlinked()
    apart = Reasons(decided)
    near_b = {i: _near(s, b_actions[s.b], apart) for i, (s,) in nearest_b.items()}
    near_a = {j: _near(s, a_actions[s.a], apart) for j, (s,) in nearest_a.items()}
    for (i, j), linked in _reviewed(calls, a_actions, b_actions).items():  # a review kept a pair apart: say so
        if not linked:
            where = calls[_pair(first, a_actions[i].action_id, b_actions[j].action_id)].file
            near_b[i] = near_b.get(i, "") + f"; not {b_actions[j].action_id}, by review ({where})"
            near_a[j] = near_a.get(j, "") + f"; not {a_actions[i].action_id}, by review ({where})"
    nothing = "; no candidate shares a distinctive term"  # the auditor sees the search found nothing near
    links += [
        _alone(a, Relation.DROPPED, b_doc, copies, near_b.get(i) or nothing)
        for i, a in enumerate(a_actions)
        if i not in linked_a
    ]
    links += [
        _alone(b, Relation.NEW, a_doc, copies, near_a.get(j) or nothing)
        for j, b in enumerate(b_actions)
        if j not in linked_b
    ]
    return tuple(k for link_ in links for k in _restated(link_, copies, by_id, judge))


def _final(model: CommitmentMatcher, lexical: float, cosine: float | None, penalty: float) -> float:
    """A pair's score as decided on: blended with the embeddings' cosine if any, less the theme penalty."""
    return round((lexical if cosine is None else model.blend(lexical, cosine)) - penalty, 3)


def _restated(link_: Link, copies: Mapping[str, list[str]], by_id: Mapping[str, Action], judge: _Judge) -> list[Link]:
    """The link, then the same link for every restatement of either side, so that every commitment
    of both documents appears in the links (an auditor looks a commitment up by its own id). A
    restatement may give another timescale or lead than its first statement: its own are compared."""
    a_ids = [link_.a_id, *copies.get(link_.a_id, [])] if link_.a_id else [""]
    b_ids = [link_.b_id, *copies.get(link_.b_id, [])] if link_.b_id else [""]
    found = [link_]
    for a_id, b_id in itertools.product(a_ids, b_ids):
        if (a_id, b_id) == (link_.a_id, link_.b_id):
            continue
        restated = [(new, old) for new, old in ((a_id, link_.a_id), (b_id, link_.b_id)) if new != old]
        relation, changes = link_.relation, link_.changes
        if a_id and b_id:
            scope = next((c for c in link_.changes if c.startswith("scope:")), "")  # the pair's, whichever copy
            relation, changes = judge(by_id[a_id], by_id[b_id], link_.score, scope)
        found.append(
            replace(
                link_,
                relation=relation,
                changes=changes,
                a_id=a_id,
                a_action=by_id[a_id].action if a_id else "",
                a_where=by_id[a_id].where if a_id else "",
                b_id=b_id,
                b_action=by_id[b_id].action if b_id else "",
                b_where=by_id[b_id].where if b_id else "",
                evidence=f"{'; '.join(f'{new} restates {old}' for new, old in restated)}; {link_.evidence}",
                restates=" | ".join(old for _, old in restated),
            )
        )
    return found


def _pair(first: Mapping[str, str], a_id: str, b_id: str) -> frozenset[str]:
    """A pair of commitments by their first statements, so a call names either copy of a restated one."""
    return frozenset((first.get(a_id, a_id), first.get(b_id, b_id)))


def calls_by_pair(decisions: Sequence[LinkDecision], first: Mapping[str, str]) -> dict[frozenset[str], LinkDecision]:
    """The reviewer's calls by pair. Two calls that contradict each other through a restated copy ("link
    A-B", "not A-B'") are no call: the matcher decides, and the pipeline warns of them."""
    calls: dict[frozenset[str], LinkDecision] = {}
    contradicted: set[frozenset[str]] = set()
    for decision in decisions:
        key = _pair(first, decision.a_id, decision.b_id)
        if key in calls and calls[key].linked != decision.linked:
            contradicted.add(key)
        calls[key] = decision
    return {key: call for key, call in calls.items() if key not in contradicted}


def _reviewed(
    calls: Mapping[frozenset[str], LinkDecision], a_actions: Sequence[Action], b_actions: Sequence[Action]
) -> dict[tuple[int, int], bool]:
    """The reviewer's calls on pairs of these two documents, by their places (A, B): True a link."""
    a_at = {a.action_id: i for i, a in enumerate(a_actions)}
    b_at = {b.action_id: j for j, b in enumerate(b_actions)}
    found: dict[tuple[int, int], bool] = {}
    for key, call in calls.items():
        for x, y in itertools.permutations(key, 2):  # a reviewer may name the later commitment first
            if x in a_at and y in b_at:
                found[(a_at[x], b_at[y])] = call.linked
    return found


def _also(action: Action, copies: Mapping[str, list[str]]) -> str:
    again = copies.get(action.action_id)
    return f"; {action.action_id} is stated again as {', '.join(again)}" if again else ""


@dataclass(frozen=True, slots=True)
class _Standing:
    """Where each scored pair stands: each commitment of A's best match, and the scores of every commitment of
    B's candidates (what `_decide` decides on, and what `Reasons` explains)."""

    best_of_a: Mapping[int, Scored]
    scores_of_b: Mapping[int, Sequence[float]]

    @classmethod
    def of(cls, scored: Sequence[Scored]) -> _Standing:
        best_of_a: dict[int, Scored] = {}
        scores_of_b: dict[int, list[float]] = {}
        for s in scored:
            if s.a not in best_of_a or s.score > best_of_a[s.a].score:
                best_of_a[s.a] = s
            scores_of_b.setdefault(s.b, []).append(s.score)
        return cls(best_of_a, scores_of_b)

    def better_for_b(self, s: Scored) -> int:
        """How many of B's candidates score higher than this pair."""
        return sum(1 for other in self.scores_of_b[s.b] if other > s.score)


def _decide(scored: Sequence[Scored], threshold: float, rank: float, split_margin: float) -> list[Scored]:
    """Each commitment of A links to its best match in B, and to any other B within `split_margin`
    of it, when the score clears the threshold and A is among the `rank` best matches of that B
    (so a broad later commitment can absorb several earlier ones, but a weak match to something
    better matched elsewhere is not a link)."""
    standing = _Standing.of(scored)
    kept = [
        s
        for s in scored
        if s.enough
        and s.score >= threshold
        and s.score >= standing.best_of_a[s.a].score - split_margin
        and standing.better_for_b(s) + 1 <= rank
    ]
    return sorted(kept, key=lambda s: (s.a, s.b))


@dataclass(frozen=True, slots=True)
class _Judge:
    """How a linked pair is judged: the score from which it is the same commitment, and the target figures
    each commitment sets, by action id, as the metrics stage read them ("75%", "+10", "×0.5"); without
    them (None), read from the percentages and money in its cells."""

    same_threshold: float
    levels: TargetLevels | None = None

    def targets(self, action: Action) -> set[tuple[str, str]]:
        """(figure, indicator) of each target; the indicator is blank when read from the cells, not the metrics."""
        if self.levels is not None:
            return set(self.levels.get(action.action_id, ()))
        return {(figure, "") for figure in _targets(action)}

    def __call__(self, a: Action, b: Action, score: float, scope: str = "") -> tuple[Relation, tuple[str, ...]]:
        """Carried forward or revised, and what changed; `scope` says how the wording moved, if it did."""
        a_targets, b_targets = self.targets(a), self.targets(b)
        # targets of different measures are said with what each measures ("100% (core_assessments) -> 32
        # (other)"), so an auditor does not read a count of children as a share of them
        a_measures, b_measures = {i for _, i in a_targets if i}, {i for _, i in b_targets if i}
        named = bool(a_measures and b_measures and a_measures != b_measures)

        def written(targets: set[tuple[str, str]]) -> set[str]:
            return {f"{figure} ({indicator})" if named and indicator else figure for figure, indicator in targets}

        changes = _changes(a, b, written(a_targets), written(b_targets))
        if self.levels is not None and a_targets and b_targets and not a_measures & b_measures and not named:
            # "100% -> 32": a share of assessments and a count of children served, read as a cut
            unknown = " (not known to measure the same)"
            changes = tuple(replace(c, after=c.after + unknown) if c.field == "target" else c for c in changes)
        # every council names its own officers: between two councils another lead is said, not a revision
        councils = series_key(a.doc_id) != series_key(b.doc_id)
        same = (
            score >= self.same_threshold
            and not scope
            and not any(c.substantive and not (councils and c.field == "lead") for c in changes)
        )
        said = (*(str(c) for c in changes), *((scope,) if scope else ()))
        return (Relation.CARRIED_FORWARD if same else Relation.REVISED), said


def _link(
    a: Action,
    b: Action,
    s: Scored,
    judge: _Judge,
    copies: Mapping[str, list[str]],
    *,
    review: LinkDecision | None = None,
) -> Link:
    relation, changes = judge(a, b, s.score, _scope(s, judge.same_threshold))
    evidence = f"shared: {', '.join(s.shared)}; covers {s.covered:.0%} of the distinctive terms"
    evidence += _also(a, copies) + _also(b, copies)
    if review is not None and review.linked:
        evidence = f"linked by review ({review.file}{': ' + review.note if review.note else ''}); {evidence}"
    link_ = Link(a.doc_id, a.action_id, a.action, b.doc_id, b.action_id, b.action, relation, s.score, evidence, changes)
    return replace(link_, a_where=a.where, b_where=b.where)


def _scope(s: Scored, same_threshold: float, lopsided: float = 0.5) -> str:
    """How the wording moved, if it did, so the auditor knows the scope moved and not only the numbers:
    reworded beyond a restatement (a score below `same_threshold`), or one says much more than the other (it
    covers most of the other's distinctive terms, the other little of its own). Words cannot tell whether
    saying more widens a commitment or narrows it ("local foster carers" -> "foster carers offering short
    breaks to disabled children"), so this says which side adds, not which way the scope went."""
    a_in_b, b_in_a = s.coverage
    shares = f"{a_in_b:.0%} of a's distinctive terms in b, {b_in_a:.0%} of b's in a"
    if s.score < same_threshold:
        return f"scope: reworded ({s.covered:.0%} of the distinctive terms in common)"
    if b_in_a < lopsided * a_in_b:
        return f"scope: b adds to a ({shares})"
    if a_in_b < lopsided * b_in_a:
        return f"scope: b leaves out much of a ({shares})"
    return ""


def _near(s: Scored, other: Action, apart: Reasons) -> str:
    """Where an unlinked commitment came closest, so an auditor can check the call by eye: an
    absorbed commitment that shares few words with what absorbed it shows up here."""
    if s.score <= 0:
        return ""
    return f"; nearest: {other.action_id} (score {s.score:.3f}, {apart(s)})"


class Reasons:
    """Why a scored pair of one comparison did not link, in words an auditor can check: what held it back
    (too little in common), a score below the bar, the first commitment's better match, or the second's
    better matches (a commitment of the first document links only if it is among the `Linking.rank` best of the
    second's candidates)."""

    def __init__(self, linking: Linking) -> None:
        self.linking = linking
        self.standing = _Standing.of(linking.scored)

    def __call__(self, s: Scored) -> str:
        bar, linking = self.linking.threshold, self.linking
        if s.lacking and (s.uncapped is None or s.uncapped >= bar):
            return s.lacking
        if s.score < bar:
            return f"below the {bar:.3f} a link needs"
        a, b = linking.a_actions[s.a], linking.b_actions[s.b]
        best = self.standing.best_of_a[s.a]
        if s.score < best.score - linking.split_margin:
            return f"{a.action_id} matches {linking.b_actions[best.b].action_id} better ({best.score:.3f})"
        better = self.standing.better_for_b(s)
        most = max(1, math.floor(linking.rank))
        # a rank cut-off, not a quota: the better-matched ones may have linked elsewhere
        return (
            f"{better} of {a.doc_id}'s commitments match {b.action_id} better, and a link must be among its best {most}"
        )


def _alone(action: Action, relation: Relation, other_doc: str, copies: Mapping[str, list[str]], near: str = "") -> Link:
    """A commitment with no counterpart in `other_doc` (the document it was compared with). Between two
    councils `dropped` and `new` say only which side it is on: the evidence says the other is of another series
    (`corpus.series_key`: the ids of one council's strategies differ only in their year)."""
    another = ", of another series" if series_key(action.doc_id) != series_key(other_doc) else ""
    evidence = f"no counterpart in {other_doc}{another}" + near + _also(action, copies)
    where = action.where
    if relation is Relation.DROPPED:
        dropped = Link(action.doc_id, action.action_id, action.action, other_doc, "", "", relation, 0.0, evidence)
        return replace(dropped, a_where=where)
    new = Link(other_doc, "", "", action.doc_id, action.action_id, action.action, relation, 0.0, evidence)
    return replace(new, b_where=where)


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


def lineages(links: Sequence[Link]) -> dict[tuple[str, str], tuple[str, ...]]:
    """Each link's lineage through a series: every chain of linked commitments that passes through
    it, from the earliest document to the latest ("halton-2008#21 -> halton-2017#1 -> halton-2023#4").
    Keyed by the link's (a_id, b_id); a dropped commitment's chains end with it, a new one's begin
    with it. `links` are those of consecutive documents of one series (links only run forward in
    time, so there are no cycles)."""
    forward: dict[str, list[str]] = {}
    backward: dict[str, list[str]] = {}
    for k in links:
        if k.a_id and k.b_id:
            forward.setdefault(k.a_id, []).append(k.b_id)
            backward.setdefault(k.b_id, []).append(k.a_id)

    @cache
    def before(node: str) -> tuple[tuple[str, ...], ...]:
        return tuple((*p, node) for earlier in backward.get(node, ()) for p in before(earlier)) or ((node,),)

    @cache
    def after(node: str) -> tuple[tuple[str, ...], ...]:
        return tuple((node, *p) for later in forward.get(node, ()) for p in after(later)) or ((node,),)

    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for k in links:
        heads = before(k.a_id) if k.a_id else ((),)
        tails = after(k.b_id) if k.b_id else ((),)
        found[(k.a_id, k.b_id)] = tuple(" -> ".join((*h, *t)) for h in heads for t in tails)
    return found


def link_documents(
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, str]],
    themes: Mapping[str, ThemeAssignment] | None = None,
    matcher: CommitmentMatcher | None = None,
    *,
    decisions: Sequence[LinkDecision] = (),
    levels: TargetLevels | None = None,
    observe: Callable[[Linking], object] | None = None,
) -> tuple[Link, ...]:
    """Links for each pair of documents, the matcher fitted once on every commitment given; `decisions`
    are a reviewer's calls on pairs (`load_decisions`), followed wherever the pair is compared; `levels`
    the target figures each commitment sets (`target_levels`); `observe` is given each pair's `Linking`."""
    matcher = (matcher or CommitmentMatcher()).fit([action_text(a) for a in actions])
    by_doc: dict[str, list[Action]] = {}
    for action in actions:
        by_doc.setdefault(action.doc_id, []).append(action)
    first = restatements(actions, matcher)  # once per document, not once per pair it is in
    links: list[Link] = []
    for a_doc, b_doc in pairs:
        a_side, b_side = by_doc.get(a_doc, []), by_doc.get(b_doc, [])
        links += link(a_side, b_side, themes, matcher, first, decisions=decisions, levels=levels, observe=observe)
    return tuple(links)


def unused_decisions(
    decisions: Sequence[LinkDecision],
    actions: Sequence[Action],
    pairs: Sequence[tuple[str, str]] | None = None,
) -> list[tuple[LinkDecision, str]]:
    """The reviewer's calls linking cannot follow, each with why: a commitment no document has, two of one
    document, two documents not compared (when `pairs`, the documents compared, are given: a call on two
    documents both among them that no pair joins), or two calls that contradict each other through a
    restated copy."""
    known = {a.action_id: a.doc_id for a in actions}
    compared = {frozenset(p) for p in pairs} if pairs is not None else None
    among = {doc for p in pairs for doc in p} if pairs is not None else set()
    first = restatements(actions) if decisions else {}
    followed = calls_by_pair(decisions, first)
    unused = []
    for d in decisions:
        missing = [i for i in (d.a_id, d.b_id) if i not in known]
        docs = frozenset(known.get(i, "") for i in (d.a_id, d.b_id))
        if missing:
            why = f"{', '.join(missing)} is no commitment of the documents read. Check the id against actions.csv."
        elif len(docs) == 1:
            why = f"both are commitments of {known[d.a_id]}; a call is on two documents compared."
        elif compared is not None and docs <= among and docs not in compared:
            why = f"{' and '.join(sorted(docs))} are not compared (each series in order, and every two councils, are)."
        elif _pair(first, d.a_id, d.b_id) not in followed:
            why = "another row calls the same pair (through a commitment stated twice) the other way; neither is used."
        else:
            continue
        unused.append((d, why))
    return unused


DECISION_COLUMNS = ("a_id", "b_id", "decision", "note")
DECISION_WORDS = {"link": True, "not": False}


def load_decisions(path: Path) -> tuple[LinkDecision, ...]:
    """A reviewer's calls on pairs of commitments, from a CSV file with the columns `a_id`, `b_id`,
    `decision` (`link` or `not`) and `note` (why, optional); ids as in actions.csv, either order. A row whose
    decision is blank is skipped (a review sheet, `review.csv`, partly filled in); other columns are ignored.

    The matcher misses links between commitments worded differently and can link two that share words
    but differ; a reviewer who has read both records the call once, and every later run follows it
    (each such link says so in its evidence, naming the file; errors name the row)."""
    try:
        text = Path(path).read_text("utf-8-sig")
    except OSError as exc:
        raise BadDecisions(
            str(path), f"cannot be read ({exc.strerror or exc})", fix="Check the path of the decisions file."
        ) from None
    except UnicodeDecodeError as exc:  # a sheet saved by a spreadsheet in its own code page
        line = Path(path).read_bytes()[: exc.start].count(b"\n") + 1
        raise BadDecisions(
            str(path),
            f"is not UTF-8 text (line {line}, byte {exc.start})",
            fix="Save it as 'CSV UTF-8' and give it again.",
        ) from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in DECISION_COLUMNS[:3] if c not in (reader.fieldnames or [])]
    header = text.splitlines()[0] if text.strip() else ""
    if missing and ";" in header and all(c in header for c in DECISION_COLUMNS[:3]):
        # a spreadsheet in a locale whose decimal mark is a comma saves CSV with semicolons
        raise BadDecisions(
            str(path),
            "separates its columns with semicolons, not commas",
            fix="Save it as 'CSV UTF-8 (comma delimited)', or change the list separator, and give it again.",
        )
    if missing:
        fix = "Give it a header row of the columns a_id, b_id, decision (link or not) and note, as review.csv has."
        raise BadDecisions(str(path), f"has no column {', '.join(missing)}", fix=fix)
    decisions: dict[frozenset[str], LinkDecision] = {}
    for number, row in enumerate(reader, start=2):  # the row as a spreadsheet numbers it, under the header
        where = f"{path}:{number}"
        a_id, b_id = (row.get("a_id") or "").strip(), (row.get("b_id") or "").strip()
        word = (row.get("decision") or "").strip().casefold()
        if not word:  # a review sheet's row not yet decided
            continue
        if not a_id or not b_id or "#" not in a_id or "#" not in b_id:
            raise BadDecisions(where, f"needs two commitment ids such as halton-2017#5; got {a_id!r} and {b_id!r}")
        if word not in DECISION_WORDS:
            raise BadDecisions(where, f"decision {word!r} is neither 'link' nor 'not'")
        note = (row.get("note") or "").strip()
        decision = LinkDecision(a_id, b_id, DECISION_WORDS[word], note, file=str(path), row=number)
        earlier = decisions.get(frozenset((a_id, b_id)))
        if earlier is not None and earlier.linked != decision.linked:
            raise BadDecisions(where, f"contradicts {earlier.where} on {a_id} and {b_id}")
        decisions[frozenset((a_id, b_id))] = decision
    return tuple(decisions.values())


@dataclass(frozen=True, slots=True)
class LinkScores:
    """How a matcher's links agree with hand labels (see `score_links`)."""

    precision: float
    recall: float
    f1: float
    missed: tuple[tuple[str, str], ...]
    wrong: tuple[tuple[str, str], ...]
    negatives_linked: tuple[tuple[str, str], ...]


def _unordered(pair: tuple[str, str]) -> frozenset[str]:
    return frozenset(pair)


def score_links(
    links: Sequence[Link],
    true_links: Sequence[tuple[str, str]],
    negatives: Sequence[tuple[str, str]] = (),
    same: Mapping[str, str] | None = None,
    ambiguous: Sequence[tuple[str, str]] = (),
) -> LinkScores:
    """Precision and recall of `links` against labelled (a_id, b_id) pairs, in either direction.

    Recall: the share of true links predicted. Precision is judged on labelled commitments only
    (labels are never complete for a whole corpus): a predicted link whose A or B side is a
    labelled commitment counts as right when it is labelled, wrong otherwise, so labels must give
    every counterpart of the commitments they name, in the documents compared. `same` maps a
    restated commitment to its first statement (`restatements`): a link to either copy counts.
    `ambiguous` pairs (a careful reader could call them either way) are not judged at all.
    """
    canonical = same or {}

    def one(pair: tuple[str, str]) -> tuple[str, str]:
        return canonical.get(pair[0], pair[0]), canonical.get(pair[1], pair[1])

    true_links, negatives = [one(p) for p in true_links], [one(p) for p in negatives]
    links = [replace(k, a_id=canonical.get(k.a_id, k.a_id), b_id=canonical.get(k.b_id, k.b_id)) for k in links]
    links = list({(k.a_id, k.b_id): k for k in links}.values())  # a restated pair is one link
    truth = {_unordered(p) for p in true_links}
    labelled = {(a, b.split("#")[0]) for a, b in true_links} | {(b, a.split("#")[0]) for a, b in true_links}
    predicted = [(k.a_id, k.b_id) for k in links if k.a_id and k.b_id]
    unjudged = {_unordered(one(p)) for p in ambiguous}
    judged = [
        p
        for p in predicted
        if ((p[0], p[1].split("#")[0]) in labelled or (p[1], p[0].split("#")[0]) in labelled)
        and _unordered(p) not in unjudged
    ]
    right = [p for p in judged if _unordered(p) in truth]
    found = {_unordered(p) for p in predicted}
    precision = len(right) / len(judged) if judged else 1.0
    recall = len(truth & found) / len(truth) if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return LinkScores(
        round(precision, 3),
        round(recall, 3),
        round(f1, 3),
        tuple(p for p in true_links if _unordered(p) not in found),
        tuple(sorted(p for p in judged if _unordered(p) not in truth)),
        tuple(p for p in negatives if _unordered(p) in found),
    )
