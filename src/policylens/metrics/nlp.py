"""The spaCy pipeline of the metrics stage: rule-based only, no model download.

`spacy.blank("en")` gives the tokenizer; a sentencizer gives sentences (a quote and a subject
never cross one), and a line break kept in a paragraph ends one too; the lookup lemmatizer
(spacy-lookups-data) gives lemmas for cue matching, made case-blind by `policylens_lemmas`;
`policylens_quantities` runs a `Matcher` built from `data/metric_cues.toml` and leaves every
number with its unit in `doc.spans["quantities"]`, labelled with the `Unit` value ("percent",
"gbp", "count", ...).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from policylens.metrics.vocab import NumberCues, load_cues
from policylens.model import Unit

QUANTITIES = "quantities"
NUMERAL = r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$"
"""A written number: digits, optional thousands commas and decimals ("29,200", "16.5")."""


class CaseBlindLemmas:
    """Lemmas from the lookup table by lower-cased text, so "Increased" reads as "increase"."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp

    def __call__(self, doc: Doc) -> Doc:
        lemmatizer = self.nlp.get_pipe("lemmatizer")
        if not isinstance(lemmatizer, Lemmatizer):
            raise TypeError("the metrics pipeline needs spaCy's lookup lemmatizer")
        table = lemmatizer.lookups.get_table("lemma_lookup")
        for token in doc:
            token.lemma_ = str(table.get(token.lower_, token.lower_)).casefold()
        return doc


@Language.factory("policylens_lemmas")
def _make_lemmas(nlp: Language, name: str) -> CaseBlindLemmas:
    return CaseBlindLemmas(nlp)


