"""Which numbers in a text are metrics (tests/expected/metrics/RULES.md says what is not one).

A quantity that is a date or part of one, a range bound, a phone number, a label ("Key Stage 2"),
list or section numbering ("1.1 This strategy"), a page total ("Page 14 of 14"), a house number
("12 High Street"), a time of day ("9am"), a distance that bounds a group ("more than 20 miles from
home"), a rate's denominator, a ratio ("1 to 1"), a count of the document's structure ("seven
principles"), a threshold ("3 or more"), an age, a duration that only sets a deadline, a factor verb
that commits to nothing ("well over double the %"), or a repeat of a figure just given is marked with
the reason it is not a metric; the rest are kept.
"""

from __future__ import annotations

import calendar
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from policylens.metrics.nlp import (
    QUANTITIES,
    find_cue,
    is_factor_verb,
    is_numeral,
    matches_at,
    phrases,
    unit_of,
    value_of,
    within,
)
from policylens.metrics.vocab import MetricCues
from policylens.model import Unit

_MONTHS = frozenset(m.casefold() for m in (*calendar.month_name[1:], *calendar.month_abbr[1:], "sept") if m)
_ORDINAL = re.compile(r"^\d+(?:st|nd|rd|th)$")
_CODE = re.compile(r"^(?=.*[A-Za-z])(?=.*\d)[A-Za-z\d]+$")
"""A code mixing letters and digits ("KS3", "EA3", "Y10")."""
_YEAR = re.compile(r"^(?:19[5-9]\d|20\d\d)$")
_RANGE_SIGNS = ("-", "–", "/")
# Reasons that carry over to the bare numbers linked with one ("aged 19, 20 and 21", "Yr 12 and 13").
_SHARED = ("age", "duration", "label", "structure", "threshold")


@dataclass(slots=True)
class Candidate:
    """A quantity in a text while it is being read; `reason` says why it is not a metric."""

    span: Span
    value: float
    unit: Unit
    reason: str = ""
    role: str = ""
    """After reading statements: "comparator", "from" (old value of a change), "step" (a middle value)."""
    note: tuple[int, int] | None = None
    """Character span of the age expression that excluded it, for the `group` of nearby metrics."""
    origin: Candidate | None = None
    """The old value, when this is the new value of a change."""
    comparator: str = ""
    """For a comparator: the benchmark as written ("65% nationally")."""
    factor: bool = False
    """A factor stated by a verb ("halve", "double"): a relative target, never a level."""
    achieved: bool = False
    """A factor verb that reports what was done ("we managed to halve"): a reported change, no target."""

    @property
    def kept(self) -> bool:
        return not self.reason

    @property
    def bare(self) -> bool:
        return self.unit is Unit.COUNT

    @property
    def emitted(self) -> bool:
        return self.kept and self.role not in ("comparator", "from", "step")


