"""Subjects and groups: what a figure measures and of whom, in the text's own words.

The subject is the phrase after the number ("156 children and young people in the care of ..."),
else the phrase before it past the words of the statement ("The number of children who experience
three moves or more within a year is less than 10%"), never crossing another figure, a date or a
clause boundary. The group is an age expression that excluded a nearby number ("aged 16-18
years old") or a word such as "boys" or "female" in the subject. A bare number's unit is the one its
measure's name gives ("Average SDQ score: 14.2" is a score, `named_unit`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from policylens.metrics.nlp import find_cue, phrases, within
from policylens.metrics.periods import Period
from policylens.metrics.quantities import Candidate
from policylens.metrics.vocab import NumberCues, StatementCues
from policylens.model import Unit

_BOUNDARY = frozenset({",", ";", ":", ".", "(", ")", "!", "?", "–", "—", "|", "•", "+"})
Cue = tuple[str, ...]


class SubjectReader:
    """Reads the subject and group of a figure with one set of cue words."""

    def __init__(self, cues: StatementCues, numbers: NumberCues) -> None:
        self.cues = cues
        self.numbers = numbers
        self.rates = phrases(cues.subject_rates)
        self.words = _Words(
            cues.subject_stops, cues.subject_clause_subjects, cues.subject_leading, cues.subject_trim, cues.subject_max
        )

    def subject(
        self, doc: Doc, c: Candidate, found: list[Candidate], periods: list[Period], depth: int = 0
    ) -> Span | None:
        """What is measured, in the text's words: the phrase after the number, else the one before,
        else (for "between 95 and 100%", "from 87% to 100%") the subject of the number it is linked to.
        A figure in brackets ("... in residential care (5%)") qualifies the phrase before it; a factor
        verb ("halve the number of placement moves") the phrase after it only."""
        s = self.cues
        figures, dates = _figure_tokens(c, found), _date_tokens(doc, periods)
        words = self.words
        right = _phrase_after(doc, c.span, figures | dates, words, self.rates)
        if right is not None and _says_when(right, found, s.subject_time_words):
            right = None
        left = _phrase_before(doc, c.span, (figures, dates), s.subject_qualifiers, words)
        label = _label_before(doc, c.span, figures | dates, words)
        bracketed = _in_brackets(doc, c.span)
        # a factor verb's object is what it multiplies ("Priority 3: double the number of foster carers")
        order = (right,) if c.factor else (label, *((left, right) if bracketed else (right, left)))
        for phrase in order:
            if phrase is not None and any(t.is_alpha and t.lower_ not in s.subject_trim for t in phrase):
                return phrase
        clause = _clause_before(doc, c.span, (figures, dates), s.subject_qualifiers, words)
        if clause is not None and not c.factor:
            return clause
        linked = _linked_before(doc, c, found, s.subject_qualifiers)
        if linked is not None and depth < 3:
            return self.subject(doc, linked, found, periods, depth + 1)
        if c.origin is not None and depth < 3:
            return self.subject(doc, c.origin, found, periods, depth + 1)
        return None

    def unit(self, doc: Doc, c: Candidate, found: list[Candidate], periods: list[Period], subject: str) -> Unit:
        """The unit of a figure: a bare number's is the one its measure's name gives ("Average SDQ score:
        14.2", "The average SDQ score was 14.2 for children in care"), else the figure's own."""
        if not c.bare:
            return c.unit
        figures, dates = _figure_tokens(c, found), _date_tokens(doc, periods)
        before = _phrase_before(doc, c.span, (figures, dates), self.cues.subject_qualifiers, self.words)
        names = (subject, before.text if before is not None else "")
        return next((u for name in names if (u := named_unit(name, self.numbers)) is not None), c.unit)

    def timed(self, doc: Doc, c: Candidate, found: list[Candidate], periods: list[Period], subject: str) -> bool:
        """Whether a bare figure's measure is named as a time with no unit ("Average time between a child
        entering care and moving in with its adoptive family | 520"): its unit is the catalogue's to give."""
        if not c.bare:
            return False
        figures, dates = _figure_tokens(c, found), _date_tokens(doc, periods)
        before = _phrase_before(doc, c.span, (figures, dates), self.cues.subject_qualifiers, self.words)
        names = (subject, before.text if before is not None else "")
        return any(names_a_time(name, self.numbers) for name in names)

    def label(self, doc: Doc, c: Candidate, found: list[Candidate], periods: list[Period]) -> Span | None:
        """The label of a figure written "Label: value" ("Accredited Outcome: 4.7%"), if it is one."""
        label = _label_before(doc, c.span, _figure_tokens(c, found) | _date_tokens(doc, periods), self.words)
        return label if label is not None and any(t.is_alpha for t in label) else None

    def lead_in(self, doc: Doc, c: Candidate, found: list[Candidate], periods: list[Period]) -> int:
        """Where the words that state a figure begin ("this figure had increased to 71%")."""
        return self.statement(doc, c, found, periods).start_char

    def statement(self, doc: Doc, c: Candidate, found: list[Candidate], periods: list[Period]) -> Span:
        """The words that state a figure, up to it ("As of the 31 March 2022 this figure was 27%")."""
        figures, dates = _figure_tokens(c, found), _date_tokens(doc, periods)
        return doc[_statement_start(doc, c.span, figures, dates, self.cues.subject_qualifiers) : c.span.end]

    def group(self, doc: Doc, c: Candidate, found: list[Candidate], subject: str) -> str:
        """A narrower population: an age expression in the sentence, or "boys", "female" ..."""
        sent = c.span.sent
        notes = [o.note for o in found if o.note and sent.start_char <= o.note[0] < sent.end_char]
        if notes:
            start, end = min(notes, key=lambda n: abs(n[0] - c.span.start_char))
            return doc.text[start:end]
        words = subject.casefold().split()
        return next((w for w in words if w in self.cues.group_words), "")


@dataclass(frozen=True, slots=True)
class _Words:
    stops: tuple[str, ...]
    clause_subjects: tuple[str, ...]
    leading: tuple[str, ...]
    trim: tuple[str, ...]
    limit: int


def _figure_tokens(c: Candidate, found: list[Candidate]) -> set[int]:
    """Tokens of the other figures, and of factor verbs even when their levels say them ("We will halve |
    the proportion who go missing, from 12% to 6%"): a subject never crosses one."""
    return {t.i for o in found if o is not c and (o.kept or o.role or o.factor) for t in o.span}


def _date_tokens(doc: Doc, periods: list[Period]) -> set[int]:
    """Tokens of dates: a subject never crosses one either, but may be read past one ("... in 2018 was 50%")."""
    tokens: set[int] = set()
    for p in periods:
        span = doc.char_span(p.start, p.end, alignment_mode="expand")
        tokens.update(t.i for t in span or ())
    return tokens


def _says_when(phrase: Span, found: list[Candidate], time_words: tuple[str, ...]) -> bool:
    """ "over the last two years": only time words up to a duration that is not a metric."""
    durations = [o.span.start for o in found if o.reason == "duration" and phrase.start <= o.span.start < phrase.end]
    return bool(durations) and all(t.lower_ in time_words for t in phrase.doc[phrase.start : durations[0]])


def _in_brackets(doc: Doc, span: Span) -> bool:
    before = doc[span.start - 1].text if span.start > 0 else ""
    after = doc[span.end].text if span.end < len(doc) else ""
    return before == "(" and after == ")"


def _is_boundary(
    doc: Doc, j: int, stops: set[int], stop_words: tuple[str, ...], clause_subjects: tuple[str, ...] = ()
) -> bool:
    token = doc[j]
    if j in stops:
        return True
    if token.text == "," and _continues_list(doc, j, stops):
        return False
    if token.text in _BOUNDARY or token.lower_ in stop_words:
        return True
    if token.lower_ not in ("and", "or"):
        return False
    # "72 are boys and 84 are girls": a conjunction before the next figure ends the phrase, and
    # "... and we are accountable": so does one that begins a clause of its own.
    opens_clause = j + 1 < len(doc) and doc[j + 1].lower_ in clause_subjects
    return opens_clause or any(k in stops for k in range(j + 1, j + 3))


def _continues_list(doc: Doc, j: int, stops: set[int]) -> bool:
    """ "Education, Employment and Training": a comma inside a list of words, not between clauses."""
    ahead = doc[j + 1 : j + 4]
    if not ahead or ahead[0].is_stop or ahead[0].is_punct or (j + 1) in stops:
        return False
    return any(t.lower_ in ("and", "or") for t in ahead[1:]) and not any(t.i in stops for t in ahead)


def _phrase_after(doc: Doc, span: Span, stops: set[int], words: _Words, rates: tuple[Cue, ...]) -> Span | None:
    i, end = span.end, span.sent.end
    if i < end and doc[i].text == ")":
        i += 1
    elif i < end and doc[i].text == "(":
        close = next((k for k in range(i, min(end, i + 8)) if doc[k].text == ")"), None)
        i = close + 1 if close is not None else i
    rate = find_cue(doc, i, rates)
    i += len(rate) if rate else 0
    while i < end and doc[i].lower_ in words.leading:
        i += 1
    j = i
    while j < end and j - i < words.limit and not _is_boundary(doc, j, stops, words.stops, words.clause_subjects):
        j += 1
    return _trimmed(doc, i, j, words.trim)


def _label_before(doc: Doc, span: Span, stops: set[int], words: _Words) -> Span | None:
    """The label of a figure written "Label: value" ("Contacts: 7% Participants: 7%"): the words
    before the colon, back to the figure or date before them."""
    colon = span.start - 1
    if colon <= span.sent.start or doc[colon].text != ":":
        return None
    i = colon
    while i > span.sent.start and colon - i < words.limit and not _is_boundary(doc, i - 1, stops, ()):
        i -= 1
    return _trimmed(doc, i, colon, words.trim)


def _phrase_before(
    doc: Doc, span: Span, stops: tuple[set[int], set[int]], qualifiers: tuple[str, ...], words: _Words
) -> Span | None:
    """The phrase before a number, past the words of the statement and its date ("is less than",
    "(currently", "in 2018 was")."""
    figures, dates = stops
    j = _statement_start(doc, span, figures, dates, qualifiers)
    i = j
    while i > span.sent.start and j - i < words.limit and not _is_boundary(doc, i - 1, figures | dates, ()):
        i -= 1
    return _trimmed(doc, i, j, words.trim)


def _clause_before(
    doc: Doc, span: Span, stops: tuple[set[int], set[int]], qualifiers: tuple[str, ...], words: _Words
) -> Span | None:
    """For a figure stated after a comma with only statement words ("We will halve the proportion who go
    missing, from 12% to 6%"): the phrase before the comma, which the figure goes on from."""
    figures, dates = stops
    comma = _statement_start(doc, span, figures, dates, qualifiers) - 1
    if comma <= span.sent.start or doc[comma].text != ",":
        return None
    i = comma
    while i > span.sent.start and comma - i < words.limit and not _is_boundary(doc, i - 1, figures | dates, ()):
        i -= 1
    phrase = _trimmed(doc, i, comma, words.trim)
    return phrase if phrase is not None and any(t.is_alpha for t in phrase) else None


def _statement_start(doc: Doc, span: Span, figures: set[int], dates: set[int], qualifiers: tuple[str, ...]) -> int:
    """The first token of the words that state a figure, reading back from it ("in 2018 was 50%")."""
    j = span.start
    while j > span.sent.start and j - 1 not in figures and _statement_word(doc[j - 1], qualifiers, dates):
        j -= 1
    return j


def _statement_word(token: Token, qualifiers: tuple[str, ...], dates: set[int]) -> bool:
    return token.lower_ in qualifiers or token.text == "(" or token.i in dates


def _linked_before(doc: Doc, c: Candidate, found: list[Candidate], qualifiers: tuple[str, ...]) -> Candidate | None:
    """The number just before this one when only statement words stand between ("95 and 100%")."""
    before = [o for o in found if o.span.end <= c.span.start and o.kept and within(o.span, c.span.sent)]
    if not before:
        return None
    between = doc[before[-1].span.end : c.span.start]
    return before[-1] if all(t.lower_ in qualifiers or t.is_punct for t in between) else None


def _trimmed(doc: Doc, i: int, j: int, trim: tuple[str, ...]) -> Span | None:
    """The words from i to j without function words or punctuation at either end."""
    while i < j and (doc[i].lower_ in trim or doc[i].is_punct or doc[i].is_space):
        i += 1
    while j > i and (doc[j - 1].lower_ in trim or doc[j - 1].is_punct or doc[j - 1].is_space):
        j -= 1
    return doc[i:j] if j > i else None


_NAME_WORDS = re.compile(r"[()]|\w+")


def named_unit(measure: str, cues: NumberCues) -> Unit | None:
    """The unit a measure's name gives a bare number, or None: the unit word its head ends with ("Average
    SDQ score", "average number of days between ..."), a bracket that ends with one ("... adoptive family
    (days)"), or the code opening it when the name is the code or states an average ("A1", "A1: Average
    time between ..."). A unit word after a number is a duration ("two years")."""
    words = _NAME_WORDS.findall(measure.casefold())
    if words and words[0] in cues.codes and (len(words) == 1 or any(w in cues.averages for w in words)):
        return cues.codes[words[0]]
    for part in (_head(words, cues), *_bracketed(words, cues)):
        if part and part[-1] in cues.named and not (len(part) > 1 and _is_number(part[-2], cues)):
            return cues.named[part[-1]]
    return None


def names_a_time(measure: str, cues: NumberCues) -> bool:
    """Whether a measure's name says it is a time without naming the unit: its head ends with a word of
    `unnamed_durations` ("Average time between ...", "Mean length of ..."), with no unit word (`named_unit`)."""
    words = _NAME_WORDS.findall(measure.casefold())
    head = _head(words, cues)
    return named_unit(measure, cues) is None and bool(head) and head[-1] in cues.unnamed_durations


def _head(words: list[str], cues: NumberCues) -> list[str]:
    """A name up to its first link word that no unit word follows ("average number of days | between")."""
    for k, word in enumerate(words):
        follows = words[k + 1] if k + 1 < len(words) else ""
        if word in {"(", ")"} or (word in cues.name_links and follows not in cues.named):
            return words[:k]
    return words


def _bracketed(words: list[str], cues: NumberCues) -> list[list[str]]:
    """The heads of a name's brackets ("(days)", "(average SDQ score)")."""
    opens = [k for k, w in enumerate(words) if w == "("]
    closes = [next((j for j in range(k, len(words)) if words[j] == ")"), len(words)) for k in opens]
    return [_head(words[k + 1 : j], cues) for k, j in zip(opens, closes, strict=True)]


def _is_number(word: str, cues: NumberCues) -> bool:
    return word[:1].isdigit() or word in cues.words or word in cues.ones
