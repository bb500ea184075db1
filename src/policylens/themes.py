"""Themes: what each section and each commitment is about, from a shipped taxonomy.

A `ThemeClassifier` (scikit-learn estimator contract) turns texts into TF-IDF vectors of
lemmatised words and word pairs, and compares them with each theme's profile: the mean of
its examples, each topic its definition lists and each seed of `data/themes.toml`. The highest cosine is the primary
theme; themes close behind it are secondary. Every assignment says why: the terms that
weighed most, and the nearest seed example.
"""

from __future__ import annotations

import itertools
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from policylens.lemmas import content_lemmas
from policylens.model import Action, ThemeAssignment, ThemeLevel


@dataclass(frozen=True, slots=True)
class Theme:
    id: str
    label: str
    definition: str
    seeds: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Taxonomy:
    themes: tuple[Theme, ...]
    generic_terms: frozenset[str]
    """Words too common in the field to say anything about a theme."""


@lru_cache(maxsize=4)
def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """The packaged `data/themes.toml`, or a user's taxonomy of the same shape."""
    if path is None:
        text = resources.files("policylens.data").joinpath("themes.toml").read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    raw: dict[str, Any] = tomllib.loads(text)
    themes = tuple(
        Theme(str(t["id"]), str(t["label"]), str(t["definition"]), tuple(str(s) for s in t.get("seeds", ())))
        for t in raw["theme"]
    )
    if len({t.id for t in themes}) != len(themes):
        raise ValueError(f"{path or 'themes.toml'}: theme ids must be unique")
    words = [str(w).casefold() for w in raw.get("generic_terms", ())]
    # texts are compared as lemmas, and the lookup table's lemma is not always the word
    # ("number" -> "numb"): a generic word is left out in both forms
    lemmas = [lemma for found in content_lemmas(words) for lemma in found]
    return Taxonomy(themes, frozenset([*words, *lemmas]))


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def action_text(action: Action) -> str:
    """A commitment as one text: its aim, action and outcome (the whole row, not the action cell alone)."""
    return " ".join(part for part in (action.aim, action.action, action.outcome) if part)