class Screen:
    """The screening rules for one document's cues; `__call__` screens one spaCy doc."""

    def __init__(self, cues: MetricCues) -> None:
        self.cues = cues
        s = cues.screen
        self.age_before = set(s.age_before)
        self.age_after = phrases(s.age_after)
        self.structure = set(s.structure_nouns)
        self.labels = set(s.label_words)
        self.durations = cues.numbers.durations
        self.bounds = phrases(s.distance_bounds)
        self.achievements = phrases(cues.statements.achievements)

    def __call__(self, doc: Doc, dates: list[tuple[int, int]], *, measured: bool = False) -> list[Candidate]:
        """The quantities of a text, each with the reason it is not a metric or "". `measured`: the text is a
        table cell of measured figures ("Baseline", "Target 2025", "Halton 2019-22", a row that states an
        average), where a cell holding only a duration ("520 days") is what is measured, not a deadline."""
        numbers = self.cues.numbers
        found = [
            Candidate(span, value_of(span, numbers), unit_of(span), factor=is_factor_verb(span, numbers))
            for span in doc.spans[QUANTITIES]
        ]
        for candidate in found:
            candidate.achieved = candidate.factor and self.achieved(doc, candidate.span.start)
            whole = measured and len(candidate.span) == len(doc)
            candidate.reason = self.reason(doc, candidate, dates, measured=whole)
        _share_within_groups(doc, found, self.cues.screen.linkers)
        _rates_written_before(doc, found, self.cues)
        _back_references(found, self.cues.screen.back_references)
        _restated_in_brackets(doc, found)
        _factors_stated_as_levels(doc, found, self.cues)
        return found

    def reason(self, doc: Doc, c: Candidate, dates: list[tuple[int, int]], *, measured: bool = False) -> str:
        """The first rule that says this quantity is not a metric, or "". `measured`: the quantity is all of a
        table cell of measured figures (a duration there is the measure, not a deadline)."""
        span, bare = c.span, c.bare
        timed = c.unit in self.durations and not measured
        checks: tuple[tuple[str, Callable[[], bool]], ...] = (
            ("factor", lambda: c.factor and not c.achieved and not self.commits_to(doc, span)),
            ("date", lambda: self.is_date(doc, c, dates)),
            ("range", lambda: _in_range(doc, span)),
            ("name", lambda: _attached(doc, span)),
            ("phone", lambda: _phone(doc, span)),
            ("denominator", lambda: span.start > 0 and doc[span.start - 1].lower_ == "per"),
            ("label", lambda: bare and (self.is_label(doc, span) or self.follows_code(doc, span))),
            ("ordinal", lambda: bare and self.beside_ordinal(doc, span)),
            ("condition", lambda: c.unit is not Unit.PERCENT and self.is_conditional(doc, span)),
            ("numbering", lambda: bare and (self.is_numbering(doc, c) or _section_number(doc, span))),
            ("page", lambda: bare and self.is_page_total(doc, span)),
            ("address", lambda: bare and self.is_address(doc, span)),
            ("time", lambda: bare and self.is_clock_time(doc, span)),
            ("distance", lambda: bare and self.is_distance_bound(doc, span)),
            ("ratio", lambda: bare and _ratio(doc, span)),
            ("structure", lambda: bare and self.is_structure(doc, span)),
            ("threshold", lambda: (bare or timed) and self.is_threshold(doc, span)),
            ("age", lambda: self.is_age(doc, c)),
            ("duration", lambda: timed and self.is_condition(doc, c)),
        )
        return next((name for name, applies in checks if applies()), "")

    # --- the rules -------------------------------------------------------------

    def commits_to(self, doc: Doc, span: Span) -> bool:
        """A factor verb as a commitment: "we will halve", "aim to double", "Halve the number of ..."."""
        if span.start == span.sent.start:
            return True
        before = doc[span.start - 1]
        screen = self.cues.screen
        if before.lower_ == "to":  # "aim to double", "our aim is to halve"; not "rose to double"
            words = doc[max(span.sent.start, span.start - _AIM_REACH) : span.start - 1]
            return any(t.lemma_.lower() in screen.factor_aims for t in words)
        return before.is_punct or before.lower_ in screen.factor_commitments

    def achieved(self, doc: Doc | Span, i: int) -> bool:
        """Whether the verb at token i reports what was done: "to" after a word of `achievements` ("we
        managed to halve", "we were able to reduce")."""
        if i < 2 or doc[i - 1].lower_ != "to":
            return False
        return any(matches_at(doc, i - 1 - len(cue), cue) for cue in self.achievements)

    def is_date(self, doc: Doc, c: Candidate, dates: list[tuple[int, int]]) -> bool:
        """Part of a date found by `timescales.find_dates`, a year, or a day before a month name."""
        span = c.span
        if any(span.start_char < end and start < span.end_char for start, end in dates) and c.unit is not Unit.GBP:
            return True
        if not c.bare:
            return False
        text = span.text
        following = doc[span.end].lower_.rstrip(".") if span.end < len(doc) else ""
        return bool(_YEAR.match(text)) or (c.value <= 31 and following in _MONTHS)

    def is_label(self, doc: Doc, span: Span) -> bool:
        """ "Appendix 1", "Key Stage 2", "Catch 22", "in year 10"; or a code after an acronym
        ("CYPP EA 4"). A lower-case word after a determiner is a noun: "the year 45 young people"."""
        if span.start == 0:
            return False
        before = doc[span.start - 1]
        acronym = before.is_alpha and before.is_upper and 2 <= len(before) <= 5
        determined = before.is_lower and span.start > 1 and doc[span.start - 2].lower_ in self.cues.screen.determiners
        return (before.lemma_ in self.labels and not determined) or acronym

    def follows_code(self, doc: Doc, span: Span) -> bool:
        """ "KS3 & 4": a number linked to a code is part of the code."""
        if span.start < 2 or doc[span.start - 1].lower_ not in self.cues.screen.linkers:
            return False
        return bool(_CODE.match(doc[span.start - 2].text))

    def beside_ordinal(self, doc: Doc, span: Span) -> bool:
        """ "20 and 21st Birthday cohorts": a number linked to an ordinal is one too."""
        linkers = self.cues.screen.linkers
        ahead = doc[span.end : span.end + 2]
        behind = doc[max(0, span.start - 2) : span.start]
        return any(
            len(pair) == 2 and pair[k].lower_ in linkers and bool(_ORDINAL.match(pair[1 - k].text))
            for pair, k in ((ahead, 0), (behind, 1))
        )

    def is_conditional(self, doc: Doc, span: Span) -> bool:
        """ "within 20 miles", "within 6 weeks"."""
        before = doc[span.start - 1] if span.start > 0 else None
        return before is not None and before.lower_ in self.cues.screen.condition_before

    def is_numbering(self, doc: Doc, c: Candidate) -> bool:
        """ "1. We will ...": a small whole number closing a fragment before a capital."""
        span = c.span
        after = doc[span.end] if span.end < len(doc) else None
        if after is None or after.text not in (".", ")") or not c.value.is_integer() or c.value > 50:
            return False
        nxt = doc[span.end + 1] if span.end + 1 < len(doc) else None
        starts = nxt is None or nxt.is_title or nxt.is_upper
        before = doc[span.start - 1] if span.start > 0 else None
        governed = before is not None and (before.lower_ in self.cues.screen.governing_words or is_numeral(before))
        return starts and not governed

    def is_page_total(self, doc: Doc, span: Span) -> bool:
        """The total of "Page 14 of 14": a number after "of" and a labelled number."""
        before = doc[max(0, span.start - 3) : span.start]
        if len(before) < 3 or before[2].lower_ != "of" or not is_numeral(before[1]):
            return False
        return self.is_label(doc, before[1:2])

    def is_address(self, doc: Doc, span: Span) -> bool:
        """A house number: "12 High Street", "4 Church Road" (capitalised words, then a street word)."""
        for token in doc[span.end : span.end + 4]:
            if token.lower_ in self.cues.screen.street_words and token.is_title:
                return token.i > span.end
            if not token.is_title:
                return False
        return False

    def is_clock_time(self, doc: Doc, span: Span) -> bool:
        """ "9am", "5 pm": a time of day."""
        return span.end < len(doc) and doc[span.end].lower_ in self.cues.screen.clock_suffixes

    def is_distance_bound(self, doc: Doc, span: Span) -> bool:
        """ "more than 20 miles from home": a distance that defines a group, not one measured."""
        s = self.cues.screen
        if span.end >= len(doc) or doc[span.end].lower_ not in s.distance_units:
            return False
        return any(matches_at(doc, span.start - len(cue), cue) for cue in self.bounds)

    def is_structure(self, doc: Doc, span: Span) -> bool:
        """ "seven corporate parenting principles", "12 sections", "five good GCSEs"."""
        for token in doc[span.end : span.end + 4]:
            if token.lemma_ in self.structure or token.lower_ in self.structure:
                return True
            if token.is_punct or token.is_stop or is_numeral(token):
                return False
        return False

    def is_threshold(self, doc: Doc, span: Span) -> bool:
        """ "3 or more moves", "three moves or more", "16 (or coming up to their 16th birthday)"."""
        window = [t for t in doc[span.end : span.end + 5] if t.text != "("]
        for k, token in enumerate(window[:3]):
            if token.lower_ == "or":
                return k + 1 < len(window) and window[k + 1].lower_ in self.cues.screen.or_words
            if not token.is_alpha:
                return False
        return False

    def is_age(self, doc: Doc, c: Candidate) -> bool:
        """An age or an age group: "aged 16", "turn 18", "17 year olds", "16+", "up to age 25"."""
        if not (c.bare or c.unit is Unit.YEARS) or c.value > self.cues.screen.max_age:
            return False
        span = c.span
        at = span.end - 1 if c.unit is Unit.YEARS else span.end
        suffix = find_cue(doc, at, self.age_after)
        cue = self.age_cue_before(doc, span)
        if suffix is None and cue is None:
            return False
        start = doc[cue].idx if cue is not None else span.start_char
        end = doc[at + len(suffix) - 1].idx + len(doc[at + len(suffix) - 1]) if suffix else span.end_char
        c.note = (start, end)
        return True

    def age_cue_before(self, doc: Doc, span: Span) -> int | None:
        i = span.start - 1
        skip = self.cues.screen.age_skip
        while i >= 0 and doc[i].lower_ in skip and span.start - i < 4:
            i -= 1
        if i < 0 or doc[i].lower_ not in self.age_before:
            return None
        after_at = doc[i].lower_ == "at" and doc[i + 1].lower_ in ("least", "most")
        return None if after_at else i

    def is_condition(self, doc: Doc, c: Candidate) -> bool:
        """A duration that sets a deadline or a condition ("within 6 weeks", "a 12 month period"), not
        one stated as an average ("the average number of days ... was 201 days")."""
        span = c.span
        unit_word = doc[span.end - 1]
        singular = unit_word.lower_ == unit_word.lemma_ and not unit_word.lower_.endswith("s")
        before = _previous_word(doc, span.start)
        after = doc[span.end] if span.end < len(doc) else None
        s = self.cues.screen
        ends = after is None or after.is_punct or after.lower_ in s.duration_followers
        adjectival = singular and c.value != 1
        averaged = self.is_averaged(doc, span)
        # "reduce the average time ... to 426 days": after an average, "to" says its level
        level = averaged and before is not None and before.lower_ in s.average_levels
        conditioned = before is not None and before.lower_ in s.duration_conditions and not level
        return adjectival or conditioned or (ends and not averaged)

    def is_averaged(self, doc: Doc, span: Span) -> bool:
        """ "The average number of days ... was 201 days", "On average, children waited 18 months": an
        average in the figure's own clause, or a clause that is only the word and its preposition; not
        "Compared with the national average, 40 children waited over 2 years" (another figure's average)."""
        averages = self.cues.numbers.averages
        clauses = _clauses(doc[span.sent.start : span.start])
        own = clauses[-1] if clauses else []
        opening = [c for c in clauses[:-1] if len(c) <= _AVERAGE_PHRASE]
        return any(t.lemma_ in averages for clause in (own, *opening) for t in clause)