@Language.component("policylens_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """A line break kept in a paragraph separates statements ("... by the authority\n96% of ...")."""
    for token in doc[1:]:
        previous = doc[token.i - 1]
        if "\n" in previous.whitespace_ or (previous.is_space and "\n" in previous.text):
            token.is_sent_start = True
    return doc


def _tokens(nlp: Language, phrase: str) -> list[dict[str, Any]]:
    return [{"LOWER": t.lower_} for t in nlp.make_doc(phrase)]


class QuantityTagger:
    """Finds numbers with their units: "44%", "£2000", "26 weeks", "Twenty-one", "4 times"."""

    def __init__(self, nlp: Language, cues: NumberCues) -> None:
        self.matcher = Matcher(nlp.vocab)
        words = sorted(cues.words)
        compound = [
            {"LOWER": {"IN": sorted(cues.tens)}},
            {"ORTH": {"IN": ["-", "–"]}},
            {"LOWER": {"IN": sorted(cues.ones)}},
        ]
        numbers: list[list[dict[str, Any]]] = [[{"TEXT": {"REGEX": NUMERAL}}], [{"LOWER": {"IN": words}}], compound]
        scale: dict[str, Any] = {"LOWER": {"IN": sorted(cues.scales)}}
        numbers += [[*n, scale] for n in numbers[:1]]
        for number in numbers:
            self.matcher.add(Unit.COUNT.value, [number])
            for word, unit in cues.units_after.items():
                self.matcher.add(unit.value, [number + _tokens(nlp, word)])
            for sign, unit in cues.units_before.items():
                self.matcher.add(unit.value, [_tokens(nlp, sign) + number])
            for denominator, unit in cues.rate_per.items():
                # "62 per 10,000", "62 children per 10,000"
                counted: dict[str, Any] = {"LOWER": {"IN": list(cues.rate_nouns)}, "OP": "{0,3}"}
                self.matcher.add(unit.value, [[*number, counted, {"LOWER": "per"}, {"TEXT": denominator}]])
        self.add_shares(numbers, cues)
        for verb in cues.factor_verbs:
            # "halve", "double": a factor of today's level, in the unit of "4 times"
            self.matcher.add(Unit.OTHER.value, [[{"LOWER": verb}]])

    def add_shares(self, numbers: list[list[dict[str, Any]]], cues: NumberCues) -> None:
        """ "two thirds of", "a quarter of" (a share only before "of", so "a third party" is none), the size
        of a change "by a third" ("reduce the number of children in care by a third": 33.3%; `share_by`,
        never before a word that goes on from it, "supported by a third party") and "one in five", "1 in 10":
        percentages written in words."""
        numerator: dict[str, Any] = {"LOWER": {"IN": sorted({*cues.ones, *cues.numerators})}}
        fraction = [numerator, {"ORTH": {"IN": ["-", "–"]}, "OP": "?"}, {"LOWER": {"IN": sorted(cues.fractions)}}]
        self.matcher.add(_SHARE_OF, [[*fraction, {"LOWER": "of"}]])
        self.matcher.add(_SHARE_BY, [[{"LOWER": {"IN": list(cues.share_by)}}, *fraction]])
        every: dict[str, Any] = {"LOWER": {"IN": list(cues.one_in)}}
        # a small numeral only: "four in 2016" is a number and a year
        small: list[dict[str, Any]] = [{"TEXT": {"REGEX": r"^\d{1,3}$"}}]
        for first in ([numerator], small):
            for second in (small, numbers[1]):
                self.matcher.add(Unit.PERCENT.value, [[*first, every, {"LOWER": "every", "OP": "?"}, *second]])

    def __call__(self, doc: Doc) -> Doc:
        matches = [(str(doc.vocab.strings[key]), start, end) for key, start, end in self.matcher(doc)]
        spans = [_span(doc, start, end, key) for key, start, end in matches if key != _SHARE_BY or _ends(doc, end)]
        doc.spans[QUANTITIES] = sorted(filter_spans(spans), key=lambda s: s.start)
        return doc


_SHARE_OF = "share_of"
"""Matcher key of "two thirds of": a percentage whose span leaves out the "of"."""
_SHARE_BY = "share_by"
"""Matcher key of "by a third": a percentage whose span leaves out the "by"."""


def _span(doc: Doc, start: int, end: int, key: str) -> Span:
    if key == _SHARE_OF:
        return Span(doc, start, end - 1, label=Unit.PERCENT.value)
    if key == _SHARE_BY:
        return Span(doc, start + 1, end, label=Unit.PERCENT.value)
    return Span(doc, start, end, label=key)


def _ends(doc: Doc, end: int) -> bool:
    """Whether a share after "by" ends its phrase: the text ends, or a mark, a number or a function word
    follows ("by a third by 2026", "by a quarter."), not a word it qualifies ("by a third party")."""
    if end >= len(doc):
        return True
    after = doc[end]
    return after.is_punct or after.is_space or after.like_num or (after.is_stop and after.lower_ != "of")


@Language.factory("policylens_quantities")
def _make_quantities(nlp: Language, name: str) -> QuantityTagger:
    return QuantityTagger(nlp, load_cues().numbers)


@lru_cache(maxsize=1)
def build_pipeline() -> Language:
    """The metrics pipeline, built once: tokenizer, sentences, lemmas, quantities."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("policylens_line_breaks")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("policylens_lemmas")
    nlp.add_pipe("policylens_quantities")
    nlp.initialize()
    return nlp


QUANTITY_INDEX = "pl_quantity"
"""Token attribute: the index of the kept quantity a token belongs to, -1 for none (set by the reader)."""
Token.set_extension(QUANTITY_INDEX, default=-1, force=True)


@lru_cache(maxsize=1)
def change_matcher() -> Matcher:
    """ "from X to Y" (and "from X ..., to Y ..., to Z"): one sentence, no second "from" between.

    X and Y are kept quantities, marked on their tokens by `QUANTITY_INDEX`; the longest match
    wins, so a chain of values ends at its last one.
    """
    cues = load_cues().statements
    quantity = {"_": {QUANTITY_INDEX: {">=": 0}}, "IS_SENT_START": False, "OP": "+"}
    pattern: list[dict[str, Any]] = [
        {"LOWER": {"IN": list(cues.from_words)}},
        quantity,
        {"LOWER": {"NOT_IN": list(cues.from_words)}, "IS_SENT_START": False, "OP": "{0,12}"},
        {"LOWER": {"IN": list(cues.to_words)}, "IS_SENT_START": False},
        quantity,
    ]
    matcher = Matcher(build_pipeline().vocab)
    matcher.add("FROM_TO", [pattern], greedy="LONGEST")
    return matcher


@lru_cache(maxsize=4096)
def phrase(text: str) -> tuple[str, ...]:
    """A cue phrase as token forms to match: a word in its base form stands for all its forms (its
    lemma), an inflected word for itself only ("higher" is not "high")."""
    return tuple(t.lemma_ if t.lemma_ == t.lower_ else t.lower_ for t in build_pipeline()(text))


def phrases(texts: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    return tuple(phrase(t) for t in texts)


def matches_at(tokens: Span | Doc, i: int, cue: tuple[str, ...]) -> bool:
    """Whether the lemmas from token i on spell the cue."""
    if i < 0 or i + len(cue) > len(tokens):
        return False
    return all(cue[k] in (tokens[i + k].lemma_, tokens[i + k].lower_) for k in range(len(cue)))


def mentions(tokens: Span | Doc, cues: Iterable[tuple[str, ...]]) -> bool:
    """Whether any of the cues starts anywhere in the tokens."""
    cues = tuple(cues)
    return any(find_cue(tokens, i, cues) for i in range(len(tokens)))


def find_cue(tokens: Span | Doc, i: int, cues: Iterable[tuple[str, ...]]) -> tuple[str, ...] | None:
    """The longest cue that starts at token i, if any."""
    found = [cue for cue in cues if cue and matches_at(tokens, i, cue)]
    return max(found, key=len) if found else None


def within(span: Span, sent: Span) -> bool:
    """Whether a span starts inside a sentence."""
    return sent.start <= span.start < sent.end


def value_of(span: Span, cues: NumberCues) -> float:
    """The number a quantity span states: "29,200" -> 29200, "Twenty-one" -> 21, "four" -> 4,
    "two thirds" -> 66.7, "one in five" -> 20, "halve" -> 0.5."""
    if is_factor_verb(span, cues):
        return cues.factor_verbs[span[0].lower_]
    share = _share(span, cues)
    if share is not None:
        return share
    numeral = next((t for t in span if is_numeral(t)), None)
    if numeral is not None:
        scale = next((cues.scales[t.lower_] for t in span[numeral.i - span.start + 1 :] if t.lower_ in cues.scales), 1)
        return float(numeral.text.replace(",", "")) * scale
    words = [t.lower_ for t in span if t.lower_ in cues.words or t.lower_ in cues.ones]
    if len(words) == 2 and words[0] in cues.tens:
        return float(cues.tens[words[0]] + cues.ones[words[1]])
    return float(cues.words[words[0]])


def _share(span: Span, cues: NumberCues) -> float | None:
    """A share written in words, as a percentage to one decimal place."""
    words = [t.lower_ for t in span if t.lower_ not in ("-", "–", "every")]
    if len(words) == 2 and words[1] in cues.fractions:
        return round(_small(words[0], cues) / cues.fractions[words[1]] * 100, 1)
    if len(words) == 3 and words[1] in cues.one_in:
        return round(_small(words[0], cues) / _small(words[2], cues) * 100, 1)
    return None


def _small(word: str, cues: NumberCues) -> float:
    """A numerator or denominator: "a", "one", "five", "10"."""
    if word[:1].isdigit():
        return float(word.replace(",", ""))
    return float({**cues.words, **cues.ones, **cues.numerators}[word])


def is_factor_verb(span: Span, cues: NumberCues) -> bool:
    """ "halve", "double": a factor written as a verb."""
    return len(span) == 1 and span[0].lower_ in cues.factor_verbs


def unit_of(span: Span) -> Unit:
    return Unit(span.label_)


def is_numeral(token: Token) -> bool:
    return token.like_num and any(c.isdigit() for c in token.text)