class ThemeClassifier(BaseEstimator):  # type: ignore[misc]
    """Texts to themes by TF-IDF cosine to each theme's definition and seed examples.

    Parameters are stored as given (scikit-learn's contract); `fit` learns the vocabulary
    and IDF from the taxonomy and the texts given, and sets the attributes ending in `_`.

    taxonomy: a themes TOML file (None: the packaged taxonomy).
    secondary_ratio: a theme whose score is at least this share of the best is secondary.
    min_score: below this cosine, a theme is never secondary.
    """

    def __init__(self, taxonomy: Path | None = None, secondary_ratio: float = 0.7, min_score: float = 0.08) -> None:
        self.taxonomy = taxonomy
        self.secondary_ratio = secondary_ratio
        self.min_score = min_score

    def fit(self, texts: Sequence[str] = ()) -> ThemeClassifier:
        if not 0 < self.secondary_ratio <= 1:
            raise ValueError(f"The 'secondary_ratio' parameter must be in (0, 1]. Got {self.secondary_ratio!r}.")
        taxonomy = load_taxonomy(self.taxonomy)
        themes = taxonomy.themes
        self.generic_ = taxonomy.generic_terms
        # a definition lists a theme's topics: each topic is an example of its own, so that a
        # long definition does not dilute its terms against a short seed of another theme
        theme_texts = [[*_topics(t.definition), *t.seeds] for t in themes]
        flat = [text for group in theme_texts for text in group]
        vectorizer = TfidfVectorizer(analyzer=_identity, sublinear_tf=True)
        vectorizer.fit(self._tokens([*flat, *texts]))
        profiles = []
        seed_vectors = []
        for theme, group in zip(themes, theme_texts, strict=True):
            profiles.append(np.asarray(normalize(vectorizer.transform(self._tokens(group))).mean(axis=0)).ravel())
            seed_vectors.append(normalize(vectorizer.transform(self._tokens([theme.definition, *theme.seeds]))))
        self.vectorizer_ = vectorizer
        self.themes_ = themes
        self.profiles_ = normalize(np.vstack(profiles))
        # kept transposed and contiguous: a product with a transposed view copies the whole matrix each time
        self.profiles_t_ = np.ascontiguousarray(self.profiles_.T)
        self.seed_vectors_ = seed_vectors
        self.terms_ = np.asarray(vectorizer.get_feature_names_out())
        return self

    def _tokens(self, texts: Sequence[str]) -> list[list[str]]:
        return _grams([[w for w in words if w not in self.generic_] for words in content_lemmas(texts)])

    def vectors(self, texts: Sequence[str]) -> Any:
        return normalize(self.vectorizer_.transform(self._tokens(texts)))

    def scores(self, vectors: Any) -> np.ndarray[Any, Any]:
        return np.asarray(vectors @ self.profiles_t_)

    def assign(self, vector: Any) -> tuple[str, tuple[str, ...], float, str]:
        """Primary theme, secondary themes, score and evidence for one (normalised) vector."""
        return self.assign_all(vector)[0]

    def assign_all(self, vectors: Any, scores: Any = None) -> list[tuple[str, tuple[str, ...], float, str]]:
        """`assign` for every row of `vectors` at once: the scores in one product (or `scores`, when the caller
        has them already), each theme's nearest seeds in one more (a national corpus has tens of thousands of
        rows: one product per row took most of the stage's time)."""
        vectors = sparse.csr_matrix(vectors)
        scores = self.scores(vectors) if scores is None else scores
        best = np.argmax(scores, axis=1) if len(scores) else np.zeros(0, dtype=int)
        nearest = self._nearest_seeds(vectors, best)
        assigned = []
        for i, row in enumerate(scores):
            order = np.argsort(-row, kind="stable")
            top = int(order[0])
            bar = max(self.min_score, self.secondary_ratio * row[top])
            secondary = tuple(self.themes_[t].id for t in order[1:] if row[t] >= bar)
            evidence = self._evidence(vectors, i, top, nearest[i])
            assigned.append((self.themes_[top].id, secondary, float(row[top]), evidence))
        return assigned

    def _nearest_seeds(self, vectors: Any, best: Any) -> list[str]:
        """Each row's nearest seed example of its best theme."""
        nearest = [""] * vectors.shape[0]
        for theme, seeds in enumerate(self.seed_vectors_):
            rows = np.flatnonzero(best == theme)
            if seeds.shape[0] < 2 or not len(rows):  # the first is the definition, not an example
                continue
            similarity = np.asarray((vectors[rows] @ seeds[1:].T).todense())
            for row, k, top in zip(rows, np.argmax(similarity, axis=1), similarity.max(axis=1), strict=True):
                if top > 0:  # a row sharing no word with any example is near none of them
                    nearest[row] = self.themes_[theme].seeds[int(k)]
        return nearest

    def _evidence(self, vectors: Any, i: int, theme: int, nearest: str) -> str:
        # only the text's own terms can carry weight: work on them, not on the whole vocabulary
        start, end = vectors.indptr[i], vectors.indptr[i + 1]
        indices, values = vectors.indices[start:end], vectors.data[start:end]
        weights = values * self.profiles_[theme, indices]
        order = np.lexsort((indices, -weights))[:4]
        top = [str(self.terms_[indices[k]]) for k in order if weights[k] > 0]
        terms = ", ".join(top) or "no shared terms"
        return f"terms: {terms}; nearest example: {nearest}" if nearest else f"terms: {terms}"


def _topics(definition: str) -> list[str]:
    """The topics a definition lists, comma-separated ("placements, permanence, adoption")."""
    return [topic.strip() for topic in definition.split(",") if topic.strip()]


def _grams(docs: list[list[str]]) -> list[list[str]]:
    """Lemmas and lemma pairs ("foster carer", "pathway plan")."""
    return [words + [f"{a} {b}" for a, b in itertools.pairwise(words)] for words in docs]


@dataclass(frozen=True, slots=True)
class ThemeSettings:
    """taxonomy: a themes TOML file replacing the packaged one (None: packaged).
    section_weight: how much what the other commitments of its section are about counts in a commitment's
    theme, against its best theme's score (0: its own text alone)."""

    taxonomy: Path | None = None
    section_weight: float = 0.5

    def __post_init__(self) -> None:
        if not 0 <= self.section_weight <= 10:
            raise ValueError(f"section_weight must be between 0 and 10, got {self.section_weight!r}")
        if self.taxonomy is not None:
            load_taxonomy(Path(self.taxonomy))  # a bad file fails here, once, naming itself