_AVERAGE_PHRASE = 3
"""The most words of a clause that only says a figure is an average ("On average,")."""
_AIM_REACH = 4
"""How far before "to" a word of aim may be for a factor verb to commit ("our aim is to halve")."""


def _clauses(tokens: Span) -> list[list[Token]]:
    """The tokens before a figure, cut at commas, semicolons and colons."""
    clauses: list[list[Token]] = [[]]
    for token in tokens:
        if token.text in {",", ";", ":"}:
            clauses.append([])
        else:
            clauses[-1].append(token)
    return clauses


_SECTION = re.compile(r"^\d{1,2}(?:\.\d{1,2})+$")


def _section_number(doc: Doc, span: Span) -> bool:
    """ "1.1 This strategy ...", "2.3 Education": a section number opening a text before a capital."""
    after = doc[span.end] if span.end < len(doc) else None
    return span.start == 0 and bool(_SECTION.match(span.text)) and after is not None and after.is_title


def _previous_word(doc: Doc, start: int) -> Token | None:
    """The word before a span, looking past "the"."""
    i = start - 1
    while i >= 0 and doc[i].lower_ == "the":
        i -= 1
    return doc[i] if i >= 0 else None


def _in_range(doc: Doc, span: Span) -> bool:
    """A bound of "0-19", "2017-20", "5-11yr": numbers joined by a sign with no space."""
    first, last = doc[span.start], doc[span.end - 1]
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    joined_before = (
        before is not None
        and before.text in _RANGE_SIGNS
        and not before.whitespace_
        and span.start > 1
        and not doc[span.start - 2].whitespace_
        and doc[span.start - 2].text[:1].isdigit()
    )
    joined_after = (
        after is not None
        and after.text in _RANGE_SIGNS
        and not last.whitespace_
        and not after.whitespace_
        and span.end + 1 < len(doc)
        and doc[span.end + 1].text[:1].isdigit()
    )
    return first.text[:1].isdigit() and (joined_before or joined_after)


def _attached(doc: Doc, span: Span) -> bool:
    """Part of a word: "three-year", "post-16" written apart by the tokenizer."""
    after = doc[span.end] if span.end < len(doc) else None
    if after is None or after.text not in ("-", "–") or doc[span.end - 1].whitespace_ or after.whitespace_:
        return False
    return span.end + 1 < len(doc) and doc[span.end + 1].is_alpha


def _phone(doc: Doc, span: Span) -> bool:
    """A phone number: a leading zero ("0303"), or three numerals in a row."""
    text = span.text
    if len(text) >= 3 and text.startswith("0") and text.isdigit():
        return True
    first = next((t.i for t in span if is_numeral(t)), None)
    if first is None or span.end - 1 != first:
        return False
    start, end = first, first + 1
    while start > 0 and is_numeral(doc[start - 1]):
        start -= 1
    while end < len(doc) and is_numeral(doc[end]):
        end += 1
    return end - start >= 3


def _ratio(doc: Doc, span: Span) -> bool:
    """ "1 to 1 support"."""
    text = span.text
    ahead = span.end + 1 < len(doc) and doc[span.end].lower_ == "to" and doc[span.end + 1].text == text
    behind = span.start > 1 and doc[span.start - 1].lower_ == "to" and doc[span.start - 2].text == text
    return ahead or behind