def classify(actions: Sequence[Action], settings: ThemeSettings | None = None) -> tuple[ThemeAssignment, ...]:
    """The theme of every action and of every section, sections first in each document.

    A section is about what most of its commitments are about (its title is often generic:
    "SERVICE MANAGEMENT", "Be prepared for independence"): its primary theme is the one most
    of its actions have, ties broken by the section as a whole (title plus actions); themes of
    a quarter or more of its actions are secondary.
    """
    if not actions:
        return ()
    settings = settings or ThemeSettings()
    model = ThemeClassifier(taxonomy=settings.taxonomy).fit([action_text(a) for a in actions])
    vectors = model.vectors([action_text(a) for a in actions])
    scores = model.scores(vectors)
    own_text = model.assign_all(vectors, scores)
    sections: dict[tuple[str, str], list[int]] = {}
    by_doc: dict[str, list[int]] = {}
    for i, a in enumerate(actions):
        sections.setdefault((a.doc_id, a.section), []).append(i)
        by_doc.setdefault(a.doc_id, []).append(i)
    per_action = list(own_text)
    for (_, title), members in sections.items():
        if not title:  # rows under no heading are not one section: nothing to read them in the light of
            continue
        everyone = Counter(own_text[j][0] for j in members)  # once a section: a section may hold thousands
        for i in members:
            others = everyone - Counter((own_text[i][0],))
            per_action[i] = _in_section(model, scores[i], own_text[i], others, settings.section_weight)
    # a section is what its commitments' own words are about (not what it has just lent them)
    section_themes = _section_themes(model, sections, vectors, own_text)
    assignments: list[ThemeAssignment] = []
    for doc_id, indices in by_doc.items():
        assignments += [section_themes[(doc_id, title)] for title in dict.fromkeys(actions[i].section for i in indices)]
        for i in indices:
            a = actions[i]
            primary, secondary, score, evidence = per_action[i]
            assignments.append(
                ThemeAssignment(doc_id, ThemeLevel.ACTION, a.action_id, a.section, primary, secondary, score, evidence)
            )
    return tuple(assignments)


def _in_section(
    model: ThemeClassifier,
    row: np.ndarray[Any, Any],
    own_text: tuple[str, tuple[str, ...], float, str],
    others: Counter[str],
    weight: float,
) -> tuple[str, tuple[str, ...], float, str]:
    """A commitment's theme read in the light of its section, as a person reads a row: what the section's
    other commitments are about (each by its own text) adds to its own scores, in proportion to their share
    and to its best score (`min_score` for a row sharing no word with any theme, "Ensure that all Cared for
    Children are registered with a GP", so that it takes its section's). A row whose words say little
    ("training for foster carers and health staff in relation to emotional support needs", under "Keep me
    healthy") takes its section's theme; a row clearly about something else keeps its own. When the section
    decides, the evidence says what its own text alone would have been."""
    if not others or weight == 0:
        return own_text
    ids = [t.id for t in model.themes_]
    share = np.array([others[t] for t in ids], dtype=float) / sum(others.values())
    # a row that shares no word with any theme has no score to weigh its section against: it takes the section's
    adjusted = row + weight * (float(row.max()) or model.min_score) * share
    best = int(np.argsort(-adjusted, kind="stable")[0])
    primary = ids[best]
    if primary == own_text[0]:
        return own_text
    counts = ", ".join(f"{t} {n}" for t, n in others.most_common())
    # the own text's theme is not kept as secondary: where the section decides, the words were too few to tell
    secondary = tuple(t for t in own_text[1] if t != primary)
    evidence = f"its section's other commitments: {counts}; its own text alone: {own_text[0]} ({own_text[3]})"
    return primary, secondary, float(row[best]), evidence


def _section_themes(
    model: ThemeClassifier,
    sections: dict[tuple[str, str], list[int]],
    vectors: Any,
    own_text: list[tuple[str, tuple[str, ...], float, str]],
) -> dict[tuple[str, str], ThemeAssignment]:
    """Each section's theme, from its commitments' themes (`own_text`), its title and the two together; every
    section in one product (a national corpus has thousands of sections)."""
    keys = list(sections)
    titles = model.vectors([title for _, title in keys])
    weights = [1 / len(sections[key]) for key in keys for _ in sections[key]]
    rows = [k for k, key in enumerate(keys) for _ in sections[key]]
    columns = [i for key in keys for i in sections[key]]
    means = sparse.csr_matrix((weights, (rows, columns)), shape=(len(keys), vectors.shape[0])) @ vectors
    whole = normalize(titles + means)
    ids = [t.id for t in model.themes_]
    overall, by_title = model.scores(whole), model.scores(titles)
    assigned = model.assign_all(whole)
    themes = {}
    for k, (doc_id, title) in enumerate(keys):
        members = sections[(doc_id, title)]
        votes = Counter(own_text[i][0] for i in members)
        title_score, overall_score = dict(zip(ids, by_title[k], strict=True)), dict(zip(ids, overall[k], strict=True))
        # a tie between commitments goes to the theme the section's title names, then to the section as a whole
        primary = max(votes, key=lambda theme: (votes[theme], title_score[theme], overall_score[theme]))
        secondary = tuple(t for t, n in votes.most_common() if t != primary and n >= len(members) / 4)
        counts = ", ".join(f"{t} {n}" for t, n in votes.most_common())
        evidence = f"actions by theme: {counts}; {assigned[k][3]}"
        level = ThemeLevel.SECTION
        themes[(doc_id, title)] = ThemeAssignment(
            doc_id, level, title, title, primary, secondary, float(overall_score[primary]), evidence
        )
    return themes