def _linked(doc: Doc, left: Span, right: Span, linkers: tuple[str, ...]) -> bool:
    between = doc[left.end : right.start]
    return len(between) == 0 or (len(between) == 1 and between[0].lower_ in linkers)


def _share_within_groups(doc: Doc, found: list[Candidate], linkers: tuple[str, ...]) -> None:
    """Numbers linked by "and", ",", "to" share an age or condition: "aged 19, 20 and 21"; and a bare
    number takes the unit of the last one: "between 95 and 100%"."""
    groups: list[list[Candidate]] = []
    for c in found:
        if groups and _linked(doc, groups[-1][-1].span, c.span, linkers):
            groups[-1].append(c)
        else:
            groups.append([c])
    for group in (g for g in groups if len(g) > 1):
        shared = next((m for m in group if m.reason in _SHARED), None)
        note = _widened(shared.note, group) if shared is not None and shared.note else None
        for member in group:
            if shared is not None and member.kept and (member.bare or member.unit is shared.unit):
                member.reason = shared.reason
            if shared is not None and member.reason == shared.reason:
                member.note = note
            elif shared is None and member.bare and not group[-1].bare and group[-1].kept:
                member.unit = group[-1].unit


def _widened(note: tuple[int, int], group: list[Candidate]) -> tuple[int, int]:
    """An age expression covers every number of its group ("17 18 year old")."""
    return min(note[0], group[0].span.start_char), max(note[1], group[-1].span.end_char)


def _rates_written_before(doc: Doc, found: list[Candidate], cues: MetricCues) -> None:
    """ "the number per 10,000 is 76", "Rate per 10,000 children: 64": a bare number right after a
    rate's denominator (and the nouns it counts) is that rate."""
    for c in found:
        if not (c.kept and c.bare):
            continue
        i = c.span.start - 1
        while i >= 0 and (doc[i].lower_ in cues.screen.rate_links or doc[i].lower_ in cues.numbers.rate_nouns):
            i -= 1
        if i > 0 and doc[i - 1].lower_ == "per" and doc[i].text in cues.numbers.rate_per:
            c.unit = cues.numbers.rate_per[doc[i].text]


_RESTATE_GAP = 6
"""How many words a bracketed figure may stand after the figure it restates ("Three quarters of care
leavers (75%)")."""


def _restated_in_brackets(doc: Doc, found: list[Candidate]) -> None:
    """ "Three quarters of care leavers (75%)": a bracketed figure that restates the one just before
    (same unit, within a point) is one metric, with the value as written in figures."""
    kept = [c for c in found if c.kept]
    for before, c in itertools.pairwise(kept):
        opened = c.span.start > 0 and doc[c.span.start - 1].text == "("
        near = 0 <= c.span.start - before.span.end <= _RESTATE_GAP and c.span.sent == before.span.sent
        if opened and near and c.unit is before.unit and abs(c.value - before.value) <= 1:
            c.reason, before.value = "repeat", c.value


def _factors_stated_as_levels(doc: Doc, found: list[Candidate], cues: MetricCues) -> None:
    """ "We will halve the proportion who go missing, from 12% to 6%": a factor verb whose sentence goes
    on to state the level it leads to ("to 6%", "from 15 to 30"), with no other target verb between, is
    said by those figures; only they are metrics (the verb still gives their direction)."""
    s = cues.statements
    marks = {*s.from_words, *s.to_words}
    for k, c in enumerate(found):
        if not (c.kept and c.factor):
            continue
        later = next((o for o in found[k + 1 :] if o.kept and within(o.span, c.span.sent)), None)
        if later is None or doc[later.span.start - 1].lower_ not in marks:
            continue
        if not any(t.lemma_ in s.target_cues for t in doc[c.span.end : later.span.start]):
            c.reason = "restated"


def _back_references(found: list[Candidate], determiners: tuple[str, ...]) -> None:
    """ "Of this 156 children": a figure repeated after "this" only refers back."""
    for k, c in enumerate(found):
        before = c.span.doc[c.span.start - 1] if c.span.start > 0 else None
        if not c.kept or before is None or before.lower_ not in determiners:
            continue
        if any(p.kept and p.value == c.value and p.unit is c.unit for p in found[:k]):
            c.reason = "repeat"
